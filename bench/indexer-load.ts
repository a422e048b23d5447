/**
 * The benchmark's load and its baseline (bench/indexer.ts): a Hardhat node
 * filled fast with WorkerPayouts batches, and the plain eth_getLogs reader
 * that sets the floor.
 *
 * @example
 * const load = await generateLoad(100_000, 200, 10);
 * const totals = await baseline(load);   // events, balances, total paid
 * await load.node.stop();
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, encodeFunctionData, getAbiItem, getAddress, http, maxUint256, type Address, type Hex } from "viem";
import { hardhatAccount } from "../chain/clients.js";
import { SogniTokenAbi, WorkerPayoutsAbi } from "../chain/abis/index.js";
import { deployAll } from "../scripts/local/deploy.js";
import { writeDeployments, type ChainDeployment } from "../chain/deployments.js";
import { mineAt, setAutomine, startHardhatNode, type HardhatNode } from "../scripts/local/hardhat-node.js";
import { rpcBatch } from "../scripts/sim/execute.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DATA = join(ROOT, "bench", ".data");
const TRANSFER = getAbiItem({ abi: SogniTokenAbi, name: "Transfer" });
const WORKER_PAID = getAbiItem({ abi: WorkerPayoutsAbi, name: "WorkerPaid" });
const GENESIS = 1_767_225_600; // 2026-01-01T00:00:00Z
/** Empty blocks after the load: more than Ponder's finality depth (30) for chain ids it does not know. */
export const TRAILING_BLOCKS = 40;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Seconds since a process.hrtime.bigint() reading, to the millisecond. */
export function seconds(since: bigint): number {
  return Number((process.hrtime.bigint() - since) / 1_000_000n) / 1000;
}

export interface Load {
  node: HardhatNode;
  deployment: ChainDeployment;
  deploymentsPath: string;
  fromBlock: bigint;
  toBlock: bigint;
  transferEvents: number;
  workerPaidEvents: number;
  generateSeconds: number;
}

export interface Totals {
  events: number;
  transfers: number;
  workerPaid: number;
  /** Sum of all WorkerPaid amounts. */
  paid: bigint;
  /** Final SOGNI balance of every holder. */
  balances: Map<Address, bigint>;
}

/** Starts a node, deploys, and writes batches of payouts until `events` indexed events exist. */
export async function generateLoad(events: number, batch: number, perBlock: number): Promise<Load> {
  const node = await startHardhatNode({ chainId: 31337, initialDate: GENESIS });
  try {
    const deployment = await deployAll({ rpcUrl: node.rpcUrl, timestamp: GENESIS + 60 });
    mkdirSync(DATA, { recursive: true });
    const deploymentsPath = join(DATA, `deployments-${process.pid}.json`);
    writeDeployments(deploymentsPath, { chains: [deployment] });

    const began = process.hrtime.bigint();
    const deployer = hardhatAccount(0);
    // Each payWorkers tx: 1 Transfer in (payer -> contract) + `batch` Transfers out + `batch` WorkerPaid.
    const perTx = 1 + 2 * batch;
    const txCount = Math.ceil(events / perTx);
    const amountOf = (tx: number, i: number): bigint => BigInt(((tx * 7919 + i * 104_729) % 1_000_000) + 1) * 10n ** 12n;
    // A pool of workers reused across batches, as real payouts pay the same workers again.
    const workers: Address[] = Array.from({ length: 2_000 }, (_, i) => getAddress(`0x${(0x10000 + i).toString(16).padStart(40, "0")}`));
    let total = 0n;
    for (let tx = 0; tx < txCount; tx++) for (let i = 0; i < batch; i++) total += amountOf(tx, i);

    let nonce = Number(
      BigInt((await rpcBatch(node.rpcUrl, [{ method: "eth_getTransactionCount", params: [deployer.address, "pending"] }]))[0] as string),
    );
    const sign = async (to: Address, data: Hex, gas: bigint): Promise<Hex> =>
      deployer.signTransaction({
        type: "eip1559",
        chainId: deployment.chainId,
        nonce: nonce++,
        to,
        data,
        gas,
        maxFeePerGas: 50_000_000_000n,
        maxPriorityFeePerGas: 1_000_000_000n,
      });
    let time = GENESIS + 3_600;
    const client = rpcClient(node.rpcUrl);
    await setAutomine(client, false);
    try {
      const setup = [
        await sign(deployment.contracts.SogniToken, encodeFunctionData({ abi: SogniTokenAbi, functionName: "mint", args: [deployer.address, total] }), 200_000n),
        await sign(
          deployment.contracts.SogniToken,
          encodeFunctionData({ abi: SogniTokenAbi, functionName: "approve", args: [deployment.contracts.WorkerPayouts, maxUint256] }),
          100_000n,
        ),
      ];
      await rpcBatch(node.rpcUrl, setup.map((raw) => ({ method: "eth_sendRawTransaction", params: [raw] })));
      await mineAt(client, time);
      for (let tx = 0; tx < txCount; ) {
        const raws: Hex[] = [];
        for (let k = 0; k < perBlock && tx < txCount; k++, tx++) {
          const paid = Array.from({ length: batch }, (_, i) => workers[(tx * batch + i) % workers.length]!);
          const amounts = paid.map((_, i) => amountOf(tx, i));
          const data = encodeFunctionData({ abi: WorkerPayoutsAbi, functionName: "payWorkers", args: [BigInt(tx + 1), paid, amounts] });
          raws.push(await sign(deployment.contracts.WorkerPayouts, data, 150_000n + 45_000n * BigInt(batch)));
        }
        await rpcBatch(node.rpcUrl, raws.map((raw) => ({ method: "eth_sendRawTransaction", params: [raw] })));
        time += 12;
        await mineAt(client, time);
        const block = (await client.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { transactions: Hex[] };
        if (block.transactions.length !== raws.length) throw new Error(`a block holds ${block.transactions.length} of ${raws.length} transactions`);
        if (tx % (perBlock * 10) === 0) log(`generated ${tx}/${txCount} payout transactions`);
      }
      const last = (await rpcBatch(node.rpcUrl, [{ method: "eth_getTransactionReceipt", params: [await lastHash(client)] }]))[0] as { status: Hex };
      if (last.status !== "0x1") throw new Error("the last payout transaction reverted: raise the gas per worker");
      // Ponder treats the newest 30 blocks of an unknown chain as unfinalised and indexes them one
      // by one in live mode; bury the load under empty blocks so it is all a backfill, as on a
      // real chain's history. One evm_mine each (hardhat_mine > 1 breaks Ponder, DESIGN.md).
      for (let i = 0; i < TRAILING_BLOCKS; i++) {
        time += 12;
        await mineAt(client, time);
      }
    } finally {
      await setAutomine(client, true);
    }
    const toBlock = BigInt((await client.request({ method: "eth_blockNumber", params: [] })) as string);
    const generateSeconds = seconds(began);
    return {
      node,
      deployment,
      deploymentsPath,
      fromBlock: BigInt(deployment.startBlock),
      toBlock,
      transferEvents: 1 + txCount * (1 + batch),
      workerPaidEvents: txCount * batch,
      generateSeconds,
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** A minimal JSON-RPC client over plain fetch (no viem caching in the way). */
function rpcClient(rpcUrl: string): { request: (args: { method: string; params?: unknown[] }) => Promise<unknown> } {
  return { request: async ({ method, params }) => (await rpcBatch(rpcUrl, [{ method, params: params ?? [] }]))[0] };
}

async function lastHash(client: { request: (args: { method: string; params?: unknown[] }) => Promise<unknown> }): Promise<Hex> {
  const block = (await client.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { transactions: Hex[] };
  return block.transactions[block.transactions.length - 1]!;
}

/**
 * The floor: plain eth_getLogs over the range in chunks of `chunk` blocks,
 * decoded and summed in memory (balances from Transfer, total paid from WorkerPaid).
 */
export async function baseline(load: Load, chunk = 2n): Promise<Totals> {
  const client = createPublicClient({ transport: http(load.node.rpcUrl, { timeout: 120_000 }) });
  const balances = new Map<Address, bigint>();
  let transfers = 0;
  let workerPaid = 0;
  let paid = 0n;
  for (let from = load.fromBlock; from <= load.toBlock; from += chunk) {
    const to = from + chunk - 1n < load.toBlock ? from + chunk - 1n : load.toBlock;
    const [transferLogs, paidLogs] = await Promise.all([
      client.getLogs({ address: load.deployment.contracts.SogniToken, event: TRANSFER, fromBlock: from, toBlock: to }),
      client.getLogs({ address: load.deployment.contracts.WorkerPayouts, event: WORKER_PAID, fromBlock: from, toBlock: to }),
    ]);
    for (const entry of transferLogs) {
      const { from: sender, to: receiver, value } = entry.args;
      balances.set(sender!, (balances.get(sender!) ?? 0n) - value!);
      balances.set(receiver!, (balances.get(receiver!) ?? 0n) + value!);
      transfers++;
    }
    for (const entry of paidLogs) {
      paid += entry.args.amount!;
      workerPaid++;
    }
  }
  balances.delete("0x0000000000000000000000000000000000000000");
  return { events: transfers + workerPaid, transfers, workerPaid, paid, balances };
}

