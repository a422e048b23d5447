/**
 * tree.bin (season/tree-file.ts): the whole tree as raw 32-byte nodes, level
 * by level from the leaves to the root, an odd last node carried up. Checked
 * against merkletreejs (SPEC 5's reference): its layers back to back are the
 * file, and a proof read from the file at the computed offsets is its
 * getHexProof, for 0 to 9 leaves and a few larger trees with odd levels.
 */
import keccak256 from "keccak256";
import { MerkleTree as ReferenceTree } from "merkletreejs";
import { describe, expect, it } from "vitest";
import { hex32 } from "../../season/hex.js";
import { buildTreeFromBytes } from "../../season/tree.js";
import { checkTreeFile, nodeAt, proofFromTreeFile, proofNodeOffsets, rootOffset, treeFileBytes, treeFileLayout } from "../../season/tree-file.js";
import type { Hex } from "../../season/types.js";

/** `count` distinct 32-byte leaves (keccak of their position), packed. */
function leavesOf(count: number): Uint8Array {
  const leaves = new Uint8Array(32 * count);
  for (let i = 0; i < count; i++) leaves.set(keccak256(Buffer.from(`leaf ${i}`)), 32 * i);
  return leaves;
}

function referenceOf(leaves: Uint8Array): { tree: ReferenceTree; buffers: Buffer[] } {
  const buffers = Array.from({ length: leaves.length / 32 }, (_, i) => Buffer.from(leaves.subarray(32 * i, 32 * i + 32)));
  return { tree: new ReferenceTree(buffers, keccak256, { sortPairs: true }), buffers };
}

describe("the layout: level k at 32 × (n_0 + … + n_{k-1}), n_{k+1} = ceil(n_k / 2), the root last", () => {
  it("for 0, 1, 2, 5 and 1,000,000 leaves", () => {
    expect(treeFileLayout(0)).toEqual({ leafCount: 0, levelCounts: [0], levelOffsets: [0], bytes: 0 });
    expect(treeFileLayout(1)).toEqual({ leafCount: 1, levelCounts: [1], levelOffsets: [0], bytes: 32 });
    expect(treeFileLayout(2)).toEqual({ leafCount: 2, levelCounts: [2, 1], levelOffsets: [0, 64], bytes: 96 });
    expect(treeFileLayout(5)).toEqual({ leafCount: 5, levelCounts: [5, 3, 2, 1], levelOffsets: [0, 160, 256, 320], bytes: 352 });
    const million = treeFileLayout(1_000_000);
    expect(million.levelCounts).toHaveLength(21); // a proof of at most 20 nodes
    expect(million.bytes).toBe(32 * 2_000_007); // 64 MB
    expect(rootOffset(million)).toBe(million.bytes - 32);
    expect(rootOffset(treeFileLayout(0))).toBeUndefined();
  });

  it("a proof's offsets: the sibling on each level, none for an odd last node", () => {
    expect(proofNodeOffsets(treeFileLayout(5), 4)).toEqual([256]); // carried up twice, then node 0 of level 2
    expect(proofNodeOffsets(treeFileLayout(5), 0)).toEqual([32, 192, 288]); // leaf 1, node 1 of level 1, node 1 of level 2
    expect(proofNodeOffsets(treeFileLayout(3), 0)).toEqual([32, 128]);
    expect(proofNodeOffsets(treeFileLayout(1), 0)).toEqual([]);
    expect(() => proofNodeOffsets(treeFileLayout(3), 3)).toThrow("no leaf 3 in a tree of 3 leaves");
    expect(nodeAt(treeFileLayout(5), 170)).toEqual({ level: 1, node: 0 });
    expect(nodeAt(treeFileLayout(5), 351)).toEqual({ level: 3, node: 0 });
    expect(nodeAt(treeFileLayout(5), 352)).toBeUndefined();
  });
});

describe("SPEC 5 on disk: tree.bin is merkletreejs's layers back to back, and its proofs are merkletreejs's", () => {
  for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 33, 100, 1_025]) {
    it(`${count} leaves`, () => {
      const leaves = leavesOf(count);
      const built = buildTreeFromBytes(leaves.slice());
      const file = treeFileBytes(built);
      const { tree, buffers } = referenceOf(leaves);
      expect(Buffer.from(file).equals(Buffer.concat(tree.getLayers().flat()))).toBe(true);
      const layout = treeFileLayout(count);
      expect(file.length).toBe(layout.bytes);
      expect(hex32(file, rootOffset(layout)!)).toBe(tree.getHexRoot());
      for (let i = 0; i < count; i++) {
        const proof = proofFromTreeFile(layout, i, (offset) => hex32(file, offset));
        expect(proof, `leaf ${i}`).toEqual(tree.getHexProof(buffers[i]!, i));
        expect(proof).toEqual(built.proof(i));
      }
      expect(checkTreeFile(file, leaves, built.root)).toEqual([]);
    });
  }

  it("an empty tree is an empty file with the zero root", () => {
    const built = buildTreeFromBytes(new Uint8Array(0));
    expect(treeFileBytes(built)).toHaveLength(0);
    expect(checkTreeFile(new Uint8Array(0), new Uint8Array(0), built.root)).toEqual([]);
  });
});

describe("checkTreeFile: every leaf its row's, every node its children's hash, the last node the root", () => {
  const leaves = leavesOf(9);
  const built = buildTreeFromBytes(leaves.slice());
  const root = built.root as Hex;
  const sound = treeFileBytes(built);
  const damaged = (offset: number): Uint8Array => {
    const copy = sound.slice();
    copy[offset] = copy[offset]! ^ 1;
    return copy;
  };

  it("a changed leaf, a changed inner node, a changed root", () => {
    expect(checkTreeFile(damaged(3 * 32), leaves, root)).toEqual(["tree.bin's leaf 3 (level 0 node 3, byte 96) is not row 3's leaf", "tree.bin's level 1 node 1, byte 320 is not the hash of nodes 2 and 3 of level 0"]);
    // 9 leaves: levels of 9, 5, 3, 2, 1 at bytes 0, 288, 448, 544, 608.
    expect(checkTreeFile(damaged(448 + 64), leaves, root)).toEqual([
      "tree.bin's level 2 node 2, byte 512 is not node 4 carried up of level 1",
      "tree.bin's level 3 node 1, byte 576 is not node 2 carried up of level 2",
    ]);
    expect(checkTreeFile(damaged(608), leaves, root)).toEqual([`tree.bin's level 4 node 0, byte 608 is not the hash of nodes 0 and 1 of level 3`, `tree.bin's last node (byte 608) is ${hex32(damaged(608), 608)}, not the root ${root}`]);
  });

  it("another root, another size, other rows", () => {
    expect(checkTreeFile(sound, leaves, `0x${"11".repeat(32)}`)).toEqual([`tree.bin's last node (byte 608) is ${root}, not the root 0x${"11".repeat(32)}`]);
    expect(checkTreeFile(sound.subarray(0, 600), leaves, root)).toEqual(["tree.bin is 600 bytes; a tree of 9 leaves is 640 (9 + 5 + 3 + 2 + 1 nodes of 32 bytes)"]);
    const others = leavesOf(12).subarray(3 * 32);
    expect(checkTreeFile(sound, others, root)[0]).toBe("tree.bin's leaf 0 (level 0 node 0, byte 0) is not row 0's leaf");
  });
});
