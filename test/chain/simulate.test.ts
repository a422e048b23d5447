/**
 * Local chain tooling end to end: two real Hardhat nodes (chain ids 31337 and
 * 31338), the contracts deployed on both from the compiled artifacts, a small
 * deterministic simulation, and then the chains' own state read back and held
 * against the simulator's independent log (SPEC sections 4, 6 and 7).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, getAbiItem, getAddress, http, parseEventLogs, type Address, type Hex, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SogniStakingAbi, SogniTokenAbi, WorkerPayoutsAbi } from "../../chain/abis/index.js";
import { mergeDeployment } from "../../scripts/local/deploy.js";
import { readDeployments, writeDeployments, type ChainDeployment } from "../../chain/deployments.js";
import type { HardhatNode } from "../../scripts/local/hardhat-node.js";
import { startLocalChains } from "../../scripts/local/local-chains.js";
import { onchainJson, simulate, writeSimulation, type SimulationResult } from "../../scripts/sim/simulate.js";

// Season window of the run: 2026-10-12T00:00:00Z .. 2026-11-23T00:00:00Z (six weeks).
const START = 1_791_763_200;
const END = START + 42 * 86_400;
const ACCOUNTS = 40;
const SEED = 11;

const TRANSFER = getAbiItem({ abi: SogniTokenAbi, name: "Transfer" });
const STAKED = getAbiItem({ abi: SogniStakingAbi, name: "Staked" });
const WORKER_PAID = getAbiItem({ abi: WorkerPayoutsAbi, name: "WorkerPaid" });

interface Run {
  nodes: HardhatNode[];
  deployments: ChainDeployment[];
  result: SimulationResult;
}

async function runOnFreshChains(): Promise<Run> {
  // Genesis 2026-09-20T00:00:00Z, deployments at fixed seconds: the whole history is reproducible.
  const chains = await startLocalChains({ chainIds: [31337, 31338], initialDate: "2026-09-20T00:00:00Z" });
  try {
    const result = await simulate({
      chains: chains.nodes.map((node, i) => ({ rpcUrl: node.rpcUrl, deployment: chains.deployments[i]! })),
      accounts: ACCOUNTS,
      seed: SEED,
      start: START,
      end: END,
    });
    return { nodes: chains.nodes, deployments: chains.deployments, result };
  } catch (error) {
    await chains.stop();
    throw error;
  }
}

let run: Run;
const clients = new Map<number, PublicClient>();
const client = (chainId: number): PublicClient => clients.get(chainId)!;
const deploymentOf = (chainId: number): ChainDeployment => run.deployments.find((d) => d.chainId === chainId)!;

beforeAll(async () => {
  run = await runOnFreshChains();
  for (const [i, node] of run.nodes.entries()) {
    clients.set(run.deployments[i]!.chainId, createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 }) as PublicClient);
  }
});

afterAll(async () => {
  await Promise.all((run?.nodes ?? []).map((node) => node.stop()));
});

describe("deploy: SogniToken, SogniStaking and WorkerPayouts on each chain, recorded in the deployments file", () => {
  it("deploys on 31337 and 31338 and each entry points at live contracts from its start block", async () => {
    expect(run.deployments.map((d) => d.chainId)).toEqual([31337, 31338]);
    expect(run.deployments.map((d) => d.name)).toEqual(["hardhat", "hardhat-31338"]);
    for (const deployment of run.deployments) {
      expect(deployment.startBlock).toBe(1);
      for (const address of Object.values(deployment.contracts)) {
        expect(getAddress(address)).toBe(address);
        const code = await client(deployment.chainId).getCode({ address });
        expect(code && code.length > 2).toBe(true);
      }
      const stakedToken = await client(deployment.chainId).readContract({ address: deployment.contracts.SogniStaking, abi: SogniStakingAbi, functionName: "token" });
      expect(stakedToken).toBe(deployment.contracts.SogniToken);
      const paidToken = await client(deployment.chainId).readContract({ address: deployment.contracts.WorkerPayouts, abi: WorkerPayoutsAbi, functionName: "token" });
      expect(paidToken).toBe(deployment.contracts.SogniToken);
    }
  });

  it("the deployments file holds one entry per chain; a redeploy on a chain replaces its entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "deployments-"));
    try {
      const path = join(dir, "local.json");
      let file = { chains: [] as ChainDeployment[] };
      for (const deployment of [...run.deployments].reverse()) file = mergeDeployment(file, deployment);
      writeDeployments(path, file);
      const redeployed = { ...run.deployments[0]!, startBlock: 99 };
      writeDeployments(path, mergeDeployment(readDeployments(path), redeployed));
      const read = readDeployments(path);
      expect(read.chains.map((c) => [c.chainId, c.startBlock])).toEqual([
        [31337, 99],
        [31338, 1],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("simulate: block times follow the plan, around the season window", () => {
  it("every planned block was mined at its planned second, from two weeks before the window to a week after", () => {
    const { plan, executions } = run.result;
    for (const chainPlan of plan.chains) {
      const executed = executions.find((e) => e.chainId === chainPlan.chainId)!;
      expect(executed.blocks.map((b) => b.timestamp)).toEqual(chainPlan.blocks.map((b) => b.timestamp));
    }
    expect(plan.timeline.first).toBe(START - 14 * 86_400);
    expect(plan.timeline.last).toBeGreaterThanOrEqual(END);
  });

  it("locks start before the window, inside it and after it (the season must cut them)", () => {
    const times = run.result.facts.locks.map((lock) => lock.timestamp);
    expect(times.some((t) => t < START)).toBe(true);
    expect(times.some((t) => t >= START && t < END)).toBe(true);
  });

  it("covers every kind of staking story: top-up or extension, relock after expiry, unstake", () => {
    const { locks, unstakes } = run.result.facts;
    // A second Staked of a still-live lock (top-up/extension) keeps the older amount in it.
    const grown = locks.filter((lock) => lock.amount > lock.added);
    expect(grown.length).toBeGreaterThan(0);
    expect(unstakes.length).toBeGreaterThan(0);
    expect(new Set(locks.map((l) => l.lockWeeks)).size).toBeGreaterThan(3);
  });
});

describe("SPEC 7 staking: each wallet's lock on chain equals the last Staked state of the simulator's model", () => {
  it("locks(account) matches the model's final lock (or is empty after an unstake) on both chains", async () => {
    let checked = 0;
    for (const chainFacts of run.result.facts.chains) {
      const address = deploymentOf(chainFacts.chainId).contracts.SogniStaking;
      const accounts = new Set(run.result.facts.locks.filter((l) => l.chainId === chainFacts.chainId).map((l) => l.account));
      for (const account of accounts) {
        const [amount, lockWeeks, effectiveFrom, unlockAt] = await client(chainFacts.chainId).readContract({
          address,
          abi: SogniStakingAbi,
          functionName: "locks",
          args: [account],
        });
        const expected = chainFacts.finalLocks[account];
        if (expected === undefined) {
          expect(amount).toBe(0n);
        } else {
          expect({ amount, lockWeeks: Number(lockWeeks), effectiveFrom: Number(effectiveFrom), unlockAt: Number(unlockAt) }).toEqual(expected);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("the chain's Staked events are the model's states, in chain order", async () => {
    for (const deployment of run.deployments) {
      const logs = await client(deployment.chainId).getLogs({ address: deployment.contracts.SogniStaking, event: STAKED, fromBlock: 0n });
      const fromChain = logs.map((log) => ({
        account: log.args.account,
        added: log.args.added,
        amount: log.args.amount,
        lockWeeks: Number(log.args.lockWeeks),
        effectiveFrom: Number(log.args.effectiveFrom),
        unlockAt: Number(log.args.unlockAt),
        txHash: log.transactionHash,
        blockNumber: Number(log.blockNumber),
      }));
      const expected = run.result.facts.locks
        .filter((lock) => lock.chainId === deployment.chainId)
        .map(({ account, added, amount, lockWeeks, effectiveFrom, unlockAt, txHash, blockNumber }) => ({
          account,
          added,
          amount,
          lockWeeks,
          effectiveFrom,
          unlockAt,
          txHash,
          blockNumber,
        }));
      expect(fromChain.length).toBeGreaterThan(0);
      expect(fromChain).toEqual(expected);
    }
  });

  it("every state takes effect at a Monday epoch start after its block and unlocks whole weeks later", () => {
    for (const lock of run.result.facts.locks) {
      const epochZero = run.result.facts.chains.find((c) => c.chainId === lock.chainId)!.epochZero;
      expect(lock.effectiveFrom).toBeGreaterThan(lock.timestamp);
      expect((lock.effectiveFrom - epochZero) % 604_800).toBe(0);
      expect(lock.effectiveFrom - lock.timestamp).toBeLessThanOrEqual(604_800);
      expect((lock.unlockAt - lock.effectiveFrom) % 604_800).toBe(0);
    }
  });
});

describe("SOGNI balances add up", () => {
  it("balanceOf every holder equals the log's balance, and they sum to totalSupply = sum of mints", async () => {
    for (const chainFacts of run.result.facts.chains) {
      const address = deploymentOf(chainFacts.chainId).contracts.SogniToken;
      let sum = 0n;
      for (const [holder, expected] of Object.entries(chainFacts.balances)) {
        const balance = await client(chainFacts.chainId).readContract({ address, abi: SogniTokenAbi, functionName: "balanceOf", args: [holder as Address] });
        expect({ holder, balance }).toEqual({ holder, balance: expected });
        sum += expected;
      }
      const supply = await client(chainFacts.chainId).readContract({ address, abi: SogniTokenAbi, functionName: "totalSupply" });
      const minted = run.result.facts.mints.filter((m) => m.chainId === chainFacts.chainId).reduce((total, m) => total + m.amount, 0n);
      expect(supply).toBe(minted);
      expect(sum).toBe(minted);
    }
  });

  it("the staking contract holds exactly the sum of the live locks", () => {
    for (const chainFacts of run.result.facts.chains) {
      const held = chainFacts.balances[deploymentOf(chainFacts.chainId).contracts.SogniStaking] ?? 0n;
      const locked = Object.values(chainFacts.finalLocks).reduce((total, lock) => total + lock.amount, 0n);
      expect(held).toBe(locked);
    }
  });
});

describe("SPEC 7 worker payouts: each batch paid once, batch ids unique across chains", () => {
  it("WorkerPaid events on each chain are the log's payouts, in order", async () => {
    for (const deployment of run.deployments) {
      const logs = await client(deployment.chainId).getLogs({ address: deployment.contracts.WorkerPayouts, event: WORKER_PAID, fromBlock: 0n });
      expect(logs.map((l) => [l.args.batchId, l.args.worker, l.args.amount, l.transactionHash])).toEqual(
        run.result.facts.payouts.filter((p) => p.chainId === deployment.chainId).map((p) => [p.batchId, p.worker, p.amount, p.txHash]),
      );
    }
  });

  it("each batch id was paid by one transaction on one chain, and batchPaid says so only there", async () => {
    const where = new Map<bigint, Set<string>>();
    for (const paid of run.result.facts.payouts) {
      where.set(paid.batchId, (where.get(paid.batchId) ?? new Set()).add(`${paid.chainId}:${paid.txHash}`));
    }
    expect(where.size).toBeGreaterThanOrEqual(8);
    for (const [batchId, places] of where) {
      expect(places.size).toBe(1);
      const [chainId] = [...places][0]!.split(":");
      for (const deployment of run.deployments) {
        const paid = await client(deployment.chainId).readContract({
          address: deployment.contracts.WorkerPayouts,
          abi: WorkerPayoutsAbi,
          functionName: "batchPaid",
          args: [batchId],
        });
        expect(paid).toBe(String(deployment.chainId) === chainId);
      }
    }
  });
});

describe("seasons in series on one chain: a later simulation's batch ids follow the earlier ones'", () => {
  it("refuses firstBatchId 5 after a run that paid batches 1..N, before sending anything", async () => {
    const last = run.result.facts.payouts.reduce((highest, paid) => (paid.batchId > highest ? paid.batchId : highest), 0n);
    expect(last).toBeGreaterThan(5n);
    const chains = run.nodes.map((node, i) => ({ rpcUrl: node.rpcUrl, deployment: run.deployments[i]! }));
    await expect(simulate({ chains, accounts: ACCOUNTS, earlier: [run.result], firstBatchId: 5n })).rejects.toThrow(
      `payout batch id 5 is taken: the earlier simulations paid batches up to ${last}, start at ${last + 1n} or later`,
    );
  });
});

describe("Spark deposits: SOGNI transfers to the deposit address", () => {
  it("the Transfer events to the deposit address are exactly the log's deposits", async () => {
    const deposit = run.result.plan.sparkDepositAddress;
    for (const deployment of run.deployments) {
      const logs = await client(deployment.chainId).getLogs({
        address: deployment.contracts.SogniToken,
        event: TRANSFER,
        args: { to: deposit },
        fromBlock: 0n,
      });
      expect(logs.map((l) => [l.transactionHash, l.args.from, l.args.to, l.args.value])).toEqual(
        run.result.facts.deposits.filter((d) => d.chainId === deployment.chainId).map((d) => [d.txHash, d.from, d.to, d.amount]),
      );
    }
    expect(run.result.facts.deposits.length).toBeGreaterThanOrEqual(10);
  });
});

describe("determinism: the same seed on fresh chains gives the same chain history and files", () => {
  it("a second run on two new nodes writes a byte-identical onchain.json and identical exports", async () => {
    const again = await runOnFreshChains();
    try {
      expect(onchainJson(again.result)).toBe(onchainJson(run.result));
      expect(again.result.exports.files).toEqual(run.result.exports.files);
      expect(again.result.exports.seasonJson).toBe(run.result.exports.seasonJson);
    } finally {
      await Promise.all(again.nodes.map((node) => node.stop()));
    }
  });
});

describe("writeSimulation: season.json, exports/*.csv, onchain.json and simulation.json, all or nothing", () => {
  it("writes the four exports, the config and the facts, and replaces an older directory whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-"));
    try {
      const out = join(dir, "sim");
      writeSimulation(run.result, out);
      writeSimulation(run.result, out);
      const onchain = JSON.parse(readFileSync(join(out, "onchain.json"), "utf8"));
      expect(Object.keys(onchain)).toEqual(["snapshot", "locks", "workerPaid", "deposits"]);
      expect(onchain.snapshot.map((s: { chainId: number }) => s.chainId)).toEqual([31337, 31338]);
      expect(onchain.locks.length).toBe(run.result.facts.locks.length);
      const season = JSON.parse(readFileSync(join(out, "season.json"), "utf8"));
      expect([season.start, season.end]).toEqual(["2026-10-12T00:00:00Z", "2026-11-23T00:00:00Z"]);
      for (const name of ["users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv"]) {
        expect(readFileSync(join(out, "exports", name), "utf8")).toBe(run.result.exports.files[name as keyof typeof run.result.exports.files]);
      }
      const log = JSON.parse(readFileSync(join(out, "simulation.json"), "utf8"));
      expect(log.accounts.length).toBe(ACCOUNTS);
      expect(log.locks[0].amount).toMatch(/^\d+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The exports have no quoted fields: split lines, then commas. */
function readCsv(text: string): { header: string; rows: Record<string, string>[] } {
  const [header, ...lines] = text.trimEnd().split("\n");
  const columns = header!.split(",");
  return {
    header: header!,
    rows: lines.map((line) => {
      const cells = line.split(",");
      expect(cells.length).toBe(columns.length);
      return Object.fromEntries(columns.map((column, i) => [column, cells[i]!]));
    }),
  };
}

const MICRO = 10n ** 12n;
/** "12.5" -> wei (the test's own parser: 6 fractional digits at most). */
function sogniToWei(text: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  expect(match, `decimal ${text}`).not.toBeNull();
  return BigInt(match![1]! + (match![2] ?? "").padEnd(6, "0")) * MICRO;
}

describe("SPEC 4 exports: formats exactly as specified", () => {
  const file = (name: string) => readCsv(run.result.exports.files[name as keyof typeof run.result.exports.files]);

  it("has the four headers of SPEC 4", () => {
    expect(file("users.csv").header).toBe("user_id,username,address,referrer_id");
    expect(file("spark_usage.csv").header).toBe("request_id,user_id,timestamp,free_spark,paid_spark,sogni,sogni_spark");
    expect(file("spark_purchases.csv").header).toBe("purchase_id,user_id,timestamp,spark,method,sogni,tx_hash");
    expect(file("jobs.csv").header).toBe("job_id,worker_address,tier,hardware,timestamp,spark_value,payment,payout_batch,nft_token_id");
  });

  it("writes EIP-55 addresses, ISO-8601 UTC times and decimals with at most 6 fractional digits", () => {
    const decimal = /^\d+(\.\d{1,6})?$/;
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    for (const row of file("users.csv").rows) expect(getAddress(row.address!)).toBe(row.address);
    for (const row of file("jobs.csv").rows) {
      expect(getAddress(row.worker_address!)).toBe(row.worker_address);
      expect(row.timestamp).toMatch(iso);
      expect(row.spark_value).toMatch(decimal);
      expect(["fast", "relaxed"]).toContain(row.tier);
      expect(["sogni", "premium_spark", "free_daily_boost"]).toContain(row.payment);
    }
    for (const row of file("spark_usage.csv").rows) {
      expect(row.timestamp).toMatch(iso);
      for (const column of ["free_spark", "paid_spark", "sogni", "sogni_spark"]) expect(row[column]).toMatch(decimal);
    }
    for (const row of file("spark_purchases.csv").rows) {
      expect(row.timestamp).toMatch(iso);
      expect(row.spark).toMatch(decimal);
      if (row.method === "card") expect([row.sogni, row.tx_hash]).toEqual(["", ""]);
      else {
        expect(row.method).toBe("sogni");
        expect(row.sogni).toMatch(decimal);
        expect(row.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
      }
    }
  });

  it("users: unique ids, referrers are earlier known users (no self-referral, no cycle), two users share an address", () => {
    const users = file("users.csv").rows;
    const position = new Map(users.map((user, i) => [user.user_id!, i]));
    expect(position.size).toBe(users.length);
    for (const [i, user] of users.entries()) {
      if (user.referrer_id === "") continue;
      expect(position.get(user.referrer_id!)).toBeLessThan(i);
      expect(users[position.get(user.referrer_id!)!]!.address).not.toBe(user.address);
    }
    expect(users.filter((user) => user.referrer_id !== "").length).toBeGreaterThan(users.length / 3);
    expect(new Set(users.map((user) => user.address)).size).toBeLessThan(users.length);
  });
});

describe("SPEC 4 cross-checks: the exports agree with the chain except for the rows meant to be rejected", () => {
  const rows = (name: string) => readCsv(run.result.exports.files[name as keyof typeof run.result.exports.files]).rows;
  const rejected = (kind: string) => run.result.exports.expectedRejections.filter((r) => r.kind === kind).map((r) => r.rowId);

  async function transfersIn(txHash: Hex): Promise<{ from: Address; to: Address; value: bigint }[]> {
    for (const deployment of run.deployments) {
      const receipt = await client(deployment.chainId).getTransactionReceipt({ hash: txHash }).catch(() => undefined);
      if (!receipt) continue;
      return parseEventLogs({ abi: [TRANSFER], logs: receipt.logs })
        .filter((log) => log.address.toLowerCase() === deployment.contracts.SogniToken.toLowerCase())
        .map((log) => log.args);
    }
    return [];
  }

  it("lists one rejection of each kind", () => {
    expect(run.result.exports.expectedRejections.map((r) => r.kind).sort()).toEqual([
      "job-batch-did-not-pay-worker",
      "job-batch-did-not-pay-worker",
      "job-batch-unknown",
      "purchase-deposit-too-small",
      "purchase-tx-not-from-user",
      "purchase-tx-not-to-deposit-address",
      "purchase-tx-reused",
    ]);
  });

  it("every sogni purchase is backed on chain exactly when it is not a listed rejection, and each tx backs one purchase", async () => {
    const deposit = run.result.plan.sparkDepositAddress;
    const userAddress = new Map(rows("users.csv").map((user) => [user.user_id!, user.address!]));
    const bad = new Set(run.result.exports.expectedRejections.map((r) => r.rowId));
    const used = new Set<string>();
    let accepted = 0;
    for (const purchase of rows("spark_purchases.csv").filter((row) => row.method === "sogni")) {
      const transfers = await transfersIn(purchase.tx_hash as Hex);
      const backed =
        !used.has(purchase.tx_hash!) &&
        transfers.some((t) => t.to === deposit && t.from === userAddress.get(purchase.user_id!) && t.value >= sogniToWei(purchase.sogni!));
      expect({ row: purchase.purchase_id, backed }).toEqual({ row: purchase.purchase_id, backed: !bad.has(purchase.purchase_id!) });
      if (backed) {
        used.add(purchase.tx_hash!);
        accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(5);
  });

  it("the rejected purchases fail for the reason given", async () => {
    const deposit = run.result.plan.sparkDepositAddress;
    const byId = new Map(rows("spark_purchases.csv").map((row) => [row.purchase_id!, row]));
    const [notToDeposit] = rejected("purchase-tx-not-to-deposit-address");
    expect((await transfersIn(byId.get(notToDeposit!)!.tx_hash as Hex)).some((t) => t.to === deposit)).toBe(false);
    const [tooSmall] = rejected("purchase-deposit-too-small");
    const small = byId.get(tooSmall!)!;
    const [arrived] = (await transfersIn(small.tx_hash as Hex)).filter((t) => t.to === deposit);
    expect(arrived!.value).toBe(sogniToWei(small.sogni!) - MICRO);
    const [reused] = rejected("purchase-tx-reused");
    const earlier = [...byId.values()].filter((row) => row.tx_hash === byId.get(reused!)!.tx_hash);
    expect(earlier.map((row) => row.purchase_id)).toHaveLength(2);
    expect(earlier[1]!.purchase_id).toBe(reused);
  });

  it("a job counts exactly when its worker was paid on chain in its payout_batch", async () => {
    const paid = new Set<string>();
    for (const deployment of run.deployments) {
      const logs = await client(deployment.chainId).getLogs({ address: deployment.contracts.WorkerPayouts, event: WORKER_PAID, fromBlock: 0n });
      for (const log of logs) paid.add(`${log.args.batchId}:${log.args.worker}`);
    }
    const bad = new Set([...rejected("job-batch-did-not-pay-worker"), ...rejected("job-batch-unknown")]);
    const jobs = rows("jobs.csv");
    for (const job of jobs) {
      const counts = paid.has(`${job.payout_batch}:${job.worker_address}`);
      if (counts === bad.has(job.job_id!)) throw new Error(`job ${job.job_id}: paid on chain ${counts}, listed as rejected ${bad.has(job.job_id!)}`);
    }
    expect(jobs.length).toBeGreaterThan(run.result.facts.payouts.length);
  });
});
