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
 * The lock after `stake(amount, lockWeeks)` in a block at `timestamp`, with
 * `e` the next epoch start. A live lock (unlockAt > timestamp) grows by
 * `amount`, `unlockAt` becomes max(unlockAt, e + lockWeeks weeks) (it never
 * shortens) and the weeks become the whole weeks really left,
 * (unlockAt - e) / 1 week. An absent or ended lock is locked afresh: what was
 * left in it plus `amount`, for `lockWeeks` from e. `amount` may be 0 (it
 * extends a live lock or re-locks an ended balance); with nothing to lock at
 * all the contract refuses (`NothingToLock`), and so does this.
 *
 * @example
 * // 1 wei for 52 weeks at t >= epochZero, then 40 weeks later 1,000,000 SOGNI for 1 week: 12 weeks left, not 52.
 * const first = applyStake(EMPTY_LOCK, { amount: 1n, lockWeeks: 52, timestamp: t, epochZero });
 * applyStake(first, { amount: 10n ** 24n, lockWeeks: 1, timestamp: t + 40 * WEEK, epochZero }).lockWeeks; // 12
 */
export function applyStake(
  lock: ModelLock,
  stake: { amount: bigint; lockWeeks: number; timestamp: number; epochZero: number },
): ModelLock {
  if (lock.amount === 0n && stake.amount === 0n) {
    throw new RangeError("applyStake: a stake of 0 with nothing staked locks nothing (the contract reverts NothingToLock); stake an amount > 0");
  }
  const e = nextEpochStart(stake.timestamp, stake.epochZero);
  const end = e + stake.lockWeeks * WEEK;
  if (lock.unlockAt > stake.timestamp) {
    const unlockAt = Math.max(lock.unlockAt, end);
    return { amount: lock.amount + stake.amount, lockWeeks: Math.floor((unlockAt - e) / WEEK), effectiveFrom: e, unlockAt };
  }
  return { amount: lock.amount + stake.amount, lockWeeks: stake.lockWeeks, effectiveFrom: e, unlockAt: end };
}

/** True when `unstake()` succeeds at `timestamp`. */
export function canUnstake(lock: ModelLock, timestamp: number): boolean {
  return lock.amount > 0n && timestamp >= lock.unlockAt;
}
