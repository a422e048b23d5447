/**
 * Two seasons built from different exports, for the publication tests:
 * season 7 is test/fixtures/season-small; season 8 is
 * test/fixtures/season-small-8, the same exports with other pool amounts
 * (artists 500, ambassadors 900), bob's Spark usage (r2) and the 0x14dc…
 * worker's job (j3) gone, so its recipients differ, and vesting: 40 % on
 * 2026-11-01, the rest on 2026-12-01. Both are built with the real CLI.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURE, runSeason } from "./support.js";

export const FIXTURE_8 = `${FIXTURE}-8`;

/** Copies both fixtures to `<dir>/data-7` and `<dir>/data-8`; `token`, when given, goes into both season.json files. */
export function writeTwoSeasonInputs(dir: string, options: { token?: string } = {}): { data7: string; data8: string } {
  const data7 = join(dir, "data-7");
  const data8 = join(dir, "data-8");
  cpSync(FIXTURE, data7, { recursive: true });
  cpSync(FIXTURE_8, data8, { recursive: true });
  if (options.token !== undefined) {
    for (const data of [data7, data8]) {
      const path = join(data, "season.json");
      writeFileSync(path, `${JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), token: options.token }, null, 2)}\n`);
    }
  }
  return { data7, data8 };
}

/** Builds both into `<dir>/out/season-7` and `<dir>/out/season-8`; resolves to their directories. */
export async function buildTwoSeasons(dir: string, options: { token?: string } = {}): Promise<{ season7: string; season8: string; out: string }> {
  const { data7, data8 } = writeTwoSeasonInputs(dir, options);
  const out = join(dir, "out");
  for (const data of [data7, data8]) {
    const run = await runSeason(["build", "--config", join(data, "season.json"), "--data", data, "--onchain", join(data, "onchain.json"), "--out", out, "--quiet"]);
    if (run.status !== 0) throw new Error(`building ${data} failed:\n${run.stderr}`);
  }
  return { season7: join(out, "season-7"), season8: join(out, "season-8"), out };
}
