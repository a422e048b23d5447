/**
 * The season's Merkle leaf (SPEC section 5):
 * `keccak256(bytes.concat(keccak256(abi.encode(uint256 index, address account, uint256 amount))))`,
 * double-hashed as OpenZeppelin's standard tree does, so no leaf can pose as
 * an inner node. The 96-byte `abi.encode` is written by hand into one buffer.
 * Beside it, the publication's `cumulative-v1` leaf (SPEC 8.2, what
 * SogniRewards checks): `keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative))))`.
 *
 * @example
 * const tree = buildRecipientTree(result.recipients);
 * verifyProof(leafHash(0, recipients[0].address, recipients[0].amount), tree.proof(0), tree.root); // true
 */
import { DIGITS, hex32, NOT_HEX, parseHex } from "./hex.js";
import { keccakInto } from "./keccak.js";
import { buildTreeFromBytes, type MerkleTree } from "./tree.js";
import type { Hex } from "./types.js";

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
 * form in which season-io/parallel.ts hands a million leaves to a second thread
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

// ---- the cumulative-v1 leaf (SPEC 8.2) ---------------------------------------

/** The publication's leaf encoding, as its manifest names it. */
export const CUMULATIVE_LEAF_ENCODING = "cumulative-v1";

const cumulativeEncoded = new Uint8Array(64);

/**
 * Writes the SPEC 8.2 leaf of (account, cumulative) into `out` at
 * `outOffset`: `keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative))))`.
 * Throws on an account that is not 0x and 40 hex digits or an amount outside uint256.
 *
 * @example
 * const leaves = new Uint8Array(32 * balances.length);
 * balances.forEach((b, i) => writeCumulativeLeaf(leaves, 32 * i, b.address, b.cumulative));
 */
export function writeCumulativeLeaf(out: Uint8Array, outOffset: number, account: string, cumulative: bigint): void {
  packLeafInput(packedScratch, 0, account, cumulative);
  writeCumulativeLeafFromPacked(out, outOffset, packedScratch, 0);
}

/** The SPEC 8.2 leaf of the packed (account, cumulative) at `packed[packedOffset]` (see {@link packLeafInput}), written into `out` at `outOffset`. */
export function writeCumulativeLeafFromPacked(out: Uint8Array, outOffset: number, packed: Uint8Array, packedOffset: number): void {
  // abi.encode(address, uint256): the address in the first word's last 20 bytes, then the amount's word.
  cumulativeEncoded.fill(0, 0, 12);
  cumulativeEncoded.set(packed.subarray(packedOffset, packedOffset + PACKED_LEAF_BYTES), 12);
  keccakInto(cumulativeEncoded, inner, 0);
  keccakInto(inner, out, outOffset);
}

/**
 * The SPEC 8.2 leaf of (account, cumulative) as lower-case 0x hex; equals
 * viem's `keccak256(keccak256(encodeAbiParameters([address, uint256], [account, cumulative])))`.
 *
 * @example cumulativeLeafHash("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 10n ** 18n) // "0x…" (66 characters)
 */
export function cumulativeLeafHash(account: Hex | string, cumulative: bigint): Hex {
  writeCumulativeLeaf(inner, 0, account, cumulative);
  return hex32(inner, 0);
}

/**
 * The publication's tree: leaf i is (`addresses[i]`, `cumulative[i]`),
 * addresses sorted by lower-case address (SPEC 8.2).
 *
 * @example buildCumulativeTree(balances.addresses, balances.cumulative).root === manifest.merkleRoot
 */
export function buildCumulativeTree(addresses: readonly string[], cumulative: readonly bigint[]): MerkleTree {
  if (addresses.length !== cumulative.length) throw new RangeError(`${addresses.length} addresses but ${cumulative.length} amounts`);
  const leaves = new Uint8Array(32 * addresses.length);
  for (let i = 0; i < addresses.length; i++) writeCumulativeLeaf(leaves, 32 * i, addresses[i]!, cumulative[i]!);
  return buildTreeFromBytes(leaves);
}
