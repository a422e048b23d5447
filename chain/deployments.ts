// chain/: the deployments file, viem clients, artifacts, typed ABIs and RPC facts, below the CLI and the indexer.
// Imports season/ only. See docs/architecture.md.
/**
 * The deployments file: where the contracts live on each chain. The local
 * deploy script writes it; the indexer (ponder.config.ts), the season CLI and
 * the demo read it. A live chain is a different file, not a code change.
 *
 * {
 *   "decimals": 18,            (optional: the SOGNI token's decimals on every chain, default 18)
 *   "chains": [
 *     { "chainId": 31337, "name": "hardhat", "rpcUrl": "http://127.0.0.1:8545",
 *       "startBlock": 0,
 *       "contracts": { "SogniToken": "0x…", "SogniStaking": "0x…", "WorkerPayouts": "0x…" },
 *       "distributors": [{ "season": 7, "address": "0x…", "block": 123 }] }
 *   ]
 * }
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export interface DistributorDeployment {
  season: number;
  address: `0x${string}`;
  block: number;
}

export interface ChainDeployment {
  chainId: number;
  name: string;
  rpcUrl: string;
  /** First block the indexer needs to read on this chain. */
  startBlock: number;
  contracts: {
    SogniToken: `0x${string}`;
    SogniStaking: `0x${string}`;
    WorkerPayouts: `0x${string}`;
  };
  distributors: DistributorDeployment[];
}

export interface Deployments {
  /** The SOGNI token's decimals on every chain (default 18): the indexer's average staking power uses it. */
  decimals?: number;
  chains: ChainDeployment[];
}

/** Default location, relative to the repository root; override with DEPLOYMENTS=<path>. */
export const DEFAULT_DEPLOYMENTS_PATH = "deployments/local.json";

export function readDeployments(path: string): Deployments {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`no deployments file at ${path}: run \`npm run chain:deploy\` for a local chain, or set DEPLOYMENTS=<path>`);
  }
  return JSON.parse(text) as Deployments;
}

/** Writes atomically: a reader never sees half a file. */
export function writeDeployments(path: string, deployments: Deployments): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(deployments, null, 2)}\n`);
  renameSync(temporary, path);
}
