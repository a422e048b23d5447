// season/: the pure core, SPEC's rules and formats as functions (no file, network, clock or signal access).
// Imports nothing of ours outside season/. See docs/architecture.md.
/**
 * The season engine's pure core: config + the four Spark exports + the
 * on-chain facts in, five ranked leaderboards, exact per-pool allocations
 * and the recipient list (one leaf per address, sorted by address) out.
 * No file, network or clock access: the same inputs give the same result.
 *
 * @example
 * const result = computeSeason({ config, files: { users, spark_usage, spark_purchases, jobs }, onchain });
 * result.pools.artists.allocated === config.pools.artists.amount;
 */
import { sortIndicesByAddress } from "./address.js";
import { allocatePool, rankEntries } from "./allocation.js";
import { averageStakingPower, lockSpans, STAKING_POWER_DECIMALS } from "./staking.js";
import {
  AMBASSADOR_POINT_DECIMALS,
  ARTIST_POINT_DECIMALS,
  parsePurchases,
  parseUsage,
  readUsers,
  scoreJobs,
  scorePurchases,
  scoreUsage,
  userIndexOf,
  WORKER_POINT_DECIMALS,
  type PurchaseRows,
  type ScoringContext,
  type UsageRows,
  type UserIndex,
  type Users,
} from "./scoring.js";
import { daysActive, PoolTally, type TallyEntry } from "./tally.js";
import {
  POOL_KEYS,
  type Address,
  type Leaderboard,
  type LeaderboardEntry,
  type OnchainFacts,
  type PoolKey,
  type PoolSummary,
  type Recipient,
  type RejectedRow,
  type SeasonConfig,
  type SeasonResult,
} from "./types.js";

/** The exports as UTF-8 text, keyed by file name without `.csv`. */
export interface SeasonFiles {
  users: string;
  spark_usage: string;
  spark_purchases: string;
  jobs: string;
}

export interface SeasonInputs {
  config: SeasonConfig;
  files: SeasonFiles;
  onchain: OnchainFacts;
}

/** Stakers show average Staking Power in Sogni's units, rounded down to 6 decimals. */
export const STAKER_POINT_DECIMALS = STAKING_POWER_DECIMALS;
const FILE_ORDER = ["users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv"];

/** The counted rows of the two activity exports, before they meet the users' addresses. */
export interface Activity {
  usage: UsageRows;
  purchases: PurchaseRows;
}

/** Runs the whole season computation (SPEC sections 2 to 5, before the tree). */
export function computeSeason(inputs: SeasonInputs): SeasonResult {
  const users = readUsers(inputs.files.users);
  return scoreSeason(inputs, users, parseActivity(inputs.files, inputs.config, userIndexOf(users)));
}

/**
 * Parses spark_usage.csv, then spark_purchases.csv (the order of their
 * errors), finding users by `userIndex`. It needs no addresses, so it can
 * run on a second thread while users.csv is read (season-io/parallel.ts).
 */
export function parseActivity(files: Pick<SeasonFiles, "spark_usage" | "spark_purchases">, config: SeasonConfig, userIndex: UserIndex): Activity {
  return { usage: parseUsage(files.spark_usage, config, userIndex), purchases: parsePurchases(files.spark_purchases, config, userIndex) };
}

/** The rest of {@link computeSeason}, from users.csv and the parsed activity on. */
export function scoreSeason({ config, files, onchain }: SeasonInputs, users: Users, activity: Activity): SeasonResult {
  const context: ScoringContext = {
    config,
    users,
    onchain,
    excluded: new Set(config.exclude),
    rejected: [],
    skipped: {},
  };
  const artists = scoreUsage(activity.usage, context);
  const ambassadors = scorePurchases(activity.purchases, context);
  const jobs = scoreJobs(files.jobs, context);
  const stakers = stakingTally(onchain, config);

  const tallies: Record<PoolKey, PoolTally> = { artists, ambassadors, stakers, relaxedWorkers: jobs.relaxedWorkers, fastWorkers: jobs.fastWorkers };
  const display: Record<PoolKey, { decimals: number; points: (weight: bigint) => bigint }> = {
    artists: { decimals: ARTIST_POINT_DECIMALS, points: (w) => w },
    ambassadors: { decimals: AMBASSADOR_POINT_DECIMALS, points: (w) => w },
    stakers: { decimals: STAKER_POINT_DECIMALS, points: (w) => averageStakingPower(w, config.end - config.start, config.decimals) },
    relaxedWorkers: { decimals: WORKER_POINT_DECIMALS, points: (w) => w },
    fastWorkers: { decimals: WORKER_POINT_DECIMALS, points: (w) => w },
  };

  const leaderboards = {} as Record<PoolKey, Leaderboard>;
  const pools = {} as Record<PoolKey, PoolSummary>;
  for (const pool of POOL_KEYS) {
    const { amount, top } = config.pools[pool];
    const candidates: TallyEntry[] = [];
    for (const entry of tallies[pool].entries.values()) if (entry.weight > 0n && !context.excluded.has(entry.address)) candidates.push(entry);
    const eligible = rankEntries(candidates);
    const kept = top === undefined ? eligible.length : Math.min(top, eligible.length);
    const amounts = allocatePool(amount, eligible.slice(0, kept).map((e) => e.weight));
    const entries = eligible.map((entry, i) => leaderboardEntry(entry, i, amounts[i] ?? 0n, users.names, display[pool].points(entry.weight), pool, jobs.work));
    leaderboards[pool] = { pool, pointDecimals: display[pool].decimals, entries };
    const allocated = amounts.reduce((sum, a) => sum + a, 0n);
    pools[pool] = { amount, top, recipients: amounts.filter((a) => a > 0n).length, allocated };
  }

  const recipients = mergeRecipients(leaderboards);
  const total = recipients.reduce((sum, r) => sum + r.amount, 0n);
  const skippedOutsideWindow: Record<string, number> = {};
  for (const file of FILE_ORDER) if (context.skipped[file]) skippedOutsideWindow[file] = context.skipped[file];
  const stats = { users: users.list.length, workers: jobs.work.size, creations: jobs.creations };
  return { config, stats, leaderboards, pools, recipients, total, rejected: sortRejected(context.rejected), skippedOutsideWindow };
}

function leaderboardEntry(
  entry: TallyEntry,
  index: number,
  amount: bigint,
  names: Map<Address, string>,
  points: bigint,
  pool: PoolKey,
  work: ReadonlyMap<Address, bigint>,
): LeaderboardEntry {
  const result: LeaderboardEntry = {
    rank: index + 1,
    address: entry.address,
    name: names.get(entry.address) ?? "",
    daysActive: daysActive(entry),
    points,
    weight: entry.weight,
    firstActivity: entry.first,
    amount,
  };
  if (pool === "relaxedWorkers" || pool === "fastWorkers") {
    result.hardware = entry.hardware ?? "";
    // Every worker on a board has a counted job, so a `work` entry (its pay, whatever the tier).
    result.work = work.get(entry.address) ?? 0n;
  }
  if (pool === "fastWorkers") result.nft = entry.nft ?? "";
  return result;
}

/** Staking power per address, summed over every chain, with days a lock was in force. */
function stakingTally(onchain: OnchainFacts, config: SeasonConfig): PoolTally {
  const tally = new PoolTally(config.start);
  for (const span of lockSpans(onchain.locks, config.start, config.end)) {
    tally.markSpan(tally.add(span.account, span.power, span.from), span.from, span.to);
  }
  return tally;
}

/** One recipient per address with a positive total, sorted by lower-case address; index = position. */
function mergeRecipients(leaderboards: Record<PoolKey, Leaderboard>): Recipient[] {
  // Every paid (entry, pool), sorted by address, then grouped: no address map for a million keys.
  const paid: LeaderboardEntry[] = [];
  const pools: PoolKey[] = [];
  for (const pool of POOL_KEYS) {
    for (const entry of leaderboards[pool].entries) {
      if (entry.amount === 0n) continue;
      paid.push(entry);
      pools.push(pool);
    }
  }
  const order = sortIndicesByAddress(paid.map((entry) => entry.address));
  const recipients: Recipient[] = [];
  let current: Recipient | undefined;
  for (const i of order) {
    const entry = paid[i]!;
    const pool = pools[i]!;
    if (current === undefined || current.address !== entry.address) {
      current = { index: recipients.length, address: entry.address, amount: 0n, pools: { artists: 0n, ambassadors: 0n, stakers: 0n, relaxedWorkers: 0n, fastWorkers: 0n } };
      recipients.push(current);
    }
    current.pools[pool] += entry.amount;
    current.amount += entry.amount;
  }
  return recipients;
}

function sortRejected(rows: RejectedRow[]): RejectedRow[] {
  return rows
    .map((row, order) => ({ row, order }))
    .sort((a, b) => FILE_ORDER.indexOf(a.row.file) - FILE_ORDER.indexOf(b.row.file) || a.order - b.order)
    .map(({ row }) => row);
}
