/**
 * Query and path parameters of the indexer's REST routes, checked before any
 * database read. A bad value raises {@link ParamError}, which the API turns
 * into `400 {"error": "..."}` naming the parameter and what it accepts.
 *
 * @example
 * parseAddressParam("address", "0xAbC…") // lower-case address, or ParamError on a bad checksum
 * parseTimeParam("from", "2026-10-13T00:00:00Z") === 1760313600n
 */
import { AddressError, normalizeAddress, type Address } from "../season/address.js";
import { parseTimeInput, TimestampError } from "../season/time.js";

/** A request parameter that cannot be used; `message` says which and why. */
export class ParamError extends Error {
  override name = "ParamError";
}

export function parseAddressParam(name: string, value: string | undefined): Address {
  if (value === undefined || value === "") throw new ParamError(`${name} is required: a 0x address (40 hex digits)`);
  try {
    return normalizeAddress(value);
  } catch (error) {
    if (error instanceof AddressError) throw new ParamError(`${name}: ${error.message}`);
    throw error;
  }
}

/**
 * Unix seconds, or an ISO-8601 UTC time ("2026-10-13T00:00:00Z"; a bare date
 * means 00:00 UTC), read by the project's one time parser. Sub-second times
 * are refused, not rounded.
 */
export function parseTimeParam(name: string, value: string): bigint {
  if (/\.\d/.test(value)) throw new ParamError(`${name}: "${value}" is not a whole second; give unix seconds or an ISO time without a fraction`);
  try {
    return BigInt(parseTimeInput(value));
  } catch (error) {
    if (error instanceof TimestampError) throw new ParamError(`${name}: ${error.message}`);
    throw error;
  }
}

/** The [from, to) window of a staking-power query, or undefined when neither is given. */
export function parseWindowParams(from: string | undefined, to: string | undefined): { from: bigint; to: bigint } | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw new ParamError("from and to go together: give both (unix seconds or ISO-8601) for staking power over [from, to)");
  const window = { from: parseTimeParam("from", from), to: parseTimeParam("to", to) };
  if (window.to < window.from) throw new ParamError(`to (${window.to}) is before from (${window.from}): the window is [from, to)`);
  return window;
}

/** A non-negative whole number (block number, season, offset). */
export function parseWholeParam(name: string, value: string, max?: bigint): bigint {
  if (!/^\d{1,30}$/.test(value)) throw new ParamError(`${name}: "${value}" is not a whole number`);
  const n = BigInt(value);
  if (max !== undefined && n > max) throw new ParamError(`${name}: ${value} is above the maximum ${max}`);
  return n;
}

/**
 * Snapshot blocks from `block=N` (every chain) and `block.<chainId>=N` (one
 * chain; wins over `block`). Any other parameter name starting with `block` is an error.
 *
 * @example parseSnapshotBlocks({ "block.31337": "120" }) // { all: undefined, perChain: Map { 31337 => 120n } }
 */
export function parseSnapshotBlocks(query: Record<string, string>): { all: bigint | undefined; perChain: Map<number, bigint> } {
  let all: bigint | undefined;
  const perChain = new Map<number, bigint>();
  for (const [key, value] of Object.entries(query)) {
    if (key === "block") {
      all = parseWholeParam("block", value);
      continue;
    }
    const match = /^block\.(\d{1,15})$/.exec(key);
    if (match) {
      perChain.set(Number(match[1]), parseWholeParam(key, value));
      continue;
    }
    if (key.startsWith("block")) throw new ParamError(`unknown parameter "${key}": use block=N or block.<chainId>=N`);
  }
  return { all, perChain };
}

/** Pagination: offset ≥ 0, 1 ≤ limit ≤ max. */
export function parsePage(offset: string | undefined, limit: string | undefined, defaultLimit = 100, max = 1000): { offset: number; limit: number } {
  const o = offset === undefined ? 0n : parseWholeParam("offset", offset, 1_000_000_000n);
  const l = limit === undefined ? BigInt(defaultLimit) : parseWholeParam("limit", limit, BigInt(max));
  if (l === 0n) throw new ParamError("limit must be at least 1");
  return { offset: Number(o), limit: Number(l) };
}

/**
 * A route's query holds only the parameters it takes: anything else is a
 * ParamError naming it (a misspelt filter is never silently ignored).
 *
 * @example refuseUnknownParams("/publications", { chain: "8453" }, ["chainId"]) // throws: unknown parameter "chain"
 */
export function refuseUnknownParams(route: string, query: Record<string, string>, allowed: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      throw new ParamError(`unknown parameter "${key}": ${route} takes ${allowed.length === 0 ? "no parameters" : allowed.join(", ")}`);
    }
  }
}
