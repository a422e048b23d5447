/**
 * `season verify` offline: a fresh build passes every check; one changed
 * byte in recipients.csv or in a proof fails it (exit 1), naming the file.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArgs, fixtureCopy, runSeason } from "./support.js";

let fixture: ReturnType<typeof fixtureCopy>;
let seasonDir: string;

beforeAll(async () => {
  fixture = fixtureCopy();
  const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
  expect(run.status, run.stderr).toBe(0);
  seasonDir = join(fixture.dir, "out", "season-7");
});
afterAll(() => fixture.cleanup());

/** A copy of the built season directory to tamper with. */
function seasonCopy(name: string): string {
  const copy = join(fixture.dir, name);
  cpSync(seasonDir, copy, { recursive: true });
  return copy;
}

describe("season verify", () => {
  it("passes on a fresh build: same bytes, input hashes, pool sums, every proof", async () => {
    const run = await runSeason(["verify", seasonDir]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^check\s+result\s+detail/);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+pass\s+\d+ files identical/);
    expect(run.stdout).toMatch(/input users\.csv\s+pass/);
    expect(run.stdout).toMatch(/pool artists sums exactly\s+pass\s+1000000000000000000000 wei = the pool amount/);
    expect(run.stdout).toMatch(/proofs against the root\s+pass\s+9 proofs in 256 shards verify/);
    expect(run.stdout).toMatch(/all \d+ checks passed/);
    expect(run.stdout).not.toContain("FAIL");
  });

  it("--json reports every check", async () => {
    const run = await runSeason(["verify", seasonDir, "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.passed).toBe(true);
    expect(report.checks.length).toBeGreaterThan(10);
    expect(report.checks.every((check: { ok: boolean }) => check.ok)).toBe(true);
  });

  it("fails when one byte of recipients.csv changes, naming the file and where", async () => {
    const copy = seasonCopy("tampered-recipients");
    const path = join(copy, "recipients.csv");
    const text = readFileSync(path, "utf8");
    // One digit of the last row's amount: 16666666666666666667 -> …668.
    writeFileSync(path, text.replace(",16666666666666666667,0,0,0,", ",16666666666666666668,0,0,0,"));
    const run = await runSeason(["verify", copy, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: recipients\.csv \(line 10, column \d+\)/);
    expect(run.stdout).toMatch(/recipients\.csv rows\s+FAIL\s+line 10: amount 16666666666666666668 is not the sum of its pools/);
    expect(run.stdout).toMatch(/checks FAILED/);
  });

  it("fails when one byte of a proof changes, naming the shard and the address", async () => {
    const copy = seasonCopy("tampered-proof");
    const path = join(copy, "proofs", "14.json");
    const shard = JSON.parse(readFileSync(path, "utf8"));
    const address = Object.keys(shard)[0]!;
    const original = shard[address].proof[0] as string;
    const flipped = original.slice(0, -1) + (original.endsWith("0") ? "1" : "0");
    writeFileSync(path, readFileSync(path, "utf8").replace(original, flipped));
    const run = await runSeason(["verify", copy, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: proofs\/14\.json/);
    expect(run.stdout).toContain(`proofs/14.json ${address}: the proof does not verify against the root`);
  });

  it("fails when --data holds other exports than the ones recorded", async () => {
    const data = join(fixture.dir, "other-data");
    cpSync(join(fixture.dir, "data"), data, { recursive: true });
    writeFileSync(join(data, "spark_usage.csv"), readFileSync(join(data, "spark_usage.csv"), "utf8").replace("r2,u2,2026-10-15T12:00:00Z,0,1.5", "r2,u2,2026-10-15T12:00:00Z,0,2.5"));
    const run = await runSeason(["verify", seasonDir, "--data", data, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/input spark_usage\.csv\s+FAIL\s+sha256 [0-9a-f]{64} but the manifest records/);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: .*leaderboards\/artists\.csv/);
  });
});
