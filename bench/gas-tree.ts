/**
 * A fast sorted-pair keccak256 Merkle tree for the gas benchmark: the SPEC
 * section 5 shape (pairs hashed sorted, an odd node carried up unchanged,
 * leaves in index order), kept in one flat byte buffer per level so a
 * 1,000,000-leaf tree builds in seconds. Gas depends only on the proof length
 * and on the proof being valid for the root, so the bench fills the leaves it
 * never claims with cheap filler values and builds real SPEC leaves only for
 * the indices it claims. bench/gas.ts checks this builder against merkletreejs.
 *
 * @example
 * const tree = buildFlatTree(leafBytes, 1000);
 * const proof = flatProof(tree, 7); // Hex[] of length 10
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, type Hex } from "viem";

export interface FlatTree {
  /** levels[0] holds the leaves, 32 bytes each; the last level holds the root. */
  levels: Uint8Array[];
  root: Hex;
}

function lessThan(buf: Uint8Array, a: number, b: number): boolean {
  for (let k = 0; k < 32; k++) {
    const x = buf[a + k]!;
    const y = buf[b + k]!;
    if (x !== y) return x < y;
  }
  return false;
}

/** Builds every level above `leaves` (count × 32 bytes). */
export function buildFlatTree(leaves: Uint8Array, count: number): FlatTree {
  const levels: Uint8Array[] = [leaves];
  const pair = new Uint8Array(64);
  let level = leaves;
  let size = count;
  while (size > 1) {
    const nextSize = Math.ceil(size / 2);
    const next = new Uint8Array(nextSize * 32);
    for (let j = 0; j < nextSize; j++) {
      const left = 2 * j * 32;
      if (2 * j + 1 < size) {
        const right = left + 32;
        const [lo, hi] = lessThan(level, left, right) ? [left, right] : [right, left];
        pair.set(level.subarray(lo, lo + 32), 0);
        pair.set(level.subarray(hi, hi + 32), 32);
        next.set(keccak_256(pair), j * 32);
      } else {
        next.set(level.subarray(left, left + 32), j * 32); // odd node carried up
      }
    }
    levels.push(next);
    level = next;
    size = nextSize;
  }
  return { levels, root: bytesToHex(level.subarray(0, 32)) };
}

/** The proof of leaf `index`: one sibling per level where a sibling exists. */
export function flatProof(tree: FlatTree, index: number): Hex[] {
  const proof: Hex[] = [];
  let i = index;
  for (let l = 0; l < tree.levels.length - 1; l++) {
    const level = tree.levels[l]!;
    const sibling = i ^ 1;
    if (sibling * 32 < level.length) proof.push(bytesToHex(level.subarray(sibling * 32, sibling * 32 + 32)));
    i >>= 1;
  }
  return proof;
}
