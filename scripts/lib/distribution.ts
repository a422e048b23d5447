/**
 * The distribution's files: what `season deploy` and `season claim` read
 * from a season output directory (SPEC section 6) and the `deployment.json`
 * record `season deploy` writes there.
 *
 * @example
 * const manifest = readManifest("out/season-7");
 * const entry = readProofEntry("out/season-7", "0xabc…"); // undefined: nothing to claim
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { normalizeAddress, type Address } from "../../season/address.js";
import { findProof, loadManifest, type ProofEntry } from "./season-dir.js";

/** A problem with the season directory or the chain state: the message says what to do. */
export class DistributionError extends Error {
  override name = "DistributionError";
}

/** The manifest fields the distribution needs (the rest is passed through untouched). */
export interface ManifestView {
  season: number;
  chainId: number | undefined;
  token: Address | undefined;
  decimals: number;
  merkleRoot: Hex;
  total: bigint;
  recipients: number;
  /** Unix seconds; undefined when the season sets no claim deadline. */
  claimDeadline: number | undefined;
  window: { start: number; end: number } | undefined;
}

/** `<season dir>/deployment.json`: where the season's distributor lives. */
export interface DeploymentRecord {
  chainId: number;
  address: Address;
  block: number;
  transactionHash: Hex;
  token: Address;
  merkleRoot: Hex;
  deployer: Address;
  claimDeadline: number;
  total: string;
  /**
   * The funding transfer; null until it is mined (a re-run resumes funding).
   * transactionHash is null when a resumed run found the transfer already made.
   */
  funding: { transactionHash: Hex | null; block: number } | null;
}

export type { ProofEntry };

/** Seconds since the epoch from a unix number, a decimal string or an ISO-8601 date. */
export function toUnixSeconds(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  if (typeof value === "string") {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new DistributionError(`manifest.json: ${what} is not a time (${JSON.stringify(value)})`);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DistributionError(`${path} is not readable JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads `<season dir>/manifest.json` (validated by season-dir's loadManifest)
 * into the fields the distribution needs.
 *
 * @example readManifest("out/season-7").merkleRoot // "0x…"
 */
export function readManifest(seasonDir: string): ManifestView {
  const manifest = loadManifest(seasonDir);
  const start = toUnixSeconds(manifest.window?.start, "window.start");
  const end = toUnixSeconds(manifest.window?.end, "window.end");
  return {
    season: manifest.season,
    chainId: typeof manifest.chainId === "number" ? manifest.chainId : undefined,
    token: typeof manifest.token === "string" && manifest.token !== "" ? normalizeAddress(manifest.token) : undefined,
    decimals: manifest.decimals,
    merkleRoot: manifest.merkleRoot as Hex,
    total: BigInt(manifest.total),
    recipients: manifest.recipients,
    claimDeadline: toUnixSeconds(manifest.claimDeadline, "claimDeadline"),
    window: start !== undefined && end !== undefined ? { start, end } : undefined,
  };
}

/**
 * A recipient's index, amount and proof from the shard `proofs/<xx>.json`,
 * or undefined when the address has nothing in this season.
 *
 * @example readProofEntry("out/season-7", "0x00a1…")?.amount
 */
export function readProofEntry(seasonDir: string, account: string): ProofEntry | undefined {
  return findProof(seasonDir, normalizeAddress(account));
}

export function deploymentPath(seasonDir: string): string {
  return join(seasonDir, "deployment.json");
}

export function readDeploymentRecord(seasonDir: string): DeploymentRecord | undefined {
  const path = deploymentPath(seasonDir);
  if (!existsSync(path)) return undefined;
  return readJson(path) as DeploymentRecord;
}

/** Writes `<season dir>/deployment.json` atomically (temp file, then rename). */
export function writeDeploymentRecord(seasonDir: string, record: DeploymentRecord): void {
  const path = deploymentPath(seasonDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, path);
}

/** The few ERC-20 calls the distribution makes. */
export const erc20Abi = [
  { type: "function", name: "balanceOf", stateMutability: "view", inputs: [{ name: "account", type: "address" }], outputs: [{ type: "uint256" }] },
  { type: "function", name: "transfer", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
  { type: "function", name: "decimals", stateMutability: "view", inputs: [], outputs: [{ type: "uint8" }] },
  { type: "function", name: "symbol", stateMutability: "view", inputs: [], outputs: [{ type: "string" }] },
] as const;
