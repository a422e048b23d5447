/**
 * keccak256 for the Merkle tree: hash-wasm's WebAssembly build, about 6×
 * faster per hash here than @noble/hashes' JavaScript one (numbers in
 * bench/results-merkle.md). Its instance is created once, at module load
 * (top-level await, no I/O: the wasm is embedded in the package).
 *
 * @example
 * const out = new Uint8Array(32);
 * keccakInto(new Uint8Array(96), out, 0);
 */
import { createKeccak } from "hash-wasm";

const keccak = await createKeccak(256);

/** keccak256 of `input`, written into `out` at `outOffset`. */
export function keccakInto(input: Uint8Array, out: Uint8Array, outOffset: number): void {
  keccak.init();
  keccak.update(input);
  out.set(keccak.digest("binary"), outOffset);
}

/** keccak256(a ‖ b) of two 32-byte nodes, smaller first (OpenZeppelin's commutative hash). */
export function hashPairInto(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, out: Uint8Array, outOffset: number): void {
  keccak.init();
  if (compare32(a, aOffset, b, bOffset) <= 0) {
    if (a === b && bOffset === aOffset + 32) keccak.update(a.subarray(aOffset, aOffset + 64)); // already adjacent and in order
    else {
      keccak.update(a.subarray(aOffset, aOffset + 32));
      keccak.update(b.subarray(bOffset, bOffset + 32));
    }
  } else {
    keccak.update(b.subarray(bOffset, bOffset + 32));
    keccak.update(a.subarray(aOffset, aOffset + 32));
  }
  out.set(keccak.digest("binary"), outOffset);
}

/** Compares two 32-byte nodes as big-endian numbers: negative, zero or positive. */
export function compare32(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): number {
  for (let k = 0; k < 32; k++) {
    const x = a[aOffset + k]!;
    const y = b[bOffset + k]!;
    if (x !== y) return x - y;
  }
  return 0;
}
