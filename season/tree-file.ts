// season/: the pure core, SPEC's rules and formats as functions (no file, network, clock or signal access).
// Imports nothing of ours outside season/. See docs/architecture.md.
/**
 * tree.bin (season format "3", publication format "2"): the whole Merkle tree
 * of season/tree.ts as raw 32-byte nodes, level by level from the leaves to
 * the root. Level 0 is the leaves in index order (leaf i at byte 32·i);
 * level k+1 has ceil(n_k / 2) nodes; a level's odd last node is carried up
 * unchanged, so it appears again as the last node of the next level; the
 * root is the last 32 bytes. No header: the size follows from the leaf
 * count in the manifest (`recipients`).
 *
 * This module is the one place that knows where a node lives: the writers
 * (season-io/output.ts, season-io/publication.ts), the readers
 * (season-io/season-dir.ts, season-io/publication-dir.ts) and `season
 * verify` all take offsets, proofs and checks from here.
 *
 * @example
 * const layout = treeFileLayout(5);          // levels of 5, 3, 2, 1 nodes
 * layout.levelOffsets;                       // [0, 160, 256, 320]
 * proofNodeOffsets(layout, 4);               // [256]: leaf 4 is carried up twice, then meets node 0 of level 2
 * proofFromTreeFile(layout, 4, (offset) => hex32(bytes, offset));
 */
import { hex32, NOT_HEX, parseHex } from "./hex.js";
import { compare32 } from "./keccak.js";
import { hashLevels, levelSizes } from "./tree.js";
import type { Hex } from "./types.js";

/** The file's name in a season or publication directory. */
export const TREE_FILE = "tree.bin";

/** Bytes per node. */
export const NODE_BYTES = 32;

/** Where each level of a tree of `leafCount` leaves lives in tree.bin. */
export interface TreeFileLayout {
  leafCount: number;
  /** Nodes per level, leaves first: `[n, ceil(n / 2), …, 1]`, or `[n]` for 0 or 1 leaf. */
  levelCounts: readonly number[];
  /** Byte offset of each level's first node: 32 × the nodes of the levels below it. */
  levelOffsets: readonly number[];
  /** The file's size: 32 × all nodes (0 for an empty tree). */
  bytes: number;
}

/**
 * The layout of tree.bin for `leafCount` leaves.
 *
 * @example treeFileLayout(1_000_000).bytes // 64_000_224: 2,000,007 nodes on 21 levels
 */
export function treeFileLayout(leafCount: number): TreeFileLayout {
  if (!Number.isSafeInteger(leafCount) || leafCount < 0) throw new RangeError(`a tree has a whole number of leaves, not ${leafCount}`);
  const levelCounts = levelSizes(leafCount);
  const levelOffsets: number[] = [];
  let bytes = 0;
  for (const count of levelCounts) {
    levelOffsets.push(bytes);
    bytes += NODE_BYTES * count;
  }
  return { leafCount, levelCounts, levelOffsets, bytes };
}

/** The byte offset of the root (the last node); undefined for an empty tree. */
export function rootOffset(layout: TreeFileLayout): number | undefined {
  return layout.bytes === 0 ? undefined : layout.bytes - NODE_BYTES;
}

/**
 * The byte offsets of leaf `index`'s proof, from the leaf up: on each level
 * below the root, the sibling `i XOR 1` of the path's node `i` when it
 * exists (the odd last node of a level has none, and the proof skips that
 * level), then `i` halves.
 *
 * @example proofNodeOffsets(treeFileLayout(3), 0) // [32, 128]: leaf 1, then node 1 of level 1 (leaf 2 carried up)
 */
export function proofNodeOffsets(layout: TreeFileLayout, index: number): number[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= layout.leafCount) throw new RangeError(`no leaf ${index} in a tree of ${layout.leafCount} leaves`);
  const offsets: number[] = [];
  let node = index;
  for (let level = 0; level < layout.levelCounts.length - 1; level++) {
    const sibling = node ^ 1;
    if (sibling < layout.levelCounts[level]!) offsets.push(layout.levelOffsets[level]! + NODE_BYTES * sibling);
    node >>= 1;
  }
  return offsets;
}

/**
 * Leaf `index`'s proof (as season/tree.ts's `proof` gives it and OpenZeppelin's
 * `MerkleProof.verify` takes it), its nodes read by `readNode(offset)` from
 * tree.bin at the offsets of {@link proofNodeOffsets}.
 *
 * @example proofFromTreeFile(layout, 7, (offset) => hex32(treeBytes, offset))
 */
export function proofFromTreeFile(layout: TreeFileLayout, index: number, readNode: (offset: number) => Hex): Hex[] {
  return proofNodeOffsets(layout, index).map(readNode);
}

/**
 * Which node a byte offset of tree.bin falls in: level and node index (for
 * messages that point an auditor at the spot).
 *
 * @example nodeAt(treeFileLayout(5), 170) // { level: 1, node: 0 }
 */
export function nodeAt(layout: TreeFileLayout, offset: number): { level: number; node: number } | undefined {
  if (offset < 0 || offset >= layout.bytes) return undefined;
  let level = layout.levelOffsets.length - 1;
  while (layout.levelOffsets[level]! > offset) level--;
  return { level, node: Math.floor((offset - layout.levelOffsets[level]!) / NODE_BYTES) };
}

/**
 * tree.bin's bytes for a built tree (season/tree.ts's `levels`, back to
 * back). The writers stream the levels instead; this is for small trees
 * (tests, fixtures).
 *
 * @example writeFileSync("out/season-7/tree.bin", treeFileBytes(buildRecipientTree(recipients)))
 */
export function treeFileBytes(tree: { levels: readonly Uint8Array[] }): Uint8Array {
  const bytes = new Uint8Array(tree.levels.reduce((sum, level) => sum + level.length, 0));
  let offset = 0;
  for (const level of tree.levels) {
    bytes.set(level, offset);
    offset += level.length;
  }
  return bytes;
}

/**
 * `season verify`'s check of a whole tree.bin, three claims that together
 * make every leaf's proof read from the file lead to `root`: the file has
 * the size of a tree of `leaves.length / 32` leaves; its level 0 is exactly
 * `leaves` (each recipient's own leaf, computed from its row); every node
 * above is the hash of its two children in the file (an odd last node
 * carried up unchanged); and its last node is `root`. Returns the problems
 * found, at most `limit`, each naming the byte offset, level and node
 * (empty when the file is sound).
 *
 * @example checkTreeFile(readFileSync("out/season-7/tree.bin"), leaves, manifest.merkleRoot) // []
 */
export function checkTreeFile(file: Uint8Array, leaves: Uint8Array, root: Hex, limit = 5): string[] {
  if (leaves.length % NODE_BYTES !== 0) throw new RangeError(`packed leaves are ${leaves.length} bytes, not a multiple of 32`);
  const layout = treeFileLayout(leaves.length / NODE_BYTES);
  if (file.length !== layout.bytes) {
    return [`tree.bin is ${file.length} bytes; a tree of ${layout.leafCount} leaves is ${layout.bytes} (${layout.levelCounts.join(" + ")} nodes of 32 bytes)`];
  }
  const problems: string[] = [];
  const note = (message: string): boolean => {
    problems.push(message);
    return problems.length >= limit;
  };
  const where = (level: number, node: number): string => `level ${level} node ${node}, byte ${layout.levelOffsets[level]! + NODE_BYTES * node}`;

  // Level 0: each recipient's own leaf.
  let leafMismatches = 0;
  for (let i = 0; i < layout.leafCount; i++) {
    if (compare32(file, NODE_BYTES * i, leaves, NODE_BYTES * i) === 0) continue;
    leafMismatches++;
    if (leafMismatches <= 3 && note(`tree.bin's leaf ${i} (${where(0, i)}) is not row ${i}'s leaf`)) return problems;
  }
  if (leafMismatches > 3 && note(`${leafMismatches} leaves of tree.bin in all are not their row's leaf`)) return problems;

  // Every level above: the hash of the file's own level below (season/tree.ts's rule, on the file's nodes).
  for (let level = 1; level < layout.levelCounts.length; level++) {
    const below = file.subarray(layout.levelOffsets[level - 1]!, layout.levelOffsets[level]!);
    const expected = new Uint8Array(NODE_BYTES * layout.levelCounts[level]!);
    hashLevels([below, expected]);
    const start = layout.levelOffsets[level]!;
    for (let node = 0; node < layout.levelCounts[level]!; node++) {
      if (compare32(file, start + NODE_BYTES * node, expected, NODE_BYTES * node) !== 0) {
        const children = 2 * node + 1 < layout.levelCounts[level - 1]! ? `the hash of nodes ${2 * node} and ${2 * node + 1}` : `node ${2 * node} carried up`;
        if (note(`tree.bin's ${where(level, node)} is not ${children} of level ${level - 1}`)) return problems;
      }
    }
  }

  // The root.
  const expectedRoot = new Uint8Array(NODE_BYTES);
  const last = rootOffset(layout);
  if (last === undefined) {
    if (!/^0x0{64}$/.test(root)) note(`tree.bin is empty (no leaves), but the root is ${root}, not zero`);
  } else if (parseHex(root, expectedRoot, 0, NODE_BYTES) === NOT_HEX || compare32(file, last, expectedRoot, 0) !== 0) {
    note(`tree.bin's last node (byte ${last}) is ${hex32(file, last)}, not the root ${root}`);
  }
  return problems;
}
