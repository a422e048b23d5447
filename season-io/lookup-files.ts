// season-io/: the edge of a build: input files, the season directory (written atomically, read back), threads.
// Imports season/ and chain/. See docs/architecture.md.
/**
 * One address's answer from the big sorted files of a season or publication
 * directory (recipients.csv, balances.csv, tree.bin) without reading them:
 * a server answering thousands of requests a second keeps each file open
 * between lookups ({@link cachedDirectory}: re-opened when the path's file
 * changes, another inode, size or modification time; a server checks that at
 * most every {@link recheckLookupsEvery} ms), and a lookup reads a
 * few small windows at computed offsets ({@link readAt}, {@link findSortedLine}),
 * synchronously: each read is a few kilobytes, microseconds, never a whole
 * file on the event loop.
 *
 * A server may also hold a directory in memory ({@link holdInMemory}, up to
 * what {@link holdLookupsInMemory} allows): its sorted CSV, compacted, and
 * its whole tree.bin, read and checked in the background, a chunk per turn
 * of the event loop. Lookups then read nothing ({@link findAddressLine},
 * {@link readTreeProof}), and once the held tree is checked whole they skip
 * checking each proof. A CLI process holds nothing.
 *
 * @example
 * const file = openLookupFile("out/season-7/recipients.csv", (problem) => new Error(problem));
 * const found = findSortedLine(file, headerBytes, (line, at) => compareAddressField(line, 1, target, (problem) => damaged(at, problem)), damaged);
 */
import { closeSync, fstatSync, read, readSync, statSync, type Stats } from "node:fs";
import { promisify } from "node:util";
import { resolve } from "node:path";
import { isLowerAddress } from "../season/address.js";
import { hex32 } from "../season/hex.js";
import { compare32, hashPairInto } from "../season/keccak.js";
import { NODE_BYTES, proofFromTreeFile, rootOffset, TREE_FILE, treeFileLayout, type TreeFileLayout } from "../season/tree-file.js";
import type { Hex } from "../season/types.js";
import { openRegularFile } from "./regular-file.js";

const readAsync = promisify(read);

/** A file kept open for lookups. */
export interface LookupFile {
  path: string;
  fd: number;
  size: number;
  /** The file as opened: device, inode, size and modification time. */
  stamp: string;
  /**
   * {@link findSortedLine}'s first probes, kept: every search of a file starts with the same
   * probe, then one of two, … so the first levels of its search tree come from memory.
   */
  probes: Map<number, ProbedLine | null>;
  /** The file's rows, once {@link holdInMemory} has read them: a server's lookups then read nothing. */
  rows?: HeldRows;
  /** What {@link holdInMemory} found wrong with the file: every lookup of it throws this. */
  damage?: Error;
}

/** A line read by a probe: where it starts, its text, where the next one starts. */
interface ProbedLine {
  start: number;
  text: string;
  end: number;
}

function stampOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/** The stamp of what `path` names now; undefined when it cannot be stat'ed (missing, a loop). */
export function pathStamp(path: string): string | undefined {
  try {
    return stampOf(statSync(path));
  } catch {
    return undefined;
  }
}

/** Opens a regular file for lookups (season-io/regular-file.ts: a FIFO or a directory is refused by `fail`, never waited on). */
export function openLookupFile(path: string, fail: (problem: string) => Error): LookupFile {
  const { fd, size } = openRegularFile(path, fail);
  return { path, fd, size, stamp: stampOf(fstatSync(fd)), probes: new Map() };
}

/** `length` bytes at `position` (fewer at the end of the file): one positional read, nothing else moves. */
export function readAt(file: LookupFile, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(length, file.size - position)));
  let got = 0;
  while (got < bytes.length) {
    const read = readSync(file.fd, bytes, got, bytes.length - got, position + got);
    if (read === 0) break; // shorter than when it was opened: the caller's checks name it
    got += read;
  }
  return got === bytes.length ? bytes : bytes.subarray(0, got);
}

/** What an open directory holds, the files whose change makes it stale, and how to let it go. */
export interface OpenDirectory<T> {
  value: T;
  /** Each path and its stamp when it was read or opened: a different stamp now means re-open. */
  watched: { path: string; stamp: string | undefined }[];
  close(): void;
  /** performance.now() when the watched files were last found unchanged (set by {@link cachedDirectory}). */
  checkedAt?: number;
}

/** How long a directory's watched files are trusted without a stat: 0 (every lookup) unless a server sets it. */
let recheckMs = 0;

/**
 * Lets a long-running server stat a directory's watched files at most once
 * per `ms` (the page's server: 250), rather than on every lookup: thousands
 * of lookups a second then cost a few stats a second, and a rebuild still
 * shows within `ms`. 0, the default, checks on every lookup (a CLI process,
 * a test that rewrites a directory and reads it at once).
 *
 * @example recheckLookupsEvery(250);
 */
export function recheckLookupsEvery(ms: number): void {
  if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`recheckLookupsEvery: ${ms} is not a number of milliseconds ≥ 0`);
  recheckMs = ms;
}

/** At most this many directories stay open per cache (two or three descriptors each); the least recently used (as of its last check) goes first. */
const OPEN_DIRECTORIES = 64;

/**
 * The open form of `dir` from `cache`, or a fresh one from `open()` when
 * there is none yet or a watched file changed (the old one is closed). An
 * `open()` that throws leaves nothing cached: the next lookup tries again.
 * A lookup costs one stat per watched file, or none when they were found
 * unchanged less than {@link recheckLookupsEvery}'s interval ago.
 *
 * @example const season = cachedDirectory(openSeasons, "out/season-7", () => openSeason("out/season-7"));
 */
export function cachedDirectory<T>(cache: Map<string, OpenDirectory<T>>, dir: string, open: () => OpenDirectory<T>): T {
  const key = resolvedDir(dir);
  const cached = cache.get(key);
  if (cached !== undefined) {
    const now = performance.now();
    if (now - (cached.checkedAt ?? -Infinity) < recheckMs) return cached.value; // trusted (never with recheckMs 0); its place in the order kept till the next check
    cache.delete(key);
    if (cached.watched.every((file) => pathStamp(file.path) === file.stamp)) {
      cached.checkedAt = now;
      cache.set(key, cached); // most recently used (or checked) last
      return cached.value;
    }
    cached.close();
  }
  const fresh = open();
  fresh.checkedAt = performance.now();
  cache.set(key, fresh);
  for (const [oldest, entry] of cache) {
    if (cache.size <= OPEN_DIRECTORIES) break;
    cache.delete(oldest);
    entry.close();
  }
  return fresh.value;
}

/** Directories as given → as resolved (the cache's key): resolving is most of a cached lookup's cost otherwise. */
const resolvedDirs = new Map<string, string>();

/** `dir` resolved against the working directory when first seen (a server's directories are few and fixed). */
function resolvedDir(dir: string): string {
  let key = resolvedDirs.get(dir);
  if (key === undefined) {
    key = resolve(dir);
    if (resolvedDirs.size >= 4 * OPEN_DIRECTORIES) resolvedDirs.clear();
    resolvedDirs.set(dir, key);
  }
  return key;
}

/** Closes every directory of `cache` (a server shutting down, a test cleaning up). */
export function closeDirectories<T>(cache: Map<string, OpenDirectory<T>>): void {
  for (const entry of cache.values()) entry.close();
  cache.clear();
}

/** Closes descriptors, ignoring ones already closed. */
export function closeFiles(...files: (LookupFile | undefined)[]): void {
  for (const file of files) {
    if (file === undefined) continue;
    try {
      closeSync(file.fd);
    } catch {
      // already closed
    }
  }
}

/** The first window a probe reads; longer lines double it, up to {@link MAX_LINE_BYTES}. */
const WINDOW_BYTES = 1024;
/** A line longer than this is not a line of these files: damage. */
export const MAX_LINE_BYTES = 1 << 16;
/** Below this many candidate bytes the search reads them at once and scans. */
const SCAN_BYTES = 2 * 1024;
/** Probes of the first this many steps of a search are kept ({@link LookupFile.probes}): at most 4,095 lines. */
const KEPT_PROBE_STEPS = 12;
const NEWLINE = 10;

/**
 * Binary search over the lines of a file sorted by some key, reading only
 * windows around its probes: `compare(line)` says whether the line's key is
 * before (< 0), at (0) or after (> 0) the one sought, and throws when the
 * line is not a row. Lines start at `dataStart` (after the header) and end
 * with "\n" (the last one may not). Returns the matching line (without its
 * newline) and its byte offset, or undefined when no line matches. A line over
 * {@link MAX_LINE_BYTES} is `damaged(offset, problem)`.
 *
 * @example
 * const damaged = (offset: number, problem: string) => new Error(`recipients.csv, byte ${offset}: ${problem}`);
 * findSortedLine(file, 79, (line, at) => compareAddressField(line, 1, "0xabc…", (problem) => damaged(at, problem)), damaged)?.line
 */
export function findSortedLine(
  file: LookupFile,
  dataStart: number,
  compare: (line: string, offset: number) => number,
  damaged: (offset: number, problem: string) => Error,
): { line: string; offset: number } | undefined {
  /** The first line starting at or after `from` (a line start is `dataStart` or follows "\n"), read whole: its start, text and end (past its newline); undefined when none starts before `before`. */
  const lineFrom = (from: number, before: number): ProbedLine | undefined => {
    const origin = from === dataStart ? from : from - 1; // read the byte before: is `from` itself a line start?
    for (let window = WINDOW_BYTES; ; window *= 2) {
      const bytes = readAt(file, origin, window);
      let start = 0;
      if (origin !== from) {
        const newline = bytes.indexOf(NEWLINE);
        if (newline === -1) {
          if (origin + bytes.length >= file.size) return undefined; // no line starts after `from`
          if (window >= MAX_LINE_BYTES) throw damaged(from, `no line end within ${MAX_LINE_BYTES} bytes`);
          continue;
        }
        start = newline + 1;
      }
      if (origin + start >= before) return undefined;
      const end = bytes.indexOf(NEWLINE, start);
      if (end === -1 && origin + bytes.length < file.size) {
        if (window >= MAX_LINE_BYTES) throw damaged(origin + start, `a line longer than ${MAX_LINE_BYTES} bytes`);
        continue;
      }
      const stop = end === -1 ? bytes.length : end;
      return { start: origin + start, text: bytes.toString("latin1", start, stop), end: origin + (end === -1 ? bytes.length : end + 1) };
    }
  };

  // Candidates: lines that start in [low, high).
  let low = dataStart;
  let high = file.size;
  for (let step = 0; low < high; step++) {
    if (high - low <= SCAN_BYTES) {
      // Few bytes left: read them (and the end of the last line) at once and scan.
      const bytes = readAt(file, low, high - low + WINDOW_BYTES);
      for (let start = 0; low + start < high; ) {
        const end = bytes.indexOf(NEWLINE, start);
        if (end === -1 && low + bytes.length < file.size) {
          // The last candidate runs past what was read: read it alone.
          const line = lineFrom(low + start, high);
          return line !== undefined && compare(line.text, line.start) === 0 ? { line: line.text, offset: line.start } : undefined;
        }
        const text = bytes.toString("latin1", start, end === -1 ? bytes.length : end);
        const order = compare(text, low + start);
        if (order === 0) return { line: text, offset: low + start };
        if (order > 0 || end === -1) return undefined;
        start = end + 1;
      }
      return undefined;
    }
    const middle = low + Math.floor((high - low) / 2);
    let line: ProbedLine | undefined;
    if (step < KEPT_PROBE_STEPS) {
      // The first line from `middle` is always the same: keep it (null: none starts after it).
      let kept = file.probes.get(middle);
      if (kept === undefined) file.probes.set(middle, (kept = lineFrom(middle, file.size) ?? null));
      line = kept !== null && kept.start < high ? kept : undefined;
    } else line = lineFrom(middle, high);
    if (line === undefined) {
      high = middle; // no line starts in [middle, high)
      continue;
    }
    const order = compare(line.text, line.start);
    if (order === 0) return { line: line.text, offset: line.start };
    if (order < 0) low = line.end;
    else high = line.start;
  }
  return undefined;
}

/**
 * The last line of a sorted CSV whose rows start at `dataStart` and each end
 * with "\n", read once when the file is opened (a truncated file is then
 * named at once, not answered "not listed"): its text (without the newline)
 * and byte offset, or what is wrong with the file's end.
 *
 * @example const last = lastLine(file, header.length); if ("problem" in last) throw damaged(last.problem);
 */
export function lastLine(file: LookupFile, dataStart: number): { text: string; offset: number } | { problem: string } {
  const tailStart = Math.max(dataStart, file.size - MAX_LINE_BYTES);
  const tail = readAt(file, tailStart, file.size - tailStart).toString("latin1");
  if (!tail.endsWith("\n")) return { problem: "it does not end with a newline" };
  const lastStart = tail.lastIndexOf("\n", tail.length - 2) + 1;
  if (lastStart === 0 && tailStart !== dataStart) return { problem: "its last line is too long" };
  return { text: tail.slice(lastStart, -1), offset: tailStart + lastStart };
}

/**
 * Compares the lower-case address in field `field` (0-based, comma
 * separated) of a sorted CSV line with `address` (lower case): for
 * {@link findSortedLine}. Throws `damaged` when that field is not one.
 *
 * @example compareAddressField("3,0x70997970c51812dc3a010c7d01b50e0d17dc79c8,5,…", 1, "0x9965…", (problem) => new Error(problem)) // < 0
 */
export function compareAddressField(line: string, field: number, address: string, damaged: (problem: string) => Error): number {
  let start = 0;
  for (let k = 0; k < field; k++) {
    const comma = line.indexOf(",", start);
    if (comma === -1) throw damaged(`not a row: fewer than ${field + 2} fields`);
    start = comma + 1;
  }
  const found = line.slice(start, start + 42);
  if (line.charCodeAt(start + 42) !== 44 || !isLowerAddress(found)) throw damaged(`field ${field + 1} is not a lower-case address`);
  return found < address ? -1 : found > address ? 1 : 0;
}

/**
 * The line of a sorted CSV (rows from `dataStart`, sorted by the lower-case
 * address in field `field`) whose address is `address` (lower case), and its
 * byte offset: from memory once {@link holdInMemory} holds the file (a
 * search over 20-byte keys, no read), else {@link findSortedLine} over the
 * file's bytes. Undefined when no row has it; a damaged line is
 * `damaged(offset, problem)`, and so is every lookup of a file
 * {@link holdInMemory} found damaged.
 *
 * @example findAddressLine(recipients, 79, 1, "0x7099…79c8", damaged)?.line // "4,0x7099…79c8,745818856836676312297,…"
 */
export function findAddressLine(
  file: LookupFile,
  dataStart: number,
  field: number,
  address: string,
  damaged: (offset: number, problem: string) => Error,
): { line: string; offset: number } | undefined {
  if (file.damage !== undefined) throw file.damage;
  const { rows } = file;
  if (rows === undefined) return findSortedLine(file, dataStart, (line, at) => compareAddressField(line, field, address, (problem) => damaged(at, problem)), damaged);
  if (!isLowerAddress(address)) return undefined;
  const row = heldRowOf(rows, address);
  return row === undefined ? undefined : { line: heldLine(rows, row, address), offset: rows.starts[row]! };
}

/**
 * `address`'s row of a file {@link holdInMemory} holds and has checked whole
 * with `tree` (every row read by its format's parser, every leaf its row's):
 * the row's index and its line's text after the address (",<rest>"), which
 * the caller may read without checking it again. null when the file has no
 * such row; undefined when it is not held and checked (yet, or at all, as
 * a directory of an older format without `tree`): the
 * caller then reads the file ({@link findAddressLine}). Throws what
 * {@link holdInMemory} found damaged.
 *
 * @example const held = findCheckedRow(recipients, tree, "0x7099…79c8"); // { row: 4, afterAddress: ",745818856836676312297,…" }
 */
export function findCheckedRow(file: LookupFile, tree: OpenTree | undefined, address: string): { row: number; afterAddress: string } | null | undefined {
  if (file.damage !== undefined) throw file.damage;
  const { rows } = file;
  if (rows === undefined || tree?.checked !== true) return undefined;
  const row = isLowerAddress(address) ? heldRowOf(rows, address) : undefined;
  return row === undefined ? null : { row, afterAddress: rows.tails.toString("latin1", rows.tailStarts[row]!, rows.tailStarts[row + 1]!) };
}

// ---- held in memory -----------------------------------------------------------------

/**
 * A sorted CSV whose rows are "<index>,<address>,<rest>" (row r has index r),
 * held by {@link holdInMemory} in a compact form: each row's address as 20
 * bytes, the rest of its line as text, where its line starts in the file.
 * About 30 bytes a row less than the file: with its tree, 134 MB for a
 * million recipients.csv rows, 126 MB for a million balances.csv rows.
 */
export interface HeldRows {
  /** Row r's address: the 20 bytes at 20·r, ascending. */
  keys: Buffer;
  /** The rows whose address's first {@link HeldRows.bucketBits} bits are b: buckets[b] up to buckets[b + 1] (exclusive). */
  buckets: Uint32Array;
  /** 0 to 16: about 16 rows a bucket. */
  bucketBits: number;
  /** Row r's line after its address (",<rest>", without the newline): tails[tailStarts[r] … tailStarts[r + 1]). */
  tails: Buffer;
  tailStarts: Uint32Array | Float64Array;
  /** Row r's line's byte offset in the file (VerifiedRows and messages name rows by it). */
  starts: Uint32Array | Float64Array;
}

/** {@link HeldRows.bucketBits} for `count` rows: about 16 rows a bucket, at most 65,536 buckets. */
function bucketBitsFor(count: number): number {
  return Math.max(0, Math.min(16, Math.ceil(Math.log2(count + 1)) - 4));
}

/** The held row whose address is `address` (lower-case 0x hex), or undefined: its bucket, then a binary search comparing the bytes as numbers. */
function heldRowOf(rows: HeldRows, address: string): number | undefined {
  const { keys } = rows;
  // The address as four numbers, each exact in a double: bytes 0-5, 6-11, 12-15 and 16-19.
  const first = parseInt(address.slice(2, 14), 16);
  const second = parseInt(address.slice(14, 26), 16);
  const third = parseInt(address.slice(26, 34), 16);
  const fourth = parseInt(address.slice(34, 42), 16);
  const bucket = Math.floor(first / 2 ** (48 - rows.bucketBits));
  let low = rows.buckets[bucket]!;
  let high = rows.buckets[bucket + 1]!;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = 20 * middle;
    let order = keys.readUIntBE(at, 6) - first;
    if (order === 0) order = keys.readUIntBE(at + 6, 6) - second;
    if (order === 0) order = keys.readUInt32BE(at + 12) - third;
    if (order === 0) order = keys.readUInt32BE(at + 16) - fourth;
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return undefined;
}

/** Held row r's line, as the file has it (without its newline); `address` is the row's, as {@link heldRowOf} found it. */
function heldLine(rows: HeldRows, row: number, address: string): string {
  return `${row},${address}${rows.tails.toString("latin1", rows.tailStarts[row]!, rows.tailStarts[row + 1]!)}`;
}

/** How many bytes of rows and trees the process may hold in memory (0, the default: none; a server sets it). */
let memoryBudget = 0;
/** Bytes reserved by directories held (or being read) now. */
let memoryHeld = 0;

/**
 * Lets a long-running server hold up to `bytes` of its directories' lookup
 * data in memory ({@link holdInMemory}: the sorted CSV, compacted, and
 * tree.bin, about 134 MB for a million recipients). 0, the default, holds
 * nothing: a CLI process reads what one lookup needs and exits.
 *
 * @example holdLookupsInMemory(512 * 1024 * 1024);
 */
export function holdLookupsInMemory(bytes: number): void {
  if (!(bytes >= 0 && Number.isFinite(bytes))) throw new RangeError(`holdLookupsInMemory: ${bytes} is not a number of bytes ≥ 0`);
  memoryBudget = bytes;
}

/** What {@link holdLookupsInMemory} allows and what is held now, in bytes. */
export function lookupMemory(): { budget: number; held: number } {
  return { budget: memoryBudget, held: memoryHeld };
}

/**
 * How {@link holdInMemory} ended: held, over the budget (lookups read the files), the file found damaged, or let go
 * before the end (the directory changed or was closed); "old format" for a directory without tree.bin (never held).
 */
export type InMemoryResult = "held" | "over budget" | "damaged" | "let go" | "old format";

/** A directory's files being read into memory: `done` when they are (never rejects); `release()` lets them go. */
export interface HeldInMemory {
  done: Promise<InMemoryResult>;
  release(): void;
}

/** What {@link holdInMemory} reads: a sorted CSV whose rows start with their index (row r: "r,<address>,…") and its tree. */
export interface InMemoryPlan {
  /** recipients.csv or (format "2") balances.csv, sorted by the address in field 2. */
  file: LookupFile;
  dataStart: number;
  /** Rows the manifest says the file has. */
  count: number;
  tree: OpenTree;
  /** Writes the leaf (SPEC 5 or 8.2) of a row, read by the file's own row parser, into `out`; or says why the line is not a row. */
  writeLeaf(out: Uint8Array, line: string): string | undefined;
  /** The caller's error for a damaged line at byte `offset`. */
  damaged: (offset: number, problem: string) => Error;
}

/** Reads of this many bytes, one per turn of the event loop (checking a chunk's rows is a few milliseconds of work). */
const MEMORY_CHUNK_BYTES = 1 << 20;

/** The bytes of rows 0 … count - 1's "<index>,<address>," and newline, which the compact form leaves out of its tails. */
function droppedBytes(count: number): number {
  let digits = 0;
  for (let width = 1, low = 0, high = 10; low < count; width++, low = high, high *= 10) digits += width * (Math.min(count, high) - low);
  return digits + 44 * count;
}

/** What {@link holdInMemory} would hold for `plan`: its sizes in bytes, and the sum. */
function memoryCost(plan: InMemoryPlan): { tails: number; total: number } {
  const tails = plan.file.size - plan.dataStart - droppedBytes(plan.count);
  const offsetBytes = plan.file.size < 2 ** 32 ? 4 : 8;
  return { tails, total: 20 * plan.count + 4 * (2 ** bucketBitsFor(plan.count) + 1) + Math.max(0, tails) + 2 * offsetBytes * (plan.count + 1) + plan.tree.layout.bytes };
}

/**
 * Reads a directory's sorted CSV (compacted: {@link HeldRows}) and whole
 * tree.bin into memory in the background, a chunk per turn of the event
 * loop (never blocking it for long), when they fit in what
 * {@link holdLookupsInMemory} allows: until `done`, lookups read the files;
 * after, {@link findAddressLine} and {@link readTreeProof} answer from
 * memory, no read at all. Holding checks every row (its index is its
 * position, its address lower case and after the one before, as many rows
 * as the manifest says) and that the tree's last bytes are those checked at
 * opening, then the whole held tree against the rows ({@link checkHeldTree}),
 * after which proofs are answered unchecked ({@link OpenTree.checked}); a
 * damaged file makes every later lookup of it throw `damaged(offset, problem)`.
 *
 * @example const held = holdInMemory({ file, dataStart, count, tree, writeLeaf, damaged }); await held.done; // "held"
 */
export function holdInMemory(plan: InMemoryPlan): HeldInMemory {
  const cost = memoryCost(plan);
  if (memoryBudget === 0 || memoryHeld + cost.total > memoryBudget) return { done: Promise.resolve("over budget"), release: () => {} };
  memoryHeld += cost.total;
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    memoryHeld -= cost.total;
  };
  const damaged = (offset: number, problem: string): "damaged" => {
    release();
    plan.file.damage = plan.damaged(offset, problem);
    return "damaged";
  };
  const done = (async (): Promise<InMemoryResult> => {
    try {
      if (cost.tails < 0) return damaged(plan.dataStart, `${plan.file.size} bytes are too few for the manifest's ${plan.count} rows`);
      const { tree } = plan;
      const whole = await readWhole(tree.file, () => held);
      if (!held) return "let go";
      if (whole === undefined || !whole.subarray(tree.topStart).equals(tree.top)) return damaged(0, `${tree.file.path} changed since it was opened (its last bytes differ): ask again`);
      const rows = await readRows(plan, cost.tails, () => held);
      if (!held) return "let go";
      if ("problem" in rows) return damaged(rows.offset, rows.problem);
      tree.whole = whole;
      plan.file.rows = rows;
      // Lookups answer from memory from here on; once every node is checked they skip checking each proof.
      const problem = await checkHeldTree(plan, rows, whole, () => held);
      if (!held) return "let go";
      if (problem !== undefined) {
        tree.whole = undefined;
        plan.file.rows = undefined;
        return damaged(problem.offset, problem.problem);
      }
      tree.checked = true;
      return "held";
    } catch (error) {
      if (!held) return "let go"; // its descriptor was closed under the read
      return damaged(0, `it could not be read into memory (${(error as Error).message})`);
    }
  })();
  return { done, release };
}

/** Reads up to `length` bytes at `position` into `into` (from its start), in turns; the count read (less at the file's end). */
async function readChunk(file: LookupFile, into: Buffer, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await readAsync(file.fd, into, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Nodes hashed (or leaves made) per turn of the event loop while a held tree is checked: a few milliseconds. */
const NODES_PER_TURN = 4096;

/**
 * Checks the held tree.bin against the held rows, {@link NODES_PER_TURN}
 * nodes a turn (about 3 million keccaks for a million rows: seconds, once,
 * instead of 20 per proof on every first lookup): every leaf is its row's,
 * every node the hash of its two children (an odd last one carried up); the
 * root was checked against the manifest when the file was opened. Returns
 * where tree.bin (or a row) is damaged, or undefined.
 */
async function checkHeldTree(plan: InMemoryPlan, rows: HeldRows, whole: Buffer, holding: () => boolean): Promise<{ offset: number; problem: string } | undefined> {
  const { layout } = plan.tree;
  const node = new Uint8Array(NODE_BYTES);
  const turn = async (done: number): Promise<boolean> => {
    if (done % NODES_PER_TURN !== NODES_PER_TURN - 1) return true;
    await new Promise((resolve) => setImmediate(resolve));
    return holding();
  };
  for (let row = 0; row < plan.count; row++) {
    const notARow = plan.writeLeaf(node, heldLine(rows, row, `0x${rows.keys.toString("hex", 20 * row, 20 * row + 20)}`));
    if (notARow !== undefined) return { offset: rows.starts[row]!, problem: notARow };
    if (compare32(node, 0, whole, NODE_BYTES * row) !== 0) {
      return { offset: rows.starts[row]!, problem: `row ${row}'s leaf is not leaf ${row} of ${plan.tree.file.path} (byte ${NODE_BYTES * row}): the row or ${TREE_FILE} is damaged` };
    }
    if (!(await turn(row))) return undefined;
  }
  for (let level = 1, done = 0; level < layout.levelCounts.length; level++) {
    const below = layout.levelOffsets[level - 1]!;
    const at = layout.levelOffsets[level]!;
    for (let k = 0; k < layout.levelCounts[level]!; k++, done++) {
      const left = below + NODE_BYTES * 2 * k;
      const carried = 2 * k + 1 >= layout.levelCounts[level - 1]!;
      if (carried) node.set(whole.subarray(left, left + NODE_BYTES));
      else hashPairInto(whole, left, whole, left + NODE_BYTES, node, 0);
      if (compare32(node, 0, whole, at + NODE_BYTES * k) !== 0) {
        return { offset: 0, problem: `${plan.tree.file.path}: node ${k} of level ${level} (byte ${at + NODE_BYTES * k}) is not ${carried ? `node ${2 * k} carried up` : `the hash of nodes ${2 * k} and ${2 * k + 1}`} of level ${level - 1}: ${TREE_FILE} is damaged` };
      }
      if (!(await turn(done))) return undefined;
    }
  }
  return undefined;
}

/** The whole file, read a chunk per turn; undefined when it is shorter than when it was opened. */
async function readWhole(file: LookupFile, holding: () => boolean): Promise<Buffer | undefined> {
  const whole = Buffer.allocUnsafeSlow(file.size);
  for (let position = 0; position < file.size && holding(); position += MEMORY_CHUNK_BYTES) {
    const length = Math.min(MEMORY_CHUNK_BYTES, file.size - position);
    if ((await readChunk(file, whole.subarray(position), length, position)) !== length) return undefined;
  }
  return whole;
}

/** The CSV's {@link HeldRows}, read a chunk per turn and every row checked on the way; or where the file is damaged and how. */
async function readRows(plan: InMemoryPlan, tailBytes: number, holding: () => boolean): Promise<HeldRows | { offset: number; problem: string }> {
  const { file, count } = plan;
  const offsets = (): Uint32Array | Float64Array => (file.size < 2 ** 32 ? new Uint32Array(count + 1) : new Float64Array(count + 1));
  const keys = Buffer.alloc(20 * count);
  const bucketBits = bucketBitsFor(count);
  const buckets = new Uint32Array(2 ** bucketBits + 1);
  const tails = Buffer.allocUnsafeSlow(tailBytes);
  const tailStarts = offsets();
  const starts = offsets();
  const chunk = Buffer.allocUnsafe(MEMORY_CHUNK_BYTES);
  let position = plan.dataStart;
  let row = 0;
  let tailAt = 0;
  let previous = "";
  while (position < file.size) {
    if (!holding()) return { offset: position, problem: "let go" };
    const length = Math.min(MEMORY_CHUNK_BYTES, file.size - position);
    if ((await readChunk(file, chunk, length, position)) !== length) return { offset: position, problem: "the file is shorter than when it was opened: it changed, ask again" };
    const bytes = chunk.subarray(0, length);
    let at = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; at = end + 1, end = bytes.indexOf(NEWLINE, at)) {
      const offset = position + at;
      if (row === count) return { offset, problem: `more rows than the manifest's ${count}` };
      const comma = bytes.indexOf(44, at);
      if (comma === -1 || comma + 43 > end || (comma + 43 < end && bytes[comma + 43] !== 44)) return { offset, problem: "not a row: index,address,… expected" };
      const index = bytes.toString("latin1", at, comma);
      if (index !== String(row)) return { offset, problem: `row ${row + 1} has index ${JSON.stringify(index.slice(0, 20))}, not ${row}` };
      const address = bytes.toString("latin1", comma + 1, comma + 43);
      if (!isLowerAddress(address)) return { offset, problem: "field 2 is not a lower-case address" };
      if (address <= previous) return { offset, problem: `${address} follows ${previous}: the rows are not sorted by address` };
      keys.write(address.slice(2), 20 * row, 20, "hex");
      buckets[Math.floor(keys.readUIntBE(20 * row, 6) / 2 ** (48 - bucketBits)) + 1]!++;
      starts[row] = offset;
      tailStarts[row] = tailAt;
      tailAt += bytes.copy(tails, tailAt, comma + 43, end);
      previous = address;
      row++;
    }
    if (at === 0) return { offset: position, problem: length === MEMORY_CHUNK_BYTES ? `a line longer than ${MEMORY_CHUNK_BYTES} bytes` : "the last line does not end with a newline" };
    position += at;
  }
  if (row !== count) return { offset: position, problem: `${row} rows, the manifest says ${count}` };
  starts[count] = file.size;
  tailStarts[count] = tailAt;
  for (let bucket = 1; bucket < buckets.length; bucket++) buckets[bucket]! += buckets[bucket - 1]!;
  return { keys, buckets, bucketBits, tails, tailStarts, starts };
}

// ---- tree.bin ------------------------------------------------------------------

/** tree.bin held open: its layout (season/tree-file.ts) and its last bytes. */
export interface OpenTree {
  file: LookupFile;
  layout: TreeFileLayout;
  /** The file's last {@link TOP_BYTES} (its upper levels, the root last), read once: most of a proof's nodes come from here. */
  top: Buffer;
  topStart: number;
  /** The whole file, once {@link holdInMemory} holds it: a proof then reads nothing. */
  whole?: Buffer;
  /**
   * Set once {@link holdInMemory} has checked every node of `whole` against the held rows (each leaf is its
   * row's, each node the hash of its children, the root the manifest's): every proof read from it then
   * leads to the root, and lookups skip checking each one.
   */
  checked?: boolean;
  /** The kept top's nodes as 0x hex, made once each: they are in every proof. */
  topHex: (Hex | undefined)[];
}

/**
 * The file's last bytes kept in memory: the top 16 levels of any tree (65,535 nodes, 2 MB), the
 * root last; a proof of a million-leaf tree then reads 5 nodes from the file, not 20.
 */
const TOP_BYTES = 2 * 1024 * 1024;

/**
 * Checks an opened tree.bin against its manifest before any lookup: its
 * size is that of a tree of `leafCount` leaves, and its last node is `root`.
 * `fail(problem)` is the caller's error.
 */
export function openTreeFile(file: LookupFile, leafCount: number, root: Hex, fail: (problem: string) => Error): OpenTree {
  const layout = treeFileLayout(leafCount);
  if (file.size !== layout.bytes) {
    throw fail(`${file.path} is ${file.size} bytes; the tree of the manifest's ${leafCount} leaves is ${layout.bytes} bytes (${layout.levelCounts.join(" + ")} nodes)`);
  }
  const topStart = Math.max(0, layout.bytes - TOP_BYTES);
  const top = readAt(file, topStart, layout.bytes - topStart);
  if (top.length !== layout.bytes - topStart) throw fail(`${file.path} could not be read to its end`);
  const last = rootOffset(layout);
  const fileRoot = last === undefined ? `0x${"00".repeat(NODE_BYTES)}` : hex32(top, last - topStart);
  if (fileRoot !== root) throw fail(`${file.path}: its last node (the root) is ${fileRoot}, the manifest's merkleRoot ${root}`);
  return { file, layout, top, topStart, topHex: new Array<Hex | undefined>(top.length / NODE_BYTES).fill(undefined) };
}

/** The node at `offset` of the tree's kept top, as 0x hex (made once). */
function keptNode(tree: OpenTree, offset: number): Hex {
  return (tree.topHex[(offset - tree.topStart) / NODE_BYTES] ??= hex32(tree.top, offset - tree.topStart));
}

/** Leaf `index`'s proof from tree.bin: nodes in the kept top from memory, the rest from the held file ({@link holdInMemory}) or by positional reads of 32 bytes. */
export function readTreeProof(tree: OpenTree, index: number, fail: (problem: string) => Error): Hex[] {
  const { whole, topStart } = tree;
  return proofFromTreeFile(tree.layout, index, (offset) => {
    if (offset >= topStart) return keptNode(tree, offset);
    if (whole !== undefined) return `0x${whole.toString("hex", offset, offset + NODE_BYTES)}` as Hex;
    const node = readAt(tree.file, offset, NODE_BYTES);
    if (node.length !== NODE_BYTES) throw fail(`${tree.file.path} ends before byte ${offset + NODE_BYTES}: it changed while it was read, ask again`);
    return hex32(node, 0);
  });
}

/**
 * The rows whose proof was checked against the root, while their files stay
 * open: leaf i's proof with the row at byte `offset` of the sorted CSV. A
 * repeated lookup of that row skips the keccaks; another row claiming index
 * i (a damaged file) is checked. Made anew with every opening, so a file
 * changed (another stamp) is checked again.
 *
 * @example if (!verified.has(row.index, offset)) { check(proof); verified.add(row.index, offset); }
 */
export class VerifiedRows {
  /** rowAt[i] - 1: the offset of the row checked with leaf i's proof (0: none yet); made at the first check (a held, checked tree never needs it). */
  private rowAt: Uint32Array | Float64Array | undefined;

  constructor(
    private readonly leafCount: number,
    private readonly fileSize: number,
  ) {}

  has(index: number, offset: number): boolean {
    return this.rowAt !== undefined && this.rowAt[index] === offset + 1;
  }

  add(index: number, offset: number): void {
    this.rowAt ??= this.fileSize < 2 ** 32 - 1 ? new Uint32Array(this.leafCount) : new Float64Array(this.leafCount);
    if (index < this.rowAt.length) this.rowAt[index] = offset + 1;
  }
}
