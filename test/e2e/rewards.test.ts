/**
 * Seasons in series on a real Hardhat node, through the real CLI (SPEC 8):
 * two seasons built from different exports (test/cli/publish-support.ts:
 * season 8 vests 40 % on 2026-11-01, the rest on 2026-12-01), published
 * twice (the second at season 8's last tranche), each publication proposed,
 * funded and accepted after the timelock, claims in between and after, and
 * at the end every account holds exactly its cumulative amount in the last
 * publication, the contract nothing, and `season verify --rpc` passes.
 * Along the way every refusal of `season rewards` (timelock, funding,
 * previous root, not yet vested, nothing to claim, not in the publication).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardhatAccount, type ChainConnection } from "../../chain/clients.js";
import { SogniRewardsAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { readDeployments } from "../../chain/deployments.js";
import { latestTimestamp, mineAt, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { parseIsoTime } from "../../season/time.js";
import { readPublication, readPublicationBalances } from "../../season-io/publication-dir.js";
import { runSeason } from "./support/cli.js";
import { publishedSeasonsOnChain } from "./support/rewards-fixture.js";

const TIMELOCK = 86_400;
const keyOf = (index: number): Hex => toHex(hardhatAccount(index).getHdKey().privateKey!);
/** Account 0 deploys the token, owns SogniRewards and is the treasury (season.json excludes it). */
const TREASURY_KEY = keyOf(0);
const treasury = hardhatAccount(0).address.toLowerCase() as Address;
/** Ada is hardhat account 1 and a recipient of both seasons: she claims for herself. */
const ADA = hardhatAccount(1).address.toLowerCase() as Address;
const STRANGER = "0x000000000000000000000000000000000000dead";

let node: HardhatNode;
let chain: ChainConnection;
let work: string;
let token: Address;
let rewards: Address;
let deployments: string;
let seasons: { season7: string; season8: string; out: string };
let publication1: string;
let publication2: string;

const treasuryEnv = { SEASON_PRIVATE_KEY: TREASURY_KEY };

async function balanceOf(account: Address): Promise<bigint> {
  return chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [account] });
}

/** balances.csv of a publication (season-io's reader): address -> cumulative. */
function cumulativeOf(dir: string): Map<Address, bigint> {
  const balances = readPublicationBalances(readPublication(dir));
  return new Map(balances.addresses.map((address, i) => [address as Address, balances.cumulative[i]!]));
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

/** `season rewards <args>` with the contract from the deployments file. */
function rewardsRun(args: string[], env: Record<string, string> = treasuryEnv) {
  return runSeason(["rewards", ...args, "--rpc", node.rpcUrl, "--deployments", deployments], env);
}

async function pendingValidAt(): Promise<number> {
  const [, , , validAt] = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "pending" });
  return Number(validAt);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "rewards-e2e-"));
  ({ node, chain, token, deployments, seasons, publication1 } = await publishedSeasonsOnChain(work));
}, 300_000);

afterAll(async () => {
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("season rewards: one contract, two publications, every account paid exactly its cumulative amount", () => {
  it("deploy: SogniRewards for the token, owned by the signer, recorded in the deployments file", async () => {
    const run = await runSeason(["rewards", "deploy", "--rpc", node.rpcUrl, "--timelock", String(TIMELOCK), "--deployments", deployments, "--json"], treasuryEnv);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: "deployed", token, owner: treasury, timelock: TIMELOCK, deployments });
    rewards = result.address;
    expect(readDeployments(deployments).chains[0]!.rewards).toEqual({ address: rewards, block: result.block });
    const status = await rewardsRun(["status"], {});
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("live root      none yet");
    expect(status.stdout).toContain("pending root   none");
  });

  it("propose publication 1: pending, live from validAt = propose time + 1 day; accept is refused before it, and while unfunded", async () => {
    const run = await rewardsRun(["propose", publication1]);
    expect(run.code, run.stderr).toBe(0);
    const validAt = await pendingValidAt();
    expect(run.stdout).toContain(`Proposed publication 1 to SogniRewards ${rewards}:`);
    expect(run.stdout).toContain(`goes live    ${new Date(validAt * 1000).toISOString().replace(".000Z", "Z")} (in 1 d`);
    expect(run.stdout).toMatch(/funding\s+2999\.999999999999999998 SOGNI more needed before accept/);

    const again = await rewardsRun(["propose", publication1]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("refused: publication 1 is already pending");

    const early = await rewardsRun(["accept", publication1]);
    expect(early.code).toBe(3);
    expect(early.stderr).toMatch(/refused: the timelock runs until \S+ \(in (1 d|23 h 59 min)/);

    const claim = await rewardsRun(["claim", publication1], { SEASON_PRIVATE_KEY: keyOf(1) });
    expect(claim.code).toBe(3);
    expect(claim.stderr).toContain("publication 1 is pending, not live");

    await mineAt(chain.publicClient, validAt);
    const unfunded = await rewardsRun(["accept", publication1]);
    expect(unfunded.code).toBe(3);
    expect(unfunded.stderr).toContain("the contract cannot pay the root in full (NotFunded): it holds 0 wei and 0 wei were claimed, 0 of 2999999999999999999998 wei");
  });

  it("fund sends exactly the total; accept makes publication 1 live; a second fund sends nothing", async () => {
    const before = await balanceOf(treasury);
    const fund = await rewardsRun(["fund", publication1, "--json"]);
    expect(fund.code, fund.stderr).toBe(0);
    expect(JSON.parse(fund.stdout)).toMatchObject({ status: "funded", sent: "2999999999999999999998" });
    expect(await balanceOf(rewards)).toBe(2_999_999_999_999_999_999_998n);
    expect(await balanceOf(treasury)).toBe(before - 2_999_999_999_999_999_999_998n);
    const again = await rewardsRun(["fund", publication1]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Already funded");

    const accept = await rewardsRun(["accept", publication1]);
    expect(accept.code, accept.stderr).toBe(0);
    expect(accept.stdout).toContain("Accepted publication 1");
    expect(await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "root" })).toBe(manifestOf(publication1).merkleRoot);
  });

  it("claims under publication 1: ada for herself, bob and the staker on their behalf; a second claim has nothing left; a stranger is not in it", async () => {
    const first = cumulativeOf(publication1);
    const ada = await rewardsRun(["claim", publication1], { SEASON_PRIVATE_KEY: keyOf(1) });
    expect(ada.code, ada.stderr).toBe(0);
    expect(await balanceOf(ADA)).toBe(first.get(ADA));
    for (const account of [hardhatAccount(2).address, hardhatAccount(5).address]) {
      const run = await rewardsRun(["claim", publication1, "--account", account]);
      expect(run.code, run.stderr).toBe(0);
      expect(await balanceOf(account.toLowerCase() as Address)).toBe(first.get(account.toLowerCase() as Address));
    }
    const twice = await rewardsRun(["claim", publication1], { SEASON_PRIVATE_KEY: keyOf(1) });
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain(`nothing to claim: ${ADA} has already claimed`);
    const stranger = await rewardsRun(["claim", publication1, "--account", STRANGER]);
    expect(stranger.code).toBe(4);
    expect(stranger.stderr).toContain(`${STRANGER} is not in publication 1`);
  });

  it("publication 2 at season 8's last tranche: refused before it could vest, revoked once, proposed again, funded with the difference, accepted", async () => {
    const run = await runSeason(["publish", "--seasons", seasons.season7, seasons.season8, "--at", "2026-12-01T00:00:00Z", "--previous", publication1, "--out", seasons.out, "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    publication2 = join(seasons.out, "publication-2");

    // A publication 1 of other seasons, while publication 1 is live: its `previous` (none) is not the live root.
    const stray = await runSeason(["publish", "--seasons", seasons.season7, "--at", "2026-11-01T00:00:00Z", "--out", join(work, "stray"), "--quiet"]);
    expect(stray.code).toBe(0);
    const wrongPrevious = await rewardsRun(["propose", join(work, "stray", "publication-1")]);
    expect(wrongPrevious.code).toBe(3);
    expect(wrongPrevious.stderr).toContain("publication 1 has no previous publication, but root");

    // Proposed now (early November), it would go live long before 2026-12-01.
    const tooEarly = await rewardsRun(["propose", publication2]);
    expect(tooEarly.code).toBe(3);
    expect(tooEarly.stderr).toContain("publication 2 vests amounts at 2026-12-01T00:00:00Z, but proposed now it could go live at");
    expect(tooEarly.stderr).toContain("propose it from 2026-11-30T00:00:00Z on");

    await mineAt(chain.publicClient, parseIsoTime("2026-11-30T00:00:00Z"));
    expect((await rewardsRun(["propose", publication2])).code).toBe(0);
    const revoke = await rewardsRun(["revoke", publication2]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain("Revoked the pending root of publication 2");
    expect((await rewardsRun(["revoke"])).code).toBe(3); // nothing pending any more

    const propose = await rewardsRun(["propose", publication2]);
    expect(propose.code, propose.stderr).toBe(0);
    // The contract holds what is unclaimed of publication 1; fund sends only the difference to publication 2's total.
    const total2 = BigInt(manifestOf(publication2).total);
    const held = await balanceOf(rewards);
    const claimed = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "totalClaimed" });
    const fund = await rewardsRun(["fund", publication2, "--json"]);
    expect(fund.code, fund.stderr).toBe(0);
    expect(BigInt(JSON.parse(fund.stdout).sent)).toBe(total2 - claimed - held);

    const status = await rewardsRun(["status", "--publications", seasons.out]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`live root      ${manifestOf(publication1).merkleRoot}: publication 1 (${publication1})`);
    expect(status.stdout).toContain(`pending root   ${manifestOf(publication2).merkleRoot}: publication 2 (${publication2})`);
    expect(status.stdout).toMatch(/valid at\s+\S+ \(in (1 d|23 h 59 min)/);
    expect(status.stdout).toContain("funded: accept would not be refused for funds");

    const verifyPending = await runSeason(["verify", publication2, "--seasons", seasons.season7, seasons.season8, "--previous", publication1, "--rpc", node.rpcUrl, "--deployments", deployments, "--quiet"]);
    expect(verifyPending.code, verifyPending.stdout + verifyPending.stderr).toBe(0);
    expect(verifyPending.stdout).toMatch(/contract root\s+pass\s+0x[0-9a-f]{64} is pending, live from/);

    await mineAt(chain.publicClient, await pendingValidAt());
    const accept = await rewardsRun(["accept", publication2]);
    expect(accept.code, accept.stderr).toBe(0);
  });

  it("claims under publication 2 pay the difference: every account ends with exactly its cumulative amount, the contract with nothing", async () => {
    const second = cumulativeOf(publication2);
    // Publication 1's proof no longer verifies against the live root.
    const stale = await rewardsRun(["claim", publication1, "--account", hardhatAccount(3).address]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain("publication 1 (root");
    for (const account of second.keys()) {
      const run = await rewardsRun(["claim", publication2, "--account", account]);
      expect({ account, code: run.code }, run.stderr).toEqual({ account, code: 0 });
    }
    for (const [account, cumulative] of second) expect({ account, balance: await balanceOf(account) }).toEqual({ account, balance: cumulative });
    expect(await balanceOf(rewards)).toBe(0n);
    const total2 = BigInt(manifestOf(publication2).total);
    expect(await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "totalClaimed" })).toBe(total2);
    expect(total2).toBe([...second.values()].reduce((sum, amount) => sum + amount, 0n));
  });

  it("season verify <publication 2> --rpc: live root, dataHash, total, funding and every Claimed event pass", async () => {
    const run = await runSeason(["verify", publication2, "--seasons", seasons.season7, seasons.season8, "--rpc", node.rpcUrl, "--deployments", deployments, "--quiet"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/contract root\s+pass\s+0x[0-9a-f]{64} is the live root/);
    expect(run.stdout).toMatch(/contract dataHash\s+pass/);
    expect(run.stdout).toMatch(/contract funding\s+pass\s+0 wei held, 0 wei owed/);
    expect(run.stdout).toMatch(/Claimed events within balances\.csv\s+pass\s+12 claims by 9 accounts/);
    expect(run.stdout).toMatch(/Claimed events add up\s+pass/);
    // Publication 1 is no longer held by the contract.
    const old = await runSeason(["verify", publication1, "--seasons", seasons.season7, seasons.season8, "--rpc", node.rpcUrl, "--rewards", rewards, "--quiet"]);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/contract root\s+FAIL\s+neither the live root/);
    expect(await latestTimestamp(chain.publicClient)).toBeGreaterThan(parseIsoTime("2026-12-01T00:00:00Z"));
  });
});
