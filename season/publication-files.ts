/**
 * balances.csv of a publication directory (SPEC 8.2): `address,cumulative,season_<n>…`,
 * one row per address with a cumulative amount above 0, sorted by lower-case
 * address, wei vested per season at the publication's `at`. Rendered in
 * chunks (two million rows are ~250 MB) and read back strictly. The proof
 * shards are season/season-files.ts's, the manifest season/publication.ts's.
 *
 * @example
 * for (const chunk of balancesCsvChunks([7, 8], balances)) writer.write("balances.csv", chunk, true);
 * readBalancesCsv(text, "balances.csv").cumulative[0];
 */
import { InputError } from "./errors.js";
import type { Balances } from "./publication.js";

const CHUNK_LINES = 20_000;

/** The header for these seasons (ascending): `address,cumulative,season_7,season_8`. */
export function balancesHeader(seasons: readonly number[]): string {
  return ["address", "cumulative", ...seasons.map((season) => `season_${season}`)].join(",");
}

/** balances.csv in chunks of lines; the first holds the header. */
export function* balancesCsvChunks(seasons: readonly number[], balances: Balances): Generator<string> {
  const { addresses, cumulative, bySeason } = balances;
  let lines: string[] = [balancesHeader(seasons)];
  for (let i = 0; i < addresses.length; i++) {
    let line = `${addresses[i]},${cumulative[i]}`;
    for (const column of bySeason) line += `,${column[i]}`;
    lines.push(line);
    if (lines.length >= CHUNK_LINES) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}

const LOWER_ADDRESS = /^0x[0-9a-f]{40}$/;
const AMOUNT = /^(0|[1-9]\d{0,77})$/;

/**
 * balances.csv back into columns, checked as it goes: the header names
 * seasons in ascending order, addresses are lower-case and strictly
 * ascending, every amount is wei, each cumulative is the sum of its season
 * columns and above 0. Anything else is an InputError with the line.
 */
export function readBalancesCsv(text: string, file: string): Balances & { seasons: number[] } {
  const headerEnd = text.indexOf("\n");
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  const columns = header.split(",");
  const seasons = columns.slice(2).map((column) => (/^season_[1-9]\d{0,8}$/.test(column) ? Number(column.slice(7)) : NaN));
  if (columns[0] !== "address" || columns[1] !== "cumulative" || seasons.length === 0 || seasons.some((season, k) => Number.isNaN(season) || (k > 0 && season <= seasons[k - 1]!))) {
    throw new InputError({ file, line: 1 }, `the header "${header}" is not "address,cumulative,season_<n>…" with seasons ascending: publish it again`);
  }
  const addresses: string[] = [];
  const cumulative: bigint[] = [];
  const bySeason: bigint[][] = seasons.map(() => []);
  let previous = "";
  let lineStart = headerEnd === -1 ? text.length : headerEnd + 1;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = addresses.length + 2;
    const bad = (what: string): never => {
      throw new InputError({ file, line }, `${what}: publish it again`);
    };
    const fields = text.slice(lineStart, lineEnd).split(",");
    if (fields.length !== columns.length) bad(`${fields.length} fields, the header has ${columns.length}`);
    const [address, sumText] = fields as [string, string];
    if (!LOWER_ADDRESS.test(address)) bad(`address ${JSON.stringify(address)} is not lower-case hex`);
    if (!(previous < address)) bad(`${address} is not after ${previous} (sorted, unique)`);
    if (!fields.slice(1).every((field) => AMOUNT.test(field))) bad("an amount is not wei (decimal digits)");
    const sum = BigInt(sumText);
    let seasonSum = 0n;
    for (let k = 0; k < seasons.length; k++) {
      const amount = BigInt(fields[2 + k]!);
      bySeason[k]!.push(amount);
      seasonSum += amount;
    }
    if (sum !== seasonSum) bad(`${address}: cumulative ${sum} is not the sum of its seasons (${seasonSum})`);
    if (sum === 0n) bad(`${address} has cumulative 0 (an address at 0 is left out)`);
    addresses.push(address);
    cumulative.push(sum);
    previous = address;
    lineStart = lineEnd + 1;
  }
  return { seasons, addresses, cumulative, bySeason };
}
