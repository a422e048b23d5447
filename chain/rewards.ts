/**
 * SogniRewards (SPEC 8.3) read over RPC: its whole state in one call (roots,
 * totals, funding, roles, the chain's time) and its `Claimed` events. The
 * CLI's `season rewards` and `season verify <publication dir> --rpc` read
 * the contract through it; the calls are typed by the generated ABI.
 *
 * @example
 * const state = await readRewardsState(publicClient, "0x…");
 * state.pending?.validAt; // unix seconds, when a pending root may be accepted
 */
import { erc20Abi, getAbiItem, type PublicClient } from "viem";
import { SogniRewardsAbi } from "./abis/index.js";
import { logsInRange } from "./rpc-facts.js";
import type { Address, Hex } from "../season/types.js";

export const REWARDS_CLAIMED_EVENT = getAbiItem({ abi: SogniRewardsAbi, name: "Claimed" });

const ZERO_ROOT: Hex = `0x${"00".repeat(32)}`;

/** A root with its data hash and total (the live one, or the pending one with its validAt). */
export interface RewardsRoot {
  root: Hex;
  dataHash: Hex;
  total: bigint;
}

export interface RewardsState {
  address: Address;
  token: Address;
  owner: Address;
  /** undefined: no guardian. */
  guardian: Address | undefined;
  /** Seconds. */
  timelock: number;
  /** undefined before the first accept. */
  live: RewardsRoot | undefined;
  /** undefined when nothing is pending. */
  pending: (RewardsRoot & { validAt: number }) | undefined;
  totalClaimed: bigint;
  /** The contract's token balance. */
  balance: bigint;
  /** The latest block: its number and timestamp (the chain's "now"). */
  block: { number: bigint; timestamp: number };
}

/** Thrown when no SogniRewards answers at the address. */
export class RewardsContractError extends Error {
  override name = "RewardsContractError";
}

const lower = (address: string): Address => address.toLowerCase() as Address;

/**
 * Every view of the contract, read at one block (the latest), so the numbers
 * agree with each other.
 */
export async function readRewardsState(client: PublicClient, address: Address): Promise<RewardsState> {
  const block = await client.getBlock({ blockTag: "latest" });
  const blockNumber = block.number!;
  const contract = { address, abi: SogniRewardsAbi, blockNumber } as const;
  let token: Address;
  try {
    token = lower(await client.readContract({ ...contract, functionName: "token" }));
  } catch {
    const code = await client.getCode({ address });
    throw new RewardsContractError(
      code === undefined || code === "0x" ? `no contract at ${address} on chain ${await client.getChainId()}: check --rewards and --rpc` : `the contract at ${address} is not a SogniRewards (token() fails): check --rewards`,
    );
  }
  const [root, dataHash, total, pending, timelock, totalClaimed, guardian, owner, balance] = await Promise.all([
    client.readContract({ ...contract, functionName: "root" }),
    client.readContract({ ...contract, functionName: "dataHash" }),
    client.readContract({ ...contract, functionName: "total" }),
    client.readContract({ ...contract, functionName: "pending" }),
    client.readContract({ ...contract, functionName: "timelock" }),
    client.readContract({ ...contract, functionName: "totalClaimed" }),
    client.readContract({ ...contract, functionName: "guardian" }),
    client.readContract({ ...contract, functionName: "owner" }),
    client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [address], blockNumber }),
  ]);
  const [pendingRoot, pendingDataHash, pendingTotal, validAt] = pending;
  return {
    address: lower(address),
    token,
    owner: lower(owner),
    guardian: /^0x0{40}$/.test(guardian) ? undefined : lower(guardian),
    timelock: Number(timelock),
    live: root === ZERO_ROOT ? undefined : { root: lower(root), dataHash: lower(dataHash), total },
    pending: pendingRoot === ZERO_ROOT ? undefined : { root: lower(pendingRoot), dataHash: lower(pendingDataHash), total: pendingTotal, validAt: Number(validAt) },
    totalClaimed,
    balance,
    block: { number: blockNumber, timestamp: Number(block.timestamp) },
  };
}

/** One `Claimed(account, amount, cumulative)` event. */
export interface RewardsClaim {
  account: Address;
  amount: bigint;
  cumulative: bigint;
  block: bigint;
  logIndex: number;
  transactionHash: Hex;
}

/** Every `Claimed` event of the contract from `fromBlock` (its deployment block, or 0) to `toBlock`, in chain order. */
export async function readRewardsClaims(client: PublicClient, address: Address, fromBlock: bigint, toBlock: bigint, blockStep = 50_000n): Promise<RewardsClaim[]> {
  const logs = await logsInRange(fromBlock, toBlock, blockStep, (from, to) => client.getLogs({ address, event: REWARDS_CLAIMED_EVENT, fromBlock: from, toBlock: to, strict: true }));
  return logs.map((log) => ({
    account: lower(log.args.account),
    amount: log.args.amount,
    cumulative: log.args.cumulative,
    block: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
  }));
}
