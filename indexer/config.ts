// indexer/: pure helpers of the Ponder app (what to index, query parameters, snapshot rows).
// Imports season/ and chain/. See docs/architecture.md.
/**
 * What the indexer follows, worked out from the deployments file and the
 * environment: one Ponder chain per deployments entry, the token and payouts
 * contracts on each with the chain's start block, every staking contract of
 * the chain (one Ponder contract with an address list, from the earliest of
 * their start blocks: SPEC 8.4), and where the distributors' `Claimed` and
 * SogniRewards' events (SPEC 8.3) are read from.
 * Pure (no file or network access): ponder.config.ts reads the file and the
 * environment, this module decides.
 *
 * Environment (all optional):
 *   PONDER_RPC_URL_<chainId>      RPC URL for that chain (else the file's rpcUrl)
 *   PONDER_POLLING_MS_<chainId>   polling interval in ms (default 200 on local ids, 1000 elsewhere)
 *   PONDER_DISABLE_CACHE_<chainId> "true"/"false": Ponder's RPC cache (default off on local ids)
 *   PONDER_GETLOGS_BLOCK_RANGE_<chainId>  at most this many blocks per eth_getLogs (RPCs with a range
 *                                 limit; default: Ponder finds the limit from the RPC's errors)
 *   PONDER_CLAIMS_FROM            "any" (default): the distributors' `Claimed` and SogniRewards'
 *                                 events from every emitter, the API keeps the contracts the
 *                                 deployments file lists; "listed": only those addresses (a new
 *                                 distributor or rewards contract then needs a restart on a new schema)
 *
 * @example
 * const plan = indexerPlan(readDeployments("deployments/local.json"), process.env);
 * plan.chains.hardhat; // { id: 31337, rpc: "http://127.0.0.1:8545", pollingInterval: 200, disableCache: true }
 */
import { DeploymentsError, stakingContracts, type Deployments } from "../chain/deployments.js";

/** Hardhat's and Ganache's ids: chains that are reset and rebuilt with the same id. */
export const LOCAL_CHAIN_IDS: ReadonlySet<number> = new Set([31337, 31338, 1337]);

/** No contract emits from the zero address: a filter on it matches nothing. */
export const NO_ADDRESS = "0x0000000000000000000000000000000000000000" as const;

export type ClaimsFrom = "any" | "listed";

export interface ChainPlan {
  id: number;
  rpc: string;
  pollingInterval: number;
  disableCache: boolean;
  ethGetLogsBlockRange?: number;
}

export interface ContractOnChain {
  address?: `0x${string}` | `0x${string}`[];
  startBlock: number;
}

export interface IndexerPlan {
  chains: Record<string, ChainPlan>;
  SogniToken: Record<string, ContractOnChain>;
  SogniStaking: Record<string, ContractOnChain>;
  WorkerPayouts: Record<string, ContractOnChain>;
  SeasonDistributor: Record<string, ContractOnChain>;
  SogniRewards: Record<string, ContractOnChain>;
  claimsFrom: ClaimsFrom;
}

/** A deployments file or an environment variable the indexer cannot use; the message says what to fix. */
export class IndexerConfigError extends Error {
  override name = "IndexerConfigError";
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * The indexer's chains and contracts for `deployments` under `env`.
 *
 * @example indexerPlan({ chains: [] }, {}) // throws: the file lists no chain
 */
export function indexerPlan(deployments: Deployments, env: Record<string, string | undefined>): IndexerPlan {
  const claimsFrom = parseClaimsFrom(env.PONDER_CLAIMS_FROM);
  const plan: IndexerPlan = { chains: {}, SogniToken: {}, SogniStaking: {}, WorkerPayouts: {}, SeasonDistributor: {}, SogniRewards: {}, claimsFrom };
  if (!deployments || !Array.isArray(deployments.chains) || deployments.chains.length === 0) {
    throw new IndexerConfigError("the deployments file lists no chain: deploy first (`npm run chain -- deploy`) or point DEPLOYMENTS at a file with a `chains` entry");
  }
  const seenIds = new Set<number>();
  for (const [position, chain] of deployments.chains.entries()) {
    const where = `deployments chains[${position}]`;
    if (!Number.isSafeInteger(chain.chainId) || chain.chainId <= 0) throw new IndexerConfigError(`${where}: chainId must be a positive integer, got ${JSON.stringify(chain.chainId)}`);
    if (seenIds.has(chain.chainId)) throw new IndexerConfigError(`${where}: chain ${chain.chainId} is listed twice; keep one entry per chain`);
    seenIds.add(chain.chainId);
    const name = typeof chain.name === "string" && chain.name !== "" ? chain.name : `chain-${chain.chainId}`;
    if (plan.chains[name] !== undefined) throw new IndexerConfigError(`${where}: the name "${name}" is used twice; give each chain its own name`);
    const rpc = env[`PONDER_RPC_URL_${chain.chainId}`] || chain.rpcUrl;
    if (typeof rpc !== "string" || !/^(https?|wss?):\/\//.test(rpc)) {
      throw new IndexerConfigError(`${where}: no usable RPC URL for chain ${chain.chainId} (got ${JSON.stringify(rpc)}): set PONDER_RPC_URL_${chain.chainId}`);
    }
    const local = LOCAL_CHAIN_IDS.has(chain.chainId);
    const startBlock = chain.startBlock ?? 0;
    if (!Number.isSafeInteger(startBlock) || startBlock < 0) throw new IndexerConfigError(`${where}: startBlock must be a block number, got ${JSON.stringify(chain.startBlock)}`);
    plan.chains[name] = {
      id: chain.chainId,
      rpc,
      pollingInterval: parseMilliseconds(env[`PONDER_POLLING_MS_${chain.chainId}`], local ? 200 : 1_000, `PONDER_POLLING_MS_${chain.chainId}`),
      disableCache: parseBoolean(env[`PONDER_DISABLE_CACHE_${chain.chainId}`], local, `PONDER_DISABLE_CACHE_${chain.chainId}`),
    };
    const blockRange = env[`PONDER_GETLOGS_BLOCK_RANGE_${chain.chainId}`];
    if (blockRange !== undefined && blockRange !== "") {
      if (!/^[1-9]\d*$/.test(blockRange)) throw new IndexerConfigError(`PONDER_GETLOGS_BLOCK_RANGE_${chain.chainId} must be a positive whole number of blocks, got "${blockRange}"`);
      plan.chains[name]!.ethGetLogsBlockRange = Number(blockRange);
    }
    for (const contract of ["SogniToken", "WorkerPayouts"] as const) {
      const address = chain.contracts?.[contract];
      if (typeof address !== "string" || !ADDRESS.test(address)) {
        throw new IndexerConfigError(`${where}: contracts.${contract} must be an address, got ${JSON.stringify(address)}`);
      }
      plan[contract][name] = { address: address.toLowerCase() as `0x${string}`, startBlock };
    }
    plan.SogniStaking[name] = stakingPlan(chain, where);
    const distributors = chain.distributors ?? [];
    for (const [k, distributor] of distributors.entries()) {
      if (typeof distributor.address !== "string" || !ADDRESS.test(distributor.address)) {
        throw new IndexerConfigError(`${where}.distributors[${k}]: address must be an address, got ${JSON.stringify(distributor.address)}`);
      }
    }
    const rewards = chain.rewards as unknown;
    if (rewards !== undefined) {
      const { address, block } = (typeof rewards === "object" && rewards !== null ? rewards : {}) as Record<string, unknown>;
      if (typeof address !== "string" || !ADDRESS.test(address)) throw new IndexerConfigError(`${where}.rewards.address must be the SogniRewards address, got ${JSON.stringify(address)}`);
      if (typeof block !== "number" || !Number.isSafeInteger(block) || block < 0) throw new IndexerConfigError(`${where}.rewards.block must be its deployment block, got ${JSON.stringify(block)}`);
    }
    if (claimsFrom === "any") {
      plan.SogniRewards[name] = { startBlock };
    } else if (chain.rewards === undefined) {
      plan.SogniRewards[name] = { address: NO_ADDRESS, startBlock };
    } else {
      plan.SogniRewards[name] = { address: chain.rewards.address.toLowerCase() as `0x${string}`, startBlock: chain.rewards.block };
    }
    if (claimsFrom === "any") {
      plan.SeasonDistributor[name] = { startBlock };
    } else if (distributors.length === 0) {
      plan.SeasonDistributor[name] = { address: NO_ADDRESS, startBlock };
    } else {
      plan.SeasonDistributor[name] = {
        address: distributors.map((d) => d.address.toLowerCase() as `0x${string}`),
        startBlock: Math.min(...distributors.map((d) => d.block ?? startBlock)),
      };
    }
  }
  return plan;
}

/**
 * The chain's staking contracts as one Ponder contract: one address, or a
 * list of them read from the earliest start block (a contract emits nothing
 * before it exists, so reading the others from there loses nothing).
 */
function stakingPlan(chain: Deployments["chains"][number], where: string): ContractOnChain {
  let contracts;
  try {
    contracts = stakingContracts(chain, where);
  } catch (error) {
    if (error instanceof DeploymentsError) throw new IndexerConfigError(error.message);
    throw error;
  }
  const addresses = contracts.map((contract) => contract.address.toLowerCase() as `0x${string}`);
  return { address: addresses.length === 1 ? addresses[0]! : addresses, startBlock: Math.min(...contracts.map((contract) => contract.block)) };
}

function parseClaimsFrom(value: string | undefined): ClaimsFrom {
  if (value === undefined || value === "" || value === "any") return "any";
  if (value === "listed") return "listed";
  throw new IndexerConfigError(`PONDER_CLAIMS_FROM must be "any" or "listed", got "${value}"`);
}

function parseMilliseconds(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 100) throw new IndexerConfigError(`${name} must be a whole number of milliseconds, at least 100 (Ponder's minimum), got "${value}"`);
  return Number(value);
}

function parseBoolean(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === "") return fallback;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new IndexerConfigError(`${name} must be "true" or "false", got "${value}"`);
}
