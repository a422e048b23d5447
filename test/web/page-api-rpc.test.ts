/**
 * `sogni-season serve --rpc`: the chain part of /page/api/rewards/:address
 * read from a real SogniRewards on a real Hardhat node (deployed, proposed,
 * funded, accepted and claimed from with the real CLI, as
 * test/e2e/rewards.test.ts does), and /claims/:season/:address answered from
 * a season distributor's Claimed events. Each answer is held to the
 * contract's own views.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SogniRewardsAbi } from "../../chain/abis/index.js";
import { hardhatAccount, type ChainConnection } from "../../chain/clients.js";
import { mineAt, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { readCsvRecords } from "../../season/csv.js";
import { runSeason } from "../e2e/support/cli.js";
import { publishedSeasonsOnChain } from "../e2e/support/rewards-fixture.js";
import { startServe, type ServeProcess } from "./support/page-server.js";

const TIMELOCK = 86_400;
const ZERO = `0x${"00".repeat(32)}`;
const keyOf = (index: number): Hex => toHex(hardhatAccount(index).getHdKey().privateKey!);
const treasuryEnv = { SEASON_PRIVATE_KEY: keyOf(0) };
/** Hardhat account 1: a recipient of both seasons. */
const ADA = hardhatAccount(1).address.toLowerCase() as Address;

let node: HardhatNode;
let chain: ChainConnection;
let work: string;
let rewards: Address;
let deployments: string;
let seasons: { season7: string; season8: string; out: string };
let publication1: string;
let served: ServeProcess;
let url: string;

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
const cumulativeOf = (account: Address): string => readCsvRecords(readFileSync(join(publication1, "balances.csv"), "utf8"), "balances.csv").find((row) => row.address === account)!.cumulative!;
const rewardsRun = (args: string[], env: Record<string, string> = treasuryEnv) => runSeason(["rewards", ...args, "--rpc", node.rpcUrl, "--deployments", deployments], env);
/** The rewards answer, checked to be JSON.stringify's own text (with the chain's part, web/server/rewards.ts rewardsJson writes it out directly). */
const rewardsOf = async (account: string) => {
  const text = await (await fetch(`${url}page/api/rewards/${account}`)).text();
  expect(JSON.stringify(JSON.parse(text))).toBe(text);
  return JSON.parse(text) as { chain: Record<string, unknown> | null; publications: { dataHash: string }[] };
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "page-rpc-"));
  ({ node, chain, deployments, seasons, publication1 } = await publishedSeasonsOnChain(work));
  const deploy = await runSeason(["rewards", "deploy", "--rpc", node.rpcUrl, "--timelock", String(TIMELOCK), "--deployments", deployments, "--json"], treasuryEnv);
  expect(deploy.code, deploy.stderr).toBe(0);
  rewards = JSON.parse(deploy.stdout).address;
  served = await startServe([seasons.out, "--port", "0", "--rpc", node.rpcUrl, "--deployments", deployments, "--json"], { cwd: work, ready: /\n/ });
  url = JSON.parse(served.stdout()).url;
}, 300_000);

afterAll(async () => {
  await served?.stop();
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("serve --rpc: SogniRewards' state for the address, read from the contract", () => {
  it("says where it reads: the node's chain and the contract of the deployments file", () => {
    expect(JSON.parse(served.stdout())).toMatchObject({ rpc: { url: node.rpcUrl, chainId: node.chainId }, rewards: [{ chainId: node.chainId, address: rewards }] });
  });

  it("before any proposal: zero root and total, nothing claimed, nothing pending", async () => {
    expect((await rewardsOf(ADA)).chain).toEqual({ chainId: node.chainId, contract: rewards, root: ZERO, dataHash: ZERO, total: "0", claimed: "0", pending: null });
  });

  it("publication 1 proposed: pending with its root, dataHash, total and validAt = propose time + timelock", async () => {
    const propose = await rewardsRun(["propose", publication1]);
    expect(propose.code, propose.stderr).toBe(0);
    const [, , , validAt] = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "pending" });
    const answer = await rewardsOf(ADA);
    expect(answer.chain).toEqual({
      chainId: node.chainId,
      contract: rewards,
      root: ZERO,
      dataHash: ZERO,
      total: "0",
      claimed: "0",
      pending: { root: manifestOf(publication1).merkleRoot, dataHash: answer.publications[0]!.dataHash, total: manifestOf(publication1).total, validAt: Number(validAt) },
    });
  });

  it("funded, accepted after the timelock and claimed by ada: live root, and her claimed amount is her cumulative amount", async () => {
    const [, , , validAt] = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "pending" });
    await mineAt(chain.publicClient, validAt);
    for (const step of [["fund", publication1], ["accept", publication1]]) {
      const run = await rewardsRun(step);
      expect(run.code, `${step.join(" ")}: ${run.stderr}`).toBe(0);
    }
    const claim = await rewardsRun(["claim", publication1], { SEASON_PRIVATE_KEY: keyOf(1) });
    expect(claim.code, claim.stderr).toBe(0);
    const answer = await rewardsOf(ADA);
    expect(answer.chain).toEqual({
      chainId: node.chainId,
      contract: rewards,
      root: manifestOf(publication1).merkleRoot,
      dataHash: answer.publications[0]!.dataHash,
      total: manifestOf(publication1).total,
      claimed: cumulativeOf(ADA),
      pending: null,
    });
    expect(BigInt(cumulativeOf(ADA))).toBe(await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "claimed", args: [ADA] }));
    expect((await rewardsOf(hardhatAccount(2).address)).chain).toMatchObject({ claimed: "0", root: manifestOf(publication1).merkleRoot });
  });
});

describe("serve --rpc: /claims/:season/:address from the season distributor's Claimed events", () => {
  it("no distributor for season 7 yet: a 404 that says so; a bad address or season: 400", async () => {
    const none = await fetch(`${url}claims/7/${ADA}`);
    expect(none.status).toBe(404);
    expect((await none.json()).error).toContain(`season 7 has no distributor on chain ${node.chainId}`);
    expect((await fetch(`${url}claims/7/0x1234`)).status).toBe(400);
    expect((await fetch(`${url}claims/x/${ADA}`)).status).toBe(400);
  });

  it("deployed (deployment.json) and claimed by ada: claimed, with its amount, index and transaction", async () => {
    const deploy = await runSeason(["deploy", seasons.season7, "--rpc", node.rpcUrl, "--deployments", deployments], treasuryEnv);
    expect(deploy.code, deploy.stderr).toBe(0);
    const record = JSON.parse(readFileSync(join(seasons.season7, "deployment.json"), "utf8"));
    const before = await (await fetch(`${url}claims/7/${ADA}`)).json();
    expect(before).toMatchObject({ season: 7, account: ADA, claimed: false, amount: "0", claims: [], distributors: [{ chainId: node.chainId, address: record.address, block: record.block }] });
    const claim = await runSeason(["claim", seasons.season7, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: keyOf(1) });
    expect(claim.code, claim.stderr).toBe(0);
    const row = readCsvRecords(readFileSync(join(seasons.season7, "recipients.csv"), "utf8"), "recipients.csv").find((entry) => entry.address === ADA)!;
    const after = await (await fetch(`${url}claims/7/${ADA}`)).json();
    expect(after).toMatchObject({
      season: 7,
      account: ADA,
      claimed: true,
      amount: row.amount,
      claims: [{ chainId: node.chainId, distributor: record.address, index: row.index, account: ADA, amount: row.amount, block: expect.any(Number), timestamp: expect.any(Number), txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) }],
    });
  });
});
