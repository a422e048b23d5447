/**
 * A small builder for engine tests: write a season as rows, get computeSeason's
 * result. Addresses are made from numbers (`who(1)` = 0x00…01) so the
 * expected numbers in each test stay readable.
 *
 * @example
 * const s = new SeasonBuilder();
 * s.user("u1", who(1)).usage("u1", "2026-10-14T10:00:00Z", { free: "5" });
 * s.compute().leaderboards.artists.entries[0].points === 5_000_000n;
 */
import { parseSeasonConfig } from "../../season/config.js";
import { InputError } from "../../season/errors.js";
import { computeSeason } from "../../season/engine.js";
import { parseOnchainJson } from "../../season/onchain.js";
import type { OnchainJson, PoolKey, SeasonResult } from "../../season/types.js";

export const E18 = 10n ** 18n;
export const DAY = 86_400;
export const WEEK = 7 * DAY;
/** 2026-10-12T00:00:00Z, a Monday: the window of the default config starts here and lasts 2 weeks. */
export const START = Date.parse("2026-10-12T00:00:00Z") / 1000;
export const END = START + 2 * WEEK;
export const DEPOSIT = "0x5e50000000000000000000000000000000000001";
export const CHAIN = 31337;

/** A lower-case address from a number: who(1) = 0x000…0001. */
export function who(n: number): string {
  return `0x${n.toString(16).padStart(40, "0")}`;
}

export function iso(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.000Z$/, "Z");
}

export interface ConfigOverrides {
  pools?: Partial<Record<PoolKey, { amount: string; top?: number }>>;
  workerPaymentWeights?: Record<string, string>;
  exclude?: string[];
  start?: string;
  end?: string;
  season?: number;
}

export class SeasonBuilder {
  users: string[] = ["user_id,username,address,referrer_id"];
  usageRows: string[] = ["request_id,user_id,timestamp,free_spark,paid_spark,sogni,sogni_spark"];
  purchaseRows: string[] = ["purchase_id,user_id,timestamp,spark,method,sogni,tx_hash"];
  jobRows: string[] = ["job_id,worker_address,tier,hardware,timestamp,spark_value,payment,payout_batch"];
  onchain: OnchainJson = { snapshot: [{ chainId: CHAIN, block: 100, hash: `0x${"ab".repeat(32)}`, timestamp: END + DAY }], locks: [], workerPaid: [], deposits: [] };
  private counter = 0;
  /** Facts are logged in the order they are added: block 1, log index 0, 1, 2… */
  private logIndex = 0;

  constructor(private readonly overrides: ConfigOverrides = {}) {}

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  user(id: string, address: string, referrer = "", name = id): this {
    this.users.push(`${id},${name},${address},${referrer}`);
    return this;
  }

  usage(user: string, at: string | number, spark: { free?: string; paid?: string; sogni?: string; sogniSpark?: string }, id = this.nextId("r")): this {
    const time = typeof at === "number" ? iso(at) : at;
    this.usageRows.push(`${id},${user},${time},${spark.free ?? "0"},${spark.paid ?? "0"},${spark.sogni ?? "0"},${spark.sogniSpark ?? "0"}`);
    return this;
  }

  card(user: string, at: string | number, spark: string, id = this.nextId("p")): this {
    const time = typeof at === "number" ? iso(at) : at;
    this.purchaseRows.push(`${id},${user},${time},${spark},card,,`);
    return this;
  }

  sogniPurchase(user: string, at: string | number, spark: string, sogni: string, txHash: string, id = this.nextId("p")): this {
    const time = typeof at === "number" ? iso(at) : at;
    this.purchaseRows.push(`${id},${user},${time},${spark},sogni,${sogni},${txHash}`);
    return this;
  }

  /** A job; `nft` (an nft_token_id, "" for none) gives jobs.csv its optional last column (SPEC 4), for every row. */
  job(worker: string, tier: string, at: string | number, sparkValue: string, payment: string, batch: number, hardware = "RTX 4090", id = this.nextId("j"), nft?: string): this {
    const time = typeof at === "number" ? iso(at) : at;
    if (nft !== undefined) this.nftColumn();
    const row = `${id},${worker},${tier},${hardware},${time},${sparkValue},${payment},${batch}`;
    this.jobRows.push(this.jobRows[0]!.endsWith(",nft_token_id") ? `${row},${nft ?? ""}` : row);
    return this;
  }

  /** Gives jobs.csv the `nft_token_id` column (empty on the rows so far). */
  nftColumn(): this {
    if (!this.jobRows[0]!.endsWith(",nft_token_id")) this.jobRows = this.jobRows.map((row, i) => (i === 0 ? `${row},nft_token_id` : `${row},`));
    return this;
  }

  paid(batch: number, worker: string, amount = "1", chainId = CHAIN): this {
    this.onchain.workerPaid.push({ chainId, block: 1, logIndex: this.logIndex++, batchId: String(batch), worker, amount });
    return this;
  }

  deposit(txHash: string, from: string, wei: bigint, to = DEPOSIT): this {
    this.onchain.deposits.push({ chainId: CHAIN, block: 1, logIndex: this.logIndex++, txHash, from, to, amount: wei.toString() });
    return this;
  }

  /** A `Staked` state; `staking` names the staking contract that emitted it (absent: the chain's only one). */
  lock(account: string, sogni: bigint, lockWeeks: number, effectiveFrom: number, unlockAt: number, chainId = CHAIN, staking?: string): this {
    if (!this.onchain.snapshot.some((s) => s.chainId === chainId)) this.onchain.snapshot.push({ chainId, block: 50, hash: `0x${"cd".repeat(32)}`, timestamp: END + DAY });
    this.onchain.locks.push({ chainId, block: 1, logIndex: this.logIndex++, ...(staking === undefined ? {} : { staking }), account, amount: (sogni * E18).toString(), lockWeeks, effectiveFrom, unlockAt });
    return this;
  }

  configJson(): string {
    const o = this.overrides;
    return JSON.stringify({
      season: o.season ?? 7,
      start: o.start ?? iso(START),
      end: o.end ?? iso(END),
      sparkDepositAddress: DEPOSIT,
      pools: {
        artists: { amount: "1000", top: 200 },
        ambassadors: { amount: "1000" },
        stakers: { amount: "1000" },
        relaxedWorkers: { amount: "1000", top: 200 },
        fastWorkers: { amount: "1000", top: 200 },
        ...o.pools,
      },
      workerPaymentWeights: o.workerPaymentWeights ?? { sogni: "1", premium_spark: "1", free_daily_boost: "0.1" },
      exclude: o.exclude ?? [],
    });
  }

  files(): { users: string; spark_usage: string; spark_purchases: string; jobs: string } {
    const csv = (rows: string[]) => `${rows.join("\n")}\n`;
    return { users: csv(this.users), spark_usage: csv(this.usageRows), spark_purchases: csv(this.purchaseRows), jobs: csv(this.jobRows) };
  }

  compute(): SeasonResult {
    return computeSeason({ config: parseSeasonConfig(this.configJson()), files: this.files(), onchain: parseOnchainJson(JSON.stringify(this.onchain)) });
  }
}

/** The leaderboard of `pool` as [address, points, amount] rows. */
export function board(result: SeasonResult, pool: PoolKey): [string, bigint, bigint][] {
  return result.leaderboards[pool].entries.map((e) => [e.address, e.points, e.amount]);
}

/** The InputError `run` throws (any other error is rethrown); fails when it throws none. */
export function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError, got none");
}
