/**
 * The indexer end to end (SPEC sections 2, 6 and 7): two real Hardhat nodes
 * (31337 and 31338), the contracts deployed on both, the seeded simulator's
 * activity, then a season distributor deployed and claimed from WHILE the
 * indexers run. `ponder start` runs on PGlite and on Postgres, and every
 * answer is held against expectations this test computes itself from what
 * was sent (the simulator's independent model plus our own transactions).
 */
import { parseOnchainJson, serializeOnchainJson } from "../../season/onchain.js";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@ponder/client";
import { createPublicClient, createWalletClient, encodeAbiParameters, http, keccak256, concat, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../ponder.schema.js";
import { chainFor, hardhatAccount } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { writeDeployments, type ChainDeployment } from "../../chain/deployments.js";
import { setAutomine } from "../../scripts/local/hardhat-node.js";
import { startLocalChains, type LocalChains } from "../../scripts/local/local-chains.js";
import { onchainJson, simulate, type SimulationResult } from "../../scripts/sim/simulate.js";
import { freshPglite, freshPostgres, getJson, startPonder, tempDir, testDatabaseUrl, type Backend, type PonderProcess, describeOnBackends } from "./support.js";

// Season window: 2026-10-12T00:00:00Z .. 2026-11-23T00:00:00Z (six weeks).
const START = 1_791_763_200;
const END = START + 42 * 86_400;
const ACCOUNTS = 30;
const SEED = 5;
const CLAIM_CHAIN = 31338;

// ---- expectations computed here, independently of the indexer ----------------

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

interface Lock {
  chainId: number;
  account: string;
  amount: bigint;
  lockWeeks: number;
  effectiveFrom: number;
  unlockAt: number;
}

/** SPEC 2: Σ amount × w × isqrt(w × 10^12) × seconds in force inside [from, to). */
function expectedPower(locks: Lock[], account: string, chainId: number, from: number, to: number): bigint {
  const mine = locks.filter((l) => l.account === account && l.chainId === chainId);
  let power = 0n;
  mine.forEach((lock, i) => {
    const later = mine.slice(i + 1).map((l) => l.effectiveFrom);
    const end = Math.min(lock.unlockAt, ...later);
    const seconds = Math.max(0, Math.min(end, to) - Math.max(lock.effectiveFrom, from));
    const w = BigInt(lock.lockWeeks);
    power += lock.amount * w * sqrtFloor(w * 10n ** 12n) * BigInt(seconds);
  });
  return power;
}

/** A two-leaf Merkle tree as SPEC 5 builds it: double-hashed leaves, sorted pair hash. */
function twoLeafTree(leaves: { index: bigint; account: Hex; amount: bigint }[]): { root: Hex; proofs: Hex[][] } {
  const hashes = leaves.map((leaf) =>
    keccak256(keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "address" }, { type: "uint256" }], [leaf.index, leaf.account, leaf.amount]))),
  );
  const [a, b] = hashes as [Hex, Hex];
  const root = keccak256(BigInt(a) < BigInt(b) ? concat([a, b]) : concat([b, a]));
  return { root, proofs: [[b], [a]] };
}

// ---- the run -------------------------------------------------------------------

interface ClaimSent {
  chainId: number;
  distributor: string;
  index: bigint;
  account: string;
  amount: bigint;
  txHash: string;
  block: number;
}

let chains: LocalChains;
let sim: SimulationResult;
let deploymentsPath: string;
let lastBlocks: Map<number, number>;
const claims: ClaimSent[] = [];
let distributorAddress: string;
/** Balance changes from our own transactions after the simulation (mint to the distributor, claims). */
const extraBalance = new Map<string, bigint>();

const pgUrl = testDatabaseUrl();
const cleanups: (() => Promise<void> | void)[] = [];
const indexers = new Map<string, PonderProcess>();

function balanceKey(chainId: number, address: string): string {
  return `${chainId}:${address.toLowerCase()}`;
}

async function deployDistributorAndClaim(): Promise<void> {
  const node = chains.nodes[chains.deployments.findIndex((d) => d.chainId === CLAIM_CHAIN)]!;
  const deployment = chains.deployments.find((d) => d.chainId === CLAIM_CHAIN)!;
  const owner = hardhatAccount(0);
  const publicClient = createPublicClient({ transport: http(node.rpcUrl) });
  const wallet = createWalletClient({ account: owner, transport: http(node.rpcUrl), chain: chainFor(CLAIM_CHAIN, node.rpcUrl) });
  await setAutomine(publicClient, true);
  const wait = (hash: Hex) => publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });

  const users = sim.plan.accounts.slice(0, 2).map((a) => a.address.toLowerCase() as Hex);
  const leaves = [
    { index: 0n, account: users[0]!, amount: 1_234_000_000_000_000_000n },
    { index: 1n, account: users[1]!, amount: 5_000_000_000_000_000_001n },
  ];
  const tree = twoLeafTree(leaves);
  const now = (await publicClient.getBlock()).timestamp;
  const distributorArtifact = loadArtifact("SeasonDistributor");
  const deployHash = await wallet.deployContract({
    abi: distributorArtifact.abi,
    bytecode: distributorArtifact.bytecode,
    args: [deployment.contracts.SogniToken, tree.root, now + 365n * 86_400n, owner.address],
  });
  const deployed = await wait(deployHash);
  distributorAddress = deployed.contractAddress!.toLowerCase();

  // The deployments file learns of the distributor while the indexers run.
  const withDistributor: ChainDeployment[] = chains.deployments.map((d) =>
    d.chainId === CLAIM_CHAIN ? { ...d, distributors: [{ season: 7, address: deployed.contractAddress!, block: Number(deployed.blockNumber) }] } : d,
  );
  writeDeployments(deploymentsPath, { chains: withDistributor });

  const total = leaves[0]!.amount + leaves[1]!.amount;
  await wait(
    await wallet.writeContract({ address: deployment.contracts.SogniToken, abi: SogniTokenAbi, functionName: "mint", args: [deployed.contractAddress!, total] }),
  );
  extraBalance.set(balanceKey(CLAIM_CHAIN, distributorAddress), total);
  for (const [k, leaf] of leaves.entries()) {
    // Submitted by the owner on the recipient's behalf: the tokens still go to the recipient.
    const hash = await wallet.writeContract({
      address: deployed.contractAddress!,
      abi: SeasonDistributorAbi,
      functionName: "claim",
      args: [leaf.index, leaf.account, leaf.amount, tree.proofs[k]!],
    });
    const receipt = await wait(hash);
    expect(receipt.status).toBe("success");
    claims.push({ chainId: CLAIM_CHAIN, distributor: distributorAddress, index: leaf.index, account: leaf.account, amount: leaf.amount, txHash: hash, block: Number(receipt.blockNumber) });
    extraBalance.set(balanceKey(CLAIM_CHAIN, distributorAddress), extraBalance.get(balanceKey(CLAIM_CHAIN, distributorAddress))! - leaf.amount);
    extraBalance.set(balanceKey(CLAIM_CHAIN, leaf.account), (extraBalance.get(balanceKey(CLAIM_CHAIN, leaf.account)) ?? 0n) + leaf.amount);
  }
}

function expectedBalance(chainId: number, address: string): bigint {
  const chain = sim.facts.chains.find((c) => c.chainId === chainId)!;
  const entry = Object.entries(chain.balances).find(([holder]) => holder.toLowerCase() === address.toLowerCase());
  const base = entry?.[1] ?? 0n;
  return base + (extraBalance.get(balanceKey(chainId, address)) ?? 0n);
}

beforeAll(async () => {
  const dir = tempDir("indexer-api-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  deploymentsPath = join(dir, "deployments.json");
  chains = await startLocalChains({ chainIds: [31337, CLAIM_CHAIN], initialDate: "2026-09-20T00:00:00Z", deploymentsPath });
  cleanups.push(() => chains.stop());
  sim = await simulate({
    chains: chains.nodes.map((node, i) => ({ rpcUrl: node.rpcUrl, deployment: chains.deployments[i]! })),
    accounts: ACCOUNTS,
    seed: SEED,
    start: START,
    end: END,
  });
  lastBlocks = new Map(sim.executions.map((e) => [e.chainId, e.blocks[e.blocks.length - 1]!.number]));

  const backends: [string, Backend][] = [];
  const pglite = freshPglite();
  cleanups.push(() => pglite.remove());
  backends.push(["pglite", pglite.backend]);
  if (pgUrl) {
    const postgres = await freshPostgres(pgUrl);
    cleanups.push(() => postgres.drop());
    backends.push(["postgres", postgres.backend]);
  }
  const started = await Promise.all(
    backends.map(([name, backend]) => startPonder({ command: "start", deploymentsPath, schema: `api_${name}`, backend })),
  );
  started.forEach((p, i) => {
    indexers.set(backends[i]![0], p);
    cleanups.push(() => p.stop());
  });
  await Promise.all(started.map((p) => p.waitForBlocks(lastBlocks)));

  await deployDistributorAndClaim();
  const heads = new Map(lastBlocks);
  heads.set(CLAIM_CHAIN, Math.max(...claims.map((c) => c.block)));
  await Promise.all(started.map((p) => p.waitForBlocks(heads)));

  // PONDER_CLAIMS_FROM=listed reads only the distributors the file lists: started now, after the
  // distributor was added, on its own PGlite directory (the way a new distributor is taken up in that mode).
  const listedDir = freshPglite();
  cleanups.push(() => listedDir.remove());
  const listed = await startPonder({ command: "start", deploymentsPath, schema: "api_listed", backend: listedDir.backend, env: { PONDER_CLAIMS_FROM: "listed" } });
  cleanups.push(() => listed.stop());
  indexers.set("listed", listed);
  await listed.waitForBlocks(heads);
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

// PGlite always; Postgres when TEST_DATABASE_URL is set (always in CI: testDatabaseUrl() throws there without it).

describe("claims with PONDER_CLAIMS_FROM=listed: only the distributors the deployments file names are read", () => {
  it("a restart after the file names the distributor finds every claim", async () => {
    const url = indexers.get("listed")!.url;
    for (const claim of claims) {
      const { body } = await getJson(url, `/claims/7/${claim.account}`);
      expect(body).toMatchObject({ claimed: true, amount: claim.amount.toString(), claims: [{ txHash: claim.txHash, block: claim.block }] });
    }
    const { body } = await getJson(url, "/claims/7");
    expect(body).toMatchObject({ count: 2 });
  });
});

describeOnBackends("indexer on %s", (backendName) => {
  const api = (): string => indexers.get(backendName)!.url;

  describe("GET /accounts/:address: balances per chain and in total from Transfer facts", () => {
    it("every simulated account's balance on both chains equals the simulator's model (plus our claims)", async () => {
      const addresses = [...new Set([...sim.plan.accounts.map((a) => a.address.toLowerCase()), distributorAddress])];
      expect(addresses.length).toBeGreaterThanOrEqual(ACCOUNTS);
      for (const address of addresses) {
        const { status, body } = await getJson<{ balances: { chainId: number; balance: string }[]; totalBalance: string }>(api(), `/accounts/${address}`);
        expect(status).toBe(200);
        const expected = [31337, CLAIM_CHAIN].map((chainId) => ({ chainId, balance: expectedBalance(chainId, address).toString() }));
        expect(body.balances).toEqual(expected);
        expect(body.totalBalance).toBe((expectedBalance(31337, address) + expectedBalance(CLAIM_CHAIN, address)).toString());
      }
    });

    it("an address never seen gets zeros on every chain, not 404", async () => {
      const { status, body } = await getJson(api(), "/accounts/0x00000000000000000000000000000000000000aa?from=0&to=100");
      expect(status).toBe(200);
      expect(body).toMatchObject({
        balances: [{ chainId: 31337, balance: "0" }, { chainId: CLAIM_CHAIN, balance: "0" }],
        totalBalance: "0",
        locks: [{ chainId: 31337, lock: null }, { chainId: CLAIM_CHAIN, lock: null }],
        stakingPower: { total: "0", average: "0" },
      });
    });
  });

  describe("GET /accounts/:address: the current lock is the latest Staked state, and whether it was unstaked", () => {
    it("matches the last lock state and the unstakes the simulator sent, per chain", async () => {
      const stakers = [...new Set(sim.facts.locks.map((l) => l.account.toLowerCase()))];
      expect(stakers.length).toBeGreaterThan(3);
      expect(sim.facts.unstakes.length).toBeGreaterThan(0);
      for (const account of stakers) {
        const { body } = await getJson<{ locks: { chainId: number; lock: null | Record<string, unknown> }[] }>(api(), `/accounts/${account}`);
        for (const chainId of [31337, CLAIM_CHAIN]) {
          const states = sim.facts.locks.filter((l) => l.chainId === chainId && l.account.toLowerCase() === account);
          const last = states[states.length - 1];
          const got = body.locks.find((l) => l.chainId === chainId)!.lock;
          if (last === undefined) {
            expect(got).toBeNull();
            continue;
          }
          const unstaked = sim.facts.unstakes.some((u) => u.chainId === chainId && u.account.toLowerCase() === account && u.blockNumber > last.blockNumber);
          expect(got).toMatchObject({
            amount: last.amount.toString(),
            lockWeeks: last.lockWeeks,
            effectiveFrom: last.effectiveFrom,
            unlockAt: last.unlockAt,
            block: last.blockNumber,
            txHash: last.txHash.toLowerCase(),
            unstaked,
          });
        }
      }
    });
  });

  describe("SPEC 2: staking power over [from, to) per chain and summed across chains", () => {
    it("equals amount × w × isqrt(w × 10^12) × seconds in force, over the season window and a partial window", async () => {
      const locks: Lock[] = sim.facts.locks.map((l) => ({ ...l, account: l.account.toLowerCase() }));
      const stakers = [...new Set(locks.map((l) => l.account))];
      const windows: [number | string, number | string][] = [
        [START, END],
        ["2026-10-20T00:00:00Z", "2026-11-03T12:00:00Z"], // ISO form, partial window
      ];
      let nonZero = 0;
      for (const account of stakers) {
        for (const [from, to] of windows) {
          const f = typeof from === "number" ? from : Date.parse(from) / 1000;
          const t = typeof to === "number" ? to : Date.parse(to) / 1000;
          const perChain = [31337, CLAIM_CHAIN].map((chainId) => ({ chainId, power: expectedPower(locks, account, chainId, f, t) }));
          const total = perChain.reduce((sum, c) => sum + c.power, 0n);
          if (total > 0n) nonZero++;
          const { status, body } = await getJson<{ stakingPower: { from: number; to: number; perChain: { chainId: number; power: string }[]; total: string } }>(
            api(),
            `/accounts/${account}?from=${encodeURIComponent(String(from))}&to=${encodeURIComponent(String(to))}`,
          );
          expect(status).toBe(200);
          expect(body.stakingPower).toMatchObject({
            from: f,
            to: t,
            perChain: perChain.map((c) => ({ chainId: c.chainId, power: c.power.toString() })),
            total: total.toString(),
          });
        }
      }
      expect(nonZero).toBeGreaterThan(3); // the check had real numbers to compare
    });
  });

  describe("GET /workers/:address/payouts: a worker's pay by batch", () => {
    it("lists every WorkerPaid of the worker with batch, chain, amount, block and tx, in chain order", async () => {
      const workers = [...new Set(sim.facts.payouts.map((p) => p.worker.toLowerCase()))];
      expect(workers.length).toBeGreaterThan(0);
      for (const worker of workers) {
        const mine = sim.facts.payouts
          .filter((p) => p.worker.toLowerCase() === worker)
          .sort((a, b) => a.chainId - b.chainId || a.blockNumber - b.blockNumber);
        const { body } = await getJson<{ total: string; payouts: Record<string, unknown>[] }>(api(), `/workers/${worker}/payouts`);
        expect(body.payouts.map((p) => ({ chainId: p.chainId, batchId: p.batchId, amount: p.amount, block: p.block, txHash: p.txHash }))).toEqual(
          mine.map((p) => ({ chainId: p.chainId, batchId: p.batchId.toString(), amount: p.amount.toString(), block: p.blockNumber, txHash: p.txHash.toLowerCase() })),
        );
        expect(body.total).toBe(mine.reduce((sum, p) => sum + p.amount, 0n).toString());
      }
    });
  });

  describe("SPEC 6: GET /snapshot returns the onchain.json facts up to the snapshot block", () => {
    it("at the simulation's last blocks, equals the facts the simulator sent, in (chain, block, log) order", async () => {
      const deposit = sim.plan.sparkDepositAddress.toLowerCase();
      const query = [...lastBlocks].map(([id, block]) => `&block.${id}=${block}`).join("");
      const response = await fetch(`${api()}/snapshot?deposit=${deposit}${query}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const json = JSON.parse(text);
      const byChainOrder = <T extends { chainId: number; blockNumber: number; logIndex: number }>(list: T[]): T[] =>
        [...list].sort((a, b) => a.chainId - b.chainId || a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      expect(json).toEqual({
        snapshot: sim.executions
          .map((e) => e.blocks[e.blocks.length - 1]!)
          .map((b, i) => ({ chainId: sim.executions[i]!.chainId, block: String(b.number), hash: b.hash, timestamp: b.timestamp }))
          .sort((a, b) => a.chainId - b.chainId),
        locks: byChainOrder(sim.facts.locks).map((l) => ({
          chainId: l.chainId,
          block: String(l.blockNumber),
          logIndex: l.logIndex,
          staking: l.staking.toLowerCase(),
          account: l.account.toLowerCase(),
          amount: l.amount.toString(),
          lockWeeks: l.lockWeeks,
          effectiveFrom: l.effectiveFrom,
          unlockAt: l.unlockAt,
        })),
        workerPaid: byChainOrder(sim.facts.payouts).map((p) => ({
          chainId: p.chainId, block: String(p.blockNumber), logIndex: p.logIndex, batchId: p.batchId.toString(), worker: p.worker.toLowerCase(), amount: p.amount.toString(),
        })),
        deposits: byChainOrder(sim.facts.deposits).map((d) => ({
          chainId: d.chainId, block: String(d.blockNumber), logIndex: d.logIndex, txHash: d.txHash.toLowerCase(), from: d.from.toLowerCase(), to: d.to.toLowerCase(), amount: d.amount.toString(),
        })),
      });
      // The simulator's own onchain.json (scripts/sim, snapshot = the last blocks) is the same text: one writer, the same facts.
      expect(text).toBe(onchainJson(sim));
      expect(json.deposits.length).toBeGreaterThan(0);
    });

    it("parses with the season build's onchain.json reader", async () => {
      const deposit = sim.plan.sparkDepositAddress.toLowerCase();
      const text = await (await fetch(`${api()}/snapshot?deposit=${deposit}`)).text();
      const facts = parseOnchainJson(text, "onchain.json");
      expect(facts.snapshot.map((s) => s.chainId)).toEqual([31337, CLAIM_CHAIN]);
      // One writer: the API's bytes are season/onchain.ts's canonical text of what it read.
      expect(text).toBe(serializeOnchainJson(facts));
    });

    it("by default names the latest indexed block of every chain, with the chain's own hash", async () => {
      const { body } = await getJson<{ snapshot: { chainId: number; block: string; hash: string }[] }>(api(), `/snapshot?deposit=${sim.plan.sparkDepositAddress}`);
      for (const node of chains.nodes) {
        const client = createPublicClient({ transport: http(node.rpcUrl) });
        const head = await client.getBlock();
        const entry = body.snapshot.find((s) => s.chainId === node.chainId)!;
        expect(entry.block).toBe(head.number.toString());
        expect(entry.hash).toBe(head.hash);
      }
    });

    it("block=N applies to every chain; an earlier block leaves out later facts", async () => {
      const { body } = await getJson<{ snapshot: { block: string }[]; locks: unknown[] }>(api(), `/snapshot?deposit=${sim.plan.sparkDepositAddress}&block=10`);
      expect(body.snapshot.map((s) => s.block)).toEqual(["10", "10"]);
      const expectedLocks = sim.facts.locks.filter((l) => l.blockNumber <= 10).length;
      expect(body.locks.length).toBe(expectedLocks);
    });
  });

  describe("claims: a distributor deployed while the indexer runs is picked up from the deployments file", () => {
    it("GET /claims/7/:address shows each claim with amount, tx and block", async () => {
      for (const claim of claims) {
        const { status, body } = await getJson(api(), `/claims/7/${claim.account}`);
        expect(status).toBe(200);
        expect(body).toMatchObject({
          season: 7,
          account: claim.account,
          claimed: true,
          amount: claim.amount.toString(),
          claims: [{ chainId: CLAIM_CHAIN, distributor: claim.distributor, index: claim.index.toString(), amount: claim.amount.toString(), txHash: claim.txHash, block: claim.block }],
        });
      }
    });

    it("an address that did not claim gets claimed: false and amount 0", async () => {
      const { status, body } = await getJson(api(), `/claims/7/${sim.plan.accounts[5]!.address}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ claimed: false, amount: "0", claims: [] });
    });

    it("GET /claims/7 counts and sums every claim", async () => {
      const { body } = await getJson(api(), "/claims/7?limit=1");
      expect(body).toMatchObject({ season: 7, count: 2, amount: (claims[0]!.amount + claims[1]!.amount).toString(), limit: 1 });
      expect((body as { claims: unknown[] }).claims).toHaveLength(1);
    });

    it("a season with no distributor answers 404 with what to do", async () => {
      const { status, body } = await getJson<{ error: string }>(api(), "/claims/8/0x00000000000000000000000000000000000000aa");
      expect(status).toBe(404);
      expect(body.error).toMatch(/season 8 has no distributor/);
    });
  });

  describe("bad parameters answer 400 with a message, never 500", () => {
    const cases: [string, RegExp][] = [
      ["/accounts/0x123", /address: not an address/],
      ["/accounts/0x52908400098527886E0F7030069857D2E4169Ee7", /bad checksum/],
      ["/accounts/0x00000000000000000000000000000000000000aa?from=yesterday&to=1", /from: "yesterday" is not a time/],
      ["/accounts/0x00000000000000000000000000000000000000aa?from=1", /from and to go together/],
      ["/accounts/0x00000000000000000000000000000000000000aa?from=20&to=10", /before from/],
      ["/workers/nope/payouts", /address: not an address/],
      ["/snapshot", /deposit is required/],
      ["/snapshot?deposit=0x00000000000000000000000000000000000000aa&block.99=1", /chain 99 is not indexed/],
      ["/snapshot?deposit=0x00000000000000000000000000000000000000aa&block=99999999", /indexed up to block/],
      ["/snapshot?deposit=0x00000000000000000000000000000000000000aa&block=-1", /not a whole number/],
      ["/snapshot?deposit=0x00000000000000000000000000000000000000aa&blocks=1", /unknown parameter "blocks"/],
      ["/claims/seven/0x00000000000000000000000000000000000000aa", /season: "seven" is not a whole number/],
      ["/claims/7?limit=5000", /limit: 5000 is above the maximum 1000/],
    ];
    it.each(cases)("GET %s", async (path, message) => {
      const { status, body } = await getJson<{ error: string }>(api(), path);
      expect(status).toBe(400);
      expect(body.error).toMatch(message);
    });
  });

  describe("GraphQL and SQL over HTTP read the same fact tables", () => {
    it("/graphql counts every WorkerPaid and carries the chain id on each row", async () => {
      const response = await fetch(`${api()}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ workerPaids(limit: 1000) { totalCount items { chainId batchId worker amount } } }" }),
      });
      const { data } = (await response.json()) as { data: { workerPaids: { totalCount: number; items: { chainId: number; amount: string }[] } } };
      expect(data.workerPaids.totalCount).toBe(sim.facts.payouts.length);
      const sum = data.workerPaids.items.reduce((s, item) => s + BigInt(item.amount), 0n);
      expect(sum).toBe(sim.facts.payouts.reduce((s, p) => s + p.amount, 0n));
      expect(new Set(data.workerPaids.items.map((i) => i.chainId))).toEqual(new Set(sim.facts.payouts.map((p) => p.chainId)));
    });

    it("/sql (@ponder/client) returns every Staked row", async () => {
      const client = createClient(`${api()}/sql`, { schema });
      const rows = await client.db.select().from(schema.staked);
      expect(rows.length).toBe(sim.facts.locks.length);
      expect(rows.reduce((sum, row) => sum + row.added, 0n)).toBe(sim.facts.locks.reduce((sum, l) => sum + l.added, 0n));
    });
  });
});
