/**
 * Staking power (SPEC section 2): one lock per wallet and chain, each
 * `Staked` state in force from its `effectiveFrom` until the wallet's next
 * state takes effect or until its `unlockAt`, whichever is first. Power is
 * `amount (wei) × m(lockWeeks) × seconds in force inside [start, end)`, with
 * the multiplier in exact integer micro-units: `m(w) = w × isqrt(w × 10^12)`.
 *
 * @example
 * lockMultiplier(6) === 14_696_934n; // 6^1.5 = 14.696938…, floored to micro-units via isqrt
 */
import type { Address, LockState } from "./types.js";

/** Integer square root: the largest r with r² ≤ n. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("isqrt of a negative number");
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton steps from the float estimate until exact.
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** m(w) = w × isqrt(w × 10^12): lockWeeks^1.5 in micro-units. m(2) = 2_828_426n, m(6) = 14_696_934n. */
export function lockMultiplier(lockWeeks: number): bigint {
  const w = BigInt(lockWeeks);
  return w * isqrt(w * 10n ** 12n);
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
 * order of `locks` (chain order). States of one wallet on one chain follow
 * each other; different chains are independent and add up later.
 */
export function lockSpans(locks: readonly LockState[], start: number, end: number): LockSpan[] {
  const byWallet = new Map<string, LockState[]>();
  for (const lock of locks) {
    const key = `${lock.chainId}:${lock.account}`;
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
