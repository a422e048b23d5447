/**
 * balances.csv of a publication directory (SPEC 8.2): one row per address
 * with a cumulative amount above 0, sorted by lower-case address, wei vested
 * per season at the publication's `at`. Format "2" (tree.bin beside it):
 * `index,address,cumulative,season_<n>…`, index = the row's leaf in tree.bin
 * (0, 1, …), so one address's row, found by binary search over the file's
 * bytes, says where its proof is; format "1" (proofs/<xx>.json beside it):
 * `address,cumulative,season_<n>…`, still read. Rendered in chunks (two
 * million rows are ~250 MB) and read back strictly. tree.bin is
 * season/tree-file.ts's, the manifest season/publication.ts's.
 *
 * @example
 * for (const chunk of balancesCsvChunks([7, 8], balances)) writer.write("balances.csv", chunk, true);
 * readBalancesCsv(text, "balances.csv").cumulative[0];
 */
import { isLowerAddress } from "./address.js";
import { InputError } from "./errors.js";
import type { Balances } from "./publication.js";

const CHUNK_LINES = 20_000;

/** The header for these seasons (ascending): `index,address,cumulative,season_7,season_8`. */
export function balancesHeader(seasons: readonly number[]): string {
  return ["index", "address", "cumulative", ...seasons.map((season) => `season_${season}`)].join(",");
}

/** balances.csv in chunks of lines; the first holds the header. */
export function* balancesCsvChunks(seasons: readonly number[], balances: Balances): Generator<string> {
  const { addresses, cumulative, bySeason } = balances;
  let lines: string[] = [balancesHeader(seasons)];
  for (let i = 0; i < addresses.length; i++) {
    let line = `${i},${addresses[i]},${cumulative[i]}`;
    for (const column of bySeason) line += `,${column[i]}`;
    lines.push(line);
    if (lines.length >= CHUNK_LINES) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}

/** What a balances.csv header says: whether rows start with their index (format "2"), and the seasons of its columns. */
export interface BalancesColumns {
  indexed: boolean;
  seasons: number[];
}

/**
 * A balances.csv header: `index,address,cumulative,season_<n>…` (format
 * "2") or `address,cumulative,season_<n>…` (format "1"), seasons ascending;
 * undefined for anything else.
 *
 * @example parseBalancesHeader("index,address,cumulative,season_7") // { indexed: true, seasons: [7] }
 */
export function parseBalancesHeader(header: string): BalancesColumns | undefined {
  const columns = header.split(",");
  const indexed = columns[0] === "index";
  const named = indexed ? columns.slice(1) : columns;
  const seasons = named.slice(2).map((column) => (/^season_[1-9]\d{0,8}$/.test(column) ? Number(column.slice(7)) : NaN));
  if (named[0] !== "address" || named[1] !== "cumulative" || seasons.length === 0 || seasons.some((season, k) => Number.isNaN(season) || (k > 0 && season <= seasons[k - 1]!))) return undefined;
  return { indexed, seasons };
}

/** One balances.csv row. */
export interface BalanceLine {
  /** The row's leaf in tree.bin; undefined in a format "1" file (no index column). */
  index: number | undefined;
  address: string;
  cumulative: bigint;
  /** Wei vested per season number. */
  seasons: Record<number, bigint>;
}

const AMOUNT = /^(0|[1-9]\d{0,77})$/;
const INDEX = /^(0|[1-9]\d{0,14})$/;

/**
 * One balances.csv line (without its newline) with the header's columns,
 * checked as {@link readBalancesCsv} checks a row on its own (fields,
 * lower-case address, wei amounts, cumulative = the sum of its seasons and
 * above 0); the reason it is not a row otherwise.
 *
 * @example parseBalanceLine("0,0xab…,5,5", { indexed: true, seasons: [7] }) // { index: 0, address: "0xab…", cumulative: 5n, seasons: { 7: 5n } }
 */
export function parseBalanceLine(line: string, columns: BalancesColumns): BalanceLine | string {
  const fields = line.split(",");
  const width = (columns.indexed ? 3 : 2) + columns.seasons.length;
  if (fields.length !== width) return `${fields.length} fields, the header has ${width}`;
  const first = columns.indexed ? 1 : 0;
  if (columns.indexed && !INDEX.test(fields[0]!)) return `index ${JSON.stringify(fields[0])} is not a whole number`;
  const address = fields[first]!;
  if (!isLowerAddress(address)) return `address ${JSON.stringify(address)} is not lower-case hex`;
  for (let k = first + 1; k < fields.length; k++) if (!AMOUNT.test(fields[k]!)) return "an amount is not wei (decimal digits)";
  const cumulative = BigInt(fields[first + 1]!);
  const seasons: Record<number, bigint> = {};
  let sum = 0n;
  for (let k = 0; k < columns.seasons.length; k++) {
    const amount = BigInt(fields[first + 2 + k]!);
    seasons[columns.seasons[k]!] = amount;
    sum += amount;
  }
  if (cumulative !== sum) return `${address}: cumulative ${cumulative} is not the sum of its seasons (${sum})`;
  if (cumulative === 0n) return `${address} has cumulative 0 (an address at 0 is left out)`;
  return { index: columns.indexed ? Number(fields[0]) : undefined, address, cumulative, seasons };
}

/** A balances.csv row's amounts as decimal wei text (what a JSON answer shows), without bigints. */
export interface BalanceAmountsText {
  cumulative: string;
  /** Wei vested per season number. */
  seasons: Record<number, string>;
}

/**
 * The amounts of a balances.csv row already checked by
 * {@link parseBalanceLine} (a server's held, checked row), from the line's
 * text after its address (",<cumulative>,<season amount>…"), as decimal wei
 * text: nothing parsed into a bigint and printed back (the format writes
 * them without leading zeros, and parseBalanceLine accepts only that).
 *
 * @example balanceAmountsText(",50,20,30", { indexed: true, seasons: [7, 8] }) // { cumulative: "50", seasons: { 7: "20", 8: "30" } }
 */
export function balanceAmountsText(afterAddress: string, columns: BalancesColumns): BalanceAmountsText {
  const fields = afterAddress.split(",");
  const seasons: Record<number, string> = {};
  for (let k = 0; k < columns.seasons.length; k++) seasons[columns.seasons[k]!] = fields[2 + k]!;
  return { cumulative: fields[1]!, seasons };
}

/**
 * balances.csv back into columns, checked as it goes: the header names
 * seasons in ascending order, each row is sound ({@link parseBalanceLine}),
 * indices (format "2") are 0, 1, … and addresses strictly ascending.
 * Anything else is an InputError with the line. `format`, when given, is
 * the manifest's formatVersion, and the header must be that format's.
 */
export function readBalancesCsv(text: string, file: string, format?: string): Balances & { seasons: number[] } {
  const headerEnd = text.indexOf("\n");
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  const columns = parseBalancesHeader(header);
  if (columns === undefined || (format !== undefined && columns.indexed !== (format !== "1"))) {
    const expected = format === "1" ? "address,cumulative,season_<n>…" : "index,address,cumulative,season_<n>…";
    throw new InputError({ file, line: 1 }, `the header "${header}" is not "${expected}" with seasons ascending: publish it again`);
  }
  const { seasons } = columns;
  const addresses: string[] = [];
  const cumulative: bigint[] = [];
  const bySeason: bigint[][] = seasons.map(() => []);
  let previous = "";
  let lineStart = headerEnd === -1 ? text.length : headerEnd + 1;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const row = addresses.length;
    const bad = (what: string): never => {
      throw new InputError({ file, line: row + 2 }, `${what}: publish it again`);
    };
    const parsed = parseBalanceLine(text.slice(lineStart, lineEnd), columns);
    if (typeof parsed === "string") return bad(parsed);
    if (parsed.index !== undefined && parsed.index !== row) bad(`index ${parsed.index}, expected ${row}`);
    if (!(previous < parsed.address)) bad(`${parsed.address} is not after ${previous} (sorted, unique)`);
    seasons.forEach((season, k) => bySeason[k]!.push(parsed.seasons[season]!));
    addresses.push(parsed.address);
    cumulative.push(parsed.cumulative);
    previous = parsed.address;
    lineStart = lineEnd + 1;
  }
  return { seasons, addresses, cumulative, bySeason };
}
