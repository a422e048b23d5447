/**
 * Plans a deterministic simulation: who the accounts are, what each one does
 * on which chain and when. Pure: the same options give the same plan, with no
 * chain, clock or file access (the executor in ./execute.ts sends it).
 *
 * Time runs from a prelude two weeks before the season window (funding and
 * early locks) to a week after it (activity the season must ignore). Actions
 * fall on whole hours; every hour with actions is one block.
 *
 * @example
 * const plan = planSimulation({ seed: 7, accounts: 300, start, end, chains: [{ chainId: 31337, epochZero }] });
 * plan.chains[0].blocks[0].actions.length; // the funding block: mints and approvals
 */
import { getAddress, keccak256, stringToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createRng, type Rng } from "./rng.js";
import { applyStake, canUnstake, EMPTY_LOCK, type ModelLock } from "./staking-model.js";

export type Address = `0x${string}`;

const HOUR = 3_600;
const DAY = 86_400;
/** 1 micro-SOGNI in wei: every amount is a whole number of these, so the CSVs stay within 6 decimals. */
export const MICRO_SOGNI = 10n ** 12n;
export const SOGNI = 10n ** 18n;

export type WorkerTier = "fast" | "relaxed";

export interface SimAccount {
  index: number;
  /** EIP-55 checksummed. */
  address: Address;
  /** A deterministic test key: never use it on a live chain. */
  privateKey: Hex;
  /** In users.csv (workers-only accounts are not). */
  isUser: boolean;
  worker: { tier: WorkerTier; hardware: string } | undefined;
}

/**
 * `staking` on an approval, stake or unstake: which of the chain's staking
 * contracts (an index into its `stakingEpochs`, oldest first); absent: the first.
 */
export type Action =
  | { kind: "mint"; to: Address; amount: bigint }
  | { kind: "approve"; owner: Address; spender: "SogniStaking" | "WorkerPayouts"; staking?: number }
  | { kind: "transfer"; from: Address; to: Address; amount: bigint }
  | { kind: "deposit"; from: Address; to: Address; amount: bigint }
  | { kind: "stake"; account: Address; amount: bigint; lockWeeks: number; staking?: number }
  | { kind: "unstake"; account: Address; staking?: number }
  | { kind: "payWorkers"; batchId: bigint; workers: Address[]; amounts: bigint[] };

export interface PlannedBlock {
  timestamp: number;
  actions: Action[];
}

export interface ChainPlan {
  chainId: number;
  epochZero: number;
  /** Epoch zero of each staking contract, oldest first, when the chain has more than one (SPEC 8.4). */
  stakingEpochs?: number[];
  blocks: PlannedBlock[];
}

export interface PlanOptions {
  seed: number;
  /** Number of simulated accounts (at least 10). */
  accounts: number;
  /** Season window, unix seconds, [start, end). */
  start: number;
  end: number;
  /**
   * `epochZero`: the first staking contract's; `stakingEpochs`: every staking contract's, oldest
   * first, when the chain has several (then some stakers also lock in the newest one, beside
   * their lock in the first).
   */
  chains: { chainId: number; epochZero: number; stakingEpochs?: number[] }[];
  /** The owner of the token and payer of WorkerPayouts (mints and pays batches). */
  deployer: Address;
  /**
   * The first worker payout batch's id (default 1); the others follow it in
   * time order. WorkerPayouts pays a batch id once, so a season simulated on
   * a chain after others numbers its batches after theirs.
   */
  firstBatchId?: bigint;
}

export interface SimulationPlan {
  seed: number;
  window: { start: number; end: number };
  /** First and last block times of the activity. */
  timeline: { first: number; last: number };
  deployer: Address;
  sparkDepositAddress: Address;
  /** The account the season config excludes (a team wallet that also stakes). */
  team: Address;
  accounts: SimAccount[];
  chains: ChainPlan[];
}

const LOCK_WEEKS = [1, 2, 3, 4, 6, 8, 12, 26, 52] as const;
const HARDWARE = ["RTX 4090", "RTX 4080", "RTX 3090", "RTX 3080", "Apple M2 Max", "Apple M3 Ultra", "RX 7900 XTX"] as const;

/** The deterministic key of account `index` for `seed` (keccak of a label). */
export function simulatedKey(seed: number, label: string | number): Hex {
  return keccak256(stringToHex(`sogni-sim/${seed}/${label}`));
}

function amountBetween(rng: Rng, minSogni: bigint, maxSogni: bigint): bigint {
  return rng.bigint(minSogni * 1_000_000n, maxSogni * 1_000_000n) * MICRO_SOGNI;
}

/** Builds the whole plan. Throws a RangeError on impossible options. */
export function planSimulation(options: PlanOptions): SimulationPlan {
  const { seed, start, end } = options;
  if (options.accounts < 10) throw new RangeError(`a simulation needs at least 10 accounts, got ${options.accounts}`);
  if (!(end > start)) throw new RangeError(`the season window is empty: end ${end} <= start ${start}`);
  if (options.chains.length === 0) throw new RangeError("a simulation needs at least one chain");
  const firstBatchId = options.firstBatchId ?? 1n;
  if (firstBatchId < 1n) throw new RangeError(`payout batch ids start at 1 or more, got ${firstBatchId}`);
  const rng = createRng(seed);
  const first = Math.floor((start - 14 * DAY) / HOUR) * HOUR;
  const last = end + 7 * DAY;

  // ---- accounts and roles -------------------------------------------------
  const roles = rng.fork("roles");
  const accounts: SimAccount[] = [];
  for (let index = 0; index < options.accounts; index++) {
    const privateKey = simulatedKey(seed, index);
    const isWorker = index !== 0 && roles.chance(22);
    accounts.push({
      index,
      address: privateKeyToAccount(privateKey).address,
      privateKey,
      // A quarter of the workers have no Spark account: their leaderboard name is empty.
      isUser: !(isWorker && roles.chance(25)),
      worker: isWorker ? { tier: roles.chance(40) ? "fast" : "relaxed", hardware: roles.pick(HARDWARE) } : undefined,
    });
  }
  const sparkDepositAddress = privateKeyToAccount(simulatedKey(seed, "spark-deposit")).address;
  const team = accounts[0]!.address;
  const users = accounts.filter((account) => account.isUser);
  const workers = accounts.filter((account) => account.worker !== undefined);
  if (workers.length < 2) {
    // Tiny runs: make sure payouts have somebody to pay.
    for (const account of accounts.slice(1, 3)) account.worker = { tier: account.index % 2 === 0 ? "fast" : "relaxed", hardware: HARDWARE[0] };
    workers.splice(0, workers.length, ...accounts.filter((account) => account.worker !== undefined));
  }

  // Per chain: timed actions (time, order of creation keeps an account's steps in sequence).
  const timed = options.chains.map(() => [] as { time: number; seq: number; action: Action }[]);
  let seq = 0;
  const at = (chain: number, time: number, action: Action): void => {
    const hour = Math.floor(time / HOUR) * HOUR;
    timed[chain]!.push({ time: Math.max(hour, first + HOUR), seq: seq++, action });
  };
  const chainCount = options.chains.length;
  const stakersOn = options.chains.map(() => [] as Address[]);

  // ---- stakes ---------------------------------------------------------------
  const staking = rng.fork("staking");
  for (const account of accounts) {
    const isStaker = account.index === 0 || staking.chance(45);
    if (!isStaker) continue;
    const home = staking.int(chainCount);
    const onChains = chainCount > 1 && staking.chance(20) ? options.chains.map((_, i) => i) : [home];
    for (const chain of onChains) {
      planStaker(staking, account.address, options.chains[chain]!.epochZero, start, end, last, (time, action) => at(chain, time, action));
      stakersOn[chain]!.push(account.address);
    }
  }

  // ---- a new season's staking contract (SPEC 8.4): on chains with several, some stakers
  // also lock in the newest one while their first lock runs on; its own stream, so a chain with
  // one staking contract plans exactly as before.
  options.chains.forEach((chainOptions, chain) => {
    const epochs = chainOptions.stakingEpochs ?? [chainOptions.epochZero];
    if (epochs.length < 2) return;
    const newest = epochs.length - 1;
    const second = rng.fork(`staking-contract-${newest}`);
    for (const account of stakersOn[chain]!) {
      if (!second.chance(50)) continue;
      let lock: ModelLock = EMPTY_LOCK;
      let time = second.between(start - 5 * DAY, end - 5 * DAY);
      const stake = (amount: bigint, lockWeeks: number): void => {
        lock = applyStake(lock, { amount, lockWeeks, timestamp: Math.floor(time / HOUR) * HOUR, epochZero: epochs[newest]! });
        at(chain, time, { kind: "stake", account, amount, lockWeeks, staking: newest });
      };
      stake(amountBetween(second, 10n, 10_000n), second.pick(LOCK_WEEKS));
      if (second.chance(30)) {
        time += second.between(1, 10) * DAY;
        if (time < last) stake(amountBetween(second, 5n, 2_000n), second.pick(LOCK_WEEKS));
      }
    }
  });

  // ---- transfers between accounts -------------------------------------------
  const transfers = rng.fork("transfers");
  for (let i = 0; i < options.accounts; i++) {
    const from = transfers.pick(accounts);
    let to = transfers.pick(accounts);
    if (to.address === from.address) to = accounts[(to.index + 1) % accounts.length]!;
    at(transfers.int(chainCount), transfers.between(first + HOUR, last), {
      kind: "transfer",
      from: from.address,
      to: to.address,
      amount: amountBetween(transfers, 1n, 500n),
    });
  }

  // ---- SOGNI deposits to the Spark deposit address (back `sogni` purchases) --
  const deposits = rng.fork("deposits");
  const depositCount = Math.max(6, Math.floor(options.accounts / 3));
  for (let i = 0; i < depositCount; i++) {
    const from = deposits.pick(users);
    at(deposits.int(chainCount), deposits.between(start - 2 * DAY, end + 2 * DAY), {
      kind: "deposit",
      from: from.address,
      to: sparkDepositAddress,
      amount: amountBetween(deposits, 5n, 2_000n),
    });
  }

  // ---- worker payout batches (ids unique across chains, in time order, from firstBatchId) --
  const payouts = rng.fork("payouts");
  const batchCount = Math.max(8, Math.floor(options.accounts / 3));
  const batchFrom = start - 3 * DAY;
  const batchSpan = end + 2 * DAY - batchFrom;
  for (let i = 0; i < batchCount; i++) {
    const time = batchFrom + Math.floor((batchSpan * i) / batchCount) + payouts.int(4 * HOUR);
    const size = payouts.between(Math.min(3, workers.length), Math.min(25, workers.length));
    const paid = payouts.shuffle(workers).slice(0, size);
    at(payouts.int(chainCount), time, {
      kind: "payWorkers",
      batchId: firstBatchId + BigInt(i),
      workers: paid.map((worker) => worker.address),
      amounts: paid.map(() => amountBetween(payouts, 1n, 800n)),
    });
  }

  // ---- funding: mint what each account spends on each chain, plus some -------
  const funding = rng.fork("funding");
  const chains: ChainPlan[] = options.chains.map((chainOptions, chain) => {
    const actions = timed[chain]!.sort((a, b) => a.time - b.time || a.seq - b.seq);
    const outflow = new Map<Address, bigint>();
    const spend = (who: Address, amount: bigint): void => {
      outflow.set(who, (outflow.get(who) ?? 0n) + amount);
    };
    for (const { action } of actions) {
      if (action.kind === "transfer" || action.kind === "deposit") spend(action.from, action.amount);
      else if (action.kind === "stake") spend(action.account, action.amount);
      else if (action.kind === "payWorkers") spend(options.deployer, action.amounts.reduce((sum, amount) => sum + amount, 0n));
    }
    const prelude: Action[] = [];
    for (const account of accounts) {
      const spent = outflow.get(account.address) ?? 0n;
      if (spent === 0n && chain !== 0) continue;
      prelude.push({ kind: "mint", to: account.address, amount: spent + amountBetween(funding, 10n, 1_000n) });
    }
    const payoutTotal = outflow.get(options.deployer) ?? 0n;
    if (payoutTotal > 0n) prelude.push({ kind: "mint", to: options.deployer, amount: payoutTotal });
    prelude.push({ kind: "approve", owner: options.deployer, spender: "WorkerPayouts" });
    const stakers = new Set(actions.flatMap(({ action }) => (action.kind === "stake" && (action.staking ?? 0) === 0 ? [action.account] : [])));
    for (const account of accounts) {
      if (stakers.has(account.address)) prelude.push({ kind: "approve", owner: account.address, spender: "SogniStaking" });
    }
    const laterStaking = new Map<string, { owner: Address; staking: number }>();
    for (const { action } of actions) {
      if (action.kind === "stake" && (action.staking ?? 0) > 0) laterStaking.set(`${action.staking}:${action.account}`, { owner: action.account, staking: action.staking! });
    }
    for (const { owner, staking: index } of laterStaking.values()) prelude.push({ kind: "approve", owner, spender: "SogniStaking", staking: index });

    const blocks: PlannedBlock[] = [{ timestamp: first, actions: prelude }];
    for (const { time, action } of actions) {
      const lastBlock = blocks[blocks.length - 1]!;
      // A per-hour offset so blocks don't all sit on the hour (deterministic).
      const timestamp = time + ((time / HOUR) * 37) % 3_000;
      if (lastBlock.timestamp === timestamp) lastBlock.actions.push(action);
      else blocks.push({ timestamp, actions: [action] });
    }
    const stakingEpochs = chainOptions.stakingEpochs !== undefined && chainOptions.stakingEpochs.length > 1 ? { stakingEpochs: [...chainOptions.stakingEpochs] } : {};
    return { chainId: chainOptions.chainId, epochZero: chainOptions.epochZero, ...stakingEpochs, blocks };
  });

  return {
    seed,
    window: { start, end },
    timeline: { first, last: Math.max(...chains.map((chain) => chain.blocks[chain.blocks.length - 1]!.timestamp)) },
    deployer: getAddress(options.deployer),
    sparkDepositAddress,
    team,
    accounts,
    chains,
  };
}

/**
 * One staker's story on one chain: a first lock somewhere from twelve days
 * before the window to near its end, then one of: nothing more, a top-up, an
 * extension (a small stake with more weeks), expiry then a fresh lock, or an
 * unstake after unlock (sometimes followed by a new lock).
 */
function planStaker(
  rng: Rng,
  account: Address,
  epochZero: number,
  start: number,
  end: number,
  last: number,
  emit: (time: number, action: Action) => void,
): void {
  const story = rng.int(100);
  let lock: ModelLock = EMPTY_LOCK;
  let time = rng.between(start - 12 * DAY, end - 5 * DAY);
  const stake = (amount: bigint, lockWeeks: number): void => {
    const hour = Math.floor(time / HOUR) * HOUR;
    lock = applyStake(lock, { amount, lockWeeks, timestamp: hour, epochZero });
    emit(time, { kind: "stake", account, amount, lockWeeks });
  };
  // Short first locks for the stories that need the lock to end.
  const firstWeeks = story >= 65 ? rng.between(1, 2) : rng.pick(LOCK_WEEKS);
  stake(amountBetween(rng, 10n, 20_000n), firstWeeks);
  if (story < 35) return; // one lock, held
  if (story < 50) {
    time += rng.between(1, 14) * DAY;
    if (time < last) stake(amountBetween(rng, 5n, 5_000n), rng.pick(LOCK_WEEKS));
    return;
  }
  if (story < 65) {
    time += rng.between(2, 10) * DAY;
    const longer = Math.min(52, lock.lockWeeks + rng.between(2, 20));
    if (time < last) stake(1_000_000n * MICRO_SOGNI, longer);
    return;
  }
  // The lock ends: wait past unlockAt (plus up to five days), then relock or unstake.
  time = lock.unlockAt + HOUR + rng.int(5 * DAY);
  if (time >= last) return;
  if (story < 80) {
    stake(amountBetween(rng, 1n, 3_000n), rng.pick(LOCK_WEEKS));
    return;
  }
  if (!canUnstake(lock, Math.floor(time / HOUR) * HOUR)) return;
  emit(time, { kind: "unstake", account });
  lock = EMPTY_LOCK;
  time += rng.between(2, 7) * DAY;
  if (rng.chance(50) && time < last) stake(amountBetween(rng, 10n, 8_000n), rng.pick(LOCK_WEEKS));
}
