/**
 * Sends a planned chain timeline to a Hardhat node: every planned block's
 * transactions go to the mempool (automine off, in plan order, signed
 * locally with fixed gas so no estimation round-trips), then one `evm_mine`
 * at the block's timestamp. Each block is checked: all its transactions are
 * in it, in order, and succeeded.
 *
 * @example
 * const executed = await executeChainPlan({ rpcUrl, deployment, plan, plan.chains[0], deployerKey });
 */
import { encodeFunctionData, maxUint256, type Hex } from "viem";
import { privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { SogniStakingAbi, SogniTokenAbi, WorkerPayoutsAbi } from "../../chain/abis/index.js";
import { stakingContracts, type ChainDeployment } from "../../chain/deployments.js";
import { isHardhatNode, latestTimestamp, mineAt, setAutomine, type RpcClient } from "../local/hardhat-node.js";
import type { Action, Address, ChainPlan, SimulationPlan } from "./plan.js";

export interface ExecutedBlock {
  number: number;
  hash: Hex;
  timestamp: number;
  /** One per planned action, same order. */
  txHashes: Hex[];
  /** Per transaction (same order), the logs it emitted: the emitting contract, topic 0 and the log index in the block. */
  txLogs: { address: Address; topic: Hex; logIndex: number }[][];
}

export interface ChainExecution {
  chainId: number;
  blocks: ExecutedBlock[];
}

export interface ExecuteOptions {
  rpcUrl: string;
  deployment: ChainDeployment;
  plan: SimulationPlan;
  chainPlan: ChainPlan;
  /** Signs mints and payouts (the token owner and WorkerPayouts payer). */
  deployer: LocalAccount;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** A simulation step the chain refused; the message names the block and transaction. */
export class SimulationError extends Error {
  override name = "SimulationError";
}

const GWEI = 1_000_000_000n;
const ETH = 10n ** 18n;

function gasFor(action: Action): bigint {
  switch (action.kind) {
    case "mint":
      return 120_000n;
    case "approve":
    case "transfer":
    case "deposit":
      return 90_000n;
    case "stake":
      return 200_000n;
    case "unstake":
      return 120_000n;
    case "payWorkers":
      return 120_000n + 70_000n * BigInt(action.workers.length);
  }
}

/** A JSON-RPC batch over plain fetch: one HTTP round trip for many calls, answered in order. */
export async function rpcBatch(rpcUrl: string, calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let offset = 0; offset < calls.length; offset += 250) {
    const chunk = calls.slice(offset, offset + 250);
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(chunk.map((call, i) => ({ jsonrpc: "2.0", id: offset + i, ...call }))),
    });
    const body = (await response.json()) as { id: number; result?: unknown; error?: { message: string } }[];
    if (!Array.isArray(body)) throw new SimulationError(`RPC batch to ${rpcUrl} was not answered with a list`);
    body.sort((a, b) => a.id - b.id);
    for (const [i, answer] of body.entries()) {
      if (answer.error) {
        throw new SimulationError(`${chunk[i]!.method} failed on ${rpcUrl}: ${answer.error.message}`);
      }
      results.push(answer.result);
    }
  }
  return results;
}

/** Runs one chain's plan; restores automine even when a step fails. */
export async function executeChainPlan(options: ExecuteOptions): Promise<ChainExecution> {
  const { rpcUrl, deployment, chainPlan, plan, deployer } = options;
  const log = options.log ?? (() => {});
  const client: RpcClient = {
    request: async ({ method, params }: { method: string; params?: unknown[] }) => (await rpcBatch(rpcUrl, [{ method, params: params ?? [] }]))[0],
  };
  if (!(await isHardhatNode(client))) {
    throw new SimulationError(`${rpcUrl} is not a Hardhat node: the simulator sets balances and block times, which only a local node allows`);
  }
  const now = await latestTimestamp(client);
  const firstTime = chainPlan.blocks[0]?.timestamp ?? Number.POSITIVE_INFINITY;
  if (now >= firstTime) {
    throw new SimulationError(
      `chain ${chainPlan.chainId} is already at ${new Date(now * 1000).toISOString()}, after the simulation's first block ` +
        `(${new Date(firstTime * 1000).toISOString()}): start a fresh node with --initial-date before it, or move --start later`,
    );
  }

  const { SogniToken: token, WorkerPayouts: payouts } = deployment.contracts;
  // The chain's staking contracts, oldest first: an action's `staking` is an index into them.
  const stakings = stakingContracts(deployment, `chain ${deployment.chainId}`).map((contract) => contract.address);
  const stakingAt = (index = 0): Address => {
    const address = stakings[index];
    if (address === undefined) throw new SimulationError(`the plan stakes in staking contract #${index} of chain ${deployment.chainId}, which has ${stakings.length}`);
    return address;
  };
  const signers = new Map<string, LocalAccount>([[deployer.address.toLowerCase(), deployer]]);
  for (const account of plan.accounts) signers.set(account.address.toLowerCase(), privateKeyToAccount(account.privateKey));

  // Gas money for every simulated account, and their current nonces.
  await rpcBatch(
    rpcUrl,
    plan.accounts.map((account) => ({ method: "hardhat_setBalance", params: [account.address, `0x${(1_000n * ETH).toString(16)}`] })),
  );
  const addresses = [...signers.values()].map((signer) => signer.address);
  const counts = (await rpcBatch(
    rpcUrl,
    addresses.map((address) => ({ method: "eth_getTransactionCount", params: [address, "pending"] })),
  )) as string[];
  const nonces = new Map<string, number>(addresses.map((address, i) => [address.toLowerCase(), Number(BigInt(counts[i]!))]));

  const toTransaction = (action: Action): { from: Address; to: Address; data: Hex } => {
    switch (action.kind) {
      case "mint":
        return { from: plan.deployer, to: token, data: encodeFunctionData({ abi: SogniTokenAbi, functionName: "mint", args: [action.to, action.amount] }) };
      case "approve":
        return {
          from: action.owner,
          to: token,
          data: encodeFunctionData({ abi: SogniTokenAbi, functionName: "approve", args: [action.spender === "SogniStaking" ? stakingAt(action.staking) : payouts, maxUint256] }),
        };
      case "transfer":
      case "deposit":
        return { from: action.from, to: token, data: encodeFunctionData({ abi: SogniTokenAbi, functionName: "transfer", args: [action.to, action.amount] }) };
      case "stake":
        return { from: action.account, to: stakingAt(action.staking), data: encodeFunctionData({ abi: SogniStakingAbi, functionName: "stake", args: [action.amount, BigInt(action.lockWeeks)] }) };
      case "unstake":
        return { from: action.account, to: stakingAt(action.staking), data: encodeFunctionData({ abi: SogniStakingAbi, functionName: "unstake" }) };
      case "payWorkers":
        return {
          from: plan.deployer,
          to: payouts,
          data: encodeFunctionData({ abi: WorkerPayoutsAbi, functionName: "payWorkers", args: [action.batchId, action.workers, action.amounts] }),
        };
    }
  };

  const blocks: ExecutedBlock[] = [];
  await setAutomine(client, false);
  try {
    for (const [blockIndex, planned] of chainPlan.blocks.entries()) {
      const raw: Hex[] = [];
      const hashes: Hex[] = [];
      const txLogs: ExecutedBlock["txLogs"] = [];
      for (const action of planned.actions) {
        const tx = toTransaction(action);
        const key = tx.from.toLowerCase();
        const signer = signers.get(key);
        if (!signer?.signTransaction) throw new SimulationError(`no key for ${tx.from} (is the deployer the token owner?)`);
        const nonce = nonces.get(key) ?? 0;
        nonces.set(key, nonce + 1);
        const signed = await signer.signTransaction({
          type: "eip1559",
          chainId: chainPlan.chainId,
          nonce,
          to: tx.to,
          data: tx.data,
          gas: gasFor(action),
          maxFeePerGas: 50n * GWEI,
          maxPriorityFeePerGas: 1n * GWEI,
        });
        raw.push(signed);
      }
      if (raw.length > 0) {
        const sent = (await rpcBatch(rpcUrl, raw.map((tx) => ({ method: "eth_sendRawTransaction", params: [tx] })))) as Hex[];
        hashes.push(...sent);
      }
      await mineAt(client, planned.timestamp);
      const block = (await client.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
        number: Hex;
        hash: Hex;
        timestamp: Hex;
        transactions: Hex[];
      };
      const included = block.transactions.map((hash) => hash.toLowerCase());
      if (included.length !== hashes.length || hashes.some((hash, i) => hash.toLowerCase() !== included[i])) {
        throw new SimulationError(
          `block ${Number(BigInt(block.number))} on chain ${chainPlan.chainId} holds ${included.length} of the ${hashes.length} transactions sent ` +
            `(block gas limit too low? start the node with startHardhatNode, whose config allows 1e9 gas)`,
        );
      }
      if (hashes.length > 0) {
        const receipts = (await rpcBatch(
          rpcUrl,
          hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
        )) as { status: Hex; logs: { address: Hex; topics: Hex[]; logIndex: Hex }[] }[];
        txLogs.push(
          ...receipts.map((receipt) =>
            receipt.logs.map((log) => ({ address: log.address.toLowerCase() as Address, topic: log.topics[0]!, logIndex: Number(BigInt(log.logIndex)) })),
          ),
        );
        const failed = receipts.findIndex((receipt) => receipt.status !== "0x1");
        if (failed >= 0) {
          throw new SimulationError(
            `transaction ${hashes[failed]} (${planned.actions[failed]!.kind}) reverted in block ${Number(BigInt(block.number))} on chain ${chainPlan.chainId}`,
          );
        }
      }
      blocks.push({ number: Number(BigInt(block.number)), hash: block.hash, timestamp: Number(BigInt(block.timestamp)), txHashes: hashes, txLogs });
      if (blockIndex % 50 === 0) log(`chain ${chainPlan.chainId}: block ${blockIndex + 1}/${chainPlan.blocks.length}`);
    }
  } finally {
    await setAutomine(client, true);
  }
  log(`chain ${chainPlan.chainId}: ${blocks.length} blocks, ${blocks.reduce((n, b) => n + b.txHashes.length, 0)} transactions`);
  return { chainId: chainPlan.chainId, blocks };
}
