/**
 * The season's Merkle tree (SPEC section 5), over leaves it knows nothing
 * about: pairs hashed sorted (commutative keccak256), leaves in index order,
 * an odd node carried up unchanged. The root equals merkletreejs's
 * `new MerkleTree(leaves, keccak256, { sortPairs: true })` and proofs verify
 * with OpenZeppelin's `MerkleProof.verify`.
 *
 * Why it is built this way (numbers in bench/results-merkle.md):
 * - every level is one flat byte array (32 bytes per node), so a
 *   1,000,000-leaf tree is ~64 MB in a few dozen objects, not millions;
 * - a proof's first element is the caller's own leaf string, and each level
 *   remembers its last sibling's hex, so proofs asked for in index order
 *   convert each node to hex about once.
 *
 * @example
 * const tree = buildTree([leafHash(0, a, 5n), leafHash(1, b, 7n)]);
 * verifyProof(leafHash(0, a, 5n), tree.proof(0), tree.root); // true
 */
import { hex32, NOT_HEX, PARSED_UPPER, parseHex } from "./hex.js";
import { compare32, hashPairInto } from "./keccak.js";
import type { Hex } from "./types.js";

/** A built tree: the root, the leaf count and a proof for any leaf index. */
export interface MerkleTree {
  /** The root as lower-case 0x hex; 32 zero bytes for an empty tree. */
  root: Hex;
  /** Number of leaves. */
  size: number;
  /** Number of levels above the leaves (the longest proof's length): 0 for 0 or 1 leaf, 20 for 1,000,000. */
  depth: number;
  /** The sibling hashes from the leaf up, as OpenZeppelin's `MerkleProof.verify` and merkletreejs's `getHexProof` take them. */
  proof(index: number): Hex[];
  /** Every level's nodes, 32 bytes each, leaves first: written back to back they are tree.bin (season/tree-file.ts). */
  levels: readonly Uint8Array[];
}

/**
 * Builds the tree over `leaves` (32-byte hashes as 0x hex or bytes) in index
 * order. An empty tree has the zero root and no proofs; a one-leaf tree's
 * root is the leaf and its proof is empty.
 *
 * @example
 * const tree = buildTree([leafHash(0, a, 5n), leafHash(1, b, 7n)]);
 * tree.proof(0); // [leafHash(1, b, 7n)]
 */
export function buildTree(leaves: readonly (Hex | Uint8Array)[]): MerkleTree {
  const size = leaves.length;
  const base = new Uint8Array(size * 32);
  let allLowerHex = true;
  for (let i = 0; i < size; i++) {
    const leaf = leaves[i]!;
    if (typeof leaf === "string") {
      const parsed = parseHex(leaf, base, i * 32, 32);
      if (parsed === NOT_HEX) throw new RangeError(`leaf ${i} is not 32 bytes of 0x hex: "${leaf}"`);
      if (parsed === PARSED_UPPER) allLowerHex = false;
    } else if (leaf.length === 32) {
      base.set(leaf, i * 32);
      allLowerHex = false;
    } else throw new RangeError(`leaf ${i} is ${leaf.length} bytes, expected 32`);
  }
  // Lower-case hex leaves (what leafHash returns) are already the proofs' first elements.
  return treeOver(base, allLowerHex ? (leaves as readonly Hex[]) : undefined);
}

/**
 * {@link buildTree} over leaves already packed into one byte array, 32 bytes
 * per leaf in index order (see {@link writeLeaf}); the array is kept as the
 * tree's bottom level, not copied.
 *
 * @example
 * const packed = new Uint8Array(32 * n);
 * for (let i = 0; i < n; i++) writeLeaf(packed, 32 * i, i, accounts[i], amounts[i]);
 * const { root } = buildTreeFromBytes(packed);
 */
export function buildTreeFromBytes(leaves: Uint8Array): MerkleTree {
  if (leaves.length % 32 !== 0) throw new RangeError(`packed leaves are ${leaves.length} bytes, not a multiple of 32`);
  return treeOver(leaves, undefined);
}


/** The tree above `leaves` (32 bytes each); `leafHex`, when given, is the same leaves as lower-case hex. */
function treeOver(leaves: Uint8Array, leafHex: readonly Hex[] | undefined): MerkleTree {
  const levels = [leaves, ...levelSizes(leaves.length / 32).slice(1).map((nodes) => new Uint8Array(32 * nodes))];
  hashLevels(levels);
  return treeFromLevels(levels, leafHex);
}

/**
 * The node count of each level, leaves first: `[n, ceil(n / 2), …, 1]`, or
 * `[n]` for 0 or 1 leaf.
 *
 * @example levelSizes(5) // [5, 3, 2, 1]
 */
export function levelSizes(leafCount: number): number[] {
  const sizes = [leafCount];
  for (let count = leafCount; count > 1; ) {
    count = Math.ceil(count / 2);
    sizes.push(count);
  }
  return sizes;
}

/**
 * Fills every level above the leaves, in place: `levels[0]` holds the
 * leaves and `levels[k]` has room for `levelSizes(n)[k]` nodes. The levels
 * may live in a SharedArrayBuffer, so another thread can build them
 * (season-io/tree-worker.mjs).
 */
export function hashLevels(levels: readonly Uint8Array[]): void {
  for (let k = 1; k < levels.length; k++) {
    const level = levels[k - 1]!;
    const next = levels[k]!;
    const count = level.length / 32;
    const pairs = count >> 1;
    for (let j = 0; j < pairs; j++) hashPairInto(level, 64 * j, level, 64 * j + 32, next, 32 * j);
    if (count % 2 === 1) next.set(level.subarray(64 * pairs, 64 * pairs + 32), 32 * pairs); // odd node carried up unchanged
  }
}

/** Views of each level in one buffer holding them back to back, leaves first. */
export function levelViews(buffer: ArrayBufferLike, sizes: readonly number[]): Uint8Array[] {
  let offset = 0;
  return sizes.map((nodes) => {
    const view = new Uint8Array(buffer, offset, 32 * nodes);
    offset += 32 * nodes;
    return view;
  });
}

/** The tree over levels filled by {@link hashLevels}; `leafHex`, when given, is the leaves as lower-case hex. */
export function treeFromLevels(levels: readonly Uint8Array[], leafHex?: readonly Hex[]): MerkleTree {
  const size = levels[0]!.length / 32;
  const level = levels[levels.length - 1]!;
  const root: Hex = size === 0 ? `0x${"00".repeat(32)}` : hex32(level, 0);
  // Proofs are mostly asked for in index order (the output writes them so), and
  // neighbouring leaves share their upper siblings: remember the last sibling
  // converted to hex on each level, so each node is converted about once.
  const depth = levels.length - 1;
  const lastSibling = new Float64Array(depth).fill(-1);
  const lastHex: Hex[] = new Array<Hex>(depth).fill("0x");

  return {
    root,
    size,
    depth,
    levels,
    proof(index: number): Hex[] {
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`no leaf ${index} in a tree of ${size} leaves`);
      const proof: Hex[] = [];
      let i = index;
      for (let l = 0; l < depth; l++) {
        const sibling = i ^ 1;
        if (sibling * 32 < levels[l]!.length) {
          if (l === 0 && leafHex !== undefined) proof.push(leafHex[sibling]!);
          else {
            if (lastSibling[l] !== sibling) {
              lastSibling[l] = sibling;
              lastHex[l] = hex32(levels[l]!, sibling * 32);
            }
            proof.push(lastHex[l]!);
          }
        }
        i >>= 1;
      }
      return proof;
    },
  };
}

/**
 * OpenZeppelin's `MerkleProof.verify`: fold the proof with commutative
 * keccak256 and compare with the root. Malformed hex gives false.
 *
 * @example verifyProof(leaf, tree.proof(3), tree.root) // true
 */
export function verifyProof(leaf: Hex, proof: readonly Hex[], root: Hex): boolean {
  const node = new Uint8Array(32);
  const sibling = new Uint8Array(32);
  const expected = new Uint8Array(32);
  if (parseHex(leaf, node, 0, 32) === NOT_HEX || parseHex(root, expected, 0, 32) === NOT_HEX) return false;
  for (const step of proof) {
    if (parseHex(step, sibling, 0, 32) === NOT_HEX) return false;
    hashPairInto(node, 0, sibling, 0, node, 0);
  }
  return compare32(node, 0, expected, 0) === 0;
}
