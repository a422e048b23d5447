/**
 * The on-chain facts of a season snapshot (SPEC section 6), assembled from
 * the indexer's fact rows in deterministic order (chain id, block, log
 * index), each fact with its log's block and log index (and, for a lock, its
 * staking contract). Pure: the API reads the rows, this orders them, and
 * season/onchain.ts's one writer gives the onchain.json bytes.
 *
 * @example
 * const text = serializeOnchainJson(assembleSnapshot({ snapshot, locks, workerPaid, deposits }));
 */
import { orderOnchainFacts } from "../season/onchain.js";
import type { Address, OnchainFacts } from "../season/types.js";

interface Ordered {
  chainId: number;
  blockNumber: bigint;
  logIndex: number;
}

export interface SnapshotRows {
  snapshot: { chainId: number; block: bigint; hash: string; timestamp: bigint }[];
  locks: (Ordered & { staking: string; account: string; amount: bigint; lockWeeks: bigint; effectiveFrom: bigint; unlockAt: bigint })[];
  workerPaid: (Ordered & { batchId: bigint; worker: string; amount: bigint })[];
  deposits: (Ordered & { txHash: string; from: string; to: string; amount: bigint })[];
}

/** Times and lock weeks fit in a JSON number; anything beyond 2^53 is refused rather than rounded. */
function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < 0n) throw new RangeError(`${what} ${value} does not fit onchain.json's number field`);
  return Number(value);
}

/** The facts of the rows, in chain order (season/onchain.ts's orderOnchainFacts); its serializeOnchainJson writes them. */
export function assembleSnapshot(rows: SnapshotRows): OnchainFacts {
  const lower = <T extends string>(text: string): T => text.toLowerCase() as T;
  return orderOnchainFacts({
    snapshot: rows.snapshot.map((s) => ({ chainId: s.chainId, block: s.block, hash: lower(s.hash), timestamp: safeNumber(s.timestamp, "timestamp") })),
    locks: rows.locks.map((l) => ({
      chainId: l.chainId,
      block: l.blockNumber,
      logIndex: l.logIndex,
      staking: lower<Address>(l.staking),
      account: lower(l.account),
      amount: l.amount,
      lockWeeks: safeNumber(l.lockWeeks, "lockWeeks"),
      effectiveFrom: safeNumber(l.effectiveFrom, "effectiveFrom"),
      unlockAt: safeNumber(l.unlockAt, "unlockAt"),
    })),
    workerPaid: rows.workerPaid.map((w) => ({ chainId: w.chainId, block: w.blockNumber, logIndex: w.logIndex, batchId: w.batchId, worker: lower(w.worker), amount: w.amount })),
    deposits: rows.deposits.map((d) => ({ chainId: d.chainId, block: d.blockNumber, logIndex: d.logIndex, txHash: lower(d.txHash), from: lower(d.from), to: lower(d.to), amount: d.amount })),
  });
}
