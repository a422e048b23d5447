/**
 * Reading a season output directory (SPEC section 6) back: the manifest, one
 * proof shard entry, one recipients.csv row. Used by `season proof`,
 * `season leaderboard` and `season verify`.
 *
 * @example
 * const manifest = loadManifest("out/season-7");
 * const entry = findProof("out/season-7", "0xabc…"); // undefined when the address is not paid
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readCsv } from "../../season/csv.js";
import { InputError } from "../../season/errors.js";
import { parseManifest, type ManifestJson } from "../../season/manifest.js";
import { POOL_KEYS, type Hex, type PoolKey } from "../../season/types.js";

/** The season directory is missing or malformed; the message says what to do. */
export class SeasonDirError extends Error {
  override name = "SeasonDirError";
}

export function loadManifest(seasonDir: string): ManifestJson {
  const path = join(seasonDir, "manifest.json");
  if (!existsSync(path)) {
    throw new SeasonDirError(`${path} not found: is ${seasonDir} a season directory? Build one with \`season build … --out <dir>\` (it writes <dir>/season-<n>/)`);
  }
  return parseManifest(readFileSync(path, "utf8"), path);
}

export interface ProofEntry {
  index: number;
  amount: bigint;
  proof: Hex[];
}

/** The address's entry in proofs/<first byte>.json, or undefined. `address` must be lower case. */
export function findProof(seasonDir: string, address: string): ProofEntry | undefined {
  const path = join(seasonDir, "proofs", `${address.slice(2, 4)}.json`);
  if (!existsSync(path)) throw new SeasonDirError(`${path} not found: the season directory is incomplete (rebuild it)`);
  const shard = JSON.parse(readFileSync(path, "utf8")) as Record<string, { index: number; amount: string; proof: Hex[] }>;
  const entry = Object.hasOwn(shard, address) ? shard[address] : undefined;
  return entry === undefined ? undefined : { index: entry.index, amount: BigInt(entry.amount), proof: entry.proof };
}

/** The pool columns of recipients.csv at `index` (line index + 2), read without splitting the whole file. */
export function recipientRow(seasonDir: string, index: number): { address: string; amount: bigint; pools: Record<PoolKey, bigint> } | undefined {
  const text = readFileSync(join(seasonDir, "recipients.csv"), "utf8");
  let start = text.indexOf("\n") + 1;
  for (let i = 0; i < index && start > 0; i++) start = text.indexOf("\n", start) + 1;
  if (start <= 0 || start >= text.length) return undefined;
  const end = text.indexOf("\n", start);
  const fields = text.slice(start, end === -1 ? undefined : end).split(",");
  if (Number(fields[0]) !== index) return undefined;
  const pools = {} as Record<PoolKey, bigint>;
  POOL_KEYS.forEach((key, k) => (pools[key] = BigInt(fields[3 + k]!)));
  return { address: fields[1]!, amount: BigInt(fields[2]!), pools };
}

export interface LeaderboardRow {
  rank: number;
  address: string;
  name: string;
  daysActive: number;
  /** Exact decimal, as written. */
  points: string;
  amount: bigint;
  /** Worker pools only. */
  hardware?: string;
}

const LEADERBOARD_COLUMNS = ["rank", "address", "name", "days_active", "points", "amount"];
const WORKER_POOLS: readonly PoolKey[] = ["relaxedWorkers", "fastWorkers"];

/** leaderboards/<pool>.csv, parsed with the project's one CSV reader. */
export function readLeaderboard(seasonDir: string, pool: PoolKey): LeaderboardRow[] {
  const path = join(seasonDir, "leaderboards", `${pool}.csv`);
  if (!existsSync(path)) throw new SeasonDirError(`${path} not found: the season directory is incomplete (rebuild it)`);
  const worker = WORKER_POOLS.includes(pool);
  const rows: LeaderboardRow[] = [];
  try {
    readCsv(readFileSync(path, "utf8"), path, worker ? [...LEADERBOARD_COLUMNS, "hardware"] : LEADERBOARD_COLUMNS, (fields) => {
      const [rank, address, name, days, points, amount, hardware] = fields as [string, string, string, string, string, string, string | undefined];
      rows.push({ rank: Number(rank), address, name, daysActive: Number(days), points, amount: BigInt(amount), ...(worker ? { hardware: hardware ?? "" } : {}) });
    });
  } catch (error) {
    if (error instanceof InputError || error instanceof SyntaxError) throw new SeasonDirError(`${path} is malformed (${error.message}): rebuild the season`);
    throw error;
  }
  return rows;
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
