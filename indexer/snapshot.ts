/**
 * The on-chain facts of a season snapshot (SPEC section 6), assembled from
 * the indexer's fact rows in deterministic order (chain id, block, log
 * index). Pure: the API reads the rows, this orders them, and
 * season/onchain.ts's one writer gives the onchain.json bytes.
 *
 * @example
 * const text = serializeOnchainJson(assembleSnapshot({ snapshot, locks, workerPaid, deposits }));
 */
import type { OnchainFacts } from "../season/types.js";

interface Ordered {
  chainId: number;
  blockNumber: bigint;
  logIndex: number;
}

export interface SnapshotRows {
  snapshot: { chainId: number; block: bigint; hash: string; timestamp: bigint }[];
  locks: (Ordered & { account: string; amount: bigint; lockWeeks: bigint; effectiveFrom: bigint; unlockAt: bigint })[];
  workerPaid: (Ordered & { batchId: bigint; worker: string; amount: bigint })[];
  deposits: (Ordered & { txHash: string; from: string; to: string; amount: bigint })[];
}

/** Chain id, then block, then log index: the order every list of facts is given in. */
export function compareChainOrder(a: Ordered, b: Ordered): number {
  if (a.chainId !== b.chainId) return a.chainId - b.chainId;
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

/** Times and lock weeks fit in a JSON number; anything beyond 2^53 is refused rather than rounded. */
function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < 0n) throw new RangeError(`${what} ${value} does not fit onchain.json's number field`);
  return Number(value);
}

/** The facts of the rows, in chain order; season/onchain.ts's serializeOnchainJson writes them. */
export function assembleSnapshot(rows: SnapshotRows): OnchainFacts {
  const lower = <T extends string>(text: string): T => text.toLowerCase() as T;
  return {
    snapshot: [...rows.snapshot]
      .sort((a, b) => a.chainId - b.chainId)
      .map((s) => ({ chainId: s.chainId, block: s.block, hash: lower(s.hash), timestamp: safeNumber(s.timestamp, "timestamp") })),
    locks: [...rows.locks].sort(compareChainOrder).map((l) => ({
      chainId: l.chainId,
      account: lower(l.account),
      amount: l.amount,
      lockWeeks: safeNumber(l.lockWeeks, "lockWeeks"),
      effectiveFrom: safeNumber(l.effectiveFrom, "effectiveFrom"),
      unlockAt: safeNumber(l.unlockAt, "unlockAt"),
    })),
    workerPaid: [...rows.workerPaid].sort(compareChainOrder).map((w) => ({ chainId: w.chainId, batchId: w.batchId, worker: lower(w.worker), amount: w.amount })),
    deposits: [...rows.deposits]
      .sort(compareChainOrder)
      .map((d) => ({ chainId: d.chainId, txHash: lower(d.txHash), from: lower(d.from), to: lower(d.to), amount: d.amount })),
  };
}
