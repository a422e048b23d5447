/**
 * The simulator: deterministic, realistic activity on one or more local
 * chains where the contracts are deployed (hundreds of accounts funded with
 * ETH and SOGNI; transfers; stake locks, top-ups, extensions, expiry and
 * relock, unstakes; worker payout batches; SOGNI deposits to the Spark
 * deposit address), all at chosen block times inside and around a season
 * window. It returns what it did as expected facts computed by an
 * independent model (never read back from the chain), and the matching
 * off-chain Spark exports and season.json.
 *
 * Same seed, same accounts, same window and fresh chains: same blocks, same
 * transaction hashes, same files.
 *
 * Seasons run in series on one chain (the demo plays season 6, then season 7):
 * give the later one the `earlier` simulations. Its payout batch ids then
 * follow theirs (WorkerPayouts pays a batch id once, and a job names its batch
 * by id), and its onchain.json lists every lock and payout on the chain up to
 * its snapshot, theirs included, as the indexer's /snapshot does.
 *
 * @example
 * const node = await startHardhatNode({ initialDate: "2026-09-20T00:00:00Z" });
 * const deployment = await deployAll({ rpcUrl: node.rpcUrl });
 * const result = await simulate({ chains: [{ rpcUrl: node.rpcUrl, deployment }], accounts: 50, seed: 7,
 *   start: parseIsoTime("2026-10-13T00:00:00Z"), end: parseIsoTime("2026-11-24T00:00:00Z") });
 * writeSimulation(result, "sim-out"); // season.json, exports/*.csv, onchain.json, simulation.json
 * // later, on the same chain: batch ids after season 7's, onchain.json with season 7's locks and payouts
 * const next = await simulate({ chains: [{ rpcUrl: node.rpcUrl, deployment }], seed: 8, season: 8, start: s8, end: e8, earlier: [result] });
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createPublicClient, http } from "viem";
import { hardhatAccount } from "../../chain/clients.js";
import { SogniStakingAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { mondayAtOrBefore } from "../local/deploy.js";
import { stakingContracts, type ChainDeployment } from "../../chain/deployments.js";
import { latestTimestamp } from "../local/hardhat-node.js";
import { executeChainPlan, SimulationError, type ChainExecution } from "./execute.js";
import { expectedFacts, type ExpectedFacts } from "./facts.js";
import { planSimulation, type SimulationPlan } from "./plan.js";
import { sparkExports, type SparkExports } from "./spark-exports.js";
import { isoSeconds } from "../../season/time.js";
import { orderOnchainFacts, serializeOnchainJson } from "../../season/onchain.js";
import type { Address } from "../../season/address.js";

export { SimulationError };
export type { ExpectedFacts, SimulationPlan, SparkExports };

const DAY = 86_400;
const WEEK = 7 * DAY;

export interface SimulateOptions {
  /** The chains to drive; each must run the deployment it is paired with. */
  chains: { rpcUrl: string; deployment: ChainDeployment }[];
  /** Simulated accounts (default 300). */
  accounts?: number;
  /** PRNG seed (default 7). */
  seed?: number;
  /**
   * Season window in unix seconds, [start, end). Default: six weeks from the
   * first Monday at least 15 days after the latest block (activity starts two
   * weeks before the window).
   */
  start?: number;
  end?: number;
  /** Season number written to season.json (default 7). */
  season?: number;
  /** SPEC 8.1's tranches, added to season.json as written there (times ISO-8601, shares decimal); default: none. */
  vesting?: readonly { at: string; share: string }[];
  /**
   * Simulations run on these chains before this one (in any order). Their
   * locks and payouts are on the chain too, so onchain.json lists them (a
   * lock of an earlier season may still be in force in this one); deposits
   * stay this season's own (the transfers to its Spark deposit address).
   */
  earlier?: readonly SimulationResult[];
  /**
   * The first payout batch id (the others follow it in time order). Default:
   * one past the highest batch id the `earlier` simulations paid, 1 without
   * them; a lower one is refused, since WorkerPayouts pays a batch id once.
   */
  firstBatchId?: bigint;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface SimulationResult {
  plan: SimulationPlan;
  executions: ChainExecution[];
  facts: ExpectedFacts;
  exports: SparkExports;
  deployments: ChainDeployment[];
  /** The facts of the `earlier` simulations (their locks and payouts are in onchain.json); empty without them. */
  earlier: ExpectedFacts[];
}

/** The highest payout batch id among these facts (0 for none). */
function lastBatchId(facts: readonly ExpectedFacts[]): bigint {
  let highest = 0n;
  for (const paid of facts.flatMap((each) => each.payouts)) if (paid.batchId > highest) highest = paid.batchId;
  return highest;
}

/** Runs the simulation on every chain (in parallel) and returns what was done. */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const log = options.log ?? (() => {});
  if (options.chains.length === 0) throw new SimulationError("nothing to simulate: give at least one chain");
  const deployer = hardhatAccount(0);
  const earlier = (options.earlier ?? []).map((simulation) => simulation.facts);
  const paidBefore = lastBatchId(earlier);
  const firstBatchId = options.firstBatchId ?? paidBefore + 1n;
  if (paidBefore > 0n && firstBatchId <= paidBefore) {
    throw new SimulationError(`payout batch id ${firstBatchId} is taken: the earlier simulations paid batches up to ${paidBefore}, start at ${paidBefore + 1n} or later`);
  }

  const chainInfo = await Promise.all(
    options.chains.map(async ({ rpcUrl, deployment }) => {
      const client = createPublicClient({ transport: http(rpcUrl) });
      const chainId = await client.getChainId();
      if (chainId !== deployment.chainId) {
        throw new SimulationError(`${rpcUrl} is chain ${chainId} but its deployment entry is for chain ${deployment.chainId}`);
      }
      const owner = await client.readContract({ address: deployment.contracts.SogniToken, abi: SogniTokenAbi, functionName: "owner" });
      if (owner.toLowerCase() !== deployer.address.toLowerCase()) {
        throw new SimulationError(
          `SogniToken on chain ${chainId} is owned by ${owner}, not Hardhat's account #0 ${deployer.address}: the simulator mints as the owner, deploy with \`npm run chain -- deploy\``,
        );
      }
      // Every staking contract's epoch zero (SPEC 8.4: a chain may have several; the plan stakes in the first and the newest).
      const stakingEpochs = await Promise.all(
        stakingContracts(deployment, `chain ${chainId}`).map(async (contract) => Number(await client.readContract({ address: contract.address, abi: SogniStakingAbi, functionName: "epochZero" }))),
      );
      return { chainId, epochZero: stakingEpochs[0]!, stakingEpochs, now: await latestTimestamp(client) };
    }),
  );
  const ids = chainInfo.map((info) => info.chainId);
  if (new Set(ids).size !== ids.length) throw new SimulationError(`the same chain id appears twice: ${ids.join(", ")}`);

  const latest = Math.max(...chainInfo.map((info) => info.now));
  const start = options.start ?? mondayAtOrBefore(latest + 15 * DAY) + WEEK;
  const end = options.end ?? start + 6 * WEEK;
  const plan = planSimulation({
    seed: options.seed ?? 7,
    accounts: options.accounts ?? 300,
    start,
    end,
    chains: chainInfo.map(({ chainId, epochZero, stakingEpochs }) => ({ chainId, epochZero, ...(stakingEpochs.length > 1 ? { stakingEpochs } : {}) })),
    deployer: deployer.address,
    firstBatchId,
  });
  log(
    `simulating ${plan.accounts.length} accounts on chain(s) ${ids.join(", ")}: window ${isoSeconds(start)} .. ${isoSeconds(end)}, ` +
      `blocks ${isoSeconds(plan.timeline.first)} .. ${isoSeconds(plan.timeline.last)}`,
  );
  const executions = await Promise.all(
    options.chains.map(({ rpcUrl, deployment }) =>
      executeChainPlan({ rpcUrl, deployment, plan, chainPlan: plan.chains.find((chain) => chain.chainId === deployment.chainId)!, deployer, log }),
    ),
  );
  const facts = expectedFacts(
    plan,
    executions,
    options.chains.map(({ deployment }) => ({
      chainId: deployment.chainId,
      ...deployment.contracts,
      staking: stakingContracts(deployment, `chain ${deployment.chainId}`).map((contract) => contract.address),
    })),
  );
  const exports = sparkExports(plan, facts, { season: options.season ?? 7 });
  if (options.vesting !== undefined) {
    exports.seasonJson = `${JSON.stringify({ ...JSON.parse(exports.seasonJson), vesting: options.vesting }, null, 2)}\n`;
  }
  log(
    `done: ${facts.locks.length} locks, ${facts.unstakes.length} unstakes, ${facts.payouts.length} payouts, ` +
      `${facts.deposits.length} deposits, ${facts.transfers.length} transfers`,
  );
  return { plan, executions, facts, exports, deployments: options.chains.map(({ deployment }) => deployment), earlier };
}

/** JSON with bigints as decimal strings (the project's convention for wei). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item), 2)}\n`;
}

/**
 * The facts in the exact onchain.json shape of SPEC section 6 (each with its
 * log's block and log index, locks with their staking contract; in chain
 * order), with the last simulated block of each chain as the snapshot: a season build can run from
 * it with no chain or indexer. The `earlier` simulations' locks and payouts
 * are listed too (the chain holds them); deposits are this season's own.
 */
export function onchainJson(result: SimulationResult): string {
  const { executions } = result;
  const facts = {
    locks: [...result.earlier.flatMap((earlier) => earlier.locks), ...result.facts.locks],
    payouts: [...result.earlier.flatMap((earlier) => earlier.payouts), ...result.facts.payouts],
    deposits: result.facts.deposits,
  };
  return serializeOnchainJson(orderOnchainFacts({
    snapshot: executions.map((execution) => {
      const last = execution.blocks[execution.blocks.length - 1]!;
      return { chainId: execution.chainId, block: BigInt(last.number), hash: last.hash, timestamp: last.timestamp };
    }),
    locks: facts.locks.map((lock) => ({
      chainId: lock.chainId,
      block: BigInt(lock.blockNumber),
      logIndex: lock.logIndex,
      staking: lock.staking.toLowerCase() as Address,
      account: lock.account.toLowerCase() as Address,
      amount: lock.amount,
      lockWeeks: lock.lockWeeks,
      effectiveFrom: lock.effectiveFrom,
      unlockAt: lock.unlockAt,
    })),
    workerPaid: facts.payouts.map((paid) => ({
      chainId: paid.chainId,
      block: BigInt(paid.blockNumber),
      logIndex: paid.logIndex,
      batchId: paid.batchId,
      worker: paid.worker.toLowerCase() as Address,
      amount: paid.amount,
    })),
    deposits: facts.deposits.map((deposit) => ({
      chainId: deposit.chainId,
      block: BigInt(deposit.blockNumber),
      logIndex: deposit.logIndex,
      txHash: deposit.txHash,
      from: deposit.from.toLowerCase() as Address,
      to: deposit.to.toLowerCase() as Address,
      amount: deposit.amount,
    })),
  }));
}

/** The simulation log: what was done, where, and what the chain must now hold. */
export function simulationJson(result: SimulationResult): string {
  const { plan, facts, exports } = result;
  return toJson({
    seed: plan.seed,
    window: { start: plan.window.start, end: plan.window.end, startIso: isoSeconds(plan.window.start), endIso: isoSeconds(plan.window.end) },
    timeline: plan.timeline,
    deployer: plan.deployer,
    sparkDepositAddress: plan.sparkDepositAddress,
    team: plan.team,
    // Deterministic test keys (public by construction): for demos and claims on local chains only.
    accounts: plan.accounts.map((account) => ({
      index: account.index,
      address: account.address,
      privateKey: account.privateKey,
      isUser: account.isUser,
      worker: account.worker ?? null,
    })),
    deployments: result.deployments,
    chains: facts.chains,
    mints: facts.mints,
    transfers: facts.transfers,
    deposits: facts.deposits,
    locks: facts.locks,
    unstakes: facts.unstakes,
    payouts: facts.payouts,
    expectedRejections: exports.expectedRejections,
    outsideWindow: exports.outsideWindow,
  });
}

/**
 * Writes `<dir>/season.json`, `<dir>/exports/{users,spark_usage,spark_purchases,jobs}.csv`,
 * `<dir>/onchain.json` and `<dir>/simulation.json`. The directory appears
 * complete or not at all (built beside it, then renamed into place); an
 * existing one is replaced.
 */
export function writeSimulation(result: SimulationResult, dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  const temporary = `${dir}.tmp-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(join(temporary, "exports"), { recursive: true });
  writeFileSync(join(temporary, "season.json"), result.exports.seasonJson);
  for (const [name, text] of Object.entries(result.exports.files)) writeFileSync(join(temporary, "exports", name), text);
  writeFileSync(join(temporary, "onchain.json"), onchainJson(result));
  writeFileSync(join(temporary, "simulation.json"), simulationJson(result));
  const previous = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, previous);
  renameSync(temporary, dir);
  rmSync(previous, { recursive: true, force: true });
}
