/**
 * Reorganisations: the indexer follows the chain it is given, not the one it
 * saw first. A real Hardhat node indexes live; we snapshot it, mine blocks
 * with SOGNI transfers to X, let the indexer see them, revert, and mine a
 * different, longer history with transfers to Y. The indexer must end with
 * X's facts gone and Y's present, on PGlite and on Postgres.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAll, saveDeployment } from "../../scripts/local/deploy.js";
import { mineBlock, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { chainActor, numberedAddress, type ChainActor } from "./chain-actions.js";
import { freshPglite, freshPostgres, getJson, sleep, startPonder, tempDir, testDatabaseUrl, type Backend, type PonderProcess, describeOnBackends } from "./support.js";

const SOGNI = 10n ** 18n;
const X = numberedAddress(1); // receives in the abandoned branch
const Y = numberedAddress(2); // receives in the branch that wins

const pgUrl = testDatabaseUrl();
const cleanups: (() => Promise<void> | void)[] = [];
const indexers = new Map<string, PonderProcess>();
let node: HardhatNode;
let actor: ChainActor;
let abandoned: { hashes: string[]; head: number };
let winning: { hashes: string[]; head: { number: number; hash: string } };

async function balanceOf(api: string, address: string): Promise<string> {
  const { body } = await getJson<{ balances: { chainId: number; balance: string }[] }>(api, `/accounts/${address}`);
  return body.balances.find((b) => b.chainId === 31337)!.balance;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  const dir = tempDir("indexer-reorg-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const deploymentsPath = join(dir, "deployments.json");
  node = await startHardhatNode({ chainId: 31337 });
  cleanups.push(() => node.stop());
  const deployment = await deployAll({ rpcUrl: node.rpcUrl });
  saveDeployment(deploymentsPath, deployment);
  actor = chainActor(node.rpcUrl, deployment);
  await actor.mint(actor.owner, 1_000n * SOGNI);

  const backends: [string, Backend][] = [];
  const pglite = freshPglite();
  cleanups.push(() => pglite.remove());
  backends.push(["pglite", pglite.backend]);
  if (pgUrl) {
    const postgres = await freshPostgres(pgUrl);
    cleanups.push(() => postgres.drop());
    backends.push(["postgres", postgres.backend]);
  }
  const started = await Promise.all(backends.map(([name, backend]) => startPonder({ command: "start", deploymentsPath, schema: `reorg_${name}`, backend })));
  started.forEach((p, i) => {
    indexers.set(backends[i]![0], p);
    cleanups.push(() => p.stop());
  });
  const base = await actor.head();
  await Promise.all(started.map((p) => p.waitForBlocks(new Map([[31337, base.number]]))));

  // Branch A: three blocks, each a transfer of 1, 2, 3 SOGNI to X; the indexers see them.
  const snapshotId = await actor.rpc("evm_snapshot");
  const aHashes: string[] = [];
  for (const k of [1n, 2n, 3n]) aHashes.push(await actor.transfer(X, k * SOGNI));
  abandoned = { hashes: aHashes, head: (await actor.head()).number };
  for (const p of started) await waitUntil(async () => (await balanceOf(p.url, X)) === (6n * SOGNI).toString(), "branch A indexed");

  // Back to the fork point, then branch B: five blocks, each a transfer of 10 SOGNI to Y, plus two empty blocks.
  expect(await actor.rpc("evm_revert", [snapshotId])).toBe(true);
  const bHashes: string[] = [];
  for (let k = 0; k < 5; k++) bHashes.push(await actor.transfer(Y, 10n * SOGNI));
  await mineBlock(actor.publicClient);
  await mineBlock(actor.publicClient);
  winning = { hashes: bHashes, head: await actor.head() };
  await Promise.all(started.map((p) => p.waitForBlocks(new Map([[31337, winning.head.number]]))));
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

describeOnBackends("a reorganisation under a live indexer on %s", (backendName) => {
  const api = (): string => indexers.get(backendName)!.url;

  it("the branch really was reorganised: B is longer than A and replaced its blocks", () => {
    expect(winning.head.number).toBeGreaterThan(abandoned.head);
    expect(new Set(winning.hashes).size).toBe(5);
    for (const hash of abandoned.hashes) expect(winning.hashes).not.toContain(hash);
  });

  it("Ponder itself detected the reorganisation and reverted its rows", () => {
    expect(indexers.get(backendName)!.output()).toMatch(/Reorged block|Reconciled reorg/);
  });

  it("X's 6 SOGNI from the abandoned branch are gone; Y holds 50 SOGNI from the winning branch", async () => {
    await waitUntil(async () => (await balanceOf(api(), X)) === "0", "branch A's facts to go");
    expect(await balanceOf(api(), X)).toBe("0");
    expect(await balanceOf(api(), Y)).toBe((50n * SOGNI).toString());
  });

  it("no Transfer row of the abandoned branch is left; every winning one is there", async () => {
    const response = await fetch(`${api()}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ transfers(where: { chainId: 31337 }, limit: 1000) { items { txHash to amount blockNumber } } }` }),
    });
    const { data } = (await response.json()) as { data: { transfers: { items: { txHash: string; to: string }[] } } };
    const hashes = data.transfers.items.map((t) => t.txHash);
    for (const hash of abandoned.hashes) expect(hashes).not.toContain(hash);
    for (const hash of winning.hashes) expect(hashes).toContain(hash);
  });

  it("the snapshot at the head names the winning block's hash", async () => {
    const { body } = await getJson<{ snapshot: { block: string; hash: string }[] }>(api(), `/snapshot?deposit=${Y}&block=${winning.head.number}`);
    expect(body.snapshot).toEqual([{ chainId: 31337, block: String(winning.head.number), hash: winning.head.hash, timestamp: expect.any(Number) }]);
  });
});
