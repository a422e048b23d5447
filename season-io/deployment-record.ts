/**
 * `<season dir>/deployment.json`: the record `season deploy` writes beside a
 * built season (where its SeasonDistributor lives, how it was funded), read
 * by `season claim`, `season verify --rpc`, the page and the demo. The
 * season's own files are read by season-dir.ts.
 *
 * @example
 * const record = readDeploymentRecord("out/season-7"); // undefined until deployed
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { normalizeAddress, type Address } from "../season/address.js";

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
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DistributionError(`${path} is not readable JSON: ${(error as Error).message}`);
  }
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
