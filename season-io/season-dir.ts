/**
 * The one reader of a season output directory (SPEC section 6): its
 * manifest (typed, with times as unix seconds), one address's proof, one
 * recipients.csv row, a leaderboard, the list of its files. The CLI
 * (`proof`, `leaderboard`, `verify`, `deploy`, `claim`), the page's server
 * and the demo all read a season through it; the formats themselves are
 * season/manifest.ts and season/season-files.ts.
 *
 * A damaged directory is refused with the file and what is wrong with it,
 * never a hang: only regular files are read (a FIFO, a device, a directory
 * or a symbolic link loop where a file belongs is named as such), and a
 * file is opened non-blocking and checked before anything is read from it.
 *
 * @example
 * const season = loadManifest("out/season-7");
 * const entry = findProof("out/season-7", "0xabc…"); // undefined when the address is not paid
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, type Stats } from "node:fs";
import { MAX_TEXT_BYTES, openRegularFile, readRegularFile } from "./regular-file.js";
import { decodeUtf8 } from "../season/text.js";
import { join } from "node:path";
import { normalizeAddress, type Address } from "../season/address.js";
import { InputError } from "../season/errors.js";
import { ManifestError, parseManifest, type ManifestJson } from "../season/manifest.js";
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

/**
 * The bytes of one file of a season directory: a regular file, or a
 * SeasonDirError naming it (missing, a FIFO, a device, a directory, a
 * symbolic link loop, unreadable, too long to read as one string).
 *
 * @example sha256Hex(readSeasonFile("out/season-7/inputs/users.csv"))
 */
export function readSeasonFile(path: string, what = "the season directory is damaged: rebuild it"): Buffer {
  return readRegularFile(path, { maxBytes: MAX_TEXT_BYTES, fail: (problem) => new SeasonDirError(`${path} ${problem}: ${what}`) });
}

/** {@link readSeasonFile} as UTF-8 text (season/text.ts's one decoder); text that is not UTF-8 is named. */
export function readSeasonText(path: string, what = "the season directory is damaged: rebuild it"): string {
  const bytes = readSeasonFile(path, what);
  try {
    return decodeUtf8(bytes, path);
  } catch (error) {
    if (error instanceof InputError) throw new SeasonDirError(`${error.message}: ${what}`);
    throw error;
  }
}

/** manifest.json of a season directory, checked by season/manifest.ts's parser. */
export function loadManifest(seasonDir: string): ManifestJson {
  const path = join(seasonDir, "manifest.json");
  const text = readSeasonText(path, `is ${seasonDir} a season directory? Build one with \`season build … --out <dir>\` (it writes <dir>/season-<n>/)`);
  try {
    return parseManifest(text, path);
  } catch (error) {
    if (error instanceof ManifestError) throw new SeasonDirError(error.message);
    throw error;
  }
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
  let entries: Map<string, ProofEntry>;
  try {
    entries = parseProofShard(readSeasonText(path, "the season directory is incomplete (rebuild it)"), path);
  } catch (error) {
    if (error instanceof InputError) throw new SeasonDirError(error.message);
    throw error;
  }
  // What a leaf needs beyond the shard's shape: a lower-case address key and an amount that fits a uint256.
  for (const [address, entry] of entries) {
    if (!/^0x[0-9a-f]{40}$/.test(address)) throw new SeasonDirError(`${path}: key ${JSON.stringify(address)} is not a lower-case address: rebuild the season`);
    if (entry.amount >= 2n ** 256n) throw new SeasonDirError(`${path}: ${address}: amount ${entry.amount} does not fit a uint256: rebuild the season`);
  }
  return entries;
}

/**
 * The recipients.csv row at `index` (line index + 2), reading only as much
 * of the file as it takes to reach that line; undefined past the last row,
 * SeasonDirError when that line is not a recipients.csv row.
 */
export function recipientRow(seasonDir: string, index: number): RecipientRow | undefined {
  const path = join(seasonDir, "recipients.csv");
  const { fd } = openRegularFile(path, (problem) => new SeasonDirError(`${path} ${problem}: the season directory is incomplete (rebuild it)`));
  const parse = (line: string): RecipientRow => {
    const row = parseRecipientLine(line);
    if (row === undefined) {
      throw new SeasonDirError(`${path}, line ${index + 2}: not a recipients.csv row (index,address,amount and 5 pool amounts in wei): rebuild the season`);
    }
    return row;
  };
  try {
    const chunk = Buffer.alloc(1 << 16);
    let line = -1; // the header is line -1, recipient i is line i
    let current = "";
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      let start = 0;
      for (let i = 0; i < read; i++) {
        if (chunk[i] !== 10) continue;
        if (line === index) return parse(current + chunk.toString("utf8", start, i));
        current = "";
        start = i + 1;
        line++;
      }
      if (line === index) current += chunk.toString("utf8", start, read);
    }
    return line === index && current !== "" ? parse(current) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** leaderboards/<pool>.csv, parsed with the project's one CSV reader. */
export function readLeaderboard(seasonDir: string, pool: PoolKey): LeaderboardRow[] {
  const path = join(seasonDir, "leaderboards", `${pool}.csv`);
  try {
    return parseLeaderboardCsv(readSeasonText(path, "the season directory is incomplete (rebuild it)"), path, pool);
  } catch (error) {
    if (error instanceof InputError) throw new SeasonDirError(`${error.message}: rebuild the season`);
    throw error;
  }
}

/**
 * Every file under `dir`, as paths relative to it with "/" separators, sorted.
 * Only real directories are walked: anything else (a FIFO, a symbolic link,
 * to a directory or in a loop) is listed as it stands, for the reader of
 * that path to refuse by name.
 *
 * @example listFiles("out/season-7") // ["inputs/jobs.csv", …, "manifest.json", "proofs/00.json", …]
 */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    let entries;
    try {
      entries = readdirSync(join(dir, relative), { withFileTypes: true });
    } catch (error) {
      throw new SeasonDirError(`${join(dir, relative)} cannot be listed (${(error as Error).message})`);
    }
    for (const entry of entries) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
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
