/**
 * SPEC 8.3 through the indexer: a real Hardhat node, `ponder start` (PGlite,
 * and Postgres when TEST_DATABASE_URL is set) already running when a
 * SogniRewards is deployed and written into the deployments file, then driven
 * with viem: publication 1 proposed, accepted after the timelock (the node's
 * clock moved), a claim; a root proposed and revoked; publication 2 proposed
 * (pending, checked then), accepted, claims of the difference, a surplus
 * withdrawn. A second SogniRewards that the file does not list proposes too.
 * The publications are real `publication-<id>/` directories (season core
 * renderers) under PUBLICATIONS_DIR. Every answer is held to numbers this
 * test computes from what it sent.
 *
 *   GET /rewards/:address   GET /publications   GraphQL/SQL: root_proposed, root_accepted,
 *   root_revoked, rewards_claimed (apart from the distributors' claimed), surplus_withdrawn
 *   GET /page/api/rewards/:address (the page's answer: the publications from the files, the chain from these tables)
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@ponder/client";
import { createPublicClient, createWalletClient, http, type Address, type Hex, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../ponder.schema.js";
import { SogniRewardsAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { chainFor, hardhatAccount } from "../../chain/clients.js";
import { readDeployments, writeDeployments, type ChainDeployment } from "../../chain/deployments.js";
import { deployAll, saveDeployment } from "../../scripts/local/deploy.js";
import { mineAt, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { writePublicationFixture, type PublicationFixture } from "./publication-fixture.js";
import { describeOnBackends, freshPglite, freshPostgres, getJson, startPonder, tempDir, testDatabaseUrl, type Backend, type PonderProcess } from "./support.js";

const CHAIN = 31337;
const E18 = 10n ** 18n;
const TIMELOCK = 3_600n;
const owner = hardhatAccount(0);
const [alice, bob, carol] = [1, 2, 3].map((i) => hardhatAccount(i).address.toLowerCase() as Address) as [Address, Address, Address];

interface Sent {
  block: number;
  txHash: Hex;
}

let node: HardhatNode;
let deployment: ChainDeployment;
let deploymentsPath: string;
let publicClient: PublicClient;
let rewards: Address;
let decoy: Address;
let one: PublicationFixture;
let two: PublicationFixture;
/** A root proposed then revoked: its dataHash names no publication. */
const revokedRoot = `0x${"5e".repeat(32)}` as Hex;
const revokedHash = `0x${"d1".repeat(32)}` as Hex;
const sent: Record<string, Sent & { validAt?: number }> = {};
const indexers = new Map<string, PonderProcess>();
/** Answers read while publication 2 was pending (before its acceptance). */
const whilePending = new Map<string, { alice: unknown; bob: unknown; publications: unknown; page: unknown }>();
const cleanups: (() => Promise<void> | void)[] = [];
const pgUrl = testDatabaseUrl();

async function send(name: string, write: () => Promise<Hex>): Promise<Sent> {
  const txHash = await write();
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error(`${name} reverted (${txHash})`);
  sent[name] = { block: Number(receipt.blockNumber), txHash: txHash.toLowerCase() as Hex };
  return sent[name]!;
}

async function head(): Promise<number> {
  return Number(await publicClient.getBlockNumber());
}

async function waitAll(): Promise<void> {
  const block = await head();
  await Promise.all([...indexers.values()].map((p) => p.waitForBlocks(new Map([[CHAIN, block]]))));
}

beforeAll(async () => {
  const dir = tempDir("indexer-rewards-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  deploymentsPath = join(dir, "deployments.json");
  const publications = join(dir, "out");
  node = await startHardhatNode({ chainId: CHAIN, initialDate: "2026-12-01T00:00:00Z" });
  cleanups.push(() => node.stop());
  deployment = await deployAll({ rpcUrl: node.rpcUrl });
  saveDeployment(deploymentsPath, deployment);
  publicClient = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 }) as PublicClient;
  const wallet = createWalletClient({ account: owner, transport: http(node.rpcUrl), chain: chainFor(CHAIN, node.rpcUrl) });
  const token = deployment.contracts.SogniToken;

  // The indexers run before the rewards contract exists.
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
    // The page serves the same directory (OUT_DIR): publications only, no season.
    backends.map(([name, backend]) => startPonder({ command: "start", deploymentsPath, schema: `rewards_${name}`, backend, env: { PUBLICATIONS_DIR: publications, OUT_DIR: publications } })),
  );
  started.forEach((p, i) => {
    indexers.set(backends[i]![0], p);
    cleanups.push(() => p.stop());
  });
  await waitAll();

  // SogniRewards deployed; the deployments file learns of it while the indexers run. A decoy is not listed.
  const artifact = loadArtifact("SogniRewards");
  const deployRewards = async (): Promise<{ address: Address; block: number }> => {
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: [token, owner.address, TIMELOCK] });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    return { address: receipt.contractAddress!.toLowerCase() as Address, block: Number(receipt.blockNumber) };
  };
  const deployed = await deployRewards();
  rewards = deployed.address;
  decoy = (await deployRewards()).address;
  const file = readDeployments(deploymentsPath);
  writeDeployments(deploymentsPath, { ...file, chains: file.chains.map((chain) => ({ ...chain, rewards: { address: rewards, block: deployed.block } })) });

  // Publication 1: alice 100, bob 50. Publication 2: alice 160, bob 50, carol 30.5.
  one = writePublicationFixture(publications, { id: 1, at: "2026-12-01T00:00:00Z", chainId: CHAIN, token, balances: { [alice]: 100n * E18, [bob]: 50n * E18 } });
  two = writePublicationFixture(publications, {
    id: 2,
    at: "2027-01-12T00:00:00Z",
    chainId: CHAIN,
    token,
    balances: { [alice]: 160n * E18, [bob]: 50n * E18, [carol]: 30n * E18 + E18 / 2n },
    previous: one,
  });
  // Funded for both publications and 10 SOGNI over (the surplus).
  await send("fund", () => wallet.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [rewards, two.total + 10n * E18] }));

  const onRewards = { address: rewards, abi: SogniRewardsAbi } as const;
  const proposeAndWait = async (name: string, root: Hex, dataHash: Hex, total: bigint, address: Address = rewards): Promise<number> => {
    await send(name, () => wallet.writeContract({ address, abi: SogniRewardsAbi, functionName: "propose", args: [root, dataHash, total] }));
    const block = await publicClient.getBlock({ blockNumber: BigInt(sent[name]!.block) });
    const validAt = Number(block.timestamp + TIMELOCK);
    sent[name]!.validAt = validAt;
    return validAt;
  };
  const validOne = await proposeAndWait("propose1", one.root, one.dataHash, one.total);
  await mineAt(publicClient, validOne); // the timelock runs out
  await send("accept1", () => wallet.writeContract({ ...onRewards, functionName: "accept" }));
  await send("claimAlice1", () => wallet.writeContract({ ...onRewards, functionName: "claim", args: [alice, one.cumulative(alice), one.proof(alice)] }));
  await proposeAndWait("proposeRevoked", revokedRoot, revokedHash, one.total);
  await send("revoke", () => wallet.writeContract({ ...onRewards, functionName: "revoke" }));
  const validTwo = await proposeAndWait("propose2", two.root, two.dataHash, two.total);
  await proposeAndWait("decoyPropose", `0x${"de".repeat(32)}`, `0x${"c0".repeat(32)}`, 1n, decoy);
  await waitAll();
  for (const [name, indexer] of indexers) {
    whilePending.set(name, {
      alice: (await getJson(indexer.url, `/rewards/${alice}`)).body,
      bob: (await getJson(indexer.url, `/rewards/${bob}`)).body,
      publications: (await getJson(indexer.url, "/publications")).body,
      page: (await getJson(indexer.url, `/page/api/rewards/${alice}`)).body,
    });
  }

  await mineAt(publicClient, validTwo);
  await send("accept2", () => wallet.writeContract({ ...onRewards, functionName: "accept" }));
  // Submitted by the owner on alice's behalf: the difference (60) still goes to alice.
  await send("claimAlice2", () => wallet.writeContract({ ...onRewards, functionName: "claim", args: [alice, two.cumulative(alice), two.proof(alice)] }));
  await send("claimCarol", () => wallet.writeContract({ ...onRewards, functionName: "claim", args: [carol, two.cumulative(carol), two.proof(carol)] }));
  await send("surplus", () => wallet.writeContract({ ...onRewards, functionName: "withdrawSurplus", args: [owner.address, 4n * E18] }));
  await waitAll();

  // PONDER_CLAIMS_FROM=listed, started now that the file names the contract, without the publications at hand.
  const listedDir = freshPglite();
  cleanups.push(() => listedDir.remove());
  const listed = await startPonder({
    command: "start",
    deploymentsPath,
    schema: "rewards_listed",
    backend: listedDir.backend,
    env: { PONDER_CLAIMS_FROM: "listed", PUBLICATIONS_DIR: join(dir, "elsewhere") },
  });
  cleanups.push(() => listed.stop());
  indexers.set("listed", listed);
  await waitAll();
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

const at = (name: string) => ({ block: sent[name]!.block, txHash: sent[name]!.txHash });

describeOnBackends("SogniRewards through the indexer on %s", (backendName) => {
  const api = (): string => indexers.get(backendName)!.url;

  describe("GET /rewards/:address while publication 2 waits for its timelock", () => {
    it("alice: publication 1 live, 100 claimed, 0 claimable now; publication 2 pending with its validAt and 60 more once live", () => {
      const body = whilePending.get(backendName)!.alice;
      expect(body).toMatchObject({
        account: alice,
        claimed: (100n * E18).toString(),
        claimable: "0",
        rewards: [
          {
            chainId: CHAIN,
            contract: rewards,
            live: {
              root: one.root,
              dataHash: one.dataHash,
              total: one.total.toString(),
              validAt: sent.propose1!.validAt,
              accepted: at("accept1"),
              publication: { id: 1, at: "2026-12-01T00:00:00Z", cumulative: (100n * E18).toString(), proof: one.proof(alice) },
            },
            pending: {
              root: two.root,
              dataHash: two.dataHash,
              total: two.total.toString(),
              validAt: sent.propose2!.validAt,
              proposed: at("propose2"),
              publication: { id: 2, cumulative: (160n * E18).toString() },
              claimable: (60n * E18).toString(),
            },
            claimed: (100n * E18).toString(),
            lastCumulative: (100n * E18).toString(),
            claimable: "0",
            claims: [{ amount: (100n * E18).toString(), cumulative: (100n * E18).toString(), ...at("claimAlice1") }],
          },
        ],
      });
    });

    it("bob, who has not claimed: 50 claimable now, still 50 once publication 2 is live", () => {
      expect(whilePending.get(backendName)!.bob).toMatchObject({
        claimed: "0",
        claimable: (50n * E18).toString(),
        rewards: [{ claims: [], claimable: (50n * E18).toString(), pending: { claimable: (50n * E18).toString() } }],
      });
    });

    it("GET /publications: publication 1 live, the revoked root, publication 2 pending (the decoy's proposal is not listed)", () => {
      expect(whilePending.get(backendName)!.publications).toEqual({
        contracts: [
          {
            chainId: CHAIN,
            contract: rewards,
            block: expect.any(Number),
            live: one.root,
            pending: two.root,
            roots: [
              expect.objectContaining({ root: one.root, dataHash: one.dataHash, status: "live", publication: { id: 1, at: "2026-12-01T00:00:00Z" } }),
              expect.objectContaining({ root: revokedRoot, dataHash: revokedHash, status: "revoked", revoked: expect.objectContaining(at("revoke")), publication: null }),
              expect.objectContaining({ root: two.root, status: "pending", validAt: sent.propose2!.validAt, accepted: null, publication: { id: 2, at: "2027-01-12T00:00:00Z" } }),
            ],
          },
        ],
      });
    });
  });

  describe("GET /page/api/rewards/:address: the page's answer, its chain part from the same tables", () => {
    it("while publication 2 waits: publication 1 live, 100 claimed, publication 2 pending with its validAt", () => {
      expect(whilePending.get(backendName)!.page).toEqual({
        address: alice,
        seasons: [],
        publications: [
          { id: 1, at: Date.parse("2026-12-01T00:00:00Z") / 1000, merkleRoot: one.root, dataHash: one.dataHash, cumulative: (100n * E18).toString(), proof: one.proof(alice) },
          { id: 2, at: Date.parse("2027-01-12T00:00:00Z") / 1000, merkleRoot: two.root, dataHash: two.dataHash, cumulative: (160n * E18).toString(), proof: two.proof(alice) },
        ],
        latestPublication: 2,
        chain: {
          chainId: CHAIN,
          contract: rewards,
          root: one.root,
          dataHash: one.dataHash,
          total: one.total.toString(),
          claimed: (100n * E18).toString(),
          pending: { root: two.root, dataHash: two.dataHash, total: two.total.toString(), validAt: sent.propose2!.validAt },
        },
      });
    });

    it("after: publication 2 live, nothing pending; alice claimed 160, bob nothing (his 50 claimable = cumulative - claimed)", async () => {
      const { status, body } = await getJson<{ chain: unknown; publications: { cumulative: string }[] }>(api(), `/page/api/rewards/${alice}`);
      expect(status).toBe(200);
      expect(body.chain).toEqual({ chainId: CHAIN, contract: rewards, root: two.root, dataHash: two.dataHash, total: two.total.toString(), claimed: (160n * E18).toString(), pending: null });
      const bobs = (await getJson<{ chain: { claimed: string }; publications: { cumulative: string }[] }>(api(), `/page/api/rewards/${bob}`)).body;
      expect([bobs.chain.claimed, bobs.publications.at(-1)!.cumulative]).toEqual(["0", (50n * E18).toString()]);
      expect((await getJson<{ publications: unknown[]; latestPublication: number }>(api(), "/page/api/catalog")).body).toMatchObject({ seasons: [], latestSeason: null, latestPublication: 2 });
      expect((await getJson(api(), "/page/api/rewards/0x1234")).status).toBe(400);
    });
  });

  describe("GET /rewards/:address after publication 2 went live and the differences were claimed", () => {
    it("alice claimed 100 then 60: claimed 160 (= her last cumulative), nothing left, nothing pending", async () => {
      const { status, body } = await getJson(api(), `/rewards/${alice.toUpperCase().replace("0X", "0x")}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        account: alice,
        claimed: (160n * E18).toString(),
        claimable: "0",
        rewards: [
          {
            live: { root: two.root, accepted: at("accept2"), publication: { id: 2, cumulative: (160n * E18).toString() } },
            pending: null,
            claimed: (160n * E18).toString(),
            lastCumulative: (160n * E18).toString(),
            claims: [
              { amount: (100n * E18).toString(), cumulative: (100n * E18).toString(), ...at("claimAlice1") },
              { amount: (60n * E18).toString(), cumulative: (160n * E18).toString(), ...at("claimAlice2") },
            ],
          },
        ],
      });
    });

    it("carol claimed her 30.5 at once; bob can still claim 50; an address never published gets 0 and an empty list", async () => {
      expect((await getJson(api(), `/rewards/${carol}`)).body).toMatchObject({ claimed: (30n * E18 + E18 / 2n).toString(), claimable: "0" });
      expect((await getJson(api(), `/rewards/${bob}`)).body).toMatchObject({ claimed: "0", claimable: (50n * E18).toString(), rewards: [{ live: { publication: { cumulative: (50n * E18).toString() } } }] });
      const nobody = "0x00000000000000000000000000000000000000aa";
      expect((await getJson(api(), `/rewards/${nobody}`)).body).toMatchObject({ claimed: "0", claimable: "0", rewards: [{ claims: [], claimable: "0", live: { publication: { cumulative: "0", proof: [] } } }] });
    });

    it("GET /publications: publication 1 superseded by 2 (ended by its acceptance), the revoked root, publication 2 live", async () => {
      const { body } = await getJson<{ contracts: { live: string; pending: null; roots: { root: string; status: string; endedBy: unknown; accepted: unknown }[] }[] }>(api(), "/publications");
      expect(body.contracts).toHaveLength(1);
      expect(body.contracts[0]).toMatchObject({ live: two.root, pending: null });
      expect(body.contracts[0]!.roots.map((r) => [r.root, r.status])).toEqual([
        [one.root, "superseded"],
        [revokedRoot, "revoked"],
        [two.root, "live"],
      ]);
      expect(body.contracts[0]!.roots[0]).toMatchObject({ accepted: at("accept1"), endedBy: at("accept2") });
      expect((await getJson(api(), `/publications?chainId=${CHAIN + 1}`)).body).toEqual({ contracts: [] });
    });
  });

  describe("the facts as tables: GraphQL and SQL see them, SogniRewards' Claimed apart from the distributors'", () => {
    it("rewards_claimed holds the three claims with amount and cumulative; the distributors' claimed table none", async () => {
      const client = createClient(`${api()}/sql`, { schema });
      const rows = await client.db.select().from(schema.rewardsClaimed);
      expect(rows.map((r) => [r.account, r.amount, r.cumulative]).sort()).toEqual(
        [
          [alice, 100n * E18, 100n * E18],
          [alice, 60n * E18, 160n * E18],
          [carol, 30n * E18 + E18 / 2n, 30n * E18 + E18 / 2n],
        ].sort(),
      );
      expect(await client.db.select().from(schema.claimed)).toEqual([]);
    });

    it("GraphQL: every proposal (the decoy's too, with its emitter), acceptances, the revocation and the surplus withdrawn", async () => {
      const response = await fetch(`${api()}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            "{ rootProposeds { totalCount items { rewards root } } rootAccepteds { totalCount } rootRevokeds { items { root } } surplusWithdrawns { items { rewards to amount } } }",
        }),
      });
      const { data } = (await response.json()) as {
        data: {
          rootProposeds: { totalCount: number; items: { rewards: string; root: string }[] };
          rootAccepteds: { totalCount: number };
          rootRevokeds: { items: { root: string }[] };
          surplusWithdrawns: { items: { rewards: string; to: string; amount: string }[] };
        };
      };
      expect(data.rootProposeds.items.filter((p) => p.rewards === rewards).map((p) => p.root).sort()).toEqual([one.root, revokedRoot, two.root].sort());
      expect(data.rootProposeds.items.filter((p) => p.rewards === decoy)).toHaveLength(1); // recorded (any emitter), never trusted
      expect(data.rootAccepteds.totalCount).toBe(2);
      expect(data.rootRevokeds.items).toEqual([{ root: revokedRoot }]);
      expect(data.surplusWithdrawns.items).toEqual([{ rewards, to: owner.address.toLowerCase(), amount: (4n * E18).toString() }]);
    });
  });

  describe("bad parameters answer 400 with a message", () => {
    const cases: [string, RegExp][] = [
      ["/rewards/0x123", /address: not an address/],
      ["/rewards/0x52908400098527886E0F7030069857D2E4169Ee7", /bad checksum/],
      ["/rewards/0x00000000000000000000000000000000000000aa?season=7", /unknown parameter "season": \/rewards\/<address> takes no parameters/],
      ["/publications?chainId=base", /chainId: "base" is not a whole number/],
      ["/publications?chain=31337", /unknown parameter "chain": \/publications takes chainId/],
    ];
    it.each(cases)("GET %s", async (path, message) => {
      const { status, body } = await getJson<{ error: string }>(api(), path);
      expect(status).toBe(400);
      expect(body.error).toMatch(message);
    });
  });
});

describe("PONDER_CLAIMS_FROM=listed: only the rewards contract the file names is read; publications not at hand", () => {
  it("the same roots and claims; claimable is null with a note saying where the publications were looked for", async () => {
    const url = indexers.get("listed")!.url;
    const { body } = await getJson<{ claimable: unknown; rewards: { claimable: unknown; note: string; claimed: string; live: { publication: unknown } }[] }>(url, `/rewards/${alice}`);
    expect(body.claimable).toBeNull();
    expect(body.rewards[0]).toMatchObject({ claimed: (160n * E18).toString(), claimable: null, live: { root: two.root, publication: null } });
    expect(body.rewards[0]!.note).toMatch(/claimable unknown: no publications directory at .*elsewhere: set PUBLICATIONS_DIR/);
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ rootProposeds { totalCount } }" }),
    });
    expect(((await response.json()) as { data: { rootProposeds: { totalCount: number } } }).data.rootProposeds.totalCount).toBe(3); // not the decoy's
  });
});
