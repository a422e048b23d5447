/**
 * The gas bench's fast tree (bench/gas-tree.ts) is the SPEC 5 tree: same root
 * as merkletreejs with sortPairs, and proofs of the same length and content.
 */
import { describe, expect, it } from "vitest";
import { MerkleTree } from "merkletreejs";
import keccak256 from "keccak256";
import { bytesToHex } from "viem";
import { buildFlatTree, flatProof } from "../../bench/gas-tree.js";

function leavesOf(count: number): Uint8Array {
  const leaves = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) leaves.set(keccak256(Buffer.from(`leaf ${i}`)), i * 32);
  return leaves;
}

describe("SPEC 5: the bench tree equals merkletreejs (sortPairs, odd node carried up)", () => {
  it.each([1, 2, 3, 5, 8, 13, 31, 33, 1000])("%i leaves: same root, same proof for every checked leaf", (count) => {
    const leaves = leavesOf(count);
    const buffers = Array.from({ length: count }, (_, i) => Buffer.from(leaves.subarray(i * 32, i * 32 + 32)));
    const reference = new MerkleTree(buffers, keccak256, { sortPairs: true });
    const tree = buildFlatTree(leaves, count);
    expect(tree.root).toBe(reference.getHexRoot());
    const checked = count <= 33 ? buffers.map((_, i) => i) : [0, 1, 511, 992, 999];
    for (const i of checked) {
      expect(flatProof(tree, i)).toEqual(reference.getHexProof(buffers[i]!, i));
    }
  });

  it("1000 leaves: index 0 has a depth-10 proof, index 999 (carried up twice) a shorter one", () => {
    const tree = buildFlatTree(leavesOf(1000), 1000);
    expect(flatProof(tree, 0)).toHaveLength(10);
    expect(flatProof(tree, 999).length).toBeLessThan(10);
    expect(bytesToHex(tree.levels[0]!.subarray(0, 32))).toBe(bytesToHex(keccak256(Buffer.from("leaf 0"))));
  });
});
