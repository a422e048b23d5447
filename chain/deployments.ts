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
 *       "staking": [{ "address": "0x…", "block": 3 }, { "address": "0x…", "block": 900 }],
 *       "distributors": [{ "season": 7, "address": "0x…", "block": 123 }],
 *       "rewards": { "address": "0x…", "block": 140 } }      (optional: the chain's SogniRewards, SPEC 8.3)
 *   ]
 * }
 *
 * Staking contracts (SPEC 8.4): Sogni opens new ones for new seasons, so a
 * chain names any number in `staking`, oldest first, each with the block to
 * read it from. `contracts.SogniStaking` is the chain's first staking
 * contract: a file without `staking` (the form written before several were
 * possible, and still what a one-contract chain writes) has just that one,
 * read from the chain's `startBlock`. A file with both lists
 * `contracts.SogniStaking` first in `staking`; a file with only `staking` gets
 * `contracts.SogniStaking` = `staking[0]` when read, so readers that know one
 * contract keep working. Read every staking contract with {@link stakingContracts}.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export interface DistributorDeployment {
  season: number;
  address: `0x${string}`;
  block: number;
}

/** One staking contract of a chain and the first block to read it from (SPEC 8.4). */
export interface StakingDeployment {
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
    /** The chain's first staking contract (= `staking[0]` when `staking` is given). */
    SogniStaking: `0x${string}`;
    WorkerPayouts: `0x${string}`;
  };
  /** Every staking contract of the chain, oldest first; absent: only `contracts.SogniStaking`, from `startBlock`. */
  staking?: StakingDeployment[];
  distributors: DistributorDeployment[];
  /** The chain's SogniRewards (one per chain and token, SPEC 8.3), recorded by `season rewards deploy`. */
  rewards?: { address: `0x${string}`; block: number };
}

export interface Deployments {
  /** The SOGNI token's decimals on every chain (default 18): the indexer's average staking power uses it. */
  decimals?: number;
  chains: ChainDeployment[];
}

/** Default location, relative to the repository root; override with DEPLOYMENTS=<path>. */
export const DEFAULT_DEPLOYMENTS_PATH = "deployments/local.json";

/** A deployments file that cannot be used; the message names the file, the entry and what to fix. */
export class DeploymentsError extends Error {
  override name = "DeploymentsError";
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Reads the deployments file at `path`. A chain's `staking` list is checked
 * ({@link stakingContracts}) and `contracts.SogniStaking` is filled from
 * `staking[0]` when the file names only the list.
 */
export function readDeployments(path: string): Deployments {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`no deployments file at ${path}: run \`npm run chain -- deploy\` for a local chain, or set DEPLOYMENTS=<path>`);
  }
  let deployments: Deployments;
  try {
    deployments = JSON.parse(text) as Deployments;
  } catch (error) {
    throw new DeploymentsError(`${path} is not JSON (${(error as Error).message}): fix it or deploy again`);
  }
  if (deployments && Array.isArray(deployments.chains)) {
    deployments.chains.forEach((chain, i) => {
      // Only a `staking` list is checked here; each reader checks the contracts it uses.
      if (typeof chain !== "object" || chain === null || chain.staking === undefined) return;
      const listed = stakingContracts(chain, `${path}: chains[${i}]`);
      if (chain.contracts && chain.contracts.SogniStaking === undefined) chain.contracts.SogniStaking = listed[0]!.address;
    });
  }
  return deployments;
}

/**
 * Every staking contract of `chain`, oldest first, each with the block to
 * read it from: `chain.staking`, or else the one `contracts.SogniStaking`
 * from the chain's `startBlock` (a file from before several were possible).
 * Throws a {@link DeploymentsError} naming `where` on a bad entry.
 *
 * @example
 * stakingContracts({ ...chain, staking: undefined }) // [{ address: chain.contracts.SogniStaking, block: chain.startBlock }]
 */
export function stakingContracts(chain: Pick<ChainDeployment, "contracts" | "startBlock" | "staking">, where = "deployments"): StakingDeployment[] {
  const first = chain.contracts?.SogniStaking as unknown;
  if (chain.staking === undefined) {
    if (typeof first !== "string" || !ADDRESS.test(first)) {
      throw new DeploymentsError(`${where}: contracts.SogniStaking must be an address, got ${JSON.stringify(first)} (or list the chain's staking contracts in "staking")`);
    }
    return [{ address: first as `0x${string}`, block: chain.startBlock ?? 0 }];
  }
  const list = chain.staking as unknown;
  if (!Array.isArray(list) || list.length === 0) {
    throw new DeploymentsError(`${where}.staking must be a non-empty list of { "address": "0x…", "block": <start block> }, got ${JSON.stringify(list)}`);
  }
  const seen = new Set<string>();
  const contracts = list.map((entry: unknown, k): StakingDeployment => {
    const at = `${where}.staking[${k}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new DeploymentsError(`${at} must be { "address": "0x…", "block": <start block> }, got ${JSON.stringify(entry)}`);
    const { address, block, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new DeploymentsError(`${at}: unknown key "${unknown[0]}" (a staking contract has "address" and "block")`);
    if (typeof address !== "string" || !ADDRESS.test(address)) throw new DeploymentsError(`${at}.address must be an address, got ${JSON.stringify(address)}`);
    if (typeof block !== "number" || !Number.isSafeInteger(block) || block < 0) throw new DeploymentsError(`${at}.block must be the block to start reading it from (a whole number), got ${JSON.stringify(block)}`);
    const key = address.toLowerCase();
    if (seen.has(key)) throw new DeploymentsError(`${at}: ${address} is listed twice; name each staking contract once`);
    seen.add(key);
    return { address: address as `0x${string}`, block };
  });
  if (first !== undefined && (typeof first !== "string" || first.toLowerCase() !== contracts[0]!.address.toLowerCase())) {
    throw new DeploymentsError(
      `${where}: contracts.SogniStaking (${JSON.stringify(first)}) is not staking[0] (${contracts[0]!.address}): it names the chain's first staking contract, so list that one first in "staking" (oldest first), or drop contracts.SogniStaking`,
    );
  }
  return contracts;
}

/** Writes atomically: a reader never sees half a file. */
export function writeDeployments(path: string, deployments: Deployments): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(deployments, null, 2)}\n`);
  renameSync(temporary, path);
}
