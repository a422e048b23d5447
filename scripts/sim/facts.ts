/**
 * The expected on-chain facts of a simulation, computed from the plan and the
 * executed blocks' times and hashes alone (never read back from the chain):
 * lock states by the staking model, payouts, deposits, transfers and final
 * SOGNI balances. Tests compare the chain and the indexer against these.
 *
 * @example
 * const facts = expectedFacts(plan, executions);
 * facts.locks.at(-1); // { chainId, account, amount, lockWeeks, effectiveFrom, unlockAt, … }
 */
import { toEventSelector, type Hex } from "viem";
import { STAKED_EVENT, TRANSFER_EVENT, WORKER_PAID_EVENT } from "../../chain/rpc-facts.js";
import type { ChainExecution, ExecutedBlock } from "./execute.js";
import type { Address, SimulationPlan } from "./plan.js";
import { applyStake, EMPTY_LOCK, type ModelLock } from "./staking-model.js";

/** Where a fact happened. */
export interface FactOrigin {
  chainId: number;
  blockNumber: number;
  timestamp: number;
  txHash: Hex;
}

/** The log a fact was read from: its index in the block (SPEC 6's `logIndex`). */
export interface LogFact extends FactOrigin {
  logIndex: number;
}

export interface LockFact extends LogFact {
  /** The staking contract that emitted the `Staked` event. */
  staking: Address;
  account: Address;
  added: bigint;
  amount: bigint;
  lockWeeks: number;
  effectiveFrom: number;
  unlockAt: number;
}

export interface UnstakeFact extends FactOrigin {
  /** The staking contract unstaked from. */
  staking: Address;
  account: Address;
  amount: bigint;
}

export interface PayoutFact extends LogFact {
  batchId: bigint;
  worker: Address;
  amount: bigint;
}

export interface TransferFact extends LogFact {
  from: Address;
  to: Address;
  amount: bigint;
}

export interface MintFact extends FactOrigin {
  to: Address;
  amount: bigint;
}

export interface ChainFacts {
  chainId: number;
  epochZero: number;
  firstBlock: number;
  lastBlock: number;
  lastTimestamp: number;
  /** Final SOGNI balance of every address that holds some, in wei (contracts included). */
  balances: Record<Address, bigint>;
  /** Final lock per account with a non-empty lock, in the chain's first staking contract. */
  finalLocks: Record<Address, ModelLock>;
  /** With several staking contracts (SPEC 8.4): the final locks in each, by contract address. */
  finalLocksByStaking?: Record<Address, Record<Address, ModelLock>>;
}

export interface ExpectedFacts {
  chains: ChainFacts[];
  mints: MintFact[];
  /** Account-to-account transfers (not mints, stakes, payouts or deposits). */
  transfers: TransferFact[];
  /** SOGNI transfers to the Spark deposit address. */
  deposits: TransferFact[];
  /** The state after every `Staked`, in chain order per chain. */
  locks: LockFact[];
  unstakes: UnstakeFact[];
  /** One per `WorkerPaid`. */
  payouts: PayoutFact[];
}

/**
 * Replays the plan over the executed blocks with the staking model and plain
 * balance arithmetic.
 */
export function expectedFacts(
  plan: SimulationPlan,
  executions: ChainExecution[],
  contracts: { chainId: number; SogniToken: Address; SogniStaking: Address; WorkerPayouts: Address; staking?: readonly Address[] }[],
): ExpectedFacts {
  const facts: ExpectedFacts = { chains: [], mints: [], transfers: [], deposits: [], locks: [], unstakes: [], payouts: [] };
  for (const chainPlan of plan.chains) {
    const execution = executions.find((candidate) => candidate.chainId === chainPlan.chainId);
    const addresses = contracts.find((candidate) => candidate.chainId === chainPlan.chainId);
    if (!execution || !addresses) throw new Error(`no execution or deployment for chain ${chainPlan.chainId}`);
    const balances = new Map<Address, bigint>();
    const move = (from: Address | undefined, to: Address | undefined, amount: bigint): void => {
      if (from) balances.set(from, (balances.get(from) ?? 0n) - amount);
      if (to) balances.set(to, (balances.get(to) ?? 0n) + amount);
    };
    // The chain's staking contracts, oldest first (an action's `staking` indexes them), and each one's locks.
    const stakings = addresses.staking ?? [addresses.SogniStaking];
    const epochs = chainPlan.stakingEpochs ?? [chainPlan.epochZero];
    const locks = stakings.map(() => new Map<Address, ModelLock>());
    const { chainId } = chainPlan;
    for (const [blockIndex, planned] of chainPlan.blocks.entries()) {
      const block = execution.blocks[blockIndex]!;
      for (const [i, action] of planned.actions.entries()) {
        const origin: FactOrigin = { chainId, blockNumber: block.number, timestamp: block.timestamp, txHash: block.txHashes[i]! };
        const at = (address: Address, topic: Hex, nth = 0): LogFact => ({ ...origin, logIndex: logIndexIn(block, i, address, topic, nth) });
        switch (action.kind) {
          case "mint":
            move(undefined, action.to, action.amount);
            facts.mints.push({ ...origin, to: action.to, amount: action.amount });
            break;
          case "approve":
            break;
          case "transfer":
            move(action.from, action.to, action.amount);
            facts.transfers.push({ ...at(addresses.SogniToken, TRANSFER), from: action.from, to: action.to, amount: action.amount });
            break;
          case "deposit":
            move(action.from, action.to, action.amount);
            facts.deposits.push({ ...at(addresses.SogniToken, TRANSFER), from: action.from, to: action.to, amount: action.amount });
            break;
          case "stake": {
            const index = action.staking ?? 0;
            const staking = stakings[index]!;
            const state = applyStake(locks[index]!.get(action.account) ?? EMPTY_LOCK, {
              amount: action.amount,
              lockWeeks: action.lockWeeks,
              timestamp: block.timestamp,
              epochZero: epochs[index]!,
            });
            locks[index]!.set(action.account, state);
            move(action.account, staking, action.amount);
            facts.locks.push({ ...at(staking, STAKED), staking, account: action.account, added: action.amount, ...state });
            break;
          }
          case "unstake": {
            const index = action.staking ?? 0;
            const staking = stakings[index]!;
            const amount = locks[index]!.get(action.account)?.amount ?? 0n;
            locks[index]!.delete(action.account);
            move(staking, action.account, amount);
            facts.unstakes.push({ ...origin, staking, account: action.account, amount });
            break;
          }
          case "payWorkers":
            for (const [j, worker] of action.workers.entries()) {
              move(plan.deployer, worker, action.amounts[j]!);
              facts.payouts.push({ ...at(addresses.WorkerPayouts, WORKER_PAID, j), batchId: action.batchId, worker, amount: action.amounts[j]! });
            }
            break;
        }
      }
    }
    const last = execution.blocks[execution.blocks.length - 1];
    facts.chains.push({
      chainId,
      epochZero: chainPlan.epochZero,
      firstBlock: execution.blocks[0]?.number ?? 0,
      lastBlock: last?.number ?? 0,
      lastTimestamp: last?.timestamp ?? 0,
      balances: Object.fromEntries([...balances].filter(([, amount]) => amount !== 0n)) as Record<Address, bigint>,
      finalLocks: held(locks[0]!),
      ...(stakings.length > 1 ? { finalLocksByStaking: Object.fromEntries(stakings.map((staking, i) => [staking, held(locks[i]!)])) as Record<Address, Record<Address, ModelLock>> } : {}),
    });
  }
  return facts;
}

/** The non-empty locks of one staking contract, by account. */
function held(locks: Map<Address, ModelLock>): Record<Address, ModelLock> {
  return Object.fromEntries([...locks].filter(([, lock]) => lock.amount > 0n)) as Record<Address, ModelLock>;
}

const TRANSFER = toEventSelector(TRANSFER_EVENT);
const STAKED = toEventSelector(STAKED_EVENT);
const WORKER_PAID = toEventSelector(WORKER_PAID_EVENT);

/**
 * The block-wide log index of the `nth` log with `topic` that `address`
 * emitted in transaction `tx` of `block`: where a fact was logged, from the
 * transaction's receipt (the values of the facts are the model's own).
 */
function logIndexIn(block: ExecutedBlock, tx: number, address: Address, topic: Hex, nth: number): number {
  const logs = (block.txLogs[tx] ?? []).filter((log) => log.address === address.toLowerCase() && log.topic === topic);
  const log = logs[nth];
  if (log === undefined) throw new Error(`block ${block.number}, transaction ${block.txHashes[tx]}: no log ${topic} #${nth} from ${address} in its receipt`);
  return log.logIndex;
}
