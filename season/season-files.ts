/**
 * The season directory's data files (SPEC section 6), as text: recipients.csv,
 * leaderboards/<pool>.csv, rejected.csv and (formatVersion "2", publication
 * format "1": read back, no longer built) the 256 proof shards, rendered
 * and read back by this one module (manifest.json is season/manifest.ts,
 * onchain.json season/onchain.ts). Pure: the writer and reader that touch
 * files are season-io/output.ts and season-io/season-dir.ts.
 *
 * @example
 * renderProofShard([], tree) === "{}\n";
 * parseProofShard(renderProofShard(recipients, tree), "proofs/00.json").get(recipients[0].address)?.amount;
 */
import { csvField, csvTextField, readCsv, readCsvText } from "./csv.js";
import { formatDecimal } from "./decimal.js";
import { isLowerAddress } from "./address.js";
import { InputError } from "./errors.js";
import { POOL_KEYS, type Hex, type Leaderboard, type PoolKey, type Recipient, type RejectedRow } from "./types.js";

/** The part of a Merkle tree a proof shard needs (season/tree.ts's MerkleTree fits). */
export interface ProofSource {
  root: Hex;
  proof(index: number): readonly Hex[];
}

/** What a proof shard line needs of a recipient. */
export type ProofRecipient = Pick<Recipient, "index" | "address" | "amount">;

/** Pools whose leaderboard carries the `hardware` and `work` columns (and for fast workers `nft`). */
export const WORKER_POOLS: ReadonlySet<PoolKey> = new Set(["relaxedWorkers", "fastWorkers"]);

const CHUNK_LINES = 20_000;

export const RECIPIENTS_HEADER = ["index", "address", "amount", ...POOL_KEYS];

/** recipients.csv in chunks of lines (each chunk a string); the first holds the header. */
export function* recipientsCsvChunks(recipients: readonly Recipient[]): Generator<string> {
  let lines: string[] = [RECIPIENTS_HEADER.join(",")];
  for (const recipient of recipients) {
    const pools = recipient.pools;
    // Addresses and numbers never need quoting: plain join is the fast path.
    lines.push(
      `${recipient.index},${recipient.address},${recipient.amount},${pools.artists},${pools.ambassadors},${pools.stakers},${pools.relaxedWorkers},${pools.fastWorkers}`,
    );
    if (lines.length >= CHUNK_LINES) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}

const LEADERBOARD_COLUMNS = ["rank", "address", "name", "days_active", "points", "amount"];

/**
 * The header of `leaderboards/<pool>.csv` (SPEC 6): worker pools append
 * `hardware` and `work`, fast workers then `nft`.
 */
export function leaderboardHeader(pool: PoolKey): string[] {
  if (!WORKER_POOLS.has(pool)) return [...LEADERBOARD_COLUMNS];
  return pool === "fastWorkers" ? [...LEADERBOARD_COLUMNS, "hardware", "work", "nft"] : [...LEADERBOARD_COLUMNS, "hardware", "work"];
}

/** The headers a reader accepts for `pool`: the current one, then formatVersion 2's (workers: `hardware` only). */
export function readableLeaderboardHeaders(pool: PoolKey): string[][] {
  const current = leaderboardHeader(pool);
  return WORKER_POOLS.has(pool) ? [current, [...LEADERBOARD_COLUMNS, "hardware"]] : [current];
}

/** leaderboards/<pool>.csv in chunks: points as exact decimals, amount and work in wei. */
export function* leaderboardCsvChunks(board: Leaderboard): Generator<string> {
  const worker = WORKER_POOLS.has(board.pool);
  const fast = board.pool === "fastWorkers";
  let lines: string[] = [leaderboardHeader(board.pool).join(",")];
  for (const entry of board.entries) {
    // Only the name and the hardware are free text (never a formula: csvTextField); the other fields never need quoting.
    let line = `${entry.rank},${entry.address},${csvTextField(entry.name)},${entry.daysActive},${formatDecimal(entry.points, board.pointDecimals)},${entry.amount}`;
    if (worker) line += `,${csvTextField(entry.hardware ?? "")},${entry.work ?? 0n}`;
    if (fast) line += `,${entry.nft ?? ""}`;
    lines.push(line);
    if (lines.length >= CHUNK_LINES) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}

/** rejected.csv: `file,row_id,reason`, one line per row dropped by a cross-check, in the engine's order; ids and reasons never a formula (csvTextField). */
export function renderRejectedCsv(rows: readonly RejectedRow[]): string {
  return ["file,row_id,reason\n", ...rows.map((row) => `${csvField(row.file)},${csvTextField(row.rowId)},${csvTextField(row.reason)}\n`)].join("");
}

// ---- proof shards: formatVersion "2" (publication format "1") -------------------
// The current formats keep the whole tree in tree.bin (season/tree-file.ts). The
// shards are still read (season-io/season-dir.ts, publication-dir.ts, `season
// verify`); the renderers write old-format directories for tests and fixtures.

/** "00" … "ff": the shard names, always all 256. */
export const SHARD_NAMES: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * One proof shard's JSON: `{ "<address>": { "index", "amount", "proof" } }`,
 * one address per line, addresses ascending; `{}` when empty.
 *
 * @example renderProofShard([], tree) === "{}\n"
 */
export function renderProofShard(recipients: readonly ProofRecipient[], tree: ProofSource): string {
  return shardText(recipients.map((recipient) => `  "${recipient.address}": {"index": ${recipient.index}, "amount": "${recipient.amount}", "proof": [${proofText(tree.proof(recipient.index))}]}`));
}

/**
 * One proof shard of a publication (SPEC 8.2), the same shape without
 * `index`: `{ "<address>": { "amount": "<cumulative>", "proof": [..] } }`
 * for leaves [start, end) of the publication's tree (leaf i is `addresses[i]`).
 *
 * @example renderCumulativeProofShard(addresses, cumulative, 0, 0, tree) === "{}\n"
 */
export function renderCumulativeProofShard(addresses: readonly string[], cumulative: readonly bigint[], start: number, end: number, tree: ProofSource): string {
  const lines: string[] = [];
  for (let i = start; i < end; i++) lines.push(`  "${addresses[i]}": {"amount": "${cumulative[i]}", "proof": [${proofText(tree.proof(i))}]}`);
  return shardText(lines);
}

function proofText(proof: readonly Hex[]): string {
  return proof.length === 0 ? "" : `"${proof.join('", "')}"`;
}

function shardText(lines: readonly string[]): string {
  return lines.length === 0 ? "{}\n" : `{\n${lines.join(",\n")}\n}\n`;
}

/**
 * [start, end) of each of the 256 shards over addresses sorted in lower
 * case: shard k holds the addresses whose first byte is k.
 */
export function addressShardRanges(addresses: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  let position = 0;
  for (const name of SHARD_NAMES) {
    const start = position;
    while (position < addresses.length && addresses[position]!.slice(2, 4) === name) position++;
    ranges.push([start, position]);
  }
  if (position !== addresses.length) throw new Error(`addresses are not sorted in lower case at ${position} (${addresses[position]}): this is a bug`);
  return ranges;
}


// ---- reading back ----------------------------------------------------------

/** The proof shard holding `address` (lower case): `proofs/<this>.json`. */
export function shardOf(address: string): string {
  return address.slice(2, 4);
}

/** One address's entry in a proof shard. */
export interface ProofEntry {
  index: number;
  amount: bigint;
  proof: Hex[];
}

const HASH = /^0x[0-9a-f]{64}$/;
const WEI = /^\d{1,78}$/;

/**
 * A proof shard's text, checked entry by entry: a whole-number `index`, a
 * wei `amount` string and a `proof` of 32-byte lower-case hashes. Anything
 * else is an {@link InputError} naming the file and the address.
 *
 * @example parseProofShard('{"0xab…": {"index": 0, "amount": "5", "proof": []}}', "proofs/ab.json")
 */
export function parseProofShard(text: string, file: string): Map<string, ProofEntry> {
  return parseShard(text, file, true, "rebuild the season") as Map<string, ProofEntry>;
}

/** One address's entry in a publication's proof shard (SPEC 8.2). */
export interface CumulativeProofEntry {
  amount: bigint;
  proof: Hex[];
}

/**
 * A publication's proof shard (no `index`), checked as {@link parseProofShard} checks a season's.
 *
 * @example parseCumulativeProofShard('{"0xab…": {"amount": "5", "proof": []}}', "proofs/ab.json")
 */
export function parseCumulativeProofShard(text: string, file: string): Map<string, CumulativeProofEntry> {
  return parseShard(text, file, false, "publish it again");
}

function parseShard(text: string, file: string, withIndex: boolean, fix: string): Map<string, CumulativeProofEntry | ProofEntry> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError({ file }, `not valid JSON (${(error as Error).message}): ${fix}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InputError({ file }, "not a JSON object of address -> proof entry");
  const entries = new Map<string, CumulativeProofEntry | ProofEntry>();
  for (const [address, value] of Object.entries(raw as Record<string, unknown>)) {
    const entry = value as { index?: unknown; amount?: unknown; proof?: unknown } | null;
    const bad = (what: string): never => {
      throw new InputError({ file }, `${address}: ${what}: ${fix}`);
    };
    if (typeof entry !== "object" || entry === null) bad(`not an object with ${withIndex ? "index, " : ""}amount and proof`);
    const keys = Object.keys(entry!);
    const expected = withIndex ? ["index", "amount", "proof"] : ["amount", "proof"];
    if (!withIndex && keys.some((key) => !expected.includes(key))) bad(`unexpected key ${JSON.stringify(keys.find((key) => !expected.includes(key)))} (an entry has amount and proof)`);
    if (withIndex && (typeof entry!.index !== "number" || !Number.isSafeInteger(entry!.index) || entry!.index < 0)) bad(`index ${JSON.stringify(entry!.index)} is not a whole number`);
    if (typeof entry!.amount !== "string" || !WEI.test(entry!.amount)) bad(`amount ${JSON.stringify(entry!.amount)} is not a wei amount`);
    if (!Array.isArray(entry!.proof) || !entry!.proof.every((step) => typeof step === "string" && HASH.test(step))) bad("proof is not a list of 32-byte hex hashes");
    const parsed = { amount: BigInt(entry!.amount as string), proof: entry!.proof as Hex[] };
    entries.set(address, withIndex ? { index: entry!.index as number, ...parsed } : parsed);
  }
  return entries;
}

/** A leaderboard's `nft`: a token id (uint256) or empty. */
const NFT = /^(|0|[1-9]\d{0,77})$/;

/** One row of `leaderboards/<pool>.csv`, as written. */
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
  /** Worker pools of formatVersion 3 on: the wei paid on-chain to the worker (SPEC 6). */
  work?: bigint;
  /** Fast workers of formatVersion 3 on: the nft_token_id of the most recent counted job ("" for none). */
  nft?: string;
}

/**
 * The columns of a leaderboard file from its header line (without the line
 * end; a UTF-8 BOM and a CR are ignored): one of {@link readableLeaderboardHeaders},
 * else an InputError naming the file.
 *
 * @example leaderboardColumns("rank,address,name,days_active,points,amount,hardware", "fastWorkers.csv", "fastWorkers") // formatVersion 2's
 */
export function leaderboardColumns(headerLine: string, file: string, pool: PoolKey): string[] {
  const header = headerLine.replace(/^\uFEFF/, "").replace(/\r$/, "");
  const columns = readableLeaderboardHeaders(pool).find((candidate) => candidate.join(",") === header);
  if (columns === undefined) throw new InputError({ file, line: 1 }, `the header is not "${leaderboardHeader(pool).join(",")}": rebuild the season`);
  return columns;
}

/**
 * One leaderboard row from its CSV fields under `columns` (from
 * {@link leaderboardColumns}), checked: whole-number rank, days and amount,
 * work in wei, nft a whole number or empty.
 */
export function parseLeaderboardFields(fields: readonly string[], columns: readonly string[], file: string, line: number): LeaderboardRow {
  if (fields.length !== columns.length) throw new InputError({ file, line }, `expected ${columns.length} fields (${columns.join(",")}), found ${fields.length}: rebuild the season`);
  const [rank, address, name, days, points, amount, hardware, work, nft] = fields as [string, string, string, string, string, string, string?, string?, string?];
  if (!/^\d+$/.test(rank) || !/^\d+$/.test(days) || !WEI.test(amount)) throw new InputError({ file, line }, "rank, days_active and amount must be whole numbers: rebuild the season");
  if (work !== undefined && !WEI.test(work)) throw new InputError({ file, line, column: "work" }, `work "${work}" is not a wei amount: rebuild the season`);
  if (nft !== undefined && !NFT.test(nft)) throw new InputError({ file, line, column: "nft" }, `nft "${nft}" is not a whole number or empty: rebuild the season`);
  const row: LeaderboardRow = { rank: Number(rank), address, name: readCsvText(name), daysActive: Number(days), points, amount: BigInt(amount) };
  if (hardware !== undefined) row.hardware = readCsvText(hardware);
  if (work !== undefined) row.work = BigInt(work);
  if (nft !== undefined) row.nft = nft;
  return row;
}

/**
 * One data line of a leaderboard file (without its line end), for a reader
 * that seeks to a line instead of reading the file: the project's CSV reader
 * on that line, then {@link parseLeaderboardFields}. `lineNumber` is the
 * line's 1-based number in the file, for errors.
 *
 * @example parseLeaderboardLine('1,0xab…,"bob, the builder",3,12,5', leaderboardHeader("artists"), "artists.csv", 2).name === "bob, the builder"
 */
export function parseLeaderboardLine(line: string, columns: readonly string[], file: string, lineNumber: number): LeaderboardRow {
  if (line.indexOf('"') === -1) return parseLeaderboardFields(line.split(","), columns, file, lineNumber);
  let row: LeaderboardRow | undefined;
  try {
    readCsv(`${columns.join(",")}\n${line}`, file, columns, (fields) => (row = parseLeaderboardFields(fields, columns, file, lineNumber)));
  } catch (error) {
    if (error instanceof InputError && error.line === 2) throw new InputError({ file, line: lineNumber, ...(error.column === undefined ? {} : { column: error.column }) }, error.reason);
    throw error;
  }
  if (row === undefined) throw new InputError({ file, line: lineNumber }, "an empty line: rebuild the season");
  return row;
}

/**
 * `leaderboards/<pool>.csv` back into rows, with the project's one CSV reader
 * (bad header or row: an InputError with file, line and column). Reads the
 * current header and formatVersion 2's (workers without `work` and `nft`).
 */
export function parseLeaderboardCsv(text: string, file: string, pool: PoolKey): LeaderboardRow[] {
  const firstEnd = text.indexOf("\n");
  const columns = leaderboardColumns(firstEnd === -1 ? text : text.slice(0, firstEnd), file, pool);
  const rows: LeaderboardRow[] = [];
  readCsv(text, file, columns, (fields, line) => rows.push(parseLeaderboardFields(fields, columns, file, line)));
  return rows;
}

/** One recipients.csv row: the address, its amount and its amount per pool. */
export interface RecipientRow {
  index: number;
  address: string;
  amount: bigint;
  pools: Record<PoolKey, bigint>;
}

/**
 * Reads one recipients.csv line (without its newline); undefined when it is
 * not `index,address,amount,<5 pool amounts>` with decimal numbers.
 */
export function parseRecipientLine(line: string): RecipientRow | undefined {
  const fields = line.split(",");
  if (fields.length !== RECIPIENTS_HEADER.length || !INDEX_DIGITS.test(fields[0]!) || !isLowerAddress(fields[1]!)) return undefined;
  for (let k = 2; k < fields.length; k++) if (!WEI.test(fields[k]!)) return undefined;
  const pools = {} as Record<PoolKey, bigint>;
  for (let k = 0; k < POOL_KEYS.length; k++) pools[POOL_KEYS[k]!] = BigInt(fields[3 + k]!);
  return { index: Number(fields[0]), address: fields[1]!, amount: BigInt(fields[2]!), pools };
}

const INDEX_DIGITS = /^\d+$/;

/** A recipients.csv row's amounts as decimal wei text (what a JSON answer shows), without bigints. */
export interface RecipientAmountsText {
  amount: string;
  pools: Record<PoolKey, string>;
}

/**
 * The amounts of a recipients.csv row already checked by
 * {@link parseRecipientLine} (a server's held, checked row), from the line's
 * text after its address (",<amount>,<pool>…"), as decimal wei text:
 * nothing parsed into a bigint and printed back; each as
 * `parseRecipientLine(line).amount.toString()` gives it (leading zeros dropped).
 *
 * @example recipientAmountsText(",30,10,0,20,0,0") // { amount: "30", pools: { artists: "10", ambassadors: "0", stakers: "20", … } }
 */
export function recipientAmountsText(afterAddress: string): RecipientAmountsText {
  const fields = afterAddress.split(",");
  const pools = {} as Record<PoolKey, string>;
  for (let k = 0; k < POOL_KEYS.length; k++) pools[POOL_KEYS[k]!] = weiText(fields[2 + k]!);
  return { amount: weiText(fields[1]!), pools };
}

/** Only the amount of a checked row's text after its address (",<amount>,…"), as {@link recipientAmountsText} gives it. */
export function recipientAmountText(afterAddress: string): string {
  return weiText(afterAddress.slice(1, afterAddress.indexOf(",", 1)));
}

/** Decimal wei as BigInt(text).toString() prints it: the text itself unless it has leading zeros. */
function weiText(text: string): string {
  return text.length > 1 && text.charCodeAt(0) === 48 ? BigInt(text).toString() : text;
}

/** recipients.csv's addresses and amounts, as columns (recipient i at position i). */
export interface RecipientAmounts {
  /** Lower-case, strictly ascending. */
  addresses: string[];
  amounts: bigint[];
}

const AMOUNT = /^(0|[1-9]\d{0,77})$/;

/**
 * The address and amount columns of recipients.csv, read for `season
 * publish` (a million rows in well under a second: no per-field split, no
 * pool amounts parsed). Checked as it goes: the header, indices 0…n-1,
 * lower-case addresses strictly ascending, amounts in wei. Anything else is
 * an InputError naming the file and the line.
 *
 * @example readRecipientAmounts(readFileSync("out/season-7/recipients.csv", "utf8"), "out/season-7/recipients.csv").amounts[0]
 */
export function readRecipientAmounts(text: string, file: string): RecipientAmounts {
  const header = RECIPIENTS_HEADER.join(",");
  const firstEnd = text.indexOf("\n");
  if ((firstEnd === -1 ? text : text.slice(0, firstEnd)) !== header) throw new InputError({ file, line: 1 }, `the header is not "${header}": rebuild the season`);
  const addresses: string[] = [];
  const amounts: bigint[] = [];
  let previous = "";
  let lineStart = firstEnd + 1;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const row = addresses.length;
    const bad = (what: string): never => {
      throw new InputError({ file, line: row + 2 }, `${what}: rebuild the season`);
    };
    const firstComma = text.indexOf(",", lineStart);
    const secondComma = firstComma === -1 ? -1 : text.indexOf(",", firstComma + 1);
    const thirdComma = secondComma === -1 ? -1 : text.indexOf(",", secondComma + 1);
    if (thirdComma === -1 || thirdComma > lineEnd) bad("not a recipients.csv row (index,address,amount,…)");
    if (text.slice(lineStart, firstComma) !== String(row)) bad(`index "${text.slice(lineStart, firstComma)}", expected ${row}`);
    const address = text.slice(firstComma + 1, secondComma);
    if (!isLowerAddress(address)) bad(`address ${JSON.stringify(address)} is not lower-case hex`);
    if (!(previous < address)) bad(`${address} is not after ${previous} (sorted, unique)`);
    const amount = text.slice(secondComma + 1, thirdComma);
    if (!AMOUNT.test(amount)) bad(`amount ${JSON.stringify(amount)} is not a wei amount`);
    addresses.push(address);
    amounts.push(BigInt(amount));
    previous = address;
    lineStart = lineEnd + 1;
  }
  return { addresses, amounts };
}
