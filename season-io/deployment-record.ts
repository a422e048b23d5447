/**
 * `<season dir>/deployment.json`: the record `season deploy` writes beside a
 * built season (where its SeasonDistributor lives, how it was funded), read
 * by `season claim`, `season verify --rpc`, the page and the demo. The
 * season's own files are read by season-dir.ts.
 *
 * @example
 * const record = readDeploymentRecord("out/season-7"); // undefined until deployed
 */
import { existsSync, lstatSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { normalizeAddress, type Address } from "../season/address.js";
import { readSeasonText, SeasonDirError } from "./season-dir.js";

/** existsSync follows links: a dangling or looping deployment.json is still there, and named. */
function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A problem with the season directory or the chain state: the message says what to do. */
export class DistributionError extends Error {
  override name = "DistributionError";
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

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readSeasonText(path, "deployment.json is written by `season deploy`");
  } catch (error) {
    if (error instanceof SeasonDirError) throw new DistributionError(error.message);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DistributionError(`${path} is not readable JSON: ${(error as Error).message}`);
  }
}

/** The fields the readers compute with, checked: a damaged record is named, not used. */
function checkRecord(record: unknown, path: string): DeploymentRecord {
  const bad = (key: string, value: unknown, what: string): never => {
    throw new DistributionError(`${path}: ${key} ${JSON.stringify(value) ?? "(missing)"} is not ${what}: restore it, or deploy again with \`season deploy\``);
  };
  if (typeof record !== "object" || record === null || Array.isArray(record)) return bad("the record", record, "a JSON object");
  const r = record as Record<string, unknown>;
  const whole = (key: string, value: unknown): void => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) bad(key, value, "a whole number");
  };
  const address = (key: string, value: unknown): void => {
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) bad(key, value, "an address");
  };
  whole("chainId", r.chainId);
  address("address", r.address);
  whole("block", r.block);
  address("token", r.token);
  if (typeof r.merkleRoot !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(r.merkleRoot)) bad("merkleRoot", r.merkleRoot, "a 32-byte hex root");
  if (r.funding !== null) {
    if (typeof r.funding !== "object" || r.funding === undefined) bad("funding", r.funding, "null or { transactionHash, block }");
    whole("funding.block", (r.funding as Record<string, unknown>).block);
  }
  return record as DeploymentRecord;
}

export function deploymentPath(seasonDir: string): string {
  return join(seasonDir, "deployment.json");
}

export function readDeploymentRecord(seasonDir: string): DeploymentRecord | undefined {
  const path = deploymentPath(seasonDir);
  if (!existsSync(path) && !isSymlink(path)) return undefined;
  return checkRecord(readJson(path), path);
}

/** Writes `<season dir>/deployment.json` atomically (temp file, then rename). */
export function writeDeploymentRecord(seasonDir: string, record: DeploymentRecord): void {
  const path = deploymentPath(seasonDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, path);
}
