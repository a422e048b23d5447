/**
 * The one address normaliser. Inputs carry addresses in EIP-55 checksum case
 * (or all lower / all upper case); inside the core every address is lower
 * case. A mixed-case address with a wrong checksum is an error, never
 * silently lower-cased.
 *
 * The checksum needs one keccak256 per address: a million-user export means a
 * million hashes, so this uses hash-wasm's WebAssembly keccak once it has
 * loaded ({@link addressHasherReady}) and @noble/hashes' JavaScript keccak
 * until then. Both give the same bytes.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { createKeccak, type IHasher } from "hash-wasm";
import { sortIndices } from "./sort.js";

/** A lower-case 0x-prefixed 20-byte address: the one form used inside the core. */
export type Address = `0x${string}`;

/** No one holds its key: an amount paid to it could never be claimed, and no event names it as an actor. */
export const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";

/** Thrown by {@link normalizeAddress}; callers wrap it into an InputError with a location. */
export class AddressError extends Error {
  override name = "AddressError";
}

const LOWER = /^0x[0-9a-f]{40}$/;

/** Is `text` an address as the files write it: 0x and 40 lower-case hex digits? (The one such check.) */
export function isLowerAddress(text: string): boolean {
  return LOWER.test(text);
}
const ANY_CASE = /^0x[0-9a-fA-F]{40}$/;

let wasmKeccak: IHasher | undefined;

/** Resolves once the WebAssembly keccak is loaded; awaiting it is optional (it only makes checksums faster). */
export const addressHasherReady: Promise<void> = createKeccak(256).then(
  (hasher) => {
    wasmKeccak = hasher;
  },
  () => {
    // Keep the JavaScript keccak: slower, same result.
  },
);

const ascii = new Uint8Array(40);

function keccakOfLowerHex(body: string): Uint8Array {
  for (let i = 0; i < 40; i++) ascii[i] = body.charCodeAt(i);
  if (wasmKeccak === undefined) return keccak_256(ascii);
  wasmKeccak.init();
  wasmKeccak.update(ascii);
  return wasmKeccak.digest("binary");
}

/** EIP-55: a letter is upper case exactly when its nibble of keccak256(lower-case hex) is 8 or more. */
function hasValidChecksum(body: string, lowerBody: string): boolean {
  const hash = keccakOfLowerHex(lowerBody);
  for (let i = 0; i < 40; i++) {
    const code = body.charCodeAt(i);
    if (code < 65) continue; // a digit
    const nibble = i % 2 === 0 ? hash[i >> 1]! >> 4 : hash[i >> 1]! & 0x0f;
    const upper = code <= 70; // A-F (a-f are 97-102)
    if (upper !== nibble >= 8) return false;
  }
  return true;
}

/**
 * Accepts all-lower or all-upper hex as given, and mixed case only with a
 * valid EIP-55 checksum; returns lower case.
 *
 * @example normalizeAddress("0x52908400098527886E0F7030069857D2E4169EE7") === "0x52908400098527886e0f7030069857d2e4169ee7"
 */
export function normalizeAddress(text: string): Address {
  if (LOWER.test(text)) return text as Address; // the common case, checked first
  if (!ANY_CASE.test(text)) {
    throw new AddressError(`not an address: "${text}" (expected 0x and 40 hex digits)`);
  }
  const lower = text.toLowerCase();
  const body = text.slice(2);
  const lowerBody = lower.slice(2);
  const mixed = body !== lowerBody && body !== body.toUpperCase();
  if (mixed && !hasValidChecksum(body, lowerBody)) {
    throw new AddressError(`bad checksum: "${text}" (use the EIP-55 form or all lower case)`);
  }
  return lower as Address;
}

/**
 * The positions of `addresses` (lower-case 0x hex, repeats allowed) in
 * ascending address order, equal addresses by position: the order of
 * `[...addresses].map((a, i) => [a, i]).sort()`. The coarse key is the
 * first 8 hex digits (season/sort.ts); anything else sorts by the whole
 * string alone.
 *
 * @example sortIndicesByAddress(["0xbb…", "0xaa…", "0xbb…"]) // Uint32Array [1, 0, 2]
 */
export function sortIndicesByAddress(addresses: readonly string[]): Uint32Array {
  const compare = (a: number, b: number): number => {
    const x = addresses[a]!;
    const y = addresses[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  const lowerHex = addresses.every((address) => LOWER.test(address));
  // Lower-case hex digits sort as their values, so the leading 32 bits are a prefix of the order.
  return sortIndices(addresses.length, lowerHex ? (i) => parseInt(addresses[i]!.slice(2, 10), 16) : () => 0, compare);
}
