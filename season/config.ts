/**
 * season.json (SPEC section 1): parsed strictly. An unknown key, a missing
 * pool or a bad value is an error naming the key and its line, never a
 * default. Optional keys: `top` per pool, `exclude`, `workerPaymentWeights`
 * (SPEC's default weights), `claimDeadline`, `token`, `decimals` (18),
 * `vesting` (SPEC 8.1: read by `season publish`, never by the build).
 *
 * @example
 * const config = parseSeasonConfig(readFileSync("season.json", "utf8"), "season.json");
 * config.pools.artists.amount === 2_000_000n * 10n ** 18n;
 */
import { AddressError, normalizeAddress, type Address } from "./address.js";
import { DecimalError, parseDecimal } from "./decimal.js";
import { InputError } from "./errors.js";
import { formatJsonPath, locateJsonPath, parseJsonText, type JsonPathStep, type JsonValue } from "./json.js";
import { isoSeconds, parseIsoTime, TimestampError } from "./time.js";
import { INPUT_DECIMALS, POOL_KEYS, type PoolConfig, type PoolKey, type SeasonConfig, type VestingTranche } from "./types.js";
import { SHARE_DECIMALS, SHARE_ONE } from "./vesting.js";

/** SPEC section 2: the default worker payment weights. */
export const DEFAULT_WORKER_PAYMENT_WEIGHTS: Readonly<Record<string, string>> = { sogni: "1", premium_spark: "1", free_daily_boost: "0.1" };

/** SOGNI's decimals: what `decimals` is when season.json (or a deployments file) does not say. */
export const DEFAULT_DECIMALS = 18;

const TOP_KEYS = ["season", "start", "end", "sparkDepositAddress", "pools", "workerPaymentWeights", "exclude", "claimDeadline", "token", "decimals", "vesting"];
const REQUIRED_KEYS = ["season", "start", "end", "sparkDepositAddress", "pools"];
const POOL_FIELDS = ["amount", "top"];
const TRANCHE_FIELDS = ["at", "share"];

type Json = JsonValue;

/** The largest amount a token (ERC-20 uint256) can hold, in wei. */
const MAX_UINT256 = 2n ** 256n - 1n;

/** Parses and validates season.json; `file` names it in errors. */
export function parseSeasonConfig(text: string, file = "season.json"): SeasonConfig {
  const fail = (path: JsonPathStep[], reason: string): never => {
    const { line, column } = locateJsonPath(text, path);
    throw new InputError({ file, line, column: path.length ? formatJsonPath(path) : column }, reason);
  };

  const json = parseJsonText(text, file);
  if (!isObject(json)) return fail([], "expected a JSON object");

  for (const key of Object.keys(json)) {
    if (!TOP_KEYS.includes(key)) fail([key], `unknown key "${key}" (allowed: ${TOP_KEYS.join(", ")})`);
  }
  for (const key of REQUIRED_KEYS) {
    if (!(key in json)) fail([], `missing key "${key}"`);
  }

  const season = json.season;
  if (typeof season !== "number" || !Number.isSafeInteger(season) || season < 1) fail(["season"], `"season" must be a positive integer, found ${JSON.stringify(season)}`);

  const time = (key: string): number => {
    const value = json[key];
    if (typeof value !== "string") return fail([key], `"${key}" must be an ISO-8601 UTC timestamp string`);
    try {
      return parseIsoTime(value);
    } catch (error) {
      if (error instanceof TimestampError) return fail([key], error.message);
      throw error;
    }
  };
  const start = time("start");
  const end = time("end");
  if (end <= start) fail(["end"], `"end" must be after "start"`);
  const claimDeadline = "claimDeadline" in json ? time("claimDeadline") : undefined;
  if (claimDeadline !== undefined && claimDeadline <= end) fail(["claimDeadline"], `"claimDeadline" must be after "end" (claims open when the season ends)`);

  const address = (path: string[], value: Json | undefined): Address => {
    if (typeof value !== "string") return fail(path, `"${path.join(".")}" must be an address string`);
    try {
      return normalizeAddress(value);
    } catch (error) {
      if (error instanceof AddressError) return fail(path, error.message);
      throw error;
    }
  };
  const sparkDepositAddress = address(["sparkDepositAddress"], json.sparkDepositAddress);
  const token = "token" in json ? address(["token"], json.token) : undefined;

  let decimals = DEFAULT_DECIMALS;
  if ("decimals" in json) {
    const value = json.decimals;
    if (typeof value !== "number" || !Number.isInteger(value) || value < INPUT_DECIMALS || value > 36) {
      fail(["decimals"], `"decimals" must be an integer from ${INPUT_DECIMALS} to 36, found ${JSON.stringify(value)}`);
    }
    decimals = value as number;
  }

  const poolsJson = json.pools;
  if (!isObject(poolsJson)) return fail(["pools"], `"pools" must be an object with the keys ${POOL_KEYS.join(", ")}`);
  for (const key of Object.keys(poolsJson)) {
    if (!(POOL_KEYS as readonly string[]).includes(key)) fail(["pools", key], `unknown pool "${key}" (pools are ${POOL_KEYS.join(", ")})`);
  }
  const pools = {} as Record<PoolKey, PoolConfig>;
  for (const key of POOL_KEYS) {
    const pool = poolsJson[key];
    if (pool === undefined) fail(["pools"], `missing pool "${key}"`);
    if (!isObject(pool)) return fail(["pools", key], `pool "${key}" must be an object like { "amount": "1000000", "top": 200 }`);
    for (const field of Object.keys(pool)) {
      if (!POOL_FIELDS.includes(field)) fail(["pools", key, field], `unknown key "${field}" in pool "${key}" (allowed: amount, top)`);
    }
    const amountText = pool.amount;
    if (amountText === undefined) return fail(["pools", key], `pool "${key}" has no "amount": give it as a decimal string of SOGNI, like "2000000"`);
    if (typeof amountText !== "string") return fail(["pools", key, "amount"], `pools.${key}.amount must be a decimal string of SOGNI, like "2000000"`);
    let amount: bigint;
    try {
      amount = parseDecimal(amountText, decimals);
    } catch (error) {
      if (error instanceof DecimalError) return fail(["pools", key, "amount"], `pools.${key}.amount: ${error.message}`);
      throw error;
    }
    if (amount > MAX_UINT256) return fail(["pools", key, "amount"], `pools.${key}.amount is ${amountText} SOGNI: in wei it does not fit in uint256, so no token could fund it`);
    let top: number | undefined;
    if ("top" in pool) {
      const value = pool.top;
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
        fail(["pools", key, "top"], `pools.${key}.top must be a positive integer, found ${JSON.stringify(value)}`);
      }
      top = value as number;
    }
    pools[key] = { amount, top };
  }

  const poolTotal = POOL_KEYS.reduce((sum, key) => sum + pools[key].amount, 0n);
  if (poolTotal > MAX_UINT256) fail(["pools"], `the pools add up to ${poolTotal} wei, more than uint256 holds: no token could fund the season`);

  const weightsJson = "workerPaymentWeights" in json ? json.workerPaymentWeights : DEFAULT_WORKER_PAYMENT_WEIGHTS;
  if (!isObject(weightsJson) || Object.keys(weightsJson).length === 0) {
    return fail(["workerPaymentWeights"], `"workerPaymentWeights" must be a non-empty object of payment kind to decimal weight`);
  }
  const workerPaymentWeights: Record<string, bigint> = {};
  for (const [kind, value] of Object.entries(weightsJson)) {
    if (!/^[a-z][a-z0-9_]*$/.test(kind)) fail(["workerPaymentWeights", kind], `payment kind "${kind}" must be lower-case letters, digits and _`);
    if (typeof value !== "string") return fail(["workerPaymentWeights", kind], `workerPaymentWeights.${kind} must be a decimal string like "0.1"`);
    try {
      workerPaymentWeights[kind] = parseDecimal(value, INPUT_DECIMALS);
    } catch (error) {
      if (error instanceof DecimalError) return fail(["workerPaymentWeights", kind], `workerPaymentWeights.${kind}: ${error.message}`);
      throw error;
    }
  }

  const excludeJson = "exclude" in json ? json.exclude : [];
  if (!Array.isArray(excludeJson)) return fail(["exclude"], `"exclude" must be an array of addresses`);
  const exclude = [...new Set(excludeJson.map((value, i) => address(["exclude", String(i)], value)))].sort();

  const vesting = "vesting" in json ? parseVesting(json.vesting, end, fail) : undefined;

  return {
    season: season as number,
    start,
    end,
    sparkDepositAddress,
    pools,
    workerPaymentWeights,
    exclude,
    claimDeadline,
    token,
    decimals,
    ...(vesting === undefined ? {} : { vesting }),
  };
}

/**
 * SPEC 8.1's `vesting`: a non-empty array of `{ "at", "share" }`, times
 * strictly increasing and each at or after `end`, shares decimal strings of
 * at most 6 digits, strictly increasing, above 0, the last exactly 1.
 */
function parseVesting(value: Json | undefined, end: number, fail: (path: JsonPathStep[], reason: string) => never): VestingTranche[] {
  const example = `like [{ "at": "2026-12-01T00:00:00Z", "share": "0.25" }, { "at": "2027-03-01T00:00:00Z", "share": "1" }]`;
  if (!Array.isArray(value) || value.length === 0) return fail(["vesting"], `"vesting" must be a non-empty array of tranches, ${example}`);
  const tranches: VestingTranche[] = [];
  value.forEach((item, i) => {
    const path = (...rest: JsonPathStep[]): JsonPathStep[] => ["vesting", i, ...rest];
    const name = formatJsonPath(path());
    if (!isObject(item)) return fail(path(), `${name} must be an object { "at": "<ISO time>", "share": "<decimal>" }, ${example}`);
    for (const field of Object.keys(item)) {
      if (!TRANCHE_FIELDS.includes(field)) fail(path(field), `unknown key "${field}" in ${name} (allowed: at, share)`);
    }
    for (const field of TRANCHE_FIELDS) {
      if (!(field in item)) fail(path(), `${name} has no "${field}"`);
    }
    if (typeof item.at !== "string") return fail(path("at"), `${name}.at must be an ISO-8601 UTC timestamp string`);
    let at: number;
    try {
      at = parseIsoTime(item.at);
    } catch (error) {
      if (error instanceof TimestampError) return fail(path("at"), `${name}.at: ${error.message}`);
      throw error;
    }
    if (at < end) fail(path("at"), `${name}.at ${item.at} is before the season's "end" (${isoSeconds(end)}): nothing vests before the season ends`);
    const previous = tranches[i - 1];
    if (previous !== undefined && at <= previous.at) {
      fail(path("at"), `${name}.at ${item.at} is not after the tranche before it (${isoSeconds(previous.at)}): tranches are strictly increasing in time`);
    }
    if (typeof item.share !== "string") return fail(path("share"), `${name}.share must be a decimal string like "0.25"`);
    let share: bigint;
    try {
      share = parseDecimal(item.share, SHARE_DECIMALS);
    } catch (error) {
      if (error instanceof DecimalError) return fail(path("share"), `${name}.share: ${error.message}`);
      throw error;
    }
    if (share === 0n) fail(path("share"), `${name}.share is 0: a tranche must vest something`);
    if (share > SHARE_ONE) fail(path("share"), `${name}.share ${item.share} is above 1: a share is the part of the amount vested so far`);
    if (previous !== undefined && share <= previous.share) {
      fail(path("share"), `${name}.share ${item.share} is not above the tranche before it: shares are cumulative and strictly increasing`);
    }
    tranches.push({ at, share });
  });
  const last = tranches[tranches.length - 1]!;
  if (last.share !== SHARE_ONE) fail(["vesting", tranches.length - 1, "share"], `the last tranche's share must be exactly 1 (everything vested in the end)`);
  return tranches;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
