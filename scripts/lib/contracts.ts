/**
 * The compiled contracts: ABI and creation bytecode read from Hardhat's
 * artifacts (`npx hardhat build` writes them to
 * artifacts/contracts/<Name>.sol/<Name>.json).
 *
 * @example
 * const { abi, bytecode } = loadArtifact("SogniToken");
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, Hex } from "viem";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The contracts the local tooling deploys and drives. */
export const CONTRACT_NAMES = ["SogniToken", "SogniStaking", "WorkerPayouts", "SeasonDistributor"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface ContractArtifact {
  contractName: string;
  abi: Abi;
  /** Creation bytecode, 0x-prefixed. */
  bytecode: Hex;
}

/** A missing or unreadable artifact; the message says how to build it. */
export class ArtifactError extends Error {
  override name = "ArtifactError";
}

const cache = new Map<string, ContractArtifact>();

/**
 * Reads `<root>/artifacts/contracts/<name>.sol/<name>.json` (cached per process).
 *
 * @example loadArtifact("WorkerPayouts").abi
 */
export function loadArtifact(name: ContractName | string, root: string = REPO_ROOT): ContractArtifact {
  const path = join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  const cached = cache.get(path);
  if (cached) return cached;
  let json: { contractName?: string; abi?: Abi; bytecode?: string };
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new ArtifactError(`no compiled artifact for ${name} at ${path}: run \`npx hardhat build\` first`);
  }
  if (!Array.isArray(json.abi) || typeof json.bytecode !== "string" || !json.bytecode.startsWith("0x") || json.bytecode.length <= 2) {
    throw new ArtifactError(`artifact ${path} has no ABI or bytecode (is ${name} abstract?): rebuild with \`npx hardhat build\``);
  }
  const artifact: ContractArtifact = { contractName: json.contractName ?? name, abi: json.abi, bytecode: json.bytecode as Hex };
  cache.set(path, artifact);
  return artifact;
}
