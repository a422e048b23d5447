/**
 * Re-derives the on-chain facts of a season (onchain.json, SPEC section 6)
 * straight from a node's `eth_getLogs`, without the indexer: `Staked` of
 * every staking contract of the chain (SPEC 8.4, each from its own start
 * block), `WorkerPaid` of the payouts contract and `Transfer`s of
 * SOGNI to the Spark deposit address, up to each snapshot block. An auditor
 * compares the result with the onchain.json the build used.
 *
 * The events come from the generated ABIs (chain/abis: no compiled artifacts
 * needed at run time), which test/contracts/abi.test.ts holds to SPEC section 7.
 *
 * @example
 * const facts = await deriveOnchainFacts({ sparkDepositAddress, chains: [{ chainId: 31337, rpcUrl, startBlock: 0n,
 *   snapshotBlock: 120n, staking, payouts, token }] });
 * // or, from the deployments file (every staking contract of the chain):
 * const facts = await deriveOnchainFacts({ sparkDepositAddress, chains: [chainSource(deployment, 120n)] });
 */
import { createPublicClient, getAbiItem, http, type PublicClient } from "viem";
import { SeasonDistributorAbi, SogniStakingAbi, SogniTokenAbi, WorkerPayoutsAbi } from "./abis/index.js";
import { stakingContracts, type ChainDeployment } from "./deployments.js";
import { orderOnchainFacts } from "../season/onchain.js";
import type { Address, DepositFact, Hex, LockState, OnchainFacts, SnapshotBlock, WorkerPaidFact } from "../season/types.js";

export const STAKED_EVENT = getAbiItem({ abi: SogniStakingAbi, name: "Staked" });
export const WORKER_PAID_EVENT = getAbiItem({ abi: WorkerPayoutsAbi, name: "WorkerPaid" });
export const TRANSFER_EVENT = getAbiItem({ abi: SogniTokenAbi, name: "Transfer" });
export const CLAIMED_EVENT = getAbiItem({ abi: SeasonDistributorAbi, name: "Claimed" });

export interface ChainSource {
  chainId: number;
  rpcUrl: string;
  /** First block to read (the deployments file's startBlock). */
  startBlock: bigint;
  /** Last block to read, inclusive: the snapshot block. */
  snapshotBlock: bigint;
  /** The chain's first staking contract: a lock onchain.json records without `staking` is this one's. */
  staking: Address;
  /** Every staking contract of the chain, each read from its own start block (SPEC 8.4); default: `staking` from `startBlock`. */
  stakingContracts?: readonly { address: Address; startBlock: bigint }[];
  payouts: Address;
  token: Address;
}

export interface DeriveOptions {
  sparkDepositAddress: Address;
  chains: ChainSource[];
  /** Blocks per eth_getLogs call (live nodes cap the range); default 50,000. */
  blockStep?: bigint;
}

/** A node that does not answer, or answers for another chain. */
export class RpcFactsError extends Error {
  override name = "RpcFactsError";
}

/** A viem client for `rpcUrl`, checked to be chain `chainId`. */
export async function clientFor(rpcUrl: string, chainId: number): Promise<PublicClient> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 1, timeout: 60_000 }) });
  let actual: number;
  try {
    actual = await client.getChainId();
  } catch (error) {
    throw new RpcFactsError(`no JSON-RPC node answers at ${rpcUrl} (${(error as Error).message.split("\n")[0]}): check --rpc`);
  }
  if (actual !== chainId) throw new RpcFactsError(`${rpcUrl} is chain ${actual}, but the snapshot needs chain ${chainId}: pass that chain's RPC`);
  return client;
}

/** Runs `read` over [from, to] in windows of `step` blocks (nodes cap the range of one eth_getLogs). */
export async function logsInRange<T>(
  from: bigint,
  to: bigint,
  step: bigint,
  read: (fromBlock: bigint, toBlock: bigint) => Promise<T[]>,
): Promise<T[]> {
  const all: T[] = [];
  for (let start = from; start <= to; start += step) {
    const end = start + step - 1n < to ? start + step - 1n : to;
    all.push(...(await read(start, end)));
  }
  return all;
}

const lower = (address: string): Address => address.toLowerCase() as Address;

/**
 * The chain's sources as the deployments file names them, up to
 * `snapshotBlock`: token, payouts and every staking contract with its start
 * block. `rpcUrl` defaults to the file's.
 *
 * @example chainSource(deployments.chains[0], 120n, "http://127.0.0.1:8545")
 */
export function chainSource(chain: ChainDeployment, snapshotBlock: bigint, rpcUrl: string = chain.rpcUrl): ChainSource {
  const contracts = stakingContracts(chain, `deployments chain ${chain.chainId}`);
  return {
    chainId: chain.chainId,
    rpcUrl,
    startBlock: BigInt(chain.startBlock),
    snapshotBlock,
    staking: lower(contracts[0]!.address),
    stakingContracts: contracts.map((contract) => ({ address: lower(contract.address), startBlock: BigInt(contract.block) })),
    payouts: lower(chain.contracts.WorkerPayouts),
    token: lower(chain.contracts.SogniToken),
  };
}

/**
 * Reads every chain's logs up to its snapshot block and returns the facts
 * in chain order (chain id, block, log index: season/onchain.ts's
 * orderOnchainFacts), each with its log's block, log index and, for locks,
 * the staking contract, plus each
 * snapshot block's hash and timestamp as the node reports them.
 */
export async function deriveOnchainFacts(options: DeriveOptions): Promise<OnchainFacts> {
  const step = options.blockStep ?? 50_000n;
  const facts: OnchainFacts = { snapshot: [], locks: [], workerPaid: [], deposits: [] };
  for (const chain of options.chains) {
    const client = await clientFor(chain.rpcUrl, chain.chainId);
    const block = await client.getBlock({ blockNumber: chain.snapshotBlock });
    facts.snapshot.push({ chainId: chain.chainId, block: chain.snapshotBlock, hash: block.hash as Hex, timestamp: Number(block.timestamp) } satisfies SnapshotBlock);

    for (const staking of chain.stakingContracts ?? [{ address: chain.staking, startBlock: chain.startBlock }]) {
      const staked = await logsInRange(staking.startBlock, chain.snapshotBlock, step, (fromBlock, toBlock) =>
        client.getLogs({ address: staking.address, event: STAKED_EVENT, fromBlock, toBlock, strict: true }),
      );
      for (const log of staked) {
        facts.locks.push({
          chainId: chain.chainId,
          block: log.blockNumber,
          logIndex: log.logIndex,
          staking: lower(log.address),
          account: lower(log.args.account),
          amount: log.args.amount,
          lockWeeks: Number(log.args.lockWeeks),
          effectiveFrom: Number(log.args.effectiveFrom),
          unlockAt: Number(log.args.unlockAt),
        } satisfies LockState);
      }
    }

    const paid = await logsInRange(chain.startBlock, chain.snapshotBlock, step, (fromBlock, toBlock) =>
      client.getLogs({ address: chain.payouts, event: WORKER_PAID_EVENT, fromBlock, toBlock, strict: true }),
    );
    for (const log of paid) {
      facts.workerPaid.push({ chainId: chain.chainId, block: log.blockNumber, logIndex: log.logIndex, batchId: log.args.batchId, worker: lower(log.args.worker), amount: log.args.amount } satisfies WorkerPaidFact);
    }

    const transfers = await logsInRange(chain.startBlock, chain.snapshotBlock, step, (fromBlock, toBlock) =>
      client.getLogs({ address: chain.token, event: TRANSFER_EVENT, args: { to: options.sparkDepositAddress }, fromBlock, toBlock, strict: true }),
    );
    for (const log of transfers) {
      facts.deposits.push({
        chainId: chain.chainId,
        block: log.blockNumber,
        logIndex: log.logIndex,
        txHash: log.transactionHash as Hex,
        from: lower(log.args.from),
        to: lower(log.args.to),
        amount: log.args.value,
      } satisfies DepositFact);
    }
  }
  return orderOnchainFacts(facts);
}

/**
 * Sum of the `Claimed` amounts of a distributor from `fromBlock` to the
 * latest block, with the claimed indices (for the unclaimed-total check).
 */
export async function readClaims(
  client: PublicClient,
  distributor: Address,
  fromBlock: bigint,
  blockStep = 50_000n,
): Promise<{ claimed: bigint; claims: { index: bigint; account: Address; amount: bigint }[] }> {
  const latest = await client.getBlockNumber();
  const logs = await logsInRange(fromBlock, latest, blockStep, (from, to) =>
    client.getLogs({ address: distributor, event: CLAIMED_EVENT, fromBlock: from, toBlock: to, strict: true }),
  );
  let claimed = 0n;
  const claims = logs.map((log) => {
    claimed += log.args.amount;
    return { index: log.args.index, account: lower(log.args.account), amount: log.args.amount };
  });
  return { claimed, claims };
}
