/**
 * The one reader of a season output directory (SPEC section 6): its
 * manifest (typed, with times as unix seconds), one address's proof, one
 * recipients.csv row, a leaderboard, the list of its files. The CLI
 * (`proof`, `leaderboard`, `verify`, `deploy`, `claim`), the page's server
 * and the demo all read a season through it; the formats themselves are
 * season/manifest.ts, season/season-files.ts and season/tree-file.ts.
 *
 * One address's proof and row are found without reading whole files
 * (season-io/lookup-files.ts): a binary search over recipients.csv's bytes
 * (sorted by address; by index for {@link recipientRow}), then, in a
 * formatVersion "3" directory, the proof's nodes read from tree.bin at
 * computed offsets and checked against the manifest's root before they are
 * returned (once per row while the files stay open); in a formatVersion "2"
 * one, the address's proofs/<xx>.json. The files stay open between lookups
 * (re-opened when they change).
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
import { existsSync, readdirSync } from "node:fs";
import { MAX_TEXT_BYTES, readRegularFile } from "./regular-file.js";
import { decodeUtf8 } from "../season/text.js";
import { join } from "node:path";
import { normalizeAddress, type Address } from "../season/address.js";
import { InputError } from "../season/errors.js";
import { leafHash, writeLeaf } from "../season/leaf.js";
import { ManifestError, parseManifest, type ManifestJson } from "../season/manifest.js";
import { parseLeaderboardCsv, parseProofShard, parseRecipientLine, RECIPIENTS_HEADER, recipientAmountsText, recipientAmountText, shardOf, type LeaderboardRow, type ProofEntry, type RecipientAmountsText, type RecipientRow } from "../season/season-files.js";
import { TREE_FILE } from "../season/tree-file.js";
import { verifyProof } from "../season/tree.js";
import { parseIsoTime } from "../season/time.js";
import { POOL_KEYS, type Hex, type PoolKey } from "../season/types.js";
import {
  cachedDirectory,
  closeDirectories,
  closeFiles,
  findAddressLine,
  findCheckedRow,
  findSortedLine,
  holdInMemory,
  lastLine,
  openLookupFile,
  openTreeFile,
  pathStamp,
  readAt,
  readTreeProof,
  VerifiedRows,
  type HeldInMemory,
  type InMemoryResult,
  type LookupFile,
  type OpenDirectory,
  type OpenTree,
} from "./lookup-files.js";

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

/**
 * The address's index, amount and Merkle proof, or undefined when it is not
 * a recipient; any case of address. formatVersion "3": its recipients.csv
 * row (binary search) and the proof's nodes from tree.bin, checked against
 * the manifest's root; "2": its entry in proofs/<first byte>.json. A
 * damaged directory is a SeasonDirError naming the file, never a proof
 * that does not verify.
 *
 * @example findProof("out/season-7", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8") // { index: 4, amount: 745818856836676312297n, proof: ["0x…", …] }
 */
export function findProof(seasonDir: string, address: string): ProofEntry | undefined {
  const lower = normalizeAddress(address);
  const season = openSeason(seasonDir);
  if (season.tree === undefined) return readProofs(join(seasonDir, "proofs", `${shardOf(lower)}.json`)).get(lower);
  return findRecipient(seasonDir, lower)?.proof;
}

/**
 * An address's recipients.csv row (its amount per pool) and its proof in
 * one lookup: formatVersion "3" finds the row once and reads the proof's
 * nodes from tree.bin; "2" reads the proof shard, then the row by index.
 * What the page's recipients route answers; undefined when the address is
 * not a recipient.
 *
 * @example findRecipient("out/season-7", "0x7099…79c8")?.row.pools.stakers
 */
export function findRecipient(seasonDir: string, address: string): { row: RecipientRow; proof: ProofEntry } | undefined {
  const lower = normalizeAddress(address);
  const season = openSeason(seasonDir);
  if (season.tree === undefined) {
    const proof = findProof(seasonDir, lower);
    if (proof === undefined) return undefined;
    const row = recipientRow(seasonDir, proof.index);
    if (row === undefined || row.address !== lower || row.amount !== proof.amount) {
      throw new SeasonDirError(`${season.recipients.path}: row ${proof.index} is not ${lower}'s (amount ${proof.amount}) as its proof shard says: the season directory is damaged (rebuild it)`);
    }
    return { row, proof };
  }
  const found = findRecipientLine(season, lower);
  if (found === undefined) return undefined;
  const { row, offset } = found;
  return { row, proof: { index: row.index, amount: row.amount, proof: treeProof(season, season.tree, row, offset) } };
}

/** An address's part of a season as the page answers it: amounts as decimal wei text, its leaf index and proof. */
export interface RecipientText extends RecipientAmountsText {
  index: number;
  proof: Hex[];
}

/**
 * {@link findRecipient}'s answer with the amounts as decimal wei text (what
 * the page's JSON shows): from a directory held in memory and checked whole,
 * the row's own text and the held tree's nodes, nothing parsed again;
 * otherwise findRecipient's, printed. Undefined when the address is not a
 * recipient.
 *
 * @example findRecipientText("out/season-7", "0x7099…79c8")?.pools.stakers // "745818856836676312297"
 */
export function findRecipientText(seasonDir: string, address: string): RecipientText | undefined {
  const lower = normalizeAddress(address);
  const season = openSeason(seasonDir);
  const held = findCheckedRow(season.recipients, season.tree, lower);
  if (held === null) return undefined;
  if (held !== undefined) return { index: held.row, ...recipientAmountsText(held.afterAddress), proof: readTreeProof(season.tree!, held.row, (problem) => new SeasonDirError(problem)) };
  const found = findRecipient(seasonDir, lower);
  if (found === undefined) return undefined;
  const pools = {} as Record<PoolKey, string>;
  for (const pool of POOL_KEYS) pools[pool] = found.row.pools[pool].toString();
  return { index: found.proof.index, amount: found.proof.amount.toString(), pools, proof: found.proof.proof };
}

/**
 * What `address` earned in the season, as decimal wei text, or undefined when
 * it is not a recipient: {@link recipientByAddress}'s amount, from the held
 * row's text when the directory is held in memory and checked.
 *
 * @example recipientAmount("out/season-7", "0x7099…79c8") // "745818856836676312297"
 */
export function recipientAmount(seasonDir: string, address: string): string | undefined {
  const lower = normalizeAddress(address);
  const season = openSeason(seasonDir);
  const held = findCheckedRow(season.recipients, season.tree, lower);
  if (held === null) return undefined;
  if (held !== undefined) return recipientAmountText(held.afterAddress);
  return findRecipientRow(season, lower)?.amount.toString();
}

/** Every entry of one proof shard file (formatVersion "2"). */
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
 * The recipients.csv row at `index`, found by binary search on the index
 * column (a few small reads); undefined past the last row, SeasonDirError
 * when a line it reads is not a recipients.csv row.
 *
 * @example recipientRow("out/season-7", 4)?.pools.artists
 */
export function recipientRow(seasonDir: string, index: number): RecipientRow | undefined {
  const season = openSeason(seasonDir);
  if (!Number.isSafeInteger(index) || index < 0 || index >= season.recipientCount) return undefined;
  const { recipients } = season;
  if (recipients.damage !== undefined) throw recipients.damage;
  const line = findSortedLine(
    recipients,
    season.dataStart,
    (text, offset) => {
      const comma = text.indexOf(",");
      const field = comma === -1 ? "" : text.slice(0, comma);
      if (!/^(0|[1-9]\d{0,14})$/.test(field)) throw notARow(recipients.path, offset);
      return Number(field) - index;
    },
    (offset, problem) => damagedAt(recipients.path, offset, problem),
  );
  return line === undefined ? undefined : recipientFromLine(recipients.path, line.line, line.offset);
}

/**
 * The recipients.csv row of `address` (any case), found by binary search
 * over the file's bytes (it is sorted by lower-case address); undefined when
 * the address is not a recipient.
 *
 * @example recipientByAddress("out/season-7", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")?.amount
 */
export function recipientByAddress(seasonDir: string, address: string): RecipientRow | undefined {
  return findRecipientRow(openSeason(seasonDir), normalizeAddress(address));
}

/**
 * Opens the season directory for lookups and resolves when its
 * recipients.csv and tree.bin are held in memory and checked, or why they
 * are not (season-io/lookup-files.ts holdInMemory: only in a process that
 * allows it, holdLookupsInMemory). A server calls it at start for what it
 * serves; lookups never wait for it.
 *
 * @example await holdSeasonInMemory("out/season-7") // "held"
 */
export function holdSeasonInMemory(seasonDir: string): Promise<InMemoryResult> {
  return openSeason(seasonDir).memory?.done ?? Promise.resolve("old format");
}

/** Lets go of every season directory held open for lookups (a server stopping, a test cleaning up). */
export function closeSeasonLookups(): void {
  closeDirectories(openSeasons);
}

// ---- lookups ----------------------------------------------------------------

/** A season directory held open for lookups: its manifest, recipients.csv and (formatVersion "3") tree.bin. */
interface OpenSeason {
  dir: string;
  manifest: ManifestJson;
  recipientCount: number;
  recipients: LookupFile;
  /** Where recipients.csv's rows start (after the header line). */
  dataStart: number;
  /** formatVersion "3" on; undefined for a directory with proofs/<xx>.json. */
  tree: OpenTree | undefined;
  /** The recipients.csv rows whose proof from tree.bin was checked against the root. */
  verified: VerifiedRows;
  /** recipients.csv's keys and tree.bin being read into memory (formatVersion "3"). */
  memory: HeldInMemory | undefined;
}

const openSeasons = new Map<string, OpenDirectory<OpenSeason>>();

function openSeason(seasonDir: string): OpenSeason {
  return cachedDirectory(openSeasons, seasonDir, () => {
    const manifestPath = join(seasonDir, "manifest.json");
    const manifestStamp = pathStamp(manifestPath);
    const manifest = loadManifest(seasonDir);
    const opened: LookupFile[] = [];
    try {
      const recipients = openSeasonFile(join(seasonDir, "recipients.csv"));
      opened.push(recipients);
      const dataStart = checkRecipientsEnds(recipients, manifest.recipients);
      let tree: OpenTree | undefined;
      if (manifest.formatVersion !== "2") {
        const file = openSeasonFile(join(seasonDir, TREE_FILE));
        opened.push(file);
        tree = openTreeFile(file, manifest.recipients, manifest.merkleRoot as Hex, (problem) => new SeasonDirError(`${problem}: the season directory is damaged (rebuild it, or run \`sogni-season verify\` on it)`));
      }
      const memory = tree === undefined ? undefined : holdInMemory({ file: recipients, dataStart, count: manifest.recipients, tree, writeLeaf: (out, line) => writeRowLeaf(out, line), damaged: (offset, problem) => damagedAt(recipients.path, offset, problem) });
      return {
        value: { dir: seasonDir, manifest, recipientCount: manifest.recipients, recipients, dataStart, tree, verified: new VerifiedRows(tree === undefined ? 0 : manifest.recipients, recipients.size), memory },
        watched: [{ path: manifestPath, stamp: manifestStamp }, ...opened.map((file) => ({ path: file.path, stamp: file.stamp }))],
        close: () => {
          memory?.release();
          closeFiles(...opened);
        },
      };
    } catch (error) {
      closeFiles(...opened);
      throw error;
    }
  });
}

function openSeasonFile(path: string): LookupFile {
  return openLookupFile(path, (problem) => new SeasonDirError(`${path} ${problem}: the season directory is incomplete (rebuild it)`));
}

/**
 * recipients.csv's first and last lines, checked once when it is opened:
 * the header, and a last row (ending in a newline) whose index is the
 * manifest's recipient count - 1, so a truncated file is named at once
 * rather than answering "not a recipient". Returns where the rows start.
 */
function checkRecipientsEnds(file: LookupFile, count: number): number {
  const header = `${RECIPIENTS_HEADER.join(",")}\n`;
  const damaged = (what: string): SeasonDirError =>
    new SeasonDirError(`${file.path}: ${what}, the manifest says ${count} recipients: the file is truncated or damaged (rebuild the season, or run \`sogni-season verify\` on it)`);
  if (readAt(file, 0, header.length).toString("latin1") !== header) throw new SeasonDirError(`${file.path}: the first line is not "${header.trim()}": rebuild the season`);
  if (count === 0) {
    if (file.size !== header.length) throw damaged("it has rows");
    return header.length;
  }
  const end = lastLine(file, header.length);
  if ("problem" in end) throw damaged(end.problem);
  const last = parseRecipientLine(end.text);
  if (last === undefined) throw damaged(`its last line (byte ${end.offset}) is not a recipients.csv row`);
  if (last.index !== count - 1) throw damaged(`its last row has index ${last.index}`);
  return header.length;
}

/**
 * The proof of `row` from tree.bin, checked against the manifest's root: a proof that does not verify is
 * a SeasonDirError, never an answer. Checked once per row (at `offset`) while the directory stays open ({@link OpenSeason.verified}).
 */
function treeProof(season: OpenSeason, tree: OpenTree, row: RecipientRow, offset: number): Hex[] {
  const root = season.manifest.merkleRoot as Hex;
  if (row.index >= season.recipientCount) {
    throw new SeasonDirError(`${season.recipients.path}: ${row.address} has index ${row.index}, past the manifest's ${season.recipientCount} recipients: the season directory is damaged (rebuild it)`);
  }
  const proof = readTreeProof(tree, row.index, (problem) => new SeasonDirError(problem));
  if (tree.checked === true || season.verified.has(row.index, offset)) return proof; // the held tree was checked whole, or this row once
  if (!verifyProof(leafHash(row.index, row.address, row.amount), proof, root)) {
    throw new SeasonDirError(
      `${season.dir}: the leaf of ${row.address}'s recipients.csv row (index ${row.index}, amount ${row.amount}) and its proof read from ${TREE_FILE} do not lead to the manifest's merkleRoot ${root}: recipients.csv or ${TREE_FILE} is damaged (rebuild the season, or run \`sogni-season verify ${season.dir}\`)`,
    );
  }
  season.verified.add(row.index, offset);
  return proof;
}

function findRecipientRow(season: OpenSeason, address: string): RecipientRow | undefined {
  return findRecipientLine(season, address)?.row;
}

/** The recipients.csv row of `address` (lower case) and the byte offset of its line. */
function findRecipientLine(season: OpenSeason, address: string): { row: RecipientRow; offset: number } | undefined {
  const { recipients } = season;
  const line = findAddressLine(recipients, season.dataStart, 1, address, (offset, problem) => damagedAt(recipients.path, offset, problem));
  return line === undefined ? undefined : { row: recipientFromLine(recipients.path, line.line, line.offset), offset: line.offset };
}

function recipientFromLine(path: string, line: string, offset: number): RecipientRow {
  const row = parseRecipientLine(line);
  if (row === undefined) throw notARow(path, offset);
  return row;
}

/** The SPEC 5 leaf of a recipients.csv line, into `out` (for a held tree's check); or why the line is not a row. */
function writeRowLeaf(out: Uint8Array, line: string): string | undefined {
  const row = parseRecipientLine(line);
  if (row === undefined) return "not a recipients.csv row (index,address,amount and 5 pool amounts in wei)";
  try {
    writeLeaf(out, 0, row.index, row.address, row.amount);
  } catch (error) {
    return (error as Error).message; // an amount past a uint256
  }
  return undefined;
}

function damagedAt(path: string, offset: number, problem: string): SeasonDirError {
  return new SeasonDirError(`${path}, byte ${offset}: ${problem}: the season directory is damaged (rebuild it)`);
}

function notARow(path: string, offset: number): SeasonDirError {
  return damagedAt(path, offset, "not a recipients.csv row (index,address,amount and 5 pool amounts in wei)");
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
 * @example listFiles("out/season-7") // ["inputs/jobs.csv", …, "manifest.json", "onchain.json", "recipients.csv", "rejected.csv", "tree.bin"]
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
