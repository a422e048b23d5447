import { getAddress, isAddress } from "viem";

const LOWER = /^0x[0-9a-f]{40}$/;

/** A lower-case 0x-prefixed 20-byte address: the one form used inside the core. */
export type Address = `0x${string}`;

/** Thrown by {@link normalizeAddress}; callers wrap it into an InputError with a location. */
export class AddressError extends Error {
  override name = "AddressError";
}

/**
 * The one address normaliser. Accepts all-lower or all-upper hex as given,
 * and mixed case only with a valid EIP-55 checksum; returns lower case.
 *
 * @example normalizeAddress("0x52908400098527886E0F7030069857D2E4169EE7") === "0x52908400098527886e0f7030069857d2e4169ee7"
 */
export function normalizeAddress(text: string): Address {
  if (LOWER.test(text)) return text as Address; // the common case, checked first
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new AddressError(`not an address: "${text}" (expected 0x and 40 hex digits)`);
  }
  const body = text.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && (!isAddress(text, { strict: true }) || getAddress(text) !== text)) {
    throw new AddressError(`bad checksum: "${text}" (use the EIP-55 form or all lower case)`);
  }
  return text.toLowerCase() as Address;
}
