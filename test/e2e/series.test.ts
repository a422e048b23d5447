// test/: the Vitest suites and their support (README, "Tests").
// May import every folder; nothing imports test/. See docs/architecture.md.
/**
 * Seasons in series end to end, on the demo's real parts (scripts/demo/steps.ts,
 * demo-sized: two simulated seasons on one Hardhat node, Ponder on PGlite,
 * the real CLI): publication 1 (season 6) and publication 2 (seasons 6 and 7,
 * season 7 at its first tranche) each go live on one SogniRewards, and at
 * each, after the demo's own claims, every recipient of the publication
 * claims through the contract. Each receives exactly its cumulative amount
 * minus what it had claimed (balance deltas, in wei), the contract's
 * `claimed` reaches the cumulative amount, and the indexer's
 * GET /rewards/:address agrees with the chain for every one of them, before
 * and after the claims (claimed, claimable, live root). At the end the
 * contract holds nothing, and `season verify --rpc --rewards` passed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeFunctionData, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, type ChainConnection } from "../../chain/clients.js";
import { SogniRewardsAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { findCumulativeProof } from "../../season-io/publication-dir.js";
import { mineBlock, setAutomine } from "../../scripts/local/hardhat-node.js";
import { runDemo, type DemoLive, type DemoRun } from "../../scripts/demo/steps.js";

/** What the test saw and did at one publication. */
interface AtPublication {
  id: number;
  recipients: number;
  /** account -> what the contract had recorded as claimed when the publication went live and the demo had claimed. */
  claimedBefore: Map<Address, bigint>;
  /** account -> its balance gain from the test's claim (0 when it had nothing left to claim). */
  received: Map<Address, bigint>;
  claimedAfter: Map<Address, bigint>;
  /** Indexer answers that differ from the chain, before and after the claims ("" when none). */
  disagreements: string[];
  claimsSent: number;
}

let work: string;
let demo: DemoRun;
let chain: ChainConnection;
const seen: AtPublication[] = [];

interface IndexerRewards {
  claimed?: string;
  claimable?: string | null;
  rewards?: { live?: { root?: string } | null }[];
}

async function readRewards(url: string, account: Address): Promise<IndexerRewards> {
  const response = await fetch(`${url}/rewards/${account}`, { signal: AbortSignal.timeout(30_000) });
  return (await response.json()) as IndexerRewards;
}

/** Every recipient's indexer answer against the chain: claimed, claimable by the live publication, the live root. */
async function compareIndexer(live: DemoLive, label: string, out: string[]): Promise<void> {
  const { publicClient } = chain;
  await live.indexer!.waitForBlocks(new Map([[live.node.chainId, Number(await publicClient.getBlockNumber())]]));
  const root = await publicClient.readContract({ address: live.rewards, abi: SogniRewardsAbi, functionName: "root" });
  for (const [account, cumulative] of live.publication.cumulative) {
    const claimed = await publicClient.readContract({ address: live.rewards, abi: SogniRewardsAbi, functionName: "claimed", args: [account] });
    const expected = { claimed: claimed.toString(), claimable: (cumulative - claimed).toString(), root };
    const body = await readRewards(live.indexer!.url, account);
    const got = { claimed: body.claimed, claimable: body.claimable, root: body.rewards?.[0]?.live?.root };
    if (JSON.stringify(got) !== JSON.stringify(expected)) out.push(`${label} ${account}: chain ${JSON.stringify(expected)}, indexer ${JSON.stringify(got)}`);
  }
}

const balanceOf = (token: Address, account: Address): Promise<bigint> =>
  chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [account] });

/**
 * At each live publication: compare the indexer, then claim for every recipient with something left,
 * all sent by the treasury on their behalf in one block (automine off, nonces in order), then compare again.
 */
async function claimForEveryone(live: DemoLive): Promise<void> {
  const { publicClient } = chain;
  const { publication, rewards, token } = live;
  const record: AtPublication = {
    id: publication.id,
    recipients: publication.cumulative.size,
    claimedBefore: new Map(),
    received: new Map(),
    claimedAfter: new Map(),
    disagreements: [],
    claimsSent: 0,
  };
  seen.push(record);
  await compareIndexer(live, `publication ${publication.id}, before the claims:`, record.disagreements);

  const treasury = privateKeyToAccount(live.treasuryKey);
  const before = new Map<Address, bigint>();
  const raw: Hex[] = [];
  let nonce = await publicClient.getTransactionCount({ address: treasury.address, blockTag: "pending" });
  for (const [account, cumulative] of publication.cumulative) {
    const claimed = await publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "claimed", args: [account] });
    record.claimedBefore.set(account, claimed);
    before.set(account, await balanceOf(token, account));
    if (claimed >= cumulative) continue;
    const entry = findCumulativeProof(publication.dir, account)!;
    expect(entry.amount).toBe(cumulative);
    raw.push(
      await treasury.signTransaction({
        type: "eip1559",
        chainId: live.node.chainId,
        nonce: nonce++,
        to: rewards,
        data: encodeFunctionData({ abi: SogniRewardsAbi, functionName: "claim", args: [account, entry.amount, entry.proof] }),
        gas: 200_000n,
        maxFeePerGas: 50_000_000_000n,
        maxPriorityFeePerGas: 1_000_000_000n,
      }),
    );
  }
  await setAutomine(publicClient, false);
  try {
    const hashes = await Promise.all(raw.map((serializedTransaction) => publicClient.sendRawTransaction({ serializedTransaction })));
    await mineBlock(publicClient);
    for (const hash of hashes) expect((await publicClient.getTransactionReceipt({ hash })).status).toBe("success");
  } finally {
    await setAutomine(publicClient, true);
  }
  record.claimsSent = raw.length;
  for (const account of publication.cumulative.keys()) {
    record.received.set(account, (await balanceOf(token, account)) - before.get(account)!);
    record.claimedAfter.set(account, await publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "claimed", args: [account] }));
  }
  await compareIndexer(live, `publication ${publication.id}, after the claims:`, record.disagreements);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "series-e2e-"));
  demo = await runDemo({
    workDir: work,
    accounts: 40,
    seed: 11,
    claims: 2,
    onLive: async (live) => {
      chain = await connectChain(live.node.rpcUrl);
      await claimForEveryone(live);
    },
  });
}, 900_000);

afterAll(async () => {
  await demo?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("two seasons through one SogniRewards, every recipient claiming at both publications (SPEC 8.2, 8.3)", () => {
  it("publication 1 lists season 6 whole; publication 2 adds season 7 at its first tranche (25 %); every address of 1 is in 2, none for less", () => {
    const [one, two] = demo.publications;
    expect(one!.seasons).toEqual([{ season: 6, share: "1" }]);
    expect(two!.seasons).toEqual([
      { season: 6, share: "1" },
      { season: 7, share: "0.25" },
    ]);
    expect(one!.recipients).toBeGreaterThanOrEqual(20);
    expect(two!.recipients).toBeGreaterThan(one!.recipients);
    for (const [account, cumulative] of one!.cumulative) expect(two!.cumulative.get(account)! >= cumulative, account).toBe(true);
    // Some come back: a season 6 staker whose lock runs on into season 7 earns in both.
    expect([...one!.cumulative].filter(([account, cumulative]) => two!.cumulative.get(account)! > cumulative).length).toBeGreaterThan(0);
  });

  it("at each publication every recipient receives exactly its cumulative amount minus what it had claimed, in wei", () => {
    expect(seen.map((record) => record.id)).toEqual([1, 2]);
    for (const record of seen) {
      const publication = demo.publications[record.id - 1]!;
      for (const [account, cumulative] of publication.cumulative) {
        const before = record.claimedBefore.get(account)!;
        expect({ account, received: record.received.get(account) }).toEqual({ account, received: cumulative - before });
        expect({ account, claimed: record.claimedAfter.get(account) }).toEqual({ account, claimed: cumulative });
      }
    }
    // Under publication 1 nobody had claimed but the demo's claimants; under publication 2 all but those with nothing more.
    const [first, second] = seen;
    expect(first!.claimsSent).toBe(first!.recipients - demo.claims.filter((claim) => claim.publication === 1).length);
    const [one, two] = demo.publications;
    const byDemo = new Set(demo.claims.filter((claim) => claim.publication === 2).map((claim) => claim.account));
    const owedMore = [...two!.cumulative].filter(([account, cumulative]) => cumulative > (one!.cumulative.get(account) ?? 0n) && !byDemo.has(account));
    expect(second!.claimsSent).toBe(owedMore.length);
  });

  it("over both publications each address was paid exactly its cumulative amount in publication 2 (the demo's claims and the test's)", () => {
    const [one, two] = demo.publications;
    const paid = new Map<Address, bigint>();
    const add = (account: Address, amount: bigint): void => void paid.set(account, (paid.get(account) ?? 0n) + amount);
    for (const claim of demo.claims) add(claim.account, claim.amount);
    for (const record of seen) for (const [account, received] of record.received) add(account, received);
    for (const [account, cumulative] of two!.cumulative) expect({ account, paid: paid.get(account) ?? 0n }).toEqual({ account, paid: cumulative });
    expect([...paid.keys()].every((account) => two!.cumulative.has(account))).toBe(true);
    expect(one!.total).toBeLessThan(two!.total);
  });

  it("the indexer's GET /rewards/:address agreed with the chain for every recipient, before and after the claims, at both publications", () => {
    expect(seen.flatMap((record) => record.disagreements)).toEqual([]);
  });

  it("the contract ends holding nothing: it was funded with exactly publication 2's total, and all of it was claimed", async () => {
    const two = demo.publications[1]!;
    expect(await balanceOf(demo.token, demo.rewards)).toBe(0n);
    expect(await chain.publicClient.readContract({ address: demo.rewards, abi: SogniRewardsAbi, functionName: "totalClaimed" })).toBe(two.total);
    expect(await chain.publicClient.readContract({ address: demo.rewards, abi: SogniRewardsAbi, functionName: "root" })).toBe(two.merkleRoot);
  });

  it("`season verify <publication 2> --seasons … --previous … --rpc --rewards` passed every check, the Claimed events of every claim included", () => {
    expect(demo.verify.code).toBe(0);
    expect(demo.verify.stdout).toMatch(/contract root\s+pass\s+0x[0-9a-f]{64} is the live root/);
    expect(demo.verify.stdout).toMatch(/Claimed events add up\s+pass/);
    expect(demo.verify.stdout).not.toMatch(/FAIL/);
  });

  it("while publication 2 waited, the page showed its pending root and what the address would get then", () => {
    expect(demo.pending.lines.join("\n")).toMatch(/pending root publication 2, live from \S+: cumulative [\d,.]+ SOGNI, [\d,.]+ SOGNI more to claim then/);
  });
});
