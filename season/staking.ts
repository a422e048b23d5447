/**
 * Staking power (SPEC section 2), the one implementation: the engine's
 * stakers pool and the indexer's `/accounts` route both call it. One lock per
 * wallet and chain, each `Staked` state in force from its `effectiveFrom`
 * until the wallet's next state takes effect or until its `unlockAt`,
 * whichever is first. Power is
 * `amount (wei) × m(lockWeeks) × seconds in force inside [start, end)`, with
 * the multiplier in exact integer micro-units: `m(w) = w × isqrt(w × 10^12)`.
 *
 * @example
 * lockMultiplier(6) === 14_696_934n; // 6^1.5 = 14.696938…, floored to micro-units via isqrt
 * averageStakingPower(100n * 10n ** 18n * 14_696_934n * 604_800n, 604_800, 18) === 1_469_693_400n; // 1469.6934
 */
import type { Address, StakingState } from "./types.js";

/** The multiplier's unit: m(w) is w^1.5 × 10^6. The average power shows with as many decimals. */
export const STAKING_POWER_DECIMALS = 6;
const MICRO_SQUARED = 10n ** BigInt(2 * STAKING_POWER_DECIMALS);

/**
 * Integer square root: the largest r with r² ≤ n (Newton's method from a
 * power of two above the root, integers only).
 *
 * @example isqrt(2_000_000_000_000n) === 1_414_213n
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of a negative number (${n})`);
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** m(w) for the weeks a lock can have (0 to 52), computed once. */
const MULTIPLIERS: bigint[] = Array.from({ length: 53 }, (_, w) => BigInt(w) * isqrt(BigInt(w) * MICRO_SQUARED));

/** m(w) = w × isqrt(w × 10^12): lockWeeks^1.5 in micro-units. m(2) = 2_828_426n, m(6) = 14_696_934n. */
export function lockMultiplier(lockWeeks: number): bigint {
  const cached = MULTIPLIERS[lockWeeks];
  if (cached !== undefined) return cached;
  if (!Number.isSafeInteger(lockWeeks) || lockWeeks < 0) throw new RangeError(`lock weeks must be a whole number >= 0, got ${lockWeeks}`);
  const w = BigInt(lockWeeks);
  return w * isqrt(w * MICRO_SQUARED);
}

/** One stretch of time a lock state was in force inside the window. */
export interface LockSpan {
  account: Address;
  chainId: number;
  from: number;
  to: number;
  /** amount × m(lockWeeks) × (to - from). */
  power: bigint;
}

/**
 * Every span of every lock state in force inside `[start, end)`, in the
 * order of `locks` (chain order). States of one lock (chain, staking
 * contract, wallet) follow each other; different locks are independent and
 * add up later.
 */
export function lockSpans(locks: readonly StakingState[], start: number, end: number): LockSpan[] {
  const byWallet = new Map<string, StakingState[]>();
  for (const lock of locks) {
    const key = `${lock.chainId}:${lock.staking ?? ""}:${lock.account}`;
    const states = byWallet.get(key);
    if (states === undefined) byWallet.set(key, [lock]);
    else states.push(lock);
  }
  const spans: LockSpan[] = [];
  for (const states of byWallet.values()) {
    states.forEach((state, i) => {
      const next = states[i + 1];
      const until = next === undefined ? state.unlockAt : Math.min(state.unlockAt, next.effectiveFrom);
      const from = Math.max(state.effectiveFrom, start);
      const to = Math.min(until, end);
      if (to <= from || state.amount === 0n) return;
      spans.push({
        account: state.account,
        chainId: state.chainId,
        from,
        to,
        power: state.amount * lockMultiplier(state.lockWeeks) * BigInt(to - from),
      });
    });
  }
  return spans;
}

/**
 * The power of `locks` over `[start, end)`, per chain (ascending chain id)
 * and in total: the sum of {@link lockSpans}. Give it one wallet's states to
 * get that wallet's power.
 *
 * @example stakingPower(states, 1760313600, 1763942400).total
 */
export function stakingPower(locks: readonly StakingState[], start: number, end: number): { perChain: Map<number, bigint>; total: bigint } {
  const sums = new Map<number, bigint>();
  for (const lock of locks) if (!sums.has(lock.chainId)) sums.set(lock.chainId, 0n);
  let total = 0n;
  for (const span of lockSpans(locks, start, end)) {
    sums.set(span.chainId, sums.get(span.chainId)! + span.power);
    total += span.power;
  }
  return { perChain: new Map([...sums].sort((a, b) => a[0] - b[0])), total };
}

/**
 * Sogni's displayed Staking Power: the average over the window,
 * `power / (10^decimals × 10^6 × window seconds)`, as an integer in units of
 * 10^-6 ({@link STAKING_POWER_DECIMALS}), rounded down. `decimals` is the
 * token's (season.json's `decimals`, 18 for SOGNI).
 *
 * @example formatDecimal(averageStakingPower(power, 3_628_800, 18), STAKING_POWER_DECIMALS) // "1469.6934"
 */
export function averageStakingPower(power: bigint, windowSeconds: number, decimals: number): bigint {
  if (windowSeconds <= 0) return 0n;
  return power / (10n ** BigInt(decimals) * BigInt(windowSeconds));
}
