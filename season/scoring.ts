/**
 * Points from the four Spark exports (SPEC sections 2 and 4), with the
 * cross-checks against the on-chain facts. Every field is validated on every
 * row (in the window or not), so a bad export fails the same way whatever
 * its dates; rows outside `[start, end)` are then skipped and counted.
 *
 * Scales (exact integers, nothing rounded before allocation):
 * - artist points × 10^6 (inputs have 6 decimals, multipliers 1 and 10);
 * - ambassador points × 10^7 (the second-level referral is 0.2 × s);
 * - worker points × 10^12 (spark_value × weight, both with 6 decimals).
 */
import { AddressError, normalizeAddress, ZERO_ADDRESS, type Address } from "./address.js";
import { readCsv } from "./csv.js";
import { DecimalError, parseDecimal } from "./decimal.js";
import { InputError } from "./errors.js";
import { PoolTally } from "./tally.js";
import { escapeInvisible, idProblem } from "./text.js";
import { parseIsoTime, TimestampError } from "./time.js";
import { INPUT_DECIMALS, type OnchainFacts, type RejectedRow, type SeasonConfig } from "./types.js";

export const USERS_COLUMNS = ["user_id", "username", "address", "referrer_id"] as const;
export const USAGE_COLUMNS = ["request_id", "user_id", "timestamp", "free_spark", "paid_spark", "sogni", "sogni_spark"] as const;
export const PURCHASES_COLUMNS = ["purchase_id", "user_id", "timestamp", "spark", "method", "sogni", "tx_hash"] as const;
export const JOBS_COLUMNS = ["job_id", "worker_address", "tier", "hardware", "timestamp", "spark_value", "payment", "payout_batch"] as const;
/** SPEC 4: jobs.csv may end with this column, the Fast Worker NFT a job was served under (a whole number, or empty). */
export const JOBS_NFT_COLUMN = "nft_token_id";

export const ARTIST_POINT_DECIMALS = 6;
export const AMBASSADOR_POINT_DECIMALS = 7;
export const WORKER_POINT_DECIMALS = 12;

/** Artist points per Spark: free 1, paid 10, SOGNI (as Spark) 10. */
const ARTIST_FREE = 1n;
const ARTIST_PAID = 10n;
const ARTIST_SOGNI = 10n;
/** Ambassador points per purchased Spark, in tenths (scale 10^7 over a 10^6 input): buyer 1, referrer 1, referrer's referrer 0.2. */
const AMBASSADOR_BUYER = 10n;
const AMBASSADOR_REFERRER = 10n;
const AMBASSADOR_SECOND_LEVEL = 2n;

export const TIERS = { fast: "fastWorkers", relaxed: "relaxedWorkers" } as const;
const MAX_UINT256 = (1n << 256n) - 1n;

export interface User {
  id: string;
  /** Position in users.csv (0 = the first data row): activity rows refer to users by it. */
  index: number;
  address: Address;
  referrer: User | undefined;
  /** users.csv line and raw referrer_id, for errors. */
  line: number;
  referrerId: string;
  /** Cycle check: 0 unvisited, 1 on the current walk, 2 known to end without a cycle. */
  walk: 0 | 1 | 2;
}

export interface Users {
  byId: Map<string, User>;
  /** In users.csv order: `list[user.index] === user`. */
  list: User[];
  /** username of the first users.csv row with each address. */
  names: Map<Address, string>;
}

/** A row-level field reader: every failure is an InputError at (file, line, column). */
class Row {
  constructor(
    readonly file: string,
    readonly line: number,
    private readonly columns: ReadonlyMap<string, number>,
    readonly fields: string[],
  ) {}

  fail(column: string, reason: string): never {
    throw new InputError({ file: this.file, line: this.line, column }, reason);
  }

  text(column: string, required = true): string {
    const value = this.fields[this.columns.get(column)!]!;
    if (required && value === "") this.fail(column, `${column} is empty`);
    return value;
  }

  decimal(column: string, decimals = INPUT_DECIMALS): bigint {
    const value = this.text(column);
    try {
      return parseDecimal(value, decimals);
    } catch (error) {
      if (error instanceof DecimalError) return this.fail(column, error.message);
      throw error;
    }
  }

  address(column: string): Address {
    const value = this.text(column);
    try {
      return normalizeAddress(value);
    } catch (error) {
      if (error instanceof AddressError) return this.fail(column, error.message);
      throw error;
    }
  }

  /** An address that can receive a reward: not the zero address, whose amount no one could ever claim. */
  recipient(column: string): Address {
    const address = this.address(column);
    if (address === ZERO_ADDRESS) this.fail(column, `${column} is the zero address: no one can claim what it earns; give the real address`);
    return address;
  }

  timestamp(column = "timestamp"): number {
    const value = this.text(column);
    try {
      return parseIsoTime(value);
    } catch (error) {
      if (error instanceof TimestampError) return this.fail(column, error.message);
      throw error;
    }
  }

  uint(column: string): bigint {
    return BigInt(this.wholeNumber(column, true));
  }

  /** A uint256 as written (digits, no sign, no leading zero); `required` false: "" is allowed too. */
  wholeNumber(column: string, required: boolean): string {
    const value = this.text(column, required);
    if (value === "" && !required) return value;
    if (!/^(0|[1-9]\d{0,77})$/.test(value)) this.fail(column, `${column} must be a non-negative integer${required ? "" : " or empty"}, found "${escapeInvisible(value)}"`);
    if (value.length === 78 && BigInt(value) > MAX_UINT256) this.fail(column, `${column} ${value} is above 2^256 - 1, the largest on-chain id`);
    return value;
  }

  /** An id: no invisible or control character, which would make two ids look the same. */
  idText(column: string, required = true): string {
    const value = this.text(column, required);
    const problem = idProblem(value);
    if (problem !== undefined) this.fail(column, `${column} "${escapeInvisible(value)}" ${problem}: ids must read the same as they look`);
    return value;
  }

  /** A unique id: a second row with the same id is an error (a duplicated row must never count twice). */
  id(column: string, seen: Set<string>): string {
    const value = this.idText(column);
    if (seen.has(value)) this.fail(column, `duplicate ${column} "${value}": the same id is on an earlier line; remove the repeated row`);
    seen.add(value);
    return value;
  }

  /** The users.csv index of the row's user. */
  user(userIndex: UserIndex, column = "user_id"): number {
    const id = this.text(column);
    const index = userIndex(id);
    if (index === undefined) {
      this.idText(column);
      this.fail(column, `unknown user id "${id}": it is not in users.csv`);
    }
    return index!;
  }
}

function eachRow(text: string, file: string, columns: readonly string[], onRow: (row: Row) => void): void {
  const index = new Map(columns.map((column, i) => [column, i]));
  readCsv(text, file, columns, (fields, line) => onRow(new Row(file, line, index, fields)));
}

/** users.csv: ids, addresses and the referral tree (no unknown referrer, no self-referral, no cycle). */
export function readUsers(text: string, file = "users.csv"): Users {
  const byId = new Map<string, User>();
  const list: User[] = [];
  const names = new Map<Address, string>();
  eachRow(text, file, USERS_COLUMNS, (row) => {
    const id = row.idText("user_id");
    if (byId.has(id)) row.fail("user_id", `duplicate user_id "${id}" (first on line ${byId.get(id)!.line}): remove the repeated row`);
    const username = row.text("username", false);
    const address = row.recipient("address");
    const referrerId = row.idText("referrer_id", false);
    if (referrerId === id) row.fail("referrer_id", `user "${id}" refers to itself: a self-referral is not allowed`);
    const user: User = { id, index: list.length, address, referrer: undefined, line: row.line, referrerId, walk: 0 };
    byId.set(id, user);
    list.push(user);
    if (!names.has(address)) names.set(address, username);
  });
  for (const user of byId.values()) {
    if (user.referrerId === "") continue;
    const referrer = byId.get(user.referrerId);
    if (referrer === undefined) {
      throw new InputError({ file, line: user.line, column: "referrer_id" }, `unknown referrer id "${user.referrerId}": it is not a user_id in users.csv`);
    }
    user.referrer = referrer;
  }
  // Cycle check: follow each referral chain once; meeting a user of the current walk closes a cycle.
  const walk: User[] = [];
  for (const start of byId.values()) {
    let user: User | undefined = start;
    while (user !== undefined && user.walk !== 2) {
      if (user.walk === 1) {
        const cycle = walk.slice(walk.indexOf(user)).map((u) => u.id);
        throw new InputError({ file, line: user.line, column: "referrer_id" }, `referral cycle ${[...cycle, user.id].join(" -> ")}: break it by clearing one referrer_id`);
      }
      user.walk = 1;
      walk.push(user);
      user = user.referrer;
    }
    for (const visited of walk) visited.walk = 2;
    walk.length = 0;
  }
  return { byId, list, names };
}

/** Finds a user's users.csv index by user_id; undefined for an unknown id. */
export type UserIndex = (id: string) => number | undefined;

export function userIndexOf(users: Users): UserIndex {
  return (id) => users.byId.get(id)?.index;
}

/**
 * The users.csv index of every user_id, and nothing else: what a second
 * thread needs to parse the activity exports while this one reads
 * users.csv in full. It agrees with {@link readUsers} whenever that
 * accepts the file (readUsers reports every problem of users.csv).
 */
export function readUserIndex(text: string, file = "users.csv"): Map<string, number> {
  const ids = new Map<string, number>();
  let index = 0;
  readCsv(text, file, USERS_COLUMNS, (fields) => {
    if (!ids.has(fields[0]!)) ids.set(fields[0]!, index);
    index += 1;
  });
  return ids;
}

export interface ScoringContext {
  config: SeasonConfig;
  users: Users;
  onchain: OnchainFacts;
  excluded: ReadonlySet<Address>;
  rejected: RejectedRow[];
  skipped: Record<string, number>;
}

function inWindow(config: SeasonConfig, at: number): boolean {
  return at >= config.start && at < config.end;
}

function countSkipped(context: ScoringContext, file: string, skipped: number): void {
  if (skipped > 0) context.skipped[file] = (context.skipped[file] ?? 0) + skipped;
}

/**
 * The counted rows of spark_usage.csv (in the window, points above zero), in
 * file order, as parallel arrays so they cross between threads cheaply.
 */
export interface UsageRows {
  /** users.csv index of the artist. */
  user: number[];
  at: number[];
  /** Artist points × 10^6. */
  points: bigint[];
  /** Valid rows outside the window. */
  skipped: number;
}

/** spark_usage.csv -> its counted rows; every field of every row is validated. */
export function parseUsage(text: string, config: SeasonConfig, userIndex: UserIndex, file = "spark_usage.csv"): UsageRows {
  const rows: UsageRows = { user: [], at: [], points: [], skipped: 0 };
  const seen = new Set<string>();
  eachRow(text, file, USAGE_COLUMNS, (row) => {
    row.id("request_id", seen);
    const user = row.user(userIndex);
    const at = row.timestamp();
    const free = row.decimal("free_spark");
    const paid = row.decimal("paid_spark");
    row.decimal("sogni");
    const sogniSpark = row.decimal("sogni_spark");
    if (!inWindow(config, at)) {
      rows.skipped += 1;
      return;
    }
    const points = ARTIST_FREE * free + ARTIST_PAID * paid + ARTIST_SOGNI * sogniSpark;
    if (points === 0n) return;
    rows.user.push(user);
    rows.at.push(at);
    rows.points.push(points);
  });
  return rows;
}

/** Usage rows -> artist points (× 10^6) per address. */
export function scoreUsage(rows: UsageRows, context: ScoringContext, file = "spark_usage.csv"): PoolTally {
  countSkipped(context, file, rows.skipped);
  const tally = new PoolTally(context.config.start);
  const users = context.users.list;
  for (let r = 0; r < rows.user.length; r++) tally.add(users[rows.user[r]!]!.address, rows.points[r]!, rows.at[r]!);
  return tally;
}

export interface SogniPurchase {
  id: string;
  /** users.csv index of the buyer. */
  user: number;
  at: number;
  spark: bigint;
  sogniWei: bigint;
  sogniText: string;
  txHash: string;
}

/** The counted rows of spark_purchases.csv (in the window), in file order. */
export interface PurchaseRows {
  /** Card purchases as parallel arrays: buyer (users.csv index), time, Spark × 10^6. */
  card: { user: number[]; at: number[]; spark: bigint[] };
  /** SOGNI purchases, counted only with a backing on-chain deposit. */
  sogni: SogniPurchase[];
  /** Valid rows outside the window. */
  skipped: number;
}

/** spark_purchases.csv -> its rows in the window; every field of every row is validated. */
export function parsePurchases(text: string, config: SeasonConfig, userIndex: UserIndex, file = "spark_purchases.csv"): PurchaseRows {
  const rows: PurchaseRows = { card: { user: [], at: [], spark: [] }, sogni: [], skipped: 0 };
  const seen = new Set<string>();
  const weiPerUnit = 10n ** BigInt(config.decimals - INPUT_DECIMALS);
  eachRow(text, file, PURCHASES_COLUMNS, (row) => {
    const id = row.id("purchase_id", seen);
    const user = row.user(userIndex);
    const at = row.timestamp();
    const spark = row.decimal("spark");
    const method = row.text("method");
    let sogniWei = 0n;
    let txHash = "";
    if (method === "card") {
      if (row.text("sogni", false) !== "") row.fail("sogni", "sogni must be empty for a card purchase");
      if (row.text("tx_hash", false) !== "") row.fail("tx_hash", "tx_hash must be empty for a card purchase");
    } else if (method === "sogni") {
      sogniWei = row.decimal("sogni") * weiPerUnit;
      txHash = row.text("tx_hash");
      if (!/^0x[0-9a-fA-F]{64}$/.test(txHash)) row.fail("tx_hash", `tx_hash must be 0x and 64 hex digits, found "${txHash}"`);
      txHash = txHash.toLowerCase();
    } else {
      row.fail("method", `unknown method "${method}" (expected card or sogni)`);
    }
    if (!inWindow(config, at)) {
      rows.skipped += 1;
      return;
    }
    if (method === "card") {
      rows.card.user.push(user);
      rows.card.at.push(at);
      rows.card.spark.push(spark);
    } else {
      rows.sogni.push({ id, user, at, spark, sogniWei, sogniText: row.text("sogni"), txHash });
    }
  });
  return rows;
}

/** Purchase rows -> ambassador points (× 10^7) per address; SOGNI purchases need a backing deposit. */
export function scorePurchases(rows: PurchaseRows, context: ScoringContext, file = "spark_purchases.csv"): PoolTally {
  countSkipped(context, file, rows.skipped);
  const tally = new PoolTally(context.config.start);
  const users = context.users.list;
  const credit = (user: User, spark: bigint, at: number): void => {
    tally.add(user.address, AMBASSADOR_BUYER * spark, at);
    const referrer = user.referrer;
    if (referrer === undefined) return;
    tally.add(referrer.address, AMBASSADOR_REFERRER * spark, at);
    if (referrer.referrer !== undefined) tally.add(referrer.referrer.address, AMBASSADOR_SECOND_LEVEL * spark, at);
  };
  const card = rows.card;
  for (let r = 0; r < card.user.length; r++) credit(users[card.user[r]!]!, card.spark[r]!, card.at[r]!);

  // One transaction backs one purchase at most: the earliest purchase (then the lowest id) citing it.
  const deposits = new Map<string, OnchainFacts["deposits"]>();
  for (const deposit of context.onchain.deposits) {
    if (deposit.to !== context.config.sparkDepositAddress) continue;
    const list = deposits.get(deposit.txHash);
    if (list === undefined) deposits.set(deposit.txHash, [deposit]);
    else list.push(deposit);
  }
  const usedBy = new Map<string, string>();
  const sogniPurchases = [...rows.sogni].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const purchase of sogniPurchases) {
    const buyer = users[purchase.user]!;
    const reject = (reason: string): void => {
      context.rejected.push({ file, rowId: purchase.id, reason });
    };
    const earlier = usedBy.get(purchase.txHash);
    if (earlier !== undefined) {
      reject(`transaction ${purchase.txHash} already backs purchase ${earlier}`);
      continue;
    }
    const transfers = (deposits.get(purchase.txHash) ?? []).filter((d) => d.from === buyer.address);
    if (transfers.length === 0) {
      reject(`no on-chain SOGNI transfer from ${buyer.address} to the deposit address in transaction ${purchase.txHash}`);
      continue;
    }
    const transferred = transfers.reduce((sum, d) => sum + d.amount, 0n);
    if (transferred < purchase.sogniWei) {
      reject(`transaction ${purchase.txHash} transferred ${transferred} wei, less than the ${purchase.sogniText} SOGNI paid`);
      continue;
    }
    usedBy.set(purchase.txHash, purchase.id);
    credit(buyer, purchase.spark, purchase.at);
  }
  return tally;
}

/** What jobs.csv gives the season: the two workers' tallies, each worker's on-chain pay and the counts of SPEC 6's `stats`. */
export interface JobScores {
  fastWorkers: PoolTally;
  relaxedWorkers: PoolTally;
  /**
   * SPEC 6 `work`, per worker with a counted job (both tiers): the wei of the
   * WorkerPaid events that paid it in the payout batches of its counted jobs,
   * each batch once, however many of its jobs cite it.
   */
  work: Map<Address, bigint>;
  /** Counted jobs: in the window and paid on-chain, points 0 included (SPEC 6 `stats.creations`). */
  creations: number;
}

/**
 * The columns of a jobs.csv: SPEC 4's eight, and `nft_token_id` after them
 * when the header has more than eight fields (readCsv then checks every name,
 * so a wrong ninth column is an error naming it).
 */
export function jobsColumns(text: string): readonly string[] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.indexOf("\n", start);
  const header = text.slice(start, end === -1 ? undefined : end);
  let fields = 1;
  for (let i = header.indexOf(","); i !== -1; i = header.indexOf(",", i + 1)) fields += 1;
  return fields > JOBS_COLUMNS.length ? [...JOBS_COLUMNS, JOBS_NFT_COLUMN] : JOBS_COLUMNS;
}

/**
 * jobs.csv -> worker points (× 10^12) per address and tier, with each
 * worker's on-chain pay (`work`); a job counts only if its batch paid that
 * worker on-chain.
 */
export function scoreJobs(text: string, context: ScoringContext, file = "jobs.csv"): JobScores {
  const tallies = { fastWorkers: new PoolTally(context.config.start), relaxedWorkers: new PoolTally(context.config.start) };
  // "<batch>:<worker>" -> the wei of every WorkerPaid event of that batch to that worker (paid twice: both count).
  const paid = new Map<string, bigint>();
  for (const fact of context.onchain.workerPaid) {
    const key = `${fact.batchId}:${fact.worker}`;
    paid.set(key, (paid.get(key) ?? 0n) + fact.amount);
  }
  const work = new Map<Address, bigint>();
  const workBatches = new Set<string>();
  let creations = 0;
  const weights = context.config.workerPaymentWeights;
  const kinds = Object.keys(weights).join(", ");
  const columns = jobsColumns(text);
  const withNft = columns.length > JOBS_COLUMNS.length;
  const seen = new Set<string>();
  const rejected: RejectedRow[] = [];
  let skipped = 0;
  eachRow(text, file, columns, (row) => {
    const id = row.id("job_id", seen);
    const worker = row.recipient("worker_address");
    const tierText = row.text("tier");
    const tier = TIERS[tierText as keyof typeof TIERS];
    if (tier === undefined || !Object.hasOwn(TIERS, tierText)) row.fail("tier", `unknown tier "${tierText}" (expected fast or relaxed)`);
    const hardware = row.text("hardware", false);
    const at = row.timestamp();
    const sparkValue = row.decimal("spark_value");
    const payment = row.text("payment");
    if (!Object.hasOwn(weights, payment)) row.fail("payment", `unknown payment kind "${payment}" (season.json workerPaymentWeights has ${kinds})`);
    const batch = row.uint("payout_batch");
    const nft = withNft ? row.wholeNumber(JOBS_NFT_COLUMN, false) : "";
    if (!inWindow(context.config, at)) {
      skipped += 1;
      return;
    }
    const key = `${batch}:${worker}`;
    const pay = paid.get(key);
    if (pay === undefined) {
      rejected.push({ file, rowId: id, reason: `worker ${worker} was not paid on-chain in payout batch ${batch}` });
      return;
    }
    creations += 1;
    if (!workBatches.has(key)) {
      workBatches.add(key);
      work.set(worker, (work.get(worker) ?? 0n) + pay);
    }
    const points = sparkValue * weights[payment]!;
    if (points === 0n) return;
    const tally = tallies[tier];
    tally.noteLatestJob(tally.add(worker, points, at), at, id, hardware, nft);
  });
  countSkipped(context, file, skipped);
  rejected.sort((a, b) => (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0));
  context.rejected.push(...rejected);
  return { ...tallies, work, creations };
}
