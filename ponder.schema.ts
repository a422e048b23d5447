/**
 * The facts the indexer records, one row per event log. Every row is keyed by
 * (chainId, txHash, logIndex) and carries its block number and timestamp;
 * nothing derived is stored (balances, locks in force and staking power are
 * computed from these rows in the API with exact bigints).
 */
import { index, onchainTable, primaryKey } from "ponder";

/** The column builders `onchainTable` hands its column function. */
type ColumnBuilders = Parameters<Extract<Parameters<typeof onchainTable>[1], (...args: never[]) => unknown>>[0];

/** Where every fact comes from: its log (the primary key: chain, transaction, log index), block and time. */
const logColumns = (t: ColumnBuilders) => ({
  chainId: t.integer().notNull(),
  txHash: t.hex().notNull(),
  logIndex: t.integer().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
});

/** A SOGNI `Transfer` (mints from the zero address included). */
export const transfer = onchainTable(
  "transfer",
  (t) => ({
    ...logColumns(t),
    token: t.hex().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    fromIndex: index().on(table.from),
    toIndex: index().on(table.to),
  }),
);

/** A `Staked` event: the lock's state after the call (SPEC section 7). */
export const staked = onchainTable(
  "staked",
  (t) => ({
    ...logColumns(t),
    staking: t.hex().notNull(),
    account: t.hex().notNull(),
    added: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    lockWeeks: t.bigint().notNull(),
    effectiveFrom: t.bigint().notNull(),
    unlockAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    accountIndex: index().on(table.account),
    orderIndex: index().on(table.chainId, table.blockNumber, table.logIndex),
  }),
);

/** An `Unstaked` event: the whole lock returned. */
export const unstaked = onchainTable(
  "unstaked",
  (t) => ({
    ...logColumns(t),
    staking: t.hex().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    accountIndex: index().on(table.account),
  }),
);

/** A `WorkerPaid` event: one worker's pay in one batch. */
export const workerPaid = onchainTable(
  "worker_paid",
  (t) => ({
    ...logColumns(t),
    payouts: t.hex().notNull(),
    batchId: t.bigint().notNull(),
    worker: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    workerIndex: index().on(table.worker),
  }),
);

/**
 * A `Claimed` event and the contract that emitted it. The API only trusts
 * emitters the deployments file lists as distributors (see docs/indexer.md).
 */
export const claimed = onchainTable(
  "claimed",
  (t) => ({
    ...logColumns(t),
    distributor: t.hex().notNull(),
    index: t.bigint().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    distributorIndex: index().on(table.distributor, table.account),
  }),
);

// ---- SogniRewards (SPEC 8.3): cumulative roots behind a timelock -------------
// Each row names the contract that emitted it (`rewards`): with PONDER_CLAIMS_FROM=any
// the filter is the event topic alone, and the API keeps only the contracts the
// deployments file lists (its `rewards` entry per chain).

/** `RootProposed`: a root waits for its timelock, live from `validAt` once accepted. */
export const rootProposed = onchainTable(
  "root_proposed",
  (t) => ({
    ...logColumns(t),
    rewards: t.hex().notNull(),
    root: t.hex().notNull(),
    dataHash: t.hex().notNull(),
    total: t.bigint().notNull(),
    validAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    rewardsIndex: index().on(table.rewards),
  }),
);

/** `RootAccepted`: the pending root went live. */
export const rootAccepted = onchainTable(
  "root_accepted",
  (t) => ({
    ...logColumns(t),
    rewards: t.hex().notNull(),
    root: t.hex().notNull(),
    dataHash: t.hex().notNull(),
    total: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    rewardsIndex: index().on(table.rewards),
  }),
);

/** `RootRevoked`: the pending root was dropped. */
export const rootRevoked = onchainTable(
  "root_revoked",
  (t) => ({
    ...logColumns(t),
    rewards: t.hex().notNull(),
    root: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    rewardsIndex: index().on(table.rewards),
  }),
);

/**
 * SogniRewards' `Claimed(account, amount, cumulative)`: `amount` paid now,
 * `cumulative` all the account has claimed so far. Not the season
 * distributors' `Claimed(index, account, amount)`, which is the `claimed` table.
 */
export const rewardsClaimed = onchainTable(
  "rewards_claimed",
  (t) => ({
    ...logColumns(t),
    rewards: t.hex().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
    cumulative: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    accountIndex: index().on(table.rewards, table.account),
  }),
);

/** `SurplusWithdrawn`: the owner took tokens above what is owed. */
export const surplusWithdrawn = onchainTable(
  "surplus_withdrawn",
  (t) => ({
    ...logColumns(t),
    rewards: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.txHash, table.logIndex] }),
    rewardsIndex: index().on(table.rewards),
  }),
);
