// web/: the claim and leaderboard page (browser modules) and server.ts, its routes.
// Imports season/ and season-io/. See docs/architecture.md.
/**
 * One `leaderboards/<pool>.csv` served in pages without parsing the whole
 * file per request: an index of where each row starts (built once, from
 * the file's bytes, half a megabyte per turn of the event loop, so the server
 * keeps answering while a million-row board is indexed), the rows of a page
 * read from one descriptor by offset and parsed line by line with
 * season/season-files.ts (the one leaderboard parser), an address -> rank lookup in compact typed
 * arrays (built after the row index, a second pass: pages are answered before it), and a
 * case-insensitive name search over one string of the names.
 *
 * A row's rank is its position + 1 (the engine writes the board in rank
 * order). A name may hold a comma, a quote or a line break (the writer
 * quotes it, RFC 4180): rows end at a newline outside quotes.
 *
 * @example
 * const board = new LeaderboardFiles().open("out/season-7/leaderboards/artists.csv", "artists");
 * await board.ready;
 * board.rows(0, 100); // the first 100 rows
 * await board.positionOf("0xabc…"); // 41 (rank 42), or undefined
 */
import { closeSync, fstatSync, readSync, statSync, type Stats } from "node:fs";
import { readCsvText } from "../../season/csv.js";
import { InputError } from "../../season/errors.js";
import { leaderboardColumns, parseLeaderboardLine, type LeaderboardRow } from "../../season/season-files.js";
import { decodeUtf8 } from "../../season/text.js";
import type { PoolKey } from "../../season/types.js";
import { openRegularFile } from "../../season-io/regular-file.js";
import { SeasonDirError } from "../../season-io/season-dir.js";

/** Bytes read per turn of the event loop while indexing (a few ms of work, well under the 50 ms a turn may take). */
const CHUNK_BYTES = 1 << 19;
/** Rows parsed per turn while the names are gathered for the first name search. */
const NAME_ROWS_PER_TURN = 2_000;
const NEWLINE = 10;
const QUOTE = 34;
const COMMA = 44;
const CR = 13;

/**
 * `bytes` as text when every byte is ASCII (one decode for a page of rows rather than one a row),
 * else undefined: the caller decodes line by line, and names the line that is not UTF-8.
 */
function asciiText(bytes: Buffer, path: string): string | undefined {
  let text: string;
  try {
    text = decodeUtf8(bytes, path);
  } catch {
    return undefined;
  }
  return text.length === bytes.length ? text : undefined;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A growable typed array of row numbers or byte offsets. */
class Column {
  values: Uint32Array | Float64Array;
  length = 0;
  constructor(wide: boolean) {
    this.values = wide ? new Float64Array(1024) : new Uint32Array(1024);
  }
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new (this.values.constructor as Uint32ArrayConstructor | Float64ArrayConstructor)(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  /** The values, trimmed to their length (a copy only when it saves memory). */
  done(): Uint32Array | Float64Array {
    return this.values.length === this.length ? this.values : this.values.slice(0, this.length);
  }
}

/**
 * A row's address key: FNV-1a over the 40 hex digits after the row's first
 * comma, lower-cased (the same as {@link keyOfAddress}); 0 when there are
 * not 40 bytes. A hash, not a prefix: vanity addresses share prefixes.
 */
function addressKey(bytes: Buffer, start: number, end: number): number {
  let comma = start;
  while (comma < end && bytes[comma] !== COMMA) comma++;
  const from = comma + 3; // past ",0x"
  if (from + 40 > end) return 0;
  let hash = 0x811c9dc5;
  for (let i = from; i < from + 40; i++) hash = Math.imul(hash ^ (bytes[i]! | 0x20), 0x01000193);
  return hash >>> 0;
}

/** {@link addressKey} of a lower-case `0x` address. */
function keyOfAddress(address: string): number {
  let hash = 0x811c9dc5;
  for (let i = 2; i < 42; i++) hash = Math.imul(hash ^ address.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The third field of a row (the name) as text, unquoted (RFC 4180) and
 * without the leading `'` the writer puts before a formula-like name
 * (season/csv.ts's readCsvText): what the name search looks in.
 */
function nameField(line: string): string {
  const first = line.indexOf(",");
  const start = line.indexOf(",", first + 1) + 1;
  if (first === -1 || start === 0) return "";
  if (line.charCodeAt(start) !== QUOTE) {
    const end = line.indexOf(",", start);
    return readCsvText(line.slice(start, end === -1 ? undefined : end));
  }
  let name = "";
  for (let i = start + 1; i < line.length; i++) {
    const quote = line.indexOf('"', i);
    if (quote === -1) return readCsvText(name + line.slice(i));
    name += line.slice(i, quote);
    if (line.charCodeAt(quote + 1) !== QUOTE) return readCsvText(name);
    name += '"';
    i = quote + 1;
  }
  return readCsvText(name);
}

/** The names of a board, lower case, in one string (`\u0000` before each), and where each row's name starts in it. */
interface NameIndex {
  text: string;
  starts: Uint32Array | Float64Array;
}

/**
 * One leaderboard file and its index. Built by {@link LeaderboardFiles.open};
 * `ready` resolves once every row's offset is known (or rejects with a
 * SeasonDirError when the file is damaged).
 */
export class LeaderboardFile {
  readonly ready: Promise<void>;
  /** The header line (the columns, as written). */
  header = "";
  columns: string[] = [];
  /** Rows (the header excluded); final once `ready` resolves. */
  count = 0;
  private fd: number;
  private closed = false;
  private offsets: Uint32Array | Float64Array = new Uint32Array(0);
  /** Byte offset just past the last row. */
  private end = 0;
  /** Resolves once `keys`, `byKey` and `bucketStart` are made (after `ready`). */
  private readonly addressesIndexed: Promise<void>;
  /** keys[i]: a 32-bit hash of row i's address; rows ordered by key in `byKey`, bucket b (top 16 bits) at bucketStart[b] … bucketStart[b + 1]. */
  private keys: Uint32Array = new Uint32Array(0);
  private byKey: Uint32Array = new Uint32Array(0);
  private bucketStart: Uint32Array = new Uint32Array(65_537);
  private names: Promise<NameIndex> | undefined;

  /** The file as opened (inode, mtime, size): what the index describes. */
  readonly stamp: string;

  /** Requests waiting for `ready` now ({@link LeaderboardFile.indexed}); while any wait, other boards' indexing waits. */
  waiting = 0;
  /** Set when `ready` has settled. */
  private built = false;

  constructor(
    readonly path: string,
    readonly pool: PoolKey,
    /** Called at each turn of the indexing: a promise to wait for first when a request waits for another board. */
    private readonly yieldTurn: (file: LeaderboardFile) => Promise<void> | undefined = () => undefined,
  ) {
    const opened = openRegularFile(path, (problem) => new SeasonDirError(`${path} ${problem}: the season directory is incomplete (rebuild it)`));
    this.fd = opened.fd;
    this.stamp = stampOf(fstatSync(this.fd));
    this.ready = this.build(opened.size).finally(() => void (this.built = true));
    this.ready.catch(() => {}); // a request that waits on it sees the error; nobody waiting is not an unhandled rejection
    this.addressesIndexed = this.indexAddresses();
    this.addressesIndexed.catch(() => {});
  }

  /**
   * `ready`, for a request: while it waits, the indexing of other boards (a server warming up the rest of
   * the season) waits for this one, so the board asked for is answered first.
   *
   * @example await board.indexed(); board.rows(0, 100);
   */
  async indexed(): Promise<void> {
    if (this.built) return this.ready;
    this.waiting++;
    try {
      await this.ready;
    } finally {
      this.waiting--;
    }
  }

  /** Whether `ready` is still pending. */
  get building(): boolean {
    return !this.built;
  }

  /** The next turn of the event loop, after any board a request waits for is indexed. */
  private async nextTurn(): Promise<void> {
    await nextTurn();
    for (let first = this.yieldTurn(this); first !== undefined; first = this.yieldTurn(this)) await first;
  }

  /** Stops using the file (a newer one replaced it); a build still running ends at its next turn. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** The header's columns (the current format's or an earlier one season-files.ts still reads), or a SeasonDirError. */
  private readColumns(header: string): string[] {
    try {
      return leaderboardColumns(header, this.path, this.pool);
    } catch (error) {
      if (error instanceof InputError) throw new SeasonDirError(error.message);
      throw error;
    }
  }

  private damaged(what: string): SeasonDirError {
    return new SeasonDirError(`${this.path}: ${what}: the season directory is damaged (rebuild it)`);
  }

  private read(buffer: Buffer, length: number, position: number): number {
    if (this.closed) throw new SeasonDirError(`${this.path} was replaced while it was read: ask again`);
    return readSync(this.fd, buffer, 0, length, position);
  }

  /** Every row's start offset and address key, a chunk per turn. */
  private async build(size: number): Promise<void> {
    const wide = size >= 2 ** 32;
    const offsets = new Column(wide);
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size, 1)));
    let position = 0;
    let header = true;
    while (position < size) {
      const read = this.read(buffer, Math.min(buffer.length, size - position), position);
      if (read === 0) throw this.damaged(`ends at byte ${position}, before the ${size} bytes it had`);
      const view = buffer.subarray(0, read);
      const last = position + read >= size;
      let start = 0;
      let quote = view.indexOf(QUOTE); // the next quote at or after `start` (-1: none left in this chunk)
      while (start < read) {
        if (quote !== -1 && quote < start) quote = view.indexOf(QUOTE, start);
        // The row's end: the first newline outside quotes.
        let end = view.indexOf(NEWLINE, start);
        if (quote !== -1 && (end === -1 || quote < end)) {
          // Quoted fields on this row: walk it byte by byte.
          let quoted = false;
          end = -1;
          for (let i = start; i < read; i++) {
            const byte = view[i];
            if (byte === QUOTE) quoted = !quoted;
            else if (byte === NEWLINE && !quoted) {
              end = i;
              break;
            }
          }
        }
        if (end === -1) {
          if (!last) break; // the row goes on in the next chunk
          end = read; // the last row, without a final newline
        }
        if (header) {
          this.header = decodeUtf8(view.subarray(start, end), this.path);
          this.columns = this.readColumns(this.header);
          header = false;
        } else {
          offsets.push(position + start);
        }
        start = end + 1;
      }
      if (start === 0 && !last) {
        buffer = Buffer.allocUnsafe(buffer.length * 2); // one row longer than the buffer
        continue;
      }
      position += Math.min(start, read);
      if (!last) await this.nextTurn();
    }
    if (header) throw this.damaged("empty: not even a header");
    this.offsets = offsets.done();
    this.end = size;
    this.count = this.offsets.length;
  }

  /**
   * Every row's address key ({@link addressKey}) and the rows ordered by it, after `ready` (a page is answered
   * without them: they would double its wait at start), reading the rows again a chunk per turn.
   */
  private async indexAddresses(): Promise<void> {
    await this.ready;
    const keys = new Uint32Array(this.count);
    for (let from = 0; from < this.count; ) {
      let to = from + 1;
      while (to < this.count && this.offsets[to]! - this.offsets[from]! < CHUNK_BYTES) to++;
      const { bytes, start } = this.readRows(from, to);
      for (let i = from; i < to; i++) keys[i] = addressKey(bytes, this.offsets[i]! - start, this.rowEnd(bytes, start, i, to));
      from = to;
      if (from < this.count) await this.nextTurn();
    }
    this.keys = keys;
    this.indexKeys();
  }

  /** A counting sort of the rows by the top 16 bits of their address key (linear: no comparisons). */
  private indexKeys(): void {
    const starts = new Uint32Array(65_537);
    for (let i = 0; i < this.count; i++) starts[(this.keys[i]! >>> 16) + 1]!++;
    for (let b = 1; b <= 65_536; b++) starts[b]! += starts[b - 1]!;
    const cursor = starts.slice(0, 65_536);
    const byKey = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) byKey[cursor[this.keys[i]! >>> 16]!++] = i;
    this.bucketStart = starts;
    this.byKey = byKey;
  }

  /**
   * Rows [from, to) (positions; rank = position + 1), parsed; call after `ready`.
   *
   * @example board.rows(100, 200) // ranks 101 … 200
   */
  rows(from: number, to: number): LeaderboardRow[] {
    const first = Math.max(0, from);
    const last = Math.min(this.count, to);
    if (first >= last) return [];
    const { bytes, start } = this.readRows(first, last);
    const text = asciiText(bytes, this.path);
    const rows: LeaderboardRow[] = [];
    for (let i = first; i < last; i++) {
      try {
        rows.push(parseLeaderboardLine(text === undefined ? this.line(bytes, start, i, last) : this.asciiLine(text, bytes, start, i, last), this.columns, this.path, i + 2));
      } catch (error) {
        if (error instanceof InputError) throw new SeasonDirError(`${error.message}: the season directory is damaged (rebuild it)`);
        throw error;
      }
    }
    return rows;
  }

  /** The bytes of rows [first, last) (0 ≤ first < last ≤ count) and the file offset they start at. */
  private readRows(first: number, last: number): { bytes: Buffer; start: number } {
    const start = this.offsets[first]!;
    const stop = last < this.count ? this.offsets[last]! : this.end;
    const bytes = Buffer.allocUnsafe(stop - start);
    let filled = 0;
    while (filled < bytes.length) {
      const read = this.read(bytes.subarray(filled), bytes.length - filled, start + filled);
      if (read === 0) throw this.damaged(`shorter than when it was indexed (rows ${first + 1}…${last})`);
      filled += read;
    }
    return { bytes, start };
  }

  /** Where row `i` ends in {@link readRows}' bytes of rows up to `last` (read from file offset `start`), its line end (\n or \r\n) left out. */
  private rowEnd(bytes: Buffer, start: number, i: number, last: number): number {
    let to = i + 1 < last ? this.offsets[i + 1]! - start : bytes.length;
    if (bytes[to - 1] === NEWLINE) to -= bytes[to - 2] === CR ? 2 : 1;
    return to;
  }

  /** Row `i`'s text (without its line end) from {@link readRows}' bytes of rows up to `last`. */
  private line(bytes: Buffer, start: number, i: number, last: number): string {
    return decodeUtf8(bytes.subarray(this.offsets[i]! - start, this.rowEnd(bytes, start, i, last)), this.path);
  }

  /** {@link line} from `text`, the same bytes decoded at once when they are all ASCII (a character per byte: offsets hold). */
  private asciiLine(text: string, bytes: Buffer, start: number, i: number, last: number): string {
    return text.slice(this.offsets[i]! - start, this.rowEnd(bytes, start, i, last));
  }

  /** The position (rank - 1) of `address` (lower case), or undefined, once every row's address is indexed. */
  async positionOf(address: string): Promise<number | undefined> {
    await this.addressesIndexed;
    const key = keyOfAddress(address);
    const bucket = key >>> 16;
    for (let j = this.bucketStart[bucket]!; j < this.bucketStart[bucket + 1]!; j++) {
      const position = this.byKey[j]!;
      if (this.keys[position] !== key) continue;
      if (this.rows(position, position + 1)[0]?.address.toLowerCase() === address) return position;
    }
    return undefined;
  }

  /**
   * Positions of the rows whose name holds `fragment` (compared in lower
   * case), best rank first, at most `limit`. The first search of a board
   * gathers its names (a few thousand rows per turn); later ones are one
   * string search.
   */
  async searchNames(fragment: string, limit: number): Promise<number[]> {
    this.names ??= this.gatherNames();
    const { text, starts } = await this.names;
    const needle = fragment.toLowerCase();
    const found: number[] = [];
    let from = 0;
    while (found.length < limit) {
      const at = text.indexOf(needle, from);
      if (at === -1) break;
      // The row whose name holds `at`: the last start at or before it.
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (starts[middle]! <= at) low = middle;
        else high = middle - 1;
      }
      found.push(low);
      from = low + 1 < starts.length ? starts[low + 1]! : text.length;
    }
    return found;
  }

  /** Every row's name, lower case, in one string; a few thousand rows per turn. */
  private async gatherNames(): Promise<NameIndex> {
    await this.ready;
    const chunks: string[] = [];
    const starts = new Column(false);
    let length = 0;
    for (let from = 0; from < this.count; from += NAME_ROWS_PER_TURN) {
      const to = Math.min(this.count, from + NAME_ROWS_PER_TURN);
      const { bytes, start } = this.readRows(from, to);
      const names: string[] = [];
      for (let i = from; i < to; i++) {
        const name = `\u0000${nameField(this.line(bytes, start, i, to)).toLowerCase()}`;
        starts.push(length + 1);
        names.push(name);
        length += name.length;
      }
      chunks.push(names.join(""));
      await nextTurn();
    }
    return { text: chunks.join(""), starts: starts.done() };
  }
}

/** A file's stamp: a replaced or rewritten file has another. */
function stampOf(stat: Stats): string {
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
}

function currentStamp(path: string): string | undefined {
  try {
    return stampOf(statSync(path));
  } catch {
    return undefined;
  }
}

/**
 * The leaderboard files in use, one {@link LeaderboardFile} per path, opened
 * again (and indexed again) when the file on disk changes: looked at (one
 * stat) at most every `recheckMs` per path (default 0: on every call).
 */
export class LeaderboardFiles {
  private files = new Map<string, LeaderboardFile>();
  /** performance.now() when each path's board was last found unchanged. */
  private checkedAt = new Map<string, number>();
  private readonly recheckMs: number;

  constructor(options: { recheckMs?: number } = {}) {
    this.recheckMs = options.recheckMs ?? 0;
  }

  /** The board at `path`, or undefined when there is no such file. */
  open(path: string, pool: PoolKey): LeaderboardFile | undefined {
    const known = this.files.get(path);
    const now = performance.now();
    if (known !== undefined && now - (this.checkedAt.get(path) ?? -Infinity) < this.recheckMs) return known;
    this.checkedAt.set(path, now);
    const stamp = currentStamp(path);
    if (stamp === undefined) {
      known?.close();
      this.files.delete(path);
      return undefined;
    }
    if (known !== undefined && known.stamp === stamp) return known;
    known?.close();
    // Stamped from its descriptor: a file replaced between the stat and the open is opened again at the next check.
    const file = new LeaderboardFile(path, pool, (indexing) => this.askedBefore(indexing));
    this.files.set(path, file);
    return file;
  }

  /** A board a request waits for, still being indexed, when `indexing` is not one: its `ready`, to wait for (settled either way). */
  private askedBefore(indexing: LeaderboardFile): Promise<void> | undefined {
    if (indexing.waiting > 0) return undefined;
    for (const file of this.files.values()) {
      if (file !== indexing && file.waiting > 0 && file.building) return file.ready.catch(() => {});
    }
    return undefined;
  }

  /** Forgets every board not under one of `dirs` (seasons no longer served). */
  keepOnly(dirs: readonly string[]): void {
    for (const [path, file] of this.files) {
      if (!dirs.some((dir) => path.startsWith(`${dir}/`))) {
        file.close();
        this.files.delete(path);
        this.checkedAt.delete(path);
      }
    }
  }
}
