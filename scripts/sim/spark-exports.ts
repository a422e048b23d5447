/**
 * Off-chain Spark exports that match a simulation (SPEC section 4): users
 * with referral trees, creation requests, purchases (card, and `sogni` ones
 * whose tx_hash are the real deposit transactions) and jobs whose
 * payout_batch are the real batches (fast jobs mostly name the worker's NFT
 * in nft_token_id). A few rows are deliberately wrong in ways that are not
 * validation errors but cross-check rejections; they are listed in
 * `expectedRejections`. Also the season.json for the window.
 *
 * Pure and deterministic: the same plan and facts give the same bytes.
 *
 * @example
 * const exports = sparkExports(plan, facts, { season: 7 });
 * exports.files["users.csv"]; // "user_id,username,address,referrer_id\nu0001,…"
 */
import { formatDecimal } from "../../season/decimal.js";
import { isoSeconds } from "../../season/time.js";
import { DEFAULT_WORKER_PAYMENT_WEIGHTS } from "../../season/config.js";

/** Season 7's pools as the public leaderboard page announces them (SPEC section 1), in season.json's form. */
export const SEASON_7_POOLS = {
  artists: { amount: "2000000", top: 200 },
  ambassadors: { amount: "3000000" },
  stakers: { amount: "3000000" },
  relaxedWorkers: { amount: "500000", top: 200 },
  fastWorkers: { amount: "1500000", top: 200 },
} as const;
import type { ExpectedFacts, TransferFact } from "./facts.js";
import { MICRO_SOGNI, type Address, type SimAccount, type SimulationPlan } from "./plan.js";
import { createRng, type Rng } from "./rng.js";

const DAY = 86_400;

export type RejectionKind =
  | "job-batch-did-not-pay-worker"
  | "job-batch-unknown"
  | "purchase-tx-not-to-deposit-address"
  | "purchase-deposit-too-small"
  | "purchase-tx-reused"
  | "purchase-tx-not-from-user";

export interface ExpectedRejection {
  file: "jobs.csv" | "spark_purchases.csv";
  rowId: string;
  kind: RejectionKind;
}

export interface SparkExports {
  /** File name -> CSV text (header row, "\n" line ends, final newline). */
  files: Record<"users.csv" | "spark_usage.csv" | "spark_purchases.csv" | "jobs.csv", string>;
  /** season.json text. */
  seasonJson: string;
  expectedRejections: ExpectedRejection[];
  /** Rows whose timestamp is outside the window, per file (they are skipped, not errors). */
  outsideWindow: Record<string, number>;
}

export interface SparkExportOptions {
  season?: number;
}

/** Wei (a whole number of micro-SOGNI) as a SOGNI decimal with at most 6 fractional digits. */
function sogniDecimal(wei: bigint): string {
  if (wei % MICRO_SOGNI !== 0n) throw new RangeError(`${wei} wei is not a whole number of micro-SOGNI`);
  return formatDecimal(wei / MICRO_SOGNI, 6);
}

/** A micro-unit amount in [min, max] whole units, with `digits` random fractional digits (0-6). */
function micro(rng: Rng, min: bigint, max: bigint, digits: number): bigint {
  const step = 10n ** BigInt(6 - digits);
  return (rng.bigint(min * 1_000_000n, max * 1_000_000n) / step) * step;
}

function csv(header: string, rows: string[][]): string {
  return `${[header, ...rows.map((row) => row.join(","))].join("\n")}\n`;
}

const SYLLABLES = ["ka", "lo", "mi", "ra", "ven", "to", "shi", "na", "el", "dor", "pix", "zu", "art", "neo", "sol", "lux"];

function username(rng: Rng, index: number): string {
  const parts = rng.between(2, 3);
  let name = "";
  for (let i = 0; i < parts; i++) name += rng.pick(SYLLABLES);
  return `${name}_${index}`;
}

interface User {
  id: string;
  name: string;
  address: Address;
  referrer: string;
}

/** Builds the four CSVs, season.json and the list of rows the cross-checks must reject. */
export function sparkExports(plan: SimulationPlan, facts: ExpectedFacts, options: SparkExportOptions = {}): SparkExports {
  const rng = createRng(plan.seed).fork("spark");
  const { start, end } = plan.window;
  const inWindow = (timestamp: number): boolean => timestamp >= start && timestamp < end;
  const outsideWindow: Record<string, number> = { "spark_usage.csv": 0, "spark_purchases.csv": 0, "jobs.csv": 0 };
  const rejections: ExpectedRejection[] = [];

  // ---- users: every user account, plus two extra users sharing an address ----
  const userAccounts = plan.accounts.filter((account) => account.isUser);
  const users: User[] = [];
  const addUser = (address: Address): User => {
    const index = users.length + 1;
    // Referrers are earlier users (so no cycle) with another address (no self-referral by address either).
    const candidates = users.filter((user) => user.address !== address);
    const referrer = candidates.length > 0 && rng.chance(60) ? rng.pick(candidates).id : "";
    const user = { id: `u${String(index).padStart(4, "0")}`, name: username(rng, index), address, referrer };
    users.push(user);
    return user;
  };
  for (const account of userAccounts) addUser(account.address);
  for (let i = 0; i < 2; i++) addUser(rng.pick(userAccounts).address);
  const usersByAddress = new Map<Address, User[]>();
  for (const user of users) usersByAddress.set(user.address, [...(usersByAddress.get(user.address) ?? []), user]);

  // ---- spark_usage.csv: creation requests, a few outside the window ---------
  const usageRows: { timestamp: number; row: string[] }[] = [];
  for (const user of users) {
    if (!rng.chance(65)) continue;
    const requests = rng.between(1, 6);
    for (let i = 0; i < requests; i++) {
      const timestamp = rng.between(start - 3 * DAY, end + 3 * DAY);
      const free = rng.chance(70) ? micro(rng, 0n, 50n, 2) : 0n;
      const paid = rng.chance(60) ? micro(rng, 0n, 200n, 6) : 0n;
      const withSogni = rng.chance(15);
      const sogni = withSogni ? micro(rng, 1n, 100n, 6) : 0n;
      const rate = BigInt(rng.between(15, 30));
      usageRows.push({
        timestamp,
        row: [user.id, isoSeconds(timestamp), formatDecimal(free, 6), formatDecimal(paid, 6), formatDecimal(sogni, 6), formatDecimal(sogni * rate, 6)],
      });
    }
  }
  usageRows.sort((a, b) => a.timestamp - b.timestamp);
  const usage = usageRows.map(({ timestamp, row }, i) => {
    if (!inWindow(timestamp)) outsideWindow["spark_usage.csv"]!++;
    return [`r${String(i + 1).padStart(6, "0")}`, ...row];
  });

  // ---- spark_purchases.csv ----------------------------------------------------
  type Purchase = { timestamp: number; user: User; spark: bigint; method: "card" | "sogni"; sogni: bigint; txHash: string; reject?: RejectionKind };
  const purchases: Purchase[] = [];
  const sogniPurchase = (deposit: TransferFact, user: User, sogniWei: bigint, reject?: RejectionKind, delay?: number): Purchase => {
    const sogni = sogniWei / MICRO_SOGNI;
    const rate = BigInt(rng.between(10, 40));
    return {
      timestamp: deposit.timestamp + (delay ?? rng.between(5, 600)),
      user,
      spark: sogni * rate,
      method: "sogni",
      sogni,
      txHash: deposit.txHash,
      ...(reject ? { reject } : {}),
    };
  };
  // Deposits inside the window (with a day to spare) can carry the deliberate mistakes.
  const usable = facts.deposits.filter((deposit) => deposit.timestamp >= start && deposit.timestamp < end - DAY);
  const [tooSmall, reused, wrongSender] = usable;
  for (const deposit of facts.deposits) {
    const owner = usersByAddress.get(deposit.from)![0]!;
    if (deposit === tooSmall) {
      // Claims one micro-SOGNI more than arrived.
      purchases.push(sogniPurchase(deposit, owner, deposit.amount + MICRO_SOGNI, "purchase-deposit-too-small"));
    } else if (deposit === wrongSender) {
      const other = users.find((user) => user.address !== deposit.from)!;
      purchases.push(sogniPurchase(deposit, other, deposit.amount, "purchase-tx-not-from-user"));
    } else {
      purchases.push(sogniPurchase(deposit, owner, deposit.amount));
      if (deposit === reused) {
        // The same transaction claimed again an hour later: one transaction backs one purchase.
        purchases.push(sogniPurchase(deposit, owner, deposit.amount / 2n / MICRO_SOGNI * MICRO_SOGNI, "purchase-tx-reused", 3_600 + 700));
      }
    }
  }
  // A user claims an ordinary transfer to another account as a deposit.
  const notToDeposit = facts.transfers.find(
    (transfer) => usersByAddress.has(transfer.from) && transfer.timestamp >= start && transfer.timestamp < end - DAY,
  );
  if (notToDeposit) {
    purchases.push(sogniPurchase(notToDeposit, usersByAddress.get(notToDeposit.from)![0]!, notToDeposit.amount, "purchase-tx-not-to-deposit-address"));
  }
  const cardCount = Math.max(5, Math.floor(users.length / 2));
  for (let i = 0; i < cardCount; i++) {
    purchases.push({
      timestamp: rng.between(start - 3 * DAY, end + 3 * DAY),
      user: rng.pick(users),
      spark: micro(rng, 10n, 1_000n, rng.pick([0, 2, 6])),
      method: "card",
      sogni: 0n,
      txHash: "",
    });
  }
  purchases.sort((a, b) => a.timestamp - b.timestamp);
  const purchaseRows = purchases.map((purchase, i) => {
    const id = `p${String(i + 1).padStart(6, "0")}`;
    if (!inWindow(purchase.timestamp)) outsideWindow["spark_purchases.csv"]!++;
    if (purchase.reject) rejections.push({ file: "spark_purchases.csv", rowId: id, kind: purchase.reject });
    return [
      id,
      purchase.user.id,
      isoSeconds(purchase.timestamp),
      formatDecimal(purchase.spark, 6),
      purchase.method,
      purchase.method === "sogni" ? formatDecimal(purchase.sogni, 6) : "",
      purchase.txHash,
    ];
  });

  // ---- jobs.csv: the jobs behind every payment, plus three that no batch paid --
  const workers = new Map<Address, SimAccount>(plan.accounts.filter((a) => a.worker).map((a) => [a.address, a]));
  type Job = { timestamp: number; worker: SimAccount; batchId: bigint; sparkValue: bigint; payment: string; reject?: RejectionKind };
  const jobs: Job[] = [];
  const payment = (): string => {
    const roll = rng.int(100);
    return roll < 30 ? "sogni" : roll < 70 ? "premium_spark" : "free_daily_boost";
  };
  for (const paid of facts.payouts) {
    const worker = workers.get(paid.worker)!;
    const count = rng.between(1, 3);
    for (let i = 0; i < count; i++) {
      jobs.push({
        timestamp: paid.timestamp - rng.between(600, 3 * DAY),
        worker,
        batchId: paid.batchId,
        sparkValue: micro(rng, 0n, 50n, 6) + 1n,
        payment: payment(),
      });
    }
  }
  const batchWorkers = new Map<bigint, { timestamp: number; workers: Set<Address> }>();
  for (const paid of facts.payouts) {
    const entry = batchWorkers.get(paid.batchId) ?? { timestamp: paid.timestamp, workers: new Set<Address>() };
    entry.workers.add(paid.worker);
    batchWorkers.set(paid.batchId, entry);
  }
  const insideBatches = [...batchWorkers].filter(([, batch]) => batch.timestamp > start + 3 * DAY && batch.timestamp < end);
  let mismatches = 0;
  for (const [batchId, batch] of insideBatches) {
    if (mismatches === 2) break;
    const unpaid = [...workers.values()].find((worker) => !batch.workers.has(worker.address));
    if (!unpaid) continue;
    jobs.push({ timestamp: batch.timestamp - DAY, worker: unpaid, batchId, sparkValue: 7_500_000n, payment: "premium_spark", reject: "job-batch-did-not-pay-worker" });
    mismatches++;
  }
  const anyWorker = [...workers.values()][0];
  if (anyWorker) {
    const unknownBatch = BigInt(batchWorkers.size) + 1_000_000n;
    jobs.push({ timestamp: start + 2 * DAY, worker: anyWorker, batchId: unknownBatch, sparkValue: 3_000_000n, payment: "sogni", reject: "job-batch-unknown" });
  }
  jobs.sort((a, b) => a.timestamp - b.timestamp);
  // Fast Worker NFTs (SPEC 4's optional nft_token_id): most fast workers hold one and name it on most of
  // their jobs; relaxed jobs never do. A stream of its own, so every other column stays as it was.
  const nftRng = createRng(plan.seed).fork("nft");
  const tokenIds = new Map<Address, string>();
  const issued = new Set<number>();
  for (const worker of workers.values()) {
    if (worker.worker!.tier !== "fast" || !nftRng.chance(80)) continue;
    let tokenId: number;
    do tokenId = nftRng.between(1, 9_999);
    while (issued.has(tokenId));
    issued.add(tokenId);
    tokenIds.set(worker.address, String(tokenId));
  }
  const nftOf = (job: Job): string => {
    const tokenId = job.worker.worker!.tier === "fast" ? tokenIds.get(job.worker.address) : undefined;
    return tokenId !== undefined && nftRng.chance(90) ? tokenId : "";
  };
  const jobRows = jobs.map((job, i) => {
    const id = `j${String(i + 1).padStart(6, "0")}`;
    if (!inWindow(job.timestamp)) outsideWindow["jobs.csv"]!++;
    if (job.reject) rejections.push({ file: "jobs.csv", rowId: id, kind: job.reject });
    return [
      id,
      job.worker.address,
      job.worker.worker!.tier,
      job.worker.worker!.hardware,
      isoSeconds(job.timestamp),
      formatDecimal(job.sparkValue, 6),
      job.payment,
      job.batchId.toString(),
      nftOf(job),
    ];
  });

  const season = {
    season: options.season ?? 7,
    start: isoSeconds(start),
    end: isoSeconds(end),
    sparkDepositAddress: plan.sparkDepositAddress,
    pools: SEASON_7_POOLS,
    workerPaymentWeights: DEFAULT_WORKER_PAYMENT_WEIGHTS,
    exclude: [plan.team],
    claimDeadline: isoSeconds(end + 92 * DAY),
  };

  rejections.sort((a, b) => (a.file === b.file ? a.rowId.localeCompare(b.rowId) : a.file.localeCompare(b.file)));
  return {
    files: {
      "users.csv": csv(
        "user_id,username,address,referrer_id",
        users.map((user) => [user.id, user.name, user.address, user.referrer]),
      ),
      "spark_usage.csv": csv("request_id,user_id,timestamp,free_spark,paid_spark,sogni,sogni_spark", usage),
      "spark_purchases.csv": csv("purchase_id,user_id,timestamp,spark,method,sogni,tx_hash", purchaseRows),
      "jobs.csv": csv("job_id,worker_address,tier,hardware,timestamp,spark_value,payment,payout_batch,nft_token_id", jobRows),
    },
    seasonJson: `${JSON.stringify(season, null, 2)}\n`,
    expectedRejections: rejections,
    outsideWindow,
  };
}
