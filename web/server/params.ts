// web/: the claim and leaderboard page (browser modules) and server.ts, its routes.
// Imports season/ and season-io/. See docs/architecture.md.
/**
 * The page API's parameters, checked before anything is read: a bad value
 * is a {@link PageParamError}, answered `400 {"error": "…"}` naming the
 * parameter, what it accepts and (shortened, escaped) what came.
 *
 * @example
 * parseSeasonParam("7") === 7; parseSeasonParam(undefined) === undefined; parseSeasonParam("7.0") // throws
 * parsePageParams("100", "50") // { offset: 100, limit: 50 }
 */
import { AddressError, normalizeAddress, type Address } from "../../season/address.js";
import { POOL_KEYS, type PoolKey } from "../../season/types.js";

/** A request parameter that cannot be used; `message` says which and why. */
export class PageParamError extends Error {
  override name = "PageParamError";
}

/** The most rows one leaderboard page holds. */
export const MAX_PAGE_LIMIT = 1000;
/** The most matches one search answers. */
export const MAX_SEARCH_LIMIT = 50;
/** The longest name fragment searched for. */
export const MAX_QUERY_LENGTH = 64;

/** A value as an error message quotes it: JSON-escaped (no control character reaches a log raw), at most 40 characters. */
function quoted(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(short);
}

/** `?season=N`: a season number (1, 2, …), or undefined for the latest. */
export function parseSeasonParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new PageParamError(`season must be a season number (a whole number from 1, no leading zeros), got ${quoted(value)}`);
  return Number(value);
}

/** A pool's key (path parameter). */
export function parsePoolParam(value: string): PoolKey {
  if (!(POOL_KEYS as readonly string[]).includes(value)) throw new PageParamError(`unknown pool ${quoted(value)}: one of ${POOL_KEYS.join(", ")}`);
  return value as PoolKey;
}

/** `?offset=&limit=` of a leaderboard page: offset ≥ 0 (default 0), 1 ≤ limit ≤ 1000 (default 100). */
export function parsePageParams(offset: string | undefined, limit: string | undefined): { offset: number; limit: number } {
  if (offset !== undefined && !/^\d{1,9}$/.test(offset)) throw new PageParamError(`offset must be a whole number from 0 (at most 9 digits), got ${quoted(offset)}`);
  if (limit !== undefined && (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE_LIMIT)) {
    throw new PageParamError(`limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${quoted(limit)}`);
  }
  return { offset: offset === undefined ? 0 : Number(offset), limit: limit === undefined ? 100 : Number(limit) };
}

/** An address path parameter (any case; a mixed case must be its EIP-55 checksum), lower-cased. */
export function parseAddressParam(value: string): Address {
  try {
    return normalizeAddress(value);
  } catch (error) {
    if (error instanceof AddressError) throw new PageParamError(error.message);
    throw error;
  }
}

export type SearchQuery = { kind: "address"; address: Address; text: string } | { kind: "name"; fragment: string; text: string };

/**
 * `?q=` of a leaderboard search: a full address (0x and 40 hex digits, any
 * case) or a name fragment of 2 to 64 characters (spaces at either end
 * dropped), without control characters; `?limit=` 1 … 50, default 20.
 *
 * @example parseSearchParams("Ada ", undefined) // { query: { kind: "name", fragment: "Ada", text: "Ada" }, limit: 20 }
 */
export function parseSearchParams(q: string | undefined, limit: string | undefined): { query: SearchQuery; limit: number } {
  if (limit !== undefined && (!/^\d{1,2}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_SEARCH_LIMIT)) {
    throw new PageParamError(`limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}, got ${quoted(limit)}`);
  }
  const count = limit === undefined ? 20 : Number(limit);
  if (q === undefined) throw new PageParamError("q is required: a full 0x address or at least 2 characters of a name");
  const text = q.trim();
  if (/^0x[0-9a-f]{40}$/i.test(text)) return { query: { kind: "address", address: parseAddressParam(text), text }, limit: count };
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(text)) throw new PageParamError(`q holds a control or invisible character: search by a full address or a part of a name, got ${quoted(text)}`);
  const length = [...text].length;
  if (length < 2) throw new PageParamError(`q must be a full 0x address or at least 2 characters of a name, got ${quoted(text)}`);
  if (length > MAX_QUERY_LENGTH) throw new PageParamError(`q must be at most ${MAX_QUERY_LENGTH} characters (a part of a name) or a full 0x address, got ${quoted(text)}`);
  return { query: { kind: "name", fragment: text, text }, limit: count };
}
