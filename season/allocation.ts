/**
 * Ranking and exact pro-rata allocation (SPEC sections 2 and 3).
 *
 * Ranking: weight descending, then first counted activity ascending, then
 * lower-case address ascending. Allocation over the kept entries: each gets
 * `floor(pool × w / Σw)`; the wei left over go one each to the largest
 * remainders `pool × w mod Σw`, ties by rank. The result sums to the pool
 * exactly (or to 0 when nothing is eligible).
 *
 * @example
 * allocatePool(1000n, [30n, 21n]) // [588n, 412n]: floors 588 and 411, remainders 12/51 and 39/51, the one wei left goes to the second
 */

import { doubleKey, sortIndices } from "./sort.js";

export interface Rankable {
  address: string;
  weight: bigint;
  first: number;
}

/** The SPEC ranking order as a comparator. */
export function compareRank(a: Rankable, b: Rankable): number {
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
  if (a.first !== b.first) return a.first - b.first;
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/**
 * Sorts `entries` in place by {@link compareRank} and returns them. The
 * coarse key (season/sort.ts) is the top of each weight as a double, so a
 * million entries meet the exact comparator only where their weights agree
 * to about six digits; the order is the comparator's.
 */
export function rankEntries<T extends Rankable>(entries: T[]): T[] {
  const TOP = 0xffffffff;
  const sorted = [...entries];
  const order = sortIndices(
    sorted.length,
    (i) => TOP - doubleKey(Number(sorted[i]!.weight)), // Number() rounds, but never out of order
    (a, b) => compareRank(sorted[a]!, sorted[b]!) || a - b,
  );
  for (let i = 0; i < order.length; i++) entries[i] = sorted[order[i]!]!;
  return entries;
}

/**
 * Splits `pool` wei over `weights` (in rank order) by largest remainder.
 * Returns one amount per weight; all zero when the weights sum to 0.
 */
export function allocatePool(pool: bigint, weights: readonly bigint[]): bigint[] {
  if (pool < 0n) throw new RangeError("a pool amount cannot be negative");
  let total = 0n;
  for (const weight of weights) {
    if (weight < 0n) throw new RangeError("a weight cannot be negative");
    total += weight;
  }
  if (total === 0n) return weights.map(() => 0n);
  const amounts = new Array<bigint>(weights.length);
  const remainders = new Array<bigint>(weights.length);
  let allocated = 0n;
  for (let i = 0; i < weights.length; i++) {
    const share = pool * weights[i]!;
    const amount = share / total;
    amounts[i] = amount;
    remainders[i] = share - amount * total;
    allocated += amount;
  }
  let left = Number(pool - allocated); // < weights.length, so a safe number
  if (left > 0) {
    // The wei left over go to the `left` largest remainders, ties by rank (index). Rather than
    // sorting a million remainders, find the left-th largest value and split at it.
    const threshold = kthLargest([...remainders], left);
    for (let i = 0; i < remainders.length; i++) {
      if (remainders[i]! > threshold) {
        amounts[i] = amounts[i]! + 1n;
        left -= 1;
      }
    }
    for (let i = 0; i < remainders.length && left > 0; i++) {
      if (remainders[i] === threshold) {
        amounts[i] = amounts[i]! + 1n;
        left -= 1;
      }
    }
  }
  return amounts;
}

/** The k-th largest value (1-based) of `values`, which it reorders: quickselect, linear on average. */
function kthLargest(values: bigint[], k: number): bigint {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1; // position in descending order
  while (lo < hi) {
    const a = values[lo]!;
    const b = values[(lo + hi) >> 1]!;
    const c = values[hi]!;
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b; // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}
