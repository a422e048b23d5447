/**
 * Staking power over a window, exactly as SPEC section 2 defines it, in
 * integers only:
 *
 *   power = Σ over a wallet's lock states of
 *           amount (wei) × m(lockWeeks) × seconds the state is in force inside [from, to)
 *   m(w)  = w × isqrt(w × 10^12)            (micro units: m(6) = 14_696_934)
 *
 * A state is in force from its `effectiveFrom` until the next state of the
 * same wallet (on the same chain) takes effect, or until its `unlockAt`,
 * whichever comes first. Chains are independent; their powers add up.
 *
 * @example
 * stakingPower([{ chainId: 1, account: "0xa…", amount: 100n * 10n ** 18n, lockWeeks: 6, effectiveFrom: 0, unlockAt: 3628800 }], 0, 604800)
 * // 100e18 × 14696934 × 604800
 */

/** One `Staked` state, as the indexer records it (times in unix seconds). */
export interface LockStateInput {
  chainId: number;
  account: string;
  amount: bigint;
  lockWeeks: bigint | number;
  effectiveFrom: bigint | number;
  unlockAt: bigint | number;
}

const MICRO = 10n ** 12n;

/**
 * The integer square root: the largest r with r × r ≤ n.
 *
 * @example isqrt(2_000_000_000_000n) === 1_414_213n
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of a negative number (${n})`);
  if (n < 2n) return n;
  // Newton's method from a power of two above the root: decreases monotonically to the floor.
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * The lock-length multiplier in micro units: w × isqrt(w × 10^12) = w^1.5 × 10^6, rounded down.
 *
 * @example lockMultiplier(2n) === 2_828_426n; lockMultiplier(6n) === 14_696_934n
 */
export function lockMultiplier(lockWeeks: bigint): bigint {
  return lockWeeks * isqrt(lockWeeks * MICRO);
}

/** The seconds of [begin, end) inside [from, to); never negative. */
export function overlapSeconds(begin: bigint, end: bigint, from: bigint, to: bigint): bigint {
  const start = begin > from ? begin : from;
  const stop = end < to ? end : to;
  return stop > start ? stop - start : 0n;
}

/**
 * Power of one wallet's states on one chain, given in chain order.
 *
 * @example walletChainPower(states, 1760313600n, 1763942400n)
 */
export function walletChainPower(states: readonly LockStateInput[], from: bigint, to: bigint): bigint {
  let power = 0n;
  for (let k = 0; k < states.length; k++) {
    const state = states[k]!;
    const next = states[k + 1];
    const unlockAt = BigInt(state.unlockAt);
    const end = next !== undefined && BigInt(next.effectiveFrom) < unlockAt ? BigInt(next.effectiveFrom) : unlockAt;
    const seconds = overlapSeconds(BigInt(state.effectiveFrom), end, from, to);
    if (seconds > 0n) power += state.amount * lockMultiplier(BigInt(state.lockWeeks)) * seconds;
  }
  return power;
}

/**
 * Power per chain and in total for the states of one wallet (any chain
 * order across chains; chain order within a chain).
 *
 * @example stakingPower(states, 0n, 604800n) // { perChain: Map { 31337 => 123n }, total: 123n }
 */
export function stakingPower(states: readonly LockStateInput[], from: bigint, to: bigint): { perChain: Map<number, bigint>; total: bigint } {
  const byChain = new Map<number, LockStateInput[]>();
  for (const state of states) {
    const list = byChain.get(state.chainId) ?? [];
    list.push(state);
    byChain.set(state.chainId, list);
  }
  const perChain = new Map<number, bigint>();
  let total = 0n;
  for (const [chainId, list] of [...byChain].sort((a, b) => a[0] - b[0])) {
    const power = walletChainPower(list, from, to);
    perChain.set(chainId, power);
    total += power;
  }
  return { perChain, total };
}

/**
 * Sogni's displayed Staking Power: the average over the window,
 * power / (10^18 × 10^6 × seconds), as a decimal string with 6 digits, rounded down.
 *
 * @example averagePower(100n * 10n ** 18n * 14_696_934n * 604800n, 604800n) === "1469.693400"
 */
export function averagePower(power: bigint, windowSeconds: bigint): string {
  if (windowSeconds <= 0n) return "0.000000";
  const scaled = power / (10n ** 18n * windowSeconds); // power in whole SOGNI × micro multiplier, i.e. 10^-6 units
  const whole = scaled / 1_000_000n;
  const fraction = (scaled % 1_000_000n).toString().padStart(6, "0");
  return `${whole}.${fraction}`;
}
