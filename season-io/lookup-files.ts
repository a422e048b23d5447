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
 * @example
 * const file = openLookupFile("out/season-7/recipients.csv", (problem) => new Error(problem));
 * const found = findSortedLine(file, headerBytes, (line, at) => compareAddressField(line, 1, target, (problem) => damaged(at, problem)), damaged);
 */
import { closeSync, fstatSync, readSync, statSync, type Stats } from "node:fs";
import { resolve } from "node:path";
import { hex32 } from "../season/hex.js";
import { NODE_BYTES, proofFromTreeFile, rootOffset, treeFileLayout, type TreeFileLayout } from "../season/tree-file.js";
import type { Hex } from "../season/types.js";
import { openRegularFile } from "./regular-file.js";

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

/** At most this many directories stay open per cache (two or three descriptors each); the least recently used goes first. */
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
  const key = resolve(dir);
  const cached = cache.get(key);
  if (cached !== undefined) {
    cache.delete(key);
    const now = performance.now();
    const trusted = now - (cached.checkedAt ?? -Infinity) < recheckMs; // never with recheckMs 0
    if (trusted || cached.watched.every((file) => pathStamp(file.path) === file.stamp)) {
      if (!trusted) cached.checkedAt = now;
      cache.set(key, cached); // most recently used last
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
  if (line.charCodeAt(start + 42) !== 44 || !/^0x[0-9a-f]{40}$/.test(found)) throw damaged(`field ${field + 1} is not a lower-case address`);
  return found < address ? -1 : found > address ? 1 : 0;
}

// ---- tree.bin ------------------------------------------------------------------

/** tree.bin held open: its layout (season/tree-file.ts) and its last bytes. */
export interface OpenTree {
  file: LookupFile;
  layout: TreeFileLayout;
  /** The file's last {@link TOP_BYTES} (its upper levels, the root last), read once: most of a proof's nodes come from here. */
  top: Buffer;
  topStart: number;
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
  return { file, layout, top, topStart };
}

/** Leaf `index`'s proof from tree.bin: nodes in the kept top from memory, the rest by positional reads of 32 bytes. */
export function readTreeProof(tree: OpenTree, index: number, fail: (problem: string) => Error): Hex[] {
  return proofFromTreeFile(tree.layout, index, (offset) => {
    if (offset >= tree.topStart) return hex32(tree.top, offset - tree.topStart);
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
  /** rowAt[i] - 1: the offset of the row checked with leaf i's proof (0: none yet). */
  private readonly rowAt: Uint32Array | Float64Array;

  constructor(leafCount: number, fileSize: number) {
    this.rowAt = fileSize < 2 ** 32 - 1 ? new Uint32Array(leafCount) : new Float64Array(leafCount);
  }

  has(index: number, offset: number): boolean {
    return this.rowAt[index] === offset + 1;
  }

  add(index: number, offset: number): void {
    if (index < this.rowAt.length) this.rowAt[index] = offset + 1;
  }
}
