/**
 * The one reader of a season output directory (SPEC section 6): its
 * manifest (typed, with times as unix seconds), one address's proof, one
 * recipients.csv row, a leaderboard, the list of its files. The CLI
 * (`proof`, `leaderboard`, `verify`, `deploy`, `claim`), the page's server
 * and the demo all read a season through it; the formats themselves are
 * season/manifest.ts and season/season-files.ts.
 *
 * @example
 * const season = loadManifest("out/season-7");
 * const entry = findProof("out/season-7", "0xabc…"); // undefined when the address is not paid
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { normalizeAddress, type Address } from "../season/address.js";
import { InputError } from "../season/errors.js";
import { parseManifest, type ManifestJson } from "../season/manifest.js";
import { parseLeaderboardCsv, parseProofShard, parseRecipientLine, shardOf, type LeaderboardRow, type ProofEntry, type RecipientRow } from "../season/season-files.js";
import { parseIsoTime } from "../season/time.js";
import type { Hex, PoolKey } from "../season/types.js";

export type { LeaderboardRow, ProofEntry, RecipientRow };

/** The season directory is missing or malformed; the message says what to do. */
export class SeasonDirError extends Error {
  override name = "SeasonDirError";
}

/** The manifest fields the commands and the page use, typed (times in unix seconds). */
export interface SeasonView {
  season: number;
  chainId: number | undefined;
  token: Address | undefined;
  decimals: number;
  merkleRoot: Hex;
  total: bigint;
  recipients: number;
  /** Unix seconds; undefined when the season sets no claim deadline. */
  claimDeadline: number | undefined;
  window: { start: number; end: number };
  /** The manifest as written, for what the view does not name. */
  manifest: ManifestJson;
}

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new SeasonDirError(`${path} not found: ${what}`);
  return readFileSync(path, "utf8");
}

/** manifest.json of a season directory, checked by season/manifest.ts's parser. */
export function loadManifest(seasonDir: string): ManifestJson {
  const path = join(seasonDir, "manifest.json");
  return parseManifest(
    readText(path, `is ${seasonDir} a season directory? Build one with \`season build … --out <dir>\` (it writes <dir>/season-<n>/)`),
    path,
  );
}

/**
 * The season's manifest as a {@link SeasonView}.
 *
 * @example readSeason("out/season-7").window.end // 1763942400
 */
export function readSeason(seasonDir: string): SeasonView {
  const manifest = loadManifest(seasonDir);
  const path = join(seasonDir, "manifest.json");
  const time = (value: string, key: string): number => {
    try {
      return parseIsoTime(value);
    } catch (error) {
      throw new SeasonDirError(`${path}: ${key} ${(error as Error).message}: rebuild the season`);
    }
  };
  return {
    season: manifest.season,
    chainId: typeof manifest.chainId === "number" ? manifest.chainId : undefined,
    token: typeof manifest.token === "string" && manifest.token !== "" ? normalizeAddress(manifest.token) : undefined,
    decimals: manifest.decimals,
    merkleRoot: manifest.merkleRoot as Hex,
    total: BigInt(manifest.total),
    recipients: manifest.recipients,
    claimDeadline: manifest.claimDeadline === null ? undefined : time(manifest.claimDeadline, "claimDeadline"),
    window: { start: time(manifest.window.start, "window.start"), end: time(manifest.window.end, "window.end") },
    manifest,
  };
}

/** The address's entry in proofs/<first byte>.json, or undefined; any case of address. */
export function findProof(seasonDir: string, address: string): ProofEntry | undefined {
  const lower = normalizeAddress(address);
  const path = join(seasonDir, "proofs", `${shardOf(lower)}.json`);
  return readProofs(path).get(lower);
}

/** Every entry of one proof shard file. */
export function readProofs(path: string): Map<string, ProofEntry> {
  try {
    return parseProofShard(readText(path, "the season directory is incomplete (rebuild it)"), path);
  } catch (error) {
    if (error instanceof InputError) throw new SeasonDirError(error.message);
    throw error;
  }
}

/**
 * The recipients.csv row at `index` (line index + 2), reading only as much
 * of the file as it takes to reach that line.
 */
export function recipientRow(seasonDir: string, index: number): RecipientRow | undefined {
  const path = join(seasonDir, "recipients.csv");
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 16);
    let line = -1; // the header is line -1, recipient i is line i
    let current = "";
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      let start = 0;
      for (let i = 0; i < read; i++) {
        if (chunk[i] !== 10) continue;
        if (line === index) return parseRecipientLine(current + chunk.toString("utf8", start, i));
        current = "";
        start = i + 1;
        line++;
      }
      if (line === index) current += chunk.toString("utf8", start, read);
    }
    return line === index && current !== "" ? parseRecipientLine(current) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** leaderboards/<pool>.csv, parsed with the project's one CSV reader. */
export function readLeaderboard(seasonDir: string, pool: PoolKey): LeaderboardRow[] {
  const path = join(seasonDir, "leaderboards", `${pool}.csv`);
  try {
    return parseLeaderboardCsv(readText(path, "the season directory is incomplete (rebuild it)"), path, pool);
  } catch (error) {
    if (error instanceof InputError) throw new SeasonDirError(`${error.message}: rebuild the season`);
    throw error;
  }
}

/**
 * Every file under `dir`, as paths relative to it with "/" separators, sorted.
 *
 * @example listFiles("out/season-7") // ["inputs/jobs.csv", …, "manifest.json", "proofs/00.json", …]
 */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(dir, relative))) {
      const path = relative === "" ? name : `${relative}/${name}`;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk("");
  return files.sort();
}

/**
 * The season directory to serve among `season-<n>` under `outDir`: the
 * highest n with a manifest, or undefined when there is none yet.
 *
 * @example latestSeasonDir("out") // "out/season-7"
 */
export function latestSeasonDir(outDir: string): string | undefined {
  if (!existsSync(outDir)) return undefined;
  let best: { n: number; dir: string } | undefined;
  for (const name of readdirSync(outDir)) {
    const match = /^season-(\d+)$/.exec(name);
    if (!match) continue;
    const dir = join(outDir, name);
    if (!existsSync(join(dir, "manifest.json"))) continue;
    const n = Number(match[1]);
    if (best === undefined || n > best.n) best = { n, dir };
  }
  return best?.dir;
}
