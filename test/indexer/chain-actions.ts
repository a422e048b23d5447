/**
 * Explicit transactions the indexer tests send (beside the simulator): SOGNI
 * mints and transfers, and worker payout batches, each returning what it did
 * so a test can compute its own expectations.
 */
import { createPublicClient, createWalletClient, http, type Address, type Hex, type PublicClient } from "viem";
import { chainFor, hardhatAccount } from "../../chain/clients.js";
import { SogniTokenAbi, WorkerPayoutsAbi } from "../../chain/abis/index.js";
import type { ChainDeployment } from "../../chain/deployments.js";

export interface ChainActor {
  publicClient: PublicClient;
  /** Hardhat account #0: token owner and payouts payer. */
  owner: Address;
  mint(to: Address, amount: bigint): Promise<Hex>;
  transfer(to: Address, amount: bigint): Promise<Hex>;
  /** One payWorkers call; returns its transaction. */
  payBatch(batchId: bigint, workers: Address[], amounts: bigint[]): Promise<Hex>;
  approvePayouts(amount: bigint): Promise<Hex>;
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  head(): Promise<{ number: number; hash: Hex }>;
}

export function chainActor(rpcUrl: string, deployment: ChainDeployment): ChainActor {
  const account = hardhatAccount(0);
  const publicClient = createPublicClient({ transport: http(rpcUrl), cacheTime: 0 }) as PublicClient;
  const wallet = createWalletClient({ account, transport: http(rpcUrl), chain: chainFor(deployment.chainId, rpcUrl) });
  const confirm = async (hash: Hex): Promise<Hex> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return hash;
  };
  return {
    publicClient,
    owner: account.address,
    mint: async (to, amount) => confirm(await wallet.writeContract({ address: deployment.contracts.SogniToken, abi: SogniTokenAbi, functionName: "mint", args: [to, amount] })),
    transfer: async (to, amount) => confirm(await wallet.writeContract({ address: deployment.contracts.SogniToken, abi: SogniTokenAbi, functionName: "transfer", args: [to, amount] })),
    approvePayouts: async (amount) =>
      confirm(await wallet.writeContract({ address: deployment.contracts.SogniToken, abi: SogniTokenAbi, functionName: "approve", args: [deployment.contracts.WorkerPayouts, amount] })),
    payBatch: async (batchId, workers, amounts) =>
      confirm(
        await wallet.writeContract({
          address: deployment.contracts.WorkerPayouts,
          abi: WorkerPayoutsAbi,
          functionName: "payWorkers",
          args: [batchId, workers, amounts],
          gas: 16_000_000n, // under the 2^24 transaction gas cap (EIP-7825)
        }),
      ),
    rpc: (method, params = []) => publicClient.request({ method: method as never, params: params as never }),
    head: async () => {
      const block = await publicClient.getBlock({ blockTag: "latest" });
      return { number: Number(block.number), hash: block.hash };
    },
  };
}

/** A deterministic address from a number (never a precompile: offset by 0x1000). */
export function numberedAddress(n: number): Address {
  return `0x${(0x1000 + n).toString(16).padStart(40, "0")}` as Address;
}
