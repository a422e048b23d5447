/**
 * Sorting a million items without a comparator call per pair. Each item
 * gets a coarse key (an unsigned integer below 2^32 that never decreases in
 * the wanted order: a prefix of the real key); key and position are packed
 * into one double and the doubles are sorted natively. Only runs of equal
 * coarse keys are then put in order by the real comparator. For the
 * recipients' address order and the leaderboards' rank order this takes a
 * fraction of a second where Array.prototype.sort with a comparator takes
 * one to two (bench/results-build.md).
 *
 * @example
 * const order = sortIndices(words.length, (i) => words[i].charCodeAt(0), (a, b) => (words[a] < words[b] ? -1 : 1));
 */

/**
 * The positions 0..n-1 in the order of `compare` (which must be a total
 * order: ties broken, e.g. by position), given `coarse(i)` in [0, 2^32)
 * with `coarse(a) < coarse(b)` only when `compare(a, b) < 0`.
 */
export function sortIndices(n: number, coarse: (i: number) => number, compare: (a: number, b: number) => number): Uint32Array {
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  // Keep key and position within a double's 53 exact bits: drop low key bits when positions need more room.
  const drop = Math.max(0, 32 + indexBits - 53);
  const keyScale = 2 ** drop;
  const scale = 2 ** indexBits;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = Math.floor(coarse(i) / keyScale) * scale + i;
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % scale;
  let start = 0;
  while (start < n) {
    const key = Math.floor(keys[start]! / scale);
    let end = start + 1;
    while (end < n && Math.floor(keys[end]! / scale) === key) end++;
    if (end - start > 16) {
      order.subarray(start, end).sort(compare);
    } else {
      for (let i = start + 1; i < end; i++) {
        const moving = order[i]!;
        let j = i - 1;
        while (j >= start && compare(order[j]!, moving) > 0) {
          order[j + 1] = order[j]!;
          j--;
        }
        order[j + 1] = moving;
      }
    }
    start = end;
  }
  return order;
}

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the sign/exponent word of a double

/**
 * A coarse key for `value >= 0` that never decreases as `value` grows: the
 * top 32 bits of its IEEE 754 double (sign, exponent, 20 mantissa bits).
 *
 * @example doubleKey(2) > doubleKey(1.5) // true
 */
export function doubleKey(value: number): number {
  float[0] = value;
  return words[HIGH]!;
}
