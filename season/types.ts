/**
 * The plain data that flows between the stages of the season engine
 * (SPEC.md sections 1 to 6). Every quantity is a bigint: wei for tokens,
 * scaled integers for points. Addresses are lower case inside the core.
 */
import type { Address } from "./address.js";

export type { Address };
export type Hex = `0x${string}`;

/** The five pools, in the order they appear in every output. */
export const POOL_KEYS = ["artists", "ambassadors", "stakers", "relaxedWorkers", "fastWorkers"] as const;
export type PoolKey = (typeof POOL_KEYS)[number];

/** Off-chain quantities and weights carry at most this many fractional digits. */
export const INPUT_DECIMALS = 6;

export interface PoolConfig {
  /** Pool size in wei (the config's decimal SOGNI times 10^decimals). */
  amount: bigint;
  /** Keep only the first `top` ranked entries; undefined means no cut. */
  top: number | undefined;
}

/** A validated season.json (SPEC section 1). Times are unix seconds, UTC. */
export interface SeasonConfig {
  season: number;
  start: number;
  end: number;
  sparkDepositAddress: Address;
  pools: Record<PoolKey, PoolConfig>;
  /** payment kind -> weight scaled by 10^INPUT_DECIMALS. */
  workerPaymentWeights: Record<string, bigint>;
  exclude: Address[];
  claimDeadline: number | undefined;
  token: Address | undefined;
  decimals: number;
  /** SPEC 8.1: the vesting tranches, when season.json has `vesting`; without it the whole amount vests at `end`. */
  vesting?: readonly VestingTranche[];
}

/** One tranche of SPEC 8.1: from `at` on, `share` of each amount has vested (cumulative). */
export interface VestingTranche {
  /** Unix seconds, at or after the season's `end`. */
  at: number;
  /** The cumulative share, scaled by 10^SHARE_DECIMALS (season/vesting.ts): 1 is 1_000_000n. */
  share: bigint;
}

// ---- on-chain facts (SPEC section 6, onchain.json) -------------------------

export interface SnapshotBlock {
  chainId: number;
  block: bigint;
  hash: Hex;
  timestamp: number;
}

/**
 * Where a fact was read: its log's block and index in the block (SPEC 6).
 * (chainId, block, logIndex) names one log: the build orders facts by it and
 * refuses a repeat, so a fact listed twice never counts twice.
 */
export interface LogPosition {
  chainId: number;
  block: bigint;
  logIndex: number;
}

/** The state of a wallet's lock after one `Staked` event. */
export interface LockState extends LogPosition {
  /** The staking contract that emitted it; absent: the chain's only staking contract. */
  staking?: Address;
  account: Address;
  amount: bigint;
  lockWeeks: number;
  effectiveFrom: number;
  unlockAt: number;
}

/** What staking power needs of a lock state (season/staking.ts): no log position. */
export type StakingState = Pick<LockState, "chainId" | "staking" | "account" | "amount" | "lockWeeks" | "effectiveFrom" | "unlockAt">;

export interface WorkerPaidFact extends LogPosition {
  batchId: bigint;
  worker: Address;
  amount: bigint;
}

export interface DepositFact extends LogPosition {
  txHash: Hex;
  from: Address;
  to: Address;
  amount: bigint;
}

export interface OnchainFacts {
  snapshot: SnapshotBlock[];
  /** In chain order: chain id, block, log index. */
  locks: LockState[];
  workerPaid: WorkerPaidFact[];
  deposits: DepositFact[];
}

/** onchain.json as it is written: decimal strings for big numbers (SPEC section 6); `block` may also be a JSON number. */
export interface OnchainJson {
  snapshot: { chainId: number; block: number | string; hash: string; timestamp: number }[];
  locks: { chainId: number; block: number | string; logIndex: number; staking?: string; account: string; amount: string; lockWeeks: number; effectiveFrom: number; unlockAt: number }[];
  workerPaid: { chainId: number; block: number | string; logIndex: number; batchId: string; worker: string; amount: string }[];
  deposits: { chainId: number; block: number | string; logIndex: number; txHash: string; from: string; to: string; amount: string }[];
}

// ---- results ---------------------------------------------------------------

export interface LeaderboardEntry {
  /** 1-based rank among the eligible entries (points > 0, not excluded). */
  rank: number;
  address: Address;
  /** username of the first users.csv row with this address, or "". */
  name: string;
  daysActive: number;
  /** Displayed points, scaled by 10^Leaderboard.pointDecimals. */
  points: bigint;
  /** The exact weight the allocation uses (equals `points` except for stakers, where it is raw power). */
  weight: bigint;
  /** Unix seconds of the first counted activity (tie-break). */
  firstActivity: number;
  /** Wei allocated from this pool; 0 below the cut. */
  amount: bigint;
  /** Workers only: the hardware of the worker's most recent counted job. */
  hardware?: string;
  /**
   * Workers only (SPEC 6 `work`): the wei WorkerPaid paid this worker in the
   * payout batches of its counted jobs of both tiers, each batch once.
   */
  work?: bigint;
  /** Fast workers only: the nft_token_id of the most recent counted job ("" for none). */
  nft?: string;
}

export interface Leaderboard {
  pool: PoolKey;
  pointDecimals: number;
  entries: LeaderboardEntry[];
}

export interface PoolSummary {
  amount: bigint;
  top: number | undefined;
  /** Entries paid from this pool. */
  recipients: number;
  /** Sum paid: equals `amount`, or 0 when the pool had no eligible entry. */
  allocated: bigint;
}

export interface Recipient {
  index: number;
  address: Address;
  amount: bigint;
  pools: Record<PoolKey, bigint>;
}

/** A row dropped by a cross-check (not an error): goes to rejected.csv. */
export interface RejectedRow {
  file: string;
  rowId: string;
  reason: string;
}

/** SPEC 6 manifest `stats`: what the page's header shows of a season. */
export interface SeasonStats {
  /** Data rows of users.csv. */
  users: number;
  /** Distinct worker addresses with a counted job. */
  workers: number;
  /** Counted jobs: in the window, paid on-chain in their batch (points 0 included). */
  creations: number;
}

export interface SeasonResult {
  config: SeasonConfig;
  stats: SeasonStats;
  leaderboards: Record<PoolKey, Leaderboard>;
  pools: Record<PoolKey, PoolSummary>;
  /** Sorted by lower-case address; index = position. */
  recipients: Recipient[];
  total: bigint;
  rejected: RejectedRow[];
  /** Rows outside the season window, per input file name. */
  skippedOutsideWindow: Record<string, number>;
}
