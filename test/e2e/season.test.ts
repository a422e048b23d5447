/**
 * The whole path on real parts, demo-sized: Hardhat node, contracts,
 * simulated season, Ponder on PGlite, `season build --indexer`,
 * `season deploy`, claims, `season verify --rpc`. Then every recipient but a
 * few claims through the claim path: each gets exactly its amount, the
 * distributor ends holding exactly what was not claimed, and the indexer's
 * claim status matches the chain for every recipient.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimSeason } from "../../scripts/commands/claim.js";
import { connectChain, type ChainConnection } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { claimStatus, readRecipients, runDemo, type DemoRun } from "../../scripts/demo/steps.js";

/** Recipients left unclaimed on purpose: the distributor must end holding exactly their amounts. */
const LEFT_UNCLAIMED = 3;

let demo: DemoRun;
let chain: ChainConnection;
let work: string;
let recipients: ReturnType<typeof readRecipients>;
let token: Address;
let claimedByDemo: Set<string>;
const balancesBefore = new Map<string, bigint>();

async function balanceOf(account: Address): Promise<bigint> {
  return chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [account] });
}

async function isClaimed(index: number): Promise<boolean> {
  return chain.publicClient.readContract({ address: demo.deployment.address, abi: SeasonDistributorAbi, functionName: "isClaimed", args: [BigInt(index)] });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "season-e2e-"));
  demo = await runDemo({ workDir: work, accounts: 120, seed: 11, claims: 3 });
  chain = await connectChain(demo.node.rpcUrl);
  token = demo.deployment.token;
  recipients = readRecipients(demo.seasonDir);
  claimedByDemo = new Set(demo.claims.map((claim) => claim.account));
  for (const recipient of recipients) balancesBefore.set(recipient.address, await balanceOf(recipient.address));
}, 600_000);

afterAll(async () => {
  await demo?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the demo-sized season, end to end (SPEC 3, 5, 7)", () => {
  it("has a realistic size and passes `season verify --rpc` against the funded distributor", () => {
    expect(recipients.length).toBeGreaterThanOrEqual(100);
    expect(demo.verify.code).toBe(0);
    expect(demo.claims.length).toBe(3);
  });

  it("every recipient's proof claims exactly its amount on-chain; the distributor ends holding only the unclaimed amounts", async () => {
    const total = recipients.reduce((sum, r) => sum + r.amount, 0n);
    expect(total).toBe(BigInt(demo.deployment.total));
    const unclaimed = recipients.filter((r) => !claimedByDemo.has(r.address)).slice(-LEFT_UNCLAIMED);
    const skip = new Set(unclaimed.map((r) => r.address));
    for (const recipient of recipients) {
      if (claimedByDemo.has(recipient.address) || skip.has(recipient.address)) continue;
      // Sent by the treasury on the recipient's behalf, through the same function `season claim` runs.
      process.env.SEASON_PRIVATE_KEY = demo.treasuryKey;
      const outcome = await claimSeason({ seasonDir: demo.seasonDir, rpcUrl: demo.node.rpcUrl, account: recipient.address, log: () => {} });
      expect(outcome.status).toBe("claimed");
      if (outcome.status === "claimed") expect(outcome.amount).toBe(recipient.amount);
    }
    delete process.env.SEASON_PRIVATE_KEY;
    for (const recipient of recipients) {
      const paid = skip.has(recipient.address) ? 0n : recipient.amount;
      // The demo's claims happened before balancesBefore was taken.
      const expectedGain = claimedByDemo.has(recipient.address) ? 0n : paid;
      expect(await balanceOf(recipient.address), recipient.address).toBe(balancesBefore.get(recipient.address)! + expectedGain);
      expect(await isClaimed(recipient.index), recipient.address).toBe(!skip.has(recipient.address));
    }
    const left = unclaimed.reduce((sum, r) => sum + r.amount, 0n);
    expect(await balanceOf(demo.deployment.address)).toBe(left);
  }, 300_000);

  it("a second claim of an already claimed index sends nothing and says so", async () => {
    const first = recipients.find((r) => claimedByDemo.has(r.address))!;
    process.env.SEASON_PRIVATE_KEY = demo.treasuryKey;
    const outcome = await claimSeason({ seasonDir: demo.seasonDir, rpcUrl: demo.node.rpcUrl, account: first.address, log: () => {} });
    delete process.env.SEASON_PRIVATE_KEY;
    expect(outcome.status).toBe("already-claimed");
  });

  it("the indexer's claim status matches the chain for every recipient", async () => {
    const head = Number(await chain.publicClient.getBlockNumber());
    await demo.indexer!.waitForBlocks(new Map([[demo.node.chainId, head]]));
    const mismatches: string[] = [];
    let indexedClaimed = 0;
    for (const recipient of recipients) {
      const onChain = await isClaimed(recipient.index);
      const indexed = await claimStatus(demo.indexer!.url, 7, recipient.address);
      if (indexed.claimed) indexedClaimed++;
      if (indexed.claimed !== onChain) mismatches.push(`${recipient.address}: chain ${onChain}, indexer ${JSON.stringify(indexed.body)}`);
    }
    expect(mismatches).toEqual([]);
    expect(indexedClaimed).toBe(recipients.length - LEFT_UNCLAIMED);
  }, 120_000);
});
