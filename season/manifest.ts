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
import { isoSeconds } from "./time.js";
import { POOL_KEYS, type Address, type Hex, type PoolKey, type SeasonResult } from "./types.js";

/** Bump with any change to a file format of the output directory. */
export const FORMAT_VERSION = "1";

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

export interface ManifestJson {
  formatVersion: string;
  season: number;
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
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new ManifestError(`${file} has formatVersion ${JSON.stringify(manifest.formatVersion)}; this season tool reads "${FORMAT_VERSION}"`);
  }
  if (typeof manifest.merkleRoot !== "string" || !/^0x[0-9a-f]{64}$/.test(manifest.merkleRoot)) {
    throw new ManifestError(`${file}: merkleRoot is not 32 bytes of lower-case hex`);
  }
  if (typeof manifest.total !== "string" || !/^\d+$/.test(manifest.total)) throw new ManifestError(`${file}: total is not a wei amount`);
  if (typeof manifest.decimals !== "number") throw new ManifestError(`${file}: decimals is missing`);
  for (const key of POOL_KEYS) {
    if (typeof manifest.pools?.[key]?.allocated !== "string") throw new ManifestError(`${file}: pools.${key} is missing`);
  }
  return manifest;
}
