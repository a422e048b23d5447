/**
 * A seeded pseudo-random generator (SplitMix64 over bigint) for simulations:
 * the same seed gives the same sequence on every machine. Integer-only, no
 * Math.random and no floating point, so amounts drawn from it are exact.
 *
 * @example
 * const rng = createRng(7);
 * rng.int(10);                  // 0 … 9
 * rng.bigint(1n, 1000n);        // 1n … 1000n
 * rng.chance(30);               // true 30 % of the time
 */
const MASK = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;

export interface Rng {
  /** The next raw 64-bit value. */
  next(): bigint;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  /** A bigint in [min, max]. */
  bigint(min: bigint, max: bigint): bigint;
  /** True with probability percent / 100. */
  chance(percent: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A new generator whose sequence depends on this one's seed and `label` (independent streams). */
  fork(label: string): Rng;
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

function mix(value: bigint): bigint {
  let z = value & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

function hashLabel(label: string): bigint {
  // FNV-1a 64 over the UTF-16 code units: a stable number for a stream name.
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < label.length; i++) {
    hash ^= BigInt(label.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & MASK;
  }
  return hash;
}

/** A generator seeded with `seed` (any integer). */
export function createRng(seed: number | bigint): Rng {
  const origin = mix(BigInt(seed) & MASK);
  let state = origin;
  const rng: Rng = {
    next() {
      state = (state + GAMMA) & MASK;
      return mix(state);
    },
    int(n) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`rng.int needs a positive integer bound, got ${n}`);
      return Number(rng.next() % BigInt(n));
    },
    between(min, max) {
      return min + rng.int(max - min + 1);
    },
    bigint(min, max) {
      if (max < min) throw new RangeError(`rng.bigint: max ${max} < min ${min}`);
      const span = max - min + 1n;
      // Two draws cover spans beyond 64 bits (wei amounts).
      const raw = (rng.next() << 64n) | rng.next();
      return min + (raw % span);
    },
    chance(percent) {
      return rng.int(100) < percent;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError("rng.pick on an empty list");
      return items[rng.int(items.length)]!;
    },
    fork(label) {
      return createRng(mix(origin ^ hashLabel(label)));
    },
    shuffle(items) {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
  };
  return rng;
}
