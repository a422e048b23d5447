/**
 * Bytes and hex without per-byte string slicing: the codec the Merkle leaf
 * and tree use on their hot paths (a million leaves, twenty million proof
 * nodes). Lower-case 0x hex out; either case in.
 *
 * @example
 * const bytes = new Uint8Array(32);
 * parseHex("0x" + "ab".repeat(32), bytes, 0, 32) === PARSED_LOWER; // true
 * hex32(bytes, 0) === "0x" + "ab".repeat(32); // true
 */
import type { Hex } from "./types.js";


export const DIGITS = "0123456789abcdef";
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
export function hex32(bytes: Uint8Array, offset: number): Hex {
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
export function parseHex(hex: string, into: Uint8Array, offset: number, byteLength: number): number {
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

export const NOT_HEX = 0;
export const PARSED_LOWER = 1;
export const PARSED_UPPER = 2;
