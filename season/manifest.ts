/**
 * manifest.json of a season output directory (SPEC section 6): what was
 * paid, to how many, under which Merkle root, from which inputs (sha256).
 * No timestamps and no paths, so two builds of the same inputs are
 * byte-identical.
 *
 * @example
 * const text = serializeManifest(buildManifest({ result, merkleRoot, claim: { chainId: 8453, token: "0x…" }, inputs, generator }));
 */
import { createHash } from "node:crypto";
import { isoSeconds, parseIsoTime } from "./time.js";
import { POOL_KEYS, type Address, type Hex, type PoolKey, type SeasonResult, type SeasonStats } from "./types.js";

/**
 * Bump with any change to a file format of the output directory (README,
 * "Format versions"). 2: every onchain.json fact carries its log's `block`
 * and `logIndex`, locks their `staking` contract. 3: the manifest's `stats`,
 * the worker leaderboards' `work` and (fast) `nft` columns, and `tree.bin`
 * (the whole Merkle tree) instead of `proofs/<xx>.json`.
 */
export const FORMAT_VERSION = "3";

/**
 * The season directory formats the tools read, oldest first: a reader
 * branches on `formatVersion` (a "2" directory has proof shards, no `stats`,
 * and worker leaderboards without `work` and `nft`).
 */
export const READABLE_FORMAT_VERSIONS = ["2", FORMAT_VERSION] as const;
export type ReadableFormatVersion = (typeof READABLE_FORMAT_VERSIONS)[number];

/** SPEC section 5 in words: how a leaf is made, for an auditor with another toolchain. */
export const LEAF_ENCODING =
  "keccak256(bytes.concat(keccak256(abi.encode(uint256 index, address account, uint256 amount)))); " +
  "recipients sorted by lower-case address, index = position from 0; " +
  "pairs hashed sorted (commutative keccak256), odd node carried up unchanged " +
  "(merkletreejs sortPairs: true; OpenZeppelin MerkleProof.verify)";

/** The input files a build reads, in the order the manifest lists them. */
export const INPUT_FILES = ["season.json", "users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv", "onchain.json"] as const;
export type InputFileName = (typeof INPUT_FILES)[number];

/** Where the claim happens: the chain and the SOGNI token there (null when unknown). */
export interface ClaimLocation {
  chainId: number | null;
  token: Address | null;
}

/** SPEC 6 manifest `stats` (formatVersion 3 on). */
export type ManifestStats = SeasonStats;

export interface ManifestJson {
  formatVersion: string;
  season: number;
  /** Absent in a formatVersion "2" manifest: read it with {@link manifestStats}. */
  stats?: ManifestStats;
  chainId: number | null;
  token: string | null;
  decimals: number;
  window: { start: string; end: string };
  claimDeadline: string | null;
  snapshot: { chainId: number; block: string; hash: string; timestamp: number }[];
  pools: Record<PoolKey, { amount: string; top: number | null; recipients: number; allocated: string }>;
  total: string;
  recipients: number;
  merkleRoot: string;
  leafEncoding: string;
  skippedOutsideWindow: Record<string, number>;
  rejected: number;
  inputs: Record<string, string>;
  generator: { name: string; version: string };
}

export interface ManifestParams {
  result: SeasonResult;
  merkleRoot: Hex;
  claim: ClaimLocation;
  snapshot: { chainId: number; block: bigint; hash: Hex; timestamp: number }[];
  /** file name -> sha256 hex of its bytes. */
  inputs: Record<string, string>;
  generator: { name: string; version: string };
}

/** sha256 of bytes (or UTF-8 text) as 64 lower-case hex digits. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The manifest as plain JSON data (bigints as decimal strings). */
export function buildManifest(params: ManifestParams): ManifestJson {
  const { result, claim } = params;
  const config = result.config;
  const pools = {} as ManifestJson["pools"];
  for (const key of POOL_KEYS) {
    const pool = result.pools[key];
    pools[key] = { amount: pool.amount.toString(), top: pool.top ?? null, recipients: pool.recipients, allocated: pool.allocated.toString() };
  }
  const skipped: Record<string, number> = {};
  for (const file of Object.keys(result.skippedOutsideWindow).sort()) skipped[file] = result.skippedOutsideWindow[file]!;
  const inputs: Record<string, string> = {};
  for (const file of Object.keys(params.inputs).sort(byInputOrder)) inputs[file] = params.inputs[file]!;
  return {
    formatVersion: FORMAT_VERSION,
    season: config.season,
    stats: { users: result.stats.users, workers: result.stats.workers, creations: result.stats.creations },
    chainId: claim.chainId,
    token: claim.token,
    decimals: config.decimals,
    window: { start: isoSeconds(config.start), end: isoSeconds(config.end) },
    claimDeadline: config.claimDeadline === undefined ? null : isoSeconds(config.claimDeadline),
    snapshot: params.snapshot.map((block) => ({ chainId: block.chainId, block: block.block.toString(), hash: block.hash, timestamp: block.timestamp })),
    pools,
    total: result.total.toString(),
    recipients: result.recipients.length,
    merkleRoot: params.merkleRoot,
    leafEncoding: LEAF_ENCODING,
    skippedOutsideWindow: skipped,
    rejected: result.rejected.length,
    inputs,
    generator: params.generator,
  };
}

function byInputOrder(a: string, b: string): number {
  const ia = (INPUT_FILES as readonly string[]).indexOf(a);
  const ib = (INPUT_FILES as readonly string[]).indexOf(b);
  if (ia !== ib) return (ia === -1 ? INPUT_FILES.length : ia) - (ib === -1 ? INPUT_FILES.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** manifest.json bytes: two-space indented JSON and a final newline. */
export function serializeManifest(manifest: ManifestJson): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Thrown when a manifest.json is not one this version can read. */
export class ManifestError extends Error {
  override name = "ManifestError";
}

/**
 * Reads manifest.json text back, checking the fields the commands rely on.
 *
 * @example parseManifest(readFileSync("out/season-7/manifest.json", "utf8")).merkleRoot
 */
export function parseManifest(text: string, file = "manifest.json"): ManifestJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file} is not valid JSON (${(error as Error).message}): rebuild the season with \`season build\``);
  }
  const manifest = raw as ManifestJson;
  if (typeof manifest !== "object" || manifest === null) throw new ManifestError(`${file} is not a JSON object`);
  if (!(READABLE_FORMAT_VERSIONS as readonly unknown[]).includes(manifest.formatVersion)) {
    const readable = READABLE_FORMAT_VERSIONS.map((version) => `"${version}"`).join(" and ");
    throw new ManifestError(`${file} has formatVersion ${JSON.stringify(manifest.formatVersion)}; this season tool reads ${readable}: rebuild the season with \`season build\``);
  }
  if (typeof manifest.merkleRoot !== "string" || !/^0x[0-9a-f]{64}$/.test(manifest.merkleRoot)) {
    throw new ManifestError(`${file}: merkleRoot is not 32 bytes of lower-case hex`);
  }
  if (typeof manifest.total !== "string" || !/^\d+$/.test(manifest.total)) throw new ManifestError(`${file}: total is not a wei amount`);
  for (const key of POOL_KEYS) {
    if (typeof manifest.pools?.[key]?.allocated !== "string") throw new ManifestError(`${file}: pools.${key} is missing`);
  }
  checkManifestFields(manifest, file);
  return manifest;
}

/**
 * A manifest's `stats`, or null for a formatVersion "2" manifest (written before there were any).
 *
 * @example manifestStats(parseManifest(text))?.creations
 */
export function manifestStats(manifest: ManifestJson): ManifestStats | null {
  return manifest.stats ?? null;
}

/** Every field the readers compute with, checked, so a damaged manifest is named instead of failing later inside a computation. */
function checkManifestFields(manifest: ManifestJson, file: string): void {
  const bad = (key: string, value: unknown, what: string): never => {
    throw new ManifestError(`${file}: ${key} ${JSON.stringify(value) ?? "(missing)"} is not ${what}: rebuild the season with \`season build\``);
  };
  const whole = (key: string, value: unknown): void => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) bad(key, value, "a whole number");
  };
  const wei = (key: string, value: unknown): void => {
    if (typeof value !== "string" || !/^(0|[1-9]\d{0,77})$/.test(value)) bad(key, value, "a wei amount (decimal digits)");
  };
  const time = (key: string, value: unknown): void => {
    if (typeof value !== "string") bad(key, value, "an ISO-8601 UTC time");
    try {
      parseIsoTime(value as string);
    } catch {
      bad(key, value, "an ISO-8601 UTC time");
    }
  };
  whole("season", manifest.season);
  if (manifest.formatVersion !== "2" || manifest.stats !== undefined) {
    const stats = manifest.stats;
    if (typeof stats !== "object" || stats === null || Array.isArray(stats)) bad("stats", stats, "{ users, workers, creations }");
    whole("stats.users", stats!.users);
    whole("stats.workers", stats!.workers);
    whole("stats.creations", stats!.creations);
  }
  if (manifest.chainId !== null) whole("chainId", manifest.chainId);
  if (manifest.token !== null && (typeof manifest.token !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(manifest.token))) bad("token", manifest.token, "an address or null");
  whole("decimals", manifest.decimals);
  if (manifest.decimals > 77) bad("decimals", manifest.decimals, "at most 77");
  if (typeof manifest.window !== "object" || manifest.window === null) bad("window", manifest.window, "{ start, end }");
  time("window.start", manifest.window.start);
  time("window.end", manifest.window.end);
  if (manifest.claimDeadline !== null) time("claimDeadline", manifest.claimDeadline);
  if (!Array.isArray(manifest.snapshot)) bad("snapshot", manifest.snapshot, "a list of snapshot blocks");
  manifest.snapshot.forEach((block, i) => {
    if (typeof block !== "object" || block === null) bad(`snapshot[${i}]`, block, "{ chainId, block, hash, timestamp }");
    whole(`snapshot[${i}].chainId`, block.chainId);
    if (typeof block.block !== "string" || !/^\d{1,30}$/.test(block.block)) bad(`snapshot[${i}].block`, block.block, "a block number (decimal string)");
    if (typeof block.hash !== "string" || !/^0x[0-9a-f]{64}$/.test(block.hash)) bad(`snapshot[${i}].hash`, block.hash, "a block hash");
    whole(`snapshot[${i}].timestamp`, block.timestamp);
  });
  for (const key of POOL_KEYS) {
    const pool = manifest.pools[key];
    wei(`pools.${key}.amount`, pool.amount);
    wei(`pools.${key}.allocated`, pool.allocated);
    whole(`pools.${key}.recipients`, pool.recipients);
    if (pool.top !== null) whole(`pools.${key}.top`, pool.top);
  }
  wei("total", manifest.total);
  whole("recipients", manifest.recipients);
  if (typeof manifest.inputs !== "object" || manifest.inputs === null || Array.isArray(manifest.inputs)) bad("inputs", manifest.inputs, "an object of file name to sha256");
  for (const [name, hash] of Object.entries(manifest.inputs)) {
    if (!(INPUT_FILES as readonly string[]).includes(name)) bad("inputs", name, `one of the input files (${INPUT_FILES.join(", ")})`);
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) bad(`inputs["${name}"]`, hash, "a sha256 (64 hex digits)");
  }
}
