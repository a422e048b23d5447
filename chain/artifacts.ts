/**
 * The compiled contracts: creation bytecode read from Hardhat's artifacts
 * (`npx hardhat build` writes them to artifacts/contracts/<Name>.sol/<Name>.json),
 * paired with the typed ABI generated from the same artifacts into chain/abis
 * (`npm run abis`; a test fails when those are stale).
 *
 * @example
 * const { abi, bytecode } = loadArtifact("SogniToken");
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";
import { contractAbis } from "./abis/index.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A contract with a generated ABI (chain/abis). */
export type ContractName = keyof typeof contractAbis;

/** The contracts the local tooling deploys and drives. */
export const CONTRACT_NAMES = ["SogniToken", "SogniStaking", "WorkerPayouts", "SeasonDistributor"] as const satisfies readonly ContractName[];

export interface ContractArtifact<N extends ContractName = ContractName> {
  contractName: string;
  /** The typed ABI from chain/abis. */
  abi: (typeof contractAbis)[N];
  /** Creation bytecode, 0x-prefixed. */
  bytecode: Hex;
}

/** A missing or unreadable artifact; the message says how to build it. */
export class ArtifactError extends Error {
  override name = "ArtifactError";
}

const cache = new Map<string, { contractName: string; bytecode: Hex }>();

/**
 * Reads the creation bytecode from `<root>/artifacts/contracts/<name>.sol/<name>.json`
 * (cached per process); the ABI is the typed one of chain/abis.
 *
 * @example
 * const { abi, bytecode } = loadArtifact("WorkerPayouts");
 * await wallet.deployContract({ abi, bytecode, args: [token] });
 */
export function loadArtifact<N extends ContractName>(name: N, root: string = REPO_ROOT): ContractArtifact<N> {
  const path = join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  const cached = cache.get(path);
  if (cached) return { ...cached, abi: contractAbis[name] };
  let json: { contractName?: string; abi?: unknown; bytecode?: string };
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new ArtifactError(`no compiled artifact for ${name} at ${path}: run \`npx hardhat build\` first`);
  }
  if (!Array.isArray(json.abi) || typeof json.bytecode !== "string" || !json.bytecode.startsWith("0x") || json.bytecode.length <= 2) {
    throw new ArtifactError(`artifact ${path} has no ABI or bytecode (is ${name} abstract?): rebuild with \`npx hardhat build\``);
  }
  const compiled = { contractName: json.contractName ?? name, bytecode: json.bytecode as Hex };
  cache.set(path, compiled);
  return { ...compiled, abi: contractAbis[name] };
}
