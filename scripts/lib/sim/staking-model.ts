/**
 * The staking rules of SPEC section 7, as plain TypeScript: what a `stake`
 * or `unstake` does to a wallet's lock. The simulator plans with it and
 * writes the states it predicts, so tests compare the chain against an
 * independent model rather than against the chain itself.
 *
 * @example
 * const state = applyStake(EMPTY_LOCK, { amount: 100n, lockWeeks: 6, timestamp: 1760400000, epochZero: 1760313600 });
 * // state.effectiveFrom === 1760918400 (the next Monday), state.unlockAt === effectiveFrom + 6 weeks
 */
export const WEEK = 604_800;

export interface ModelLock {
  amount: bigint;
  lockWeeks: number;
  effectiveFrom: number;
  unlockAt: number;
}

export const EMPTY_LOCK: ModelLock = { amount: 0n, lockWeeks: 0, effectiveFrom: 0, unlockAt: 0 };

/** The first epoch boundary strictly after `timestamp` (epochZero itself before epochZero). */
export function nextEpochStart(timestamp: number, epochZero: number): number {
  if (timestamp < epochZero) return epochZero;
  return epochZero + (Math.floor((timestamp - epochZero) / WEEK) + 1) * WEEK;
}

/**
 * The lock after `stake(amount, lockWeeks)` in a block at `timestamp`: a live
 * lock grows and never shortens; an absent or ended lock is locked afresh
 * with everything left in it plus `amount`.
 */
export function applyStake(
  lock: ModelLock,
  stake: { amount: bigint; lockWeeks: number; timestamp: number; epochZero: number },
): ModelLock {
  const e = nextEpochStart(stake.timestamp, stake.epochZero);
  const end = e + stake.lockWeeks * WEEK;
  if (lock.unlockAt > stake.timestamp) {
    return {
      amount: lock.amount + stake.amount,
      lockWeeks: Math.max(lock.lockWeeks, stake.lockWeeks),
      effectiveFrom: e,
      unlockAt: Math.max(lock.unlockAt, end),
    };
  }
  return { amount: lock.amount + stake.amount, lockWeeks: stake.lockWeeks, effectiveFrom: e, unlockAt: end };
}

/** True when `unstake()` succeeds at `timestamp`. */
export function canUnstake(lock: ModelLock, timestamp: number): boolean {
  return lock.amount > 0n && timestamp >= lock.unlockAt;
}
