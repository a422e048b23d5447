/**
 * One call for tests and demos: start several local Hardhat nodes, deploy
 * the contracts on each (at fixed block times, so histories are
 * reproducible) and write one deployments file naming them all.
 *
 * @example
 * const chains = await startLocalChains({ chainIds: [31337, 31338], deploymentsPath: join(dir, "deployments.json") });
 * // … chains.deployments[1].contracts.SogniStaking, chains.nodes[0].rpcUrl
 * await chains.stop();
 */
import { parseTimeInput } from "../../season/time.js";
import { deployAll, saveDeployment } from "./deploy.js";
import type { ChainDeployment } from "../../chain/deployments.js";
import { startHardhatNode, type HardhatNode } from "./hardhat-node.js";

export interface LocalChainsOptions {
  /** One node per id (default [31337, 31338]). */
  chainIds?: number[];
  /** Genesis time of every node (ISO or unix seconds); default 2026-09-20T00:00:00Z, before season 7. */
  initialDate?: string | number;
  /** Where to write the deployments file (merged, atomic); skipped when absent. */
  deploymentsPath?: string;
  /** Staking epoch zero (unix seconds); default the Monday at or before genesis. */
  epochZero?: number;
}

export interface LocalChains {
  nodes: HardhatNode[];
  /** Same order as `nodes`. */
  deployments: ChainDeployment[];
  /** Stops every node. */
  stop(): Promise<void>;
}

const DEFAULT_GENESIS = "2026-09-20T00:00:00Z";

/** Starts the nodes in parallel, deploys on each, and writes the deployments file. */
export async function startLocalChains(options: LocalChainsOptions = {}): Promise<LocalChains> {
  const chainIds = options.chainIds ?? [31337, 31338];
  const initialDate = options.initialDate ?? DEFAULT_GENESIS;
  const genesis = typeof initialDate === "number" ? initialDate : parseTimeInput(initialDate);
  const started = await Promise.allSettled(chainIds.map((chainId) => startHardhatNode({ chainId, initialDate: genesis })));
  const nodes = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const deployments = await Promise.all(
      nodes.map((node) =>
        deployAll({
          rpcUrl: node.rpcUrl,
          timestamp: genesis + 60,
          ...(options.epochZero === undefined ? {} : { epochZero: options.epochZero }),
        }),
      ),
    );
    if (options.deploymentsPath) for (const deployment of deployments) saveDeployment(options.deploymentsPath, deployment);
    return { nodes, deployments, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
