/**
 * SPEC 8.4 through the indexer: a chain with two staking contracts (the
 * first deployed with the chain, the second as a new season's, with its own
 * epoch zero and start block, by `deployStaking`, what `npm run chain --
 * deploy-staking` runs). The seeded simulator stakes in both, then one wallet
 * locks 100 SOGNI for 6 weeks in the old contract and, a week later, 50 SOGNI
 * for 2 weeks in the new one: the new lock must not end the old one. Held
 * against the simulator's independent model and this test's own numbers:
 * `/snapshot` (every lock with its `staking`), `/accounts` (one lock per
 * contract, power of both), and `eth_getLogs` (chain/rpc-facts, what `season
 * verify --rpc` reads) giving the same onchain.json bytes. PGlite, and
 * Postgres when TEST_DATABASE_URL is set.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, createWalletClient, http, maxUint256, type Address, type Hex, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SogniStakingAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { chainFor, hardhatAccount } from "../../chain/clients.js";
import { readDeployments, stakingContracts, type ChainDeployment } from "../../chain/deployments.js";
import { chainSource, deriveOnchainFacts } from "../../chain/rpc-facts.js";
import { deployStaking, mondayAtOrBefore, saveDeployment } from "../../scripts/local/deploy.js";
import { latestTimestamp, mineAt } from "../../scripts/local/hardhat-node.js";
import { startLocalChains, type LocalChains } from "../../scripts/local/local-chains.js";
import { simulate, type SimulationResult } from "../../scripts/sim/simulate.js";
import { parseOnchainJson, serializeOnchainJson } from "../../season/onchain.js";
import { parseTimeInput } from "../../season/time.js";
import { describeOnBackends, freshPglite, freshPostgres, getJson, startPonder, tempDir, testDatabaseUrl, type Backend, type PonderProcess } from "./support.js";

const CHAIN = 31337;
const GENESIS = parseTimeInput("2026-09-20T00:00:00Z");
const START = parseTimeInput("2026-10-12T00:00:00Z");
const END = START + 42 * 86_400;
const WEEK = 604_800;
const E18 = 10n ** 18n;
const staker = hardhatAccount(7);
const STAKER = staker.address.toLowerCase() as Address;

/** floor(sqrt(n)) by bisection (the indexer uses Newton's method). */
function sqrtFloor(n: bigint): bigint {
  let lo = 0n;
  let hi = n + 1n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (mid * mid <= n) lo = mid;
    else hi = mid;
  }
  return lo;
}
const m = (weeks: number): bigint => BigInt(weeks) * sqrtFloor(BigInt(weeks) * 10n ** 12n);

let chains: LocalChains;
let deployment: ChainDeployment;
let deploymentsPath: string;
let sim: SimulationResult;
let publicClient: PublicClient;
let oldStaking: Address;
let newStaking: Address;
/** The two explicit stakes: where, when they take effect and until when. */
const explicit: { staking: Address; amount: bigint; weeks: number; effectiveFrom: number; unlockAt: number; block: number; txHash: Hex }[] = [];
const indexers = new Map<string, PonderProcess>();
const cleanups: (() => Promise<void> | void)[] = [];
const pgUrl = testDatabaseUrl();

/** The next epoch boundary strictly after `t` for a contract with this epoch zero. */
const nextEpoch = (t: number, epochZero: number): number => (t < epochZero ? epochZero : epochZero + (Math.floor((t - epochZero) / WEEK) + 1) * WEEK);

beforeAll(async () => {
  const dir = tempDir("indexer-staking-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  deploymentsPath = join(dir, "deployments.json");
  chains = await startLocalChains({ chainIds: [CHAIN], initialDate: GENESIS, deploymentsPath });
  cleanups.push(() => chains.stop());
  const node = chains.nodes[0]!;
  // A new season's staking contract, its epochs from a Wednesday (two days after the first's Monday).
  const second = await deployStaking({ rpcUrl: node.rpcUrl, chain: chains.deployments[0]!, epochZero: mondayAtOrBefore(GENESIS) + 2 * 86_400, timestamp: GENESIS + 120 });
  saveDeployment(deploymentsPath, second.entry);
  deployment = readDeployments(deploymentsPath).chains[0]!;
  [oldStaking, newStaking] = stakingContracts(deployment).map((c) => c.address.toLowerCase() as Address) as [Address, Address];

  sim = await simulate({ chains: [{ rpcUrl: node.rpcUrl, deployment }], accounts: 24, seed: 11, start: START, end: END });

  // The case itself: a lock in the old contract, then a week later a lock in the new one.
  publicClient = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 }) as PublicClient;
  const owner = createWalletClient({ account: hardhatAccount(0), transport: http(node.rpcUrl), chain: chainFor(CHAIN, node.rpcUrl) });
  const wallet = createWalletClient({ account: staker, transport: http(node.rpcUrl), chain: chainFor(CHAIN, node.rpcUrl) });
  const confirm = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`${hash} reverted`);
    return receipt;
  };
  const token = deployment.contracts.SogniToken;
  await confirm(await owner.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [STAKER, 1_000n * E18] }));
  for (const staking of [oldStaking, newStaking]) await confirm(await wallet.writeContract({ address: token, abi: SogniTokenAbi, functionName: "approve", args: [staking, maxUint256] }));
  const stake = async (staking: Address, amount: bigint, weeks: number, epochZero: number) => {
    const receipt = await confirm(await wallet.writeContract({ address: staking, abi: SogniStakingAbi, functionName: "stake", args: [amount * E18, BigInt(weeks)] }));
    const time = Number((await publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
    const effectiveFrom = nextEpoch(time, epochZero);
    explicit.push({ staking, amount: amount * E18, weeks, effectiveFrom, unlockAt: effectiveFrom + weeks * WEEK, block: Number(receipt.blockNumber), txHash: receipt.transactionHash });
  };
  const epochOld = Number(await publicClient.readContract({ address: oldStaking, abi: SogniStakingAbi, functionName: "epochZero" }));
  const epochNew = Number(await publicClient.readContract({ address: newStaking, abi: SogniStakingAbi, functionName: "epochZero" }));
  await stake(oldStaking, 100n, 6, epochOld);
  await mineAt(publicClient, (await latestTimestamp(publicClient)) + WEEK);
  await stake(newStaking, 50n, 2, epochNew);

  const backends: [string, Backend][] = [];
  const pglite = freshPglite();
  cleanups.push(() => pglite.remove());
  backends.push(["pglite", pglite.backend]);
  if (pgUrl) {
    const postgres = await freshPostgres(pgUrl);
    cleanups.push(() => postgres.drop());
    backends.push(["postgres", postgres.backend]);
  }
  const started = await Promise.all(backends.map(([name, backend]) => startPonder({ command: "start", deploymentsPath, schema: `staking_${name}`, backend })));
  started.forEach((p, i) => {
    indexers.set(backends[i]![0], p);
    cleanups.push(() => p.stop());
  });
  const headBlock = Number(await publicClient.getBlockNumber());
  await Promise.all(started.map((p) => p.waitForBlocks(new Map([[CHAIN, headBlock]]))));
}, 240_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(error);
    }
  }
});

describe("deployments: a second staking contract is appended with its start block", () => {
  it("staking lists the first (contracts.SogniStaking, from the chain's start block) and the new one (from its deployment block)", () => {
    expect(deployment.staking).toEqual([
      { address: deployment.contracts.SogniStaking, block: deployment.startBlock },
      { address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), block: expect.any(Number) },
    ]);
    expect(deployment.staking![1]!.block).toBeGreaterThan(deployment.startBlock);
  });

  it("the simulator stakes in both contracts", () => {
    const contracts = new Set(sim.facts.locks.map((lock) => lock.staking.toLowerCase()));
    expect(contracts).toEqual(new Set([oldStaking, newStaking]));
    // Some wallet holds locks in both at once.
    const both = sim.plan.accounts.filter((a) => ["old", "new"].every((which) => sim.facts.locks.some((l) => l.account === a.address && l.staking.toLowerCase() === (which === "old" ? oldStaking : newStaking))));
    expect(both.length).toBeGreaterThan(0);
  });
});

describeOnBackends("several staking contracts through the indexer on %s", (backendName) => {
  const api = (): string => indexers.get(backendName)!.url;

  it("GET /snapshot: every lock of both contracts with its staking address, in chain order; the explicit two last", async () => {
    const response = await fetch(`${api()}/snapshot?deposit=${sim.plan.sparkDepositAddress}`);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { locks: { chainId: number; block: string; logIndex: number; staking: string; account: string; amount: string; lockWeeks: number; effectiveFrom: number; unlockAt: number }[] };
    const expected = [
      ...[...sim.facts.locks]
        .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
        .map((l) => ({ block: String(l.blockNumber), staking: l.staking.toLowerCase(), account: l.account.toLowerCase(), amount: l.amount.toString(), lockWeeks: l.lockWeeks, effectiveFrom: l.effectiveFrom, unlockAt: l.unlockAt })),
      ...explicit.map((e) => ({ block: String(e.block), staking: e.staking, account: STAKER, amount: e.amount.toString(), lockWeeks: e.weeks, effectiveFrom: e.effectiveFrom, unlockAt: e.unlockAt })),
    ];
    expect(json.locks.map(({ chainId: _chainId, logIndex: _logIndex, ...lock }) => lock)).toEqual(expected);
  });

  it("GET /accounts: one lock per staking contract, neither ended; power over three weeks counts both in full", async () => {
    const [old, fresh] = explicit as [(typeof explicit)[0], (typeof explicit)[0]];
    const from = old.effectiveFrom;
    const to = from + 3 * WEEK;
    const { body } = await getJson<{ locks: unknown[]; stakingPower: { perChain: unknown[]; total: string } }>(api(), `/accounts/${STAKER}?from=${from}&to=${to}`);
    expect(body.locks).toEqual([
      { chainId: CHAIN, staking: oldStaking, lock: expect.objectContaining({ amount: (100n * E18).toString(), lockWeeks: 6, effectiveFrom: old.effectiveFrom, unlockAt: old.unlockAt, unstaked: false, block: old.block }) },
      { chainId: CHAIN, staking: newStaking, lock: expect.objectContaining({ amount: (50n * E18).toString(), lockWeeks: 2, effectiveFrom: fresh.effectiveFrom, unlockAt: fresh.unlockAt, unstaked: false, block: fresh.block }) },
    ]);
    // The new contract's epochs start two days after the old one's: its lock takes effect mid-week of the old one's.
    expect((fresh.effectiveFrom - old.effectiveFrom) % WEEK).toBe(2 * 86_400);
    const inForce = (start: number, until: number): bigint => BigInt(Math.max(0, Math.min(until, to) - Math.max(start, from)));
    const expected = 100n * E18 * m(6) * BigInt(3 * WEEK) + 50n * E18 * m(2) * inForce(fresh.effectiveFrom, fresh.unlockAt);
    expect(body.stakingPower).toMatchObject({ perChain: [{ chainId: CHAIN, power: expected.toString() }], total: expected.toString() });
    // Had the second lock been in the same contract, the first would have ended when it took effect.
    expect(BigInt(body.stakingPower.total)).toBeGreaterThan(100n * E18 * m(6) * BigInt(fresh.effectiveFrom - from) + 50n * E18 * m(2) * inForce(fresh.effectiveFrom, fresh.unlockAt));
  });

  it("eth_getLogs over every staking contract of the deployments file (what season verify --rpc reads) gives the same onchain.json", async () => {
    const text = await (await fetch(`${api()}/snapshot?deposit=${sim.plan.sparkDepositAddress}`)).text();
    const fromIndexer = parseOnchainJson(text);
    const fromLogs = await deriveOnchainFacts({
      sparkDepositAddress: sim.plan.sparkDepositAddress.toLowerCase() as Address,
      chains: [chainSource(deployment, fromIndexer.snapshot[0]!.block)],
    });
    expect(serializeOnchainJson(fromLogs)).toBe(text);
    expect(new Set(fromLogs.locks.map((lock) => lock.staking))).toEqual(new Set([oldStaking, newStaking]));
  });
});
