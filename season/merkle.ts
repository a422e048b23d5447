/**
 * The season's Merkle tree (SPEC section 5): double-hashed leaves of
 * `abi.encode(uint256 index, address account, uint256 amount)`, pairs hashed
 * sorted (commutative keccak256), leaves in index order, an odd node carried
 * up unchanged. The root equals merkletreejs's
 * `new MerkleTree(leaves, keccak256, { sortPairs: true })` and proofs verify
 * with OpenZeppelin's `MerkleProof.verify`.
 *
 * Why it is built this way (numbers in bench/results-merkle.md):
 * - keccak256 is hash-wasm's WebAssembly build, about 6× faster per hash here
 *   than @noble/hashes' JavaScript one; its instance is created once, at
 *   module load (top-level await, no I/O: the wasm is embedded in the package).
 * - every level is one flat byte array (32 bytes per node), so a
 *   1,000,000-leaf tree is ~64 MB in a few dozen objects, not millions;
 * - the 96-byte `abi.encode` of a leaf is written by hand into one buffer;
 * - a proof's first element is the caller's own leaf string, and each level
 *   remembers its last sibling's hex, so proofs asked for in index order
 *   convert each node to hex about once.
 *
 * @example
 * const tree = buildTree(recipients.map((r) => leafHash(r.index, r.address, r.amount)));
 * verifyProof(leafHash(0, recipients[0].address, recipients[0].amount), tree.proof(0), tree.root); // true
 */
import { createKeccak } from "hash-wasm";
import type { Hex } from "./types.js";

const keccak = await createKeccak(256);

/** keccak256 of `input`, written into `out` at `outOffset`. */
function keccakInto(input: Uint8Array, out: Uint8Array, outOffset: number): void {
  keccak.init();
  keccak.update(input);
  out.set(keccak.digest("binary"), outOffset);
}

/** keccak256(a ‖ b) of two 32-byte nodes, smaller first (OpenZeppelin's commutative hash). */
function hashPairInto(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, out: Uint8Array, outOffset: number): void {
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

function compare32(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): number {
  for (let k = 0; k < 32; k++) {
    const x = a[aOffset + k]!;
    const y = b[bOffset + k]!;
    if (x !== y) return x - y;
  }
  return 0;
}

// ---- hex <-> bytes, without per-byte string slicing ----------------------

const DIGITS = "0123456789abcdef";
/** NIBBLE[charCode] = 0..15 for a hex digit (either case), -1 otherwise. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE[DIGITS.charCodeAt(i)] = i;
  NIBBLE[DIGITS.toUpperCase().charCodeAt(i)] = i;
}
/** HEX_PAIR[byte] = its two lower-case hex digits as one little-endian uint16 of char codes. */
const HEX_PAIR = new Uint16Array(256);
for (let i = 0; i < 256; i++) HEX_PAIR[i] = DIGITS.charCodeAt(i >> 4) | (DIGITS.charCodeAt(i & 15) << 8);

const latin1 = new TextDecoder("latin1");
const hexChars = new Uint8Array(66); // "0x" + 64 digits
hexChars[0] = 0x30;
hexChars[1] = 0x78;
const hexPairs = new Uint16Array(hexChars.buffer, 2, 32);
// The uint16 trick writes the first digit into the lower address, so it needs a little-endian host.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** 32 bytes at `offset` as lower-case 0x hex. */
function hex32(bytes: Uint8Array, offset: number): Hex {
  if (LITTLE_ENDIAN) {
    for (let k = 0; k < 32; k++) hexPairs[k] = HEX_PAIR[bytes[offset + k]!]!;
    return latin1.decode(hexChars) as Hex;
  }
  let out = "0x";
  for (let k = 0; k < 32; k++) out += DIGITS[bytes[offset + k]! >> 4]! + DIGITS[bytes[offset + k]! & 15]!;
  return out as Hex;
}

/**
 * Parses `byteLength` bytes of 0x hex into `into` at `offset`. Returns
 * PARSED_LOWER or PARSED_UPPER (some digit is upper case), or NOT_HEX when
 * `hex` is not exactly that many bytes of hex.
 */
function parseHex(hex: string, into: Uint8Array, offset: number, byteLength: number): number {
  if (hex.length !== 2 + 2 * byteLength || hex.charCodeAt(0) !== 0x30 || (hex.charCodeAt(1) | 0x20) !== 0x78) return NOT_HEX;
  let upper = hex.charCodeAt(1) === 0x58;
  for (let i = 0; i < byteLength; i++) {
    const a = hex.charCodeAt(2 + 2 * i);
    const b = hex.charCodeAt(3 + 2 * i);
    const hi = NIBBLE[a] ?? -1;
    const lo = NIBBLE[b] ?? -1;
    if ((hi | lo) < 0) return NOT_HEX;
    if (a < 0x61 && a > 0x39) upper = true; // A-F
    if (b < 0x61 && b > 0x39) upper = true;
    into[offset + i] = (hi << 4) | lo;
  }
  return upper ? PARSED_UPPER : PARSED_LOWER;
}
const NOT_HEX = 0;
const PARSED_LOWER = 1;
const PARSED_UPPER = 2;

// ---- leaves ----------------------------------------------------------------

const MAX_UINT256 = (1n << 256n) - 1n;
const encoded = new Uint8Array(96);
const encodedView = new DataView(encoded.buffer);
const inner = new Uint8Array(32);

/**
 * Writes the SPEC 5 leaf of (index, account, amount) into `out` at
 * `outOffset`: `keccak256(bytes.concat(keccak256(abi.encode(uint256 index, address account, uint256 amount))))`.
 * `account` is 0x and 40 hex digits, any case (checksums are checked where
 * addresses are read, by season/address.ts).
 *
 * @example
 * const leaves = new Uint8Array(32 * recipients.length);
 * recipients.forEach((r, i) => writeLeaf(leaves, 32 * i, r.index, r.address, r.amount));
 */
export function writeLeaf(out: Uint8Array, outOffset: number, index: number, account: string, amount: bigint): void {
  packLeafInput(packedScratch, 0, account, amount);
  writeLeafFromPacked(out, outOffset, index, packedScratch, 0);
}

/** Bytes per leaf in {@link packLeafInput}'s form: the 20-byte address, then the amount as a 32-byte big-endian word. */
export const PACKED_LEAF_BYTES = 52;
const packedScratch = new Uint8Array(PACKED_LEAF_BYTES);

/**
 * Writes (account, amount) into `out` at `offset` as 52 bytes: the compact
 * form in which season/parallel.ts hands a million leaves to a second thread
 * (no strings or bigints to copy). Throws on an account that is not 0x and
 * 40 hex digits, or an amount outside uint256.
 */
export function packLeafInput(out: Uint8Array, offset: number, account: string, amount: bigint): void {
  if (typeof amount !== "bigint" || amount < 0n || amount > MAX_UINT256) throw new RangeError(`leaf amount must be a uint256 bigint, got ${String(amount)}`);
  if (parseHex(account, out, offset, 20) === NOT_HEX) throw new RangeError(`leaf account must be 0x and 40 hex digits, got "${account}"`);
  let rest = amount;
  for (let word = 3; word >= 0; word--) {
    wordView.setBigUint64(8 * word, BigInt.asUintN(64, rest));
    rest >>= 64n;
  }
  out.set(word256, offset + 20);
}

/** A 32-byte big-endian word and its view: amounts pass through it (no DataView per leaf). */
const word256 = new Uint8Array(32);
const wordView = new DataView(word256.buffer);

/** The (account, amount) that {@link packLeafInput} wrote at `offset`; the account in lower case. */
export function unpackLeafInput(packed: Uint8Array, offset: number): { address: Hex; amount: bigint } {
  let address = "0x";
  for (let k = 0; k < 20; k++) address += DIGITS[packed[offset + k]! >> 4]! + DIGITS[packed[offset + k]! & 15]!;
  word256.set(packed.subarray(offset + 20, offset + 52));
  let amount = 0n;
  for (let word = 0; word < 4; word++) amount = (amount << 64n) | wordView.getBigUint64(8 * word);
  return { address: address as Hex, amount };
}

/** The SPEC 5 leaf of `index` and the packed (account, amount) at `packed[packedOffset]`, written into `out` at `outOffset`. */
export function writeLeafFromPacked(out: Uint8Array, outOffset: number, index: number, packed: Uint8Array, packedOffset: number): void {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`leaf index must be a whole number >= 0, got ${index}`);
  // abi.encode: three 32-byte big-endian words; the index fits in the word's last 8 bytes, the address in the last 20.
  encoded.fill(0, 0, 44);
  encodedView.setUint32(24, Math.floor(index / 2 ** 32));
  encodedView.setUint32(28, index >>> 0);
  encoded.set(packed.subarray(packedOffset, packedOffset + PACKED_LEAF_BYTES), 44);
  keccakInto(encoded, inner, 0);
  keccakInto(inner, out, outOffset);
}

/**
 * The SPEC 5 leaf of (index, account, amount) as 32 fresh bytes.
 *
 * @example leafBytes(0, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 10n ** 18n).length // 32
 */
export function leafBytes(index: number, account: string, amount: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeLeaf(out, 0, index, account, amount);
  return out;
}

/**
 * The SPEC 5 leaf of (index, account, amount) as lower-case 0x hex; equals
 * viem's `keccak256(keccak256(encodeAbiParameters([uint256, address, uint256], [index, account, amount])))`.
 *
 * @example leafHash(0, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 10n ** 18n) // "0x…" (66 characters)
 */
export function leafHash(index: number, account: Hex | string, amount: bigint): Hex {
  writeLeaf(inner, 0, index, account, amount);
  return hex32(inner, 0);
}

// ---- the tree --------------------------------------------------------------

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

/**
 * The season's tree: leaf i is `recipients[i]` (its index, address and
 * amount), as `season build` writes it.
 *
 * @example buildRecipientTree(result.recipients).root === manifest.merkleRoot
 */
export function buildRecipientTree(recipients: readonly { index: number; address: string; amount: bigint }[]): MerkleTree {
  const leaves = new Uint8Array(32 * recipients.length);
  recipients.forEach((r, i) => writeLeaf(leaves, 32 * i, r.index, r.address, r.amount));
  return buildTreeFromBytes(leaves);
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
 * (season/tree-worker.mjs).
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
