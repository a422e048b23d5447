/**
 * season.json (SPEC section 1): parsed strictly. An unknown key, a missing
 * pool or a bad value is an error naming the key and its line, never a
 * default. Optional keys: `top` per pool, `exclude`, `workerPaymentWeights`
 * (SPEC's default weights), `claimDeadline`, `token`, `decimals` (18).
 *
 * @example
 * const config = parseSeasonConfig(readFileSync("season.json", "utf8"), "season.json");
 * config.pools.artists.amount === 2_000_000n * 10n ** 18n;
 */
import { AddressError, normalizeAddress, type Address } from "./address.js";
import { DecimalError, parseDecimal } from "./decimal.js";
import { InputError } from "./errors.js";
import { parseIsoTime, TimestampError } from "./time.js";
import { INPUT_DECIMALS, POOL_KEYS, type PoolConfig, type PoolKey, type SeasonConfig } from "./types.js";

/** SPEC section 2: the default worker payment weights. */
export const DEFAULT_WORKER_PAYMENT_WEIGHTS: Readonly<Record<string, string>> = { sogni: "1", premium_spark: "1", free_daily_boost: "0.1" };

/** SOGNI's decimals: what `decimals` is when season.json (or a deployments file) does not say. */
export const DEFAULT_DECIMALS = 18;

const TOP_KEYS = ["season", "start", "end", "sparkDepositAddress", "pools", "workerPaymentWeights", "exclude", "claimDeadline", "token", "decimals"];
const REQUIRED_KEYS = ["season", "start", "end", "sparkDepositAddress", "pools"];
const POOL_FIELDS = ["amount", "top"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Parses and validates season.json; `file` names it in errors. */
export function parseSeasonConfig(text: string, file = "season.json"): SeasonConfig {
  const fail = (path: string[], reason: string): never => {
    const { line, column } = locateKey(text, path);
    throw new InputError({ file, line, column: path.length ? path.join(".") : column }, reason);
  };

  const json = parseJsonText(text, file) as Json;
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
    if (typeof amountText !== "string") return fail(["pools", key, "amount"], `pools.${key}.amount must be a decimal string of SOGNI, like "2000000"`);
    let amount: bigint;
    try {
      amount = parseDecimal(amountText, decimals);
    } catch (error) {
      if (error instanceof DecimalError) return fail(["pools", key, "amount"], `pools.${key}.amount: ${error.message}`);
      throw error;
    }
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
  };
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The line of a key path in the JSON text, found by looking for each quoted
 * key after the previous one (array indices are skipped). Good enough to
 * point a person at the right line; falls back to line 1.
 */
function locateKey(text: string, path: string[]): { line: number; column: number } {
  let pos = 0;
  let found = -1;
  for (const key of path) {
    if (/^\d+$/.test(key)) continue;
    const at = text.indexOf(`"${key}"`, pos);
    if (at === -1) break;
    found = at;
    pos = at + key.length + 2;
  }
  if (found === -1) return { line: 1, column: 1 };
  return positionToLineColumn(text, found);
}

function positionToLineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  return { line, column: position - before.lastIndexOf("\n") };
}

/** JSON.parse with a syntax error turned into an InputError at its line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const { line, column } = jsonErrorLocation(text, error as Error);
    throw new InputError({ file, line, column }, `not valid JSON: ${(error as Error).message}`);
  }
}

/** JSON.parse's error position ("at position N" or "line L column C") as a line and column. */
function jsonErrorLocation(text: string, error: Error): { line: number | undefined; column: number | undefined } {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(error.message);
  if (position) return positionToLineColumn(text, Number(position[1]));
  return { line: undefined, column: undefined };
}
