/**
 * The facts the indexer records, one row per event log. Every row is keyed by
 * (chainId, txHash, logIndex) and carries its block number and timestamp;
 * nothing derived is stored (balances, locks in force and staking power are
 * computed from these rows in the API with exact bigints).
 */
import { index, onchainTable, primaryKey } from "ponder";

/** A SOGNI `Transfer` (mints from the zero address included). */
export const transfer = onchainTable(
  "transfer",
  (t) => ({
    chainId: t.integer().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
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
    chainId: t.integer().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
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
    chainId: t.integer().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
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
    chainId: t.integer().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
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
    chainId: t.integer().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
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
