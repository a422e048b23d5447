/**
 * The chain and files the SogniRewards tests start from: a Hardhat node on
 * 2026-11-02 (after both seasons' end and season 8's first tranche, before
 * its last), SogniToken deployed with 1,000,000 SOGNI minted to the treasury
 * (hardhat account 0), a deployments file naming it, seasons 7 and 8 built
 * with the real CLI (test/cli/publish-support.ts) and published at
 * 2026-11-01 as publication 1. No SogniRewards yet: each test deploys it
 * its own way (the CLI, with its own timelock).
 *
 * @example
 * work = mkdtempSync(join(tmpdir(), "rewards-e2e-"));
 * ({ node, chain, token, deployments, seasons, publication1 } = await publishedSeasonsOnChain(work));
 */
import { join } from "node:path";
import { parseUnits, type Address } from "viem";
import { SogniTokenAbi } from "../../../chain/abis/index.js";
import { loadArtifact } from "../../../chain/artifacts.js";
import { connectChain, hardhatAccount, walletFor, type ChainConnection } from "../../../chain/clients.js";
import { writeDeployments } from "../../../chain/deployments.js";
import { startHardhatNode, type HardhatNode } from "../../../scripts/local/hardhat-node.js";
import { buildTwoSeasons } from "../../cli/publish-support.js";
import { runSeason } from "./cli.js";

export interface PublishedSeasonsOnChain {
  node: HardhatNode;
  chain: ChainConnection;
  /** SogniToken, lower case. */
  token: Address;
  /** `<work>/deployments.json`: the node's chain with the token (no rewards contract yet). */
  deployments: string;
  seasons: { season7: string; season8: string; out: string };
  /** `<out>/publication-1`: seasons 7 and 8 at 2026-11-01. */
  publication1: string;
}

/** Everything above, under `work`; a failing step throws with the CLI's stderr. */
export async function publishedSeasonsOnChain(work: string): Promise<PublishedSeasonsOnChain> {
  const node = await startHardhatNode({ initialDate: "2026-11-02T00:00:00Z" });
  const chain = await connectChain(node.rpcUrl);
  const owner = walletFor(chain, hardhatAccount(0));
  const { abi, bytecode } = loadArtifact("SogniToken");
  const token = (await chain.publicClient.waitForTransactionReceipt({ hash: await owner.deployContract({ abi, bytecode, args: [] }) })).contractAddress!.toLowerCase() as Address;
  await chain.publicClient.waitForTransactionReceipt({
    hash: await owner.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [hardhatAccount(0).address, parseUnits("1000000", 18)] }),
  });
  const deployments = join(work, "deployments.json");
  writeDeployments(deployments, {
    chains: [{ chainId: node.chainId, name: "hardhat", rpcUrl: node.rpcUrl, startBlock: 0, contracts: { SogniToken: token, SogniStaking: token, WorkerPayouts: token }, distributors: [] }],
  });
  const seasons = await buildTwoSeasons(work, { token });
  const run = await runSeason(["publish", "--seasons", seasons.season7, seasons.season8, "--at", "2026-11-01T00:00:00Z", "--out", seasons.out, "--quiet"]);
  if (run.code !== 0) throw new Error(`season publish failed (exit ${run.code}):\n${run.stderr}`);
  return { node, chain, token, deployments, seasons, publication1: join(seasons.out, "publication-1") };
}
