/**
 * `season verify --rpc` against a real Hardhat node: the fixture season is
 * played on chain (stakes, worker payouts, a SOGNI deposit), built from an
 * onchain.json written by hand from what the test did, deployed, funded and
 * partly claimed; verify then re-derives the facts from eth_getLogs and
 * checks the distributor. An onchain.json that misses a WorkerPaid event, or
 * a distributor with another root, fails it. The chain has two staking
 * contracts (SPEC 8.4: a new season's, deployed as `npm run chain --
 * deploy-staking` does): dee's lock in the second one counts, verify reads
 * both, and a lock fact changed or moved to the other contract fails it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Address, type Hex, type TransactionReceipt } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, hardhatAccount, walletFor, type ChainConnection } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniStakingAbi, SogniTokenAbi, WorkerPayoutsAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { deployAll, deployStaking } from "../../scripts/local/deploy.js";
import { writeDeployments, type ChainDeployment } from "../../chain/deployments.js";
import { findProof, readLeaderboard } from "../../season-io/season-dir.js";
import { setNextBlockTimestamp, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { fixtureCopy, runSeason } from "./support.js";

const E18 = 10n ** 18n;
const DEPOSIT = "0x5e50000000000000000000000000000000000001" as Address;
const at = (iso: string): number => Date.parse(iso) / 1000;
const WINDOW_START = at("2026-10-12T00:00:00Z"); // a Monday: an epoch start
const WINDOW_END = at("2026-10-26T00:00:00Z");
const WEEK = 604_800;

let node: HardhatNode;
let chain: ChainConnection;
let fixture: ReturnType<typeof fixtureCopy>;
let seasonDir: string;
let deploymentsPath: string;
let distributor: Address;
let tokenAddress: Address;
let depositTx: Hex;
let snapshot: { block: bigint; hash: Hex; timestamp: number };
/** The chain's two staking contracts: the first (deployAll's) and a new season's. */
let firstStaking: Address;
let secondStaking: Address;
/** The deployments entry before the second staking contract was added. */
let firstOnly: ChainDeployment;
const DEE = hardhatAccount(4).address.toLowerCase() as Address;

const distributorArtifact = loadArtifact("SeasonDistributor");

/** Hardhat accounts used by the fixture: 1 ada, 4 dee, 5 the staker, 6..9 workers. */
const account = (index: number) => hardhatAccount(index);

let clock = at("2026-10-05T12:00:00Z");
const receipts = new Map<Hex, TransactionReceipt>();
/** Sends a transaction in its own block at the next second from `from` (ISO), waiting for the receipt. */
async function send(fromIso: string | undefined, signer: number, write: (wallet: ReturnType<typeof walletFor>) => Promise<Hex>): Promise<Hex> {
  if (fromIso !== undefined) clock = Math.max(clock, at(fromIso));
  clock += 1;
  await setNextBlockTimestamp(chain.publicClient, clock);
  const hash = await write(walletFor(chain, account(signer)));
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  receipts.set(hash, receipt);
  return hash;
}

/** SPEC 6's block and logIndex of the `nth` log that `emitter` wrote in transaction `hash`. */
function logPosition(hash: Hex, emitter: Address, nth = 0): { block: number; logIndex: number } {
  const receipt = receipts.get(hash)!;
  const log = receipt.logs.filter((entry) => entry.address.toLowerCase() === emitter.toLowerCase())[nth]!;
  return { block: Number(log.blockNumber), logIndex: log.logIndex };
}

beforeAll(async () => {
  fixture = fixtureCopy();
  node = await startHardhatNode({ initialDate: "2026-10-01T00:00:00Z" });
  chain = await connectChain(node.rpcUrl);
  const deployment = await deployAll({ rpcUrl: node.rpcUrl, epochZero: WINDOW_START - 2 * WEEK, account: account(0) });
  firstOnly = deployment;
  // A new season's staking contract beside the first, recorded in the deployments file's staking list.
  clock += 1;
  const second = await deployStaking({ rpcUrl: node.rpcUrl, chain: deployment, epochZero: WINDOW_START - 2 * WEEK, timestamp: clock, account: account(0) });
  deploymentsPath = join(fixture.dir, "deployments.json");
  writeDeployments(deploymentsPath, { chains: [second.entry] });
  const { SogniToken: token, SogniStaking: staking, WorkerPayouts: payouts } = deployment.contracts;
  tokenAddress = token.toLowerCase() as Address;
  firstStaking = staking.toLowerCase() as Address;
  secondStaking = second.staking.address.toLowerCase() as Address;

  const onToken = { address: token, abi: SogniTokenAbi } as const;
  const onStaking = { address: staking, abi: SogniStakingAbi } as const;
  const onPayouts = { address: payouts, abi: WorkerPayoutsAbi } as const;
  for (const [index, amount] of [[0, 10_000n], [1, 100n], [4, 20n], [5, 100n]] as const) {
    await send(undefined, 0, (wallet) => wallet.writeContract({ ...onToken, functionName: "mint", args: [account(index).address, amount * E18] }));
  }
  // The staker locks 100 SOGNI for 6 weeks before the window: in force from 2026-10-12.
  await send(undefined, 5, (wallet) => wallet.writeContract({ ...onToken, functionName: "approve", args: [staking, 100n * E18] }));
  const stakerStake = await send(undefined, 5, (wallet) => wallet.writeContract({ ...onStaking, functionName: "stake", args: [100n * E18, 6n] }));
  // ada locks 100 SOGNI for 2 weeks during the first week: in force from 2026-10-19.
  await send("2026-10-13T00:00:00Z", 1, (wallet) => wallet.writeContract({ ...onToken, functionName: "approve", args: [staking, 100n * E18] }));
  const adaStake = await send(undefined, 1, (wallet) => wallet.writeContract({ ...onStaking, functionName: "stake", args: [100n * E18, 2n] }));
  // Worker payouts: batch 1 pays all four, batch 2 pays eve again; batch 3 is never paid.
  await send("2026-10-14T00:00:00Z", 0, (wallet) => wallet.writeContract({ ...onToken, functionName: "approve", args: [payouts, 25n * E18] }));
  const workers = [6, 7, 8, 9].map((i) => account(i).address);
  const batch1 = await send(undefined, 0, (wallet) => wallet.writeContract({ ...onPayouts, functionName: "payWorkers", args: [1n, workers, [9n * E18, 8n * E18, 5n * E18, 1n * E18]] }));
  const batch2 = await send(undefined, 0, (wallet) => wallet.writeContract({ ...onPayouts, functionName: "payWorkers", args: [2n, [account(6).address], [2n * E18]] }));
  // dee locks 10 SOGNI for 1 week in the second staking contract: in force from 2026-10-19 to the window's end.
  await send("2026-10-15T00:00:00Z", 4, (wallet) => wallet.writeContract({ ...onToken, functionName: "approve", args: [secondStaking, 10n * E18] }));
  const deeStake = await send(undefined, 4, (wallet) => wallet.writeContract({ address: secondStaking, abi: SogniStakingAbi, functionName: "stake", args: [10n * E18, 1n] }));
  // dee pays 5 SOGNI to the Spark deposit address (backs purchase p2).
  depositTx = await send("2026-10-18T00:00:00Z", 4, (wallet) => wallet.writeContract({ ...onToken, functionName: "transfer", args: [DEPOSIT, 5n * E18] }));
  // The snapshot: one block at the window's end.
  await setNextBlockTimestamp(chain.publicClient, WINDOW_END);
  await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
  const block = await chain.publicClient.getBlock();
  snapshot = { block: block.number, hash: block.hash, timestamp: Number(block.timestamp) };

  // onchain.json from what this test did (not from the logs): the fixture's facts with the real deposit tx and block.
  const data = join(fixture.dir, "data");
  const facts = JSON.parse(readFileSync(join(data, "onchain.json"), "utf8"));
  facts.snapshot = [{ chainId: 31337, block: Number(snapshot.block), hash: snapshot.hash, timestamp: snapshot.timestamp }];
  facts.deposits[0].txHash = depositTx;
  // With two staking contracts every lock names its own (SPEC 6), as the indexer's /snapshot does:
  // the fixture's two in the first, dee's in the second, its state as SPEC 7 gives it (from the next epoch, 1 week).
  for (const lock of facts.locks) lock.staking = firstStaking;
  facts.locks.push({
    chainId: 31337, staking: secondStaking, account: DEE, amount: (10n * E18).toString(), lockWeeks: 1,
    effectiveFrom: at("2026-10-19T00:00:00Z"), unlockAt: at("2026-10-26T00:00:00Z"),
  });
  // Each fact at the block and log index the chain gave it (SPEC 6), as the indexer would record it.
  const positions = [
    ["locks", 0, stakerStake, staking, 0], ["locks", 1, adaStake, staking, 0], ["locks", 2, deeStake, secondStaking, 0],
    ["workerPaid", 0, batch1, payouts, 0], ["workerPaid", 1, batch1, payouts, 1], ["workerPaid", 2, batch1, payouts, 2], ["workerPaid", 3, batch1, payouts, 3],
    ["workerPaid", 4, batch2, payouts, 0], ["deposits", 0, depositTx, token, 0],
  ] as const;
  for (const [section, index, hash, emitter, nth] of positions) Object.assign(facts[section][index], logPosition(hash, emitter, nth));
  writeFileSync(join(data, "onchain.json"), JSON.stringify(facts, null, 2));
  const purchases = readFileSync(join(data, "spark_purchases.csv"), "utf8");
  writeFileSync(join(data, "spark_purchases.csv"), purchases.replace(`0x${"1".repeat(64)}`, depositTx));

  const built = await runSeason([
    "build", "--config", join(data, "season.json"), "--data", data, "--onchain", join(data, "onchain.json"),
    "--out", join(fixture.dir, "out"), "--deployments", deploymentsPath, "--quiet",
  ]);
  expect(built.status, built.stderr).toBe(0);
  seasonDir = join(fixture.dir, "out", "season-7");
  const manifest = JSON.parse(readFileSync(join(seasonDir, "manifest.json"), "utf8"));
  expect(manifest.token).toBe(tokenAddress); // from the deployments file
  expect(manifest.rejected).toBe(2); // p3 (no deposit) and j5 (batch 3 never paid), as offline
}, 240_000);

afterAll(async () => {
  await node?.stop();
  fixture?.cleanup();
});

async function deployDistributor(root: Hex, fund: bigint): Promise<Address> {
  const owner = walletFor(chain, account(0));
  const deadline = BigInt(at("2027-01-26T00:00:00Z"));
  const hash = await owner.deployContract({ abi: distributorArtifact.abi, bytecode: distributorArtifact.bytecode, args: [tokenAddress, root, deadline, account(0).address] });
  const address = (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress!.toLowerCase() as Address;
  if (fund > 0n) {
    const transfer = await owner.writeContract({ address: tokenAddress, abi: SogniTokenAbi, functionName: "transfer", args: [address, fund] });
    await chain.publicClient.waitForTransactionReceipt({ hash: transfer });
  }
  return address;
}

/** The parts of onchain.json the tests below change (SPEC 6). */
interface FactsFile {
  locks: { staking?: string; amount: string }[];
  workerPaid: { batchId: string; logIndex: number }[];
}

/**
 * The season rebuilt from the fixture's onchain.json with `edit` applied, into
 * <fixture>/<name>/season-7 (the same exports and config: only the facts differ).
 */
async function rebuildWith(name: string, edit: (facts: FactsFile) => void): Promise<string> {
  const data = join(fixture.dir, "data");
  const dir = join(fixture.dir, name);
  mkdirSync(dir);
  const facts = JSON.parse(readFileSync(join(data, "onchain.json"), "utf8"));
  edit(facts);
  writeFileSync(join(dir, "onchain.json"), JSON.stringify(facts));
  const built = await runSeason(["build", "--config", join(data, "season.json"), "--data", data, "--onchain", join(dir, "onchain.json"), "--out", dir, "--quiet"]);
  expect(built.status, built.stderr).toBe(0);
  return join(dir, "season-7");
}

describe("season verify --rpc", () => {
  it("passes: root, token, deadline, balance after a claim, snapshot block, and every fact from eth_getLogs", async () => {
    const manifest = JSON.parse(readFileSync(join(seasonDir, "manifest.json"), "utf8"));
    distributor = await deployDistributor(manifest.merkleRoot, BigInt(manifest.total));
    // ada claims: the unclaimed total drops by her amount, and so does the balance.
    const ada = account(1).address.toLowerCase() as Address;
    const shard = findProof(seasonDir, ada)!;
    const claim = await walletFor(chain, account(1)).writeContract({
      address: distributor,
      abi: SeasonDistributorAbi,
      functionName: "claim",
      args: [BigInt(shard.index), ada, shard.amount, shard.proof],
    });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash: claim })).status).toBe("success");

    const run = await runSeason(["verify", seasonDir, "--rpc", node.rpcUrl, "--distributor", distributor, "--deployments", deploymentsPath]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`distributor merkleRoot\\(\\)\\s+pass\\s+${manifest.merkleRoot}`));
    expect(run.stdout).toMatch(new RegExp(`distributor token\\(\\)\\s+pass\\s+${tokenAddress}`));
    expect(run.stdout).toMatch(/distributor claimDeadline\(\)\s+pass\s+2027-01-26T00:00:00Z/);
    const unclaimed = BigInt(manifest.total) - shard.amount;
    expect(run.stdout).toMatch(new RegExp(`distributor balance\\s+pass\\s+${unclaimed} wei held, ${unclaimed} wei unclaimed \\(1 claims of 9`));
    expect(run.stdout).toMatch(new RegExp(`snapshot block 31337:${snapshot.block}\\s+pass\\s+hash ${snapshot.hash}`));
    expect(run.stdout).toMatch(/onchain\.json locks = eth_getLogs\s+pass\s+3 Staked events/);
    expect(run.stdout).toMatch(/onchain\.json workerPaid = eth_getLogs\s+pass\s+5 WorkerPaid events/);
    expect(run.stdout).toMatch(/onchain\.json deposits = eth_getLogs\s+pass\s+1 Transfer events/);
  });

  it("fails when the distributor holds another root", async () => {
    const other = await deployDistributor(`0x${"01".repeat(32)}`, 0n);
    const run = await runSeason(["verify", seasonDir, "--rpc", node.rpcUrl, "--distributor", other, "--deployments", deploymentsPath, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/distributor merkleRoot\(\)\s+FAIL\s+0x0101/);
  });

  it("fails when onchain.json misses a WorkerPaid event that the chain has", async () => {
    const partial = await rebuildWith("partial", (facts) => {
      facts.workerPaid = facts.workerPaid.filter((paid) => paid.batchId !== "2");
    });
    const run = await runSeason(["verify", partial, "--rpc", node.rpcUrl, "--distributor", distributor, "--deployments", deploymentsPath, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/onchain\.json workerPaid = eth_getLogs\s+FAIL\s+only on chain: .*"batchId":"2"/);
    // The offline checks still pass: the season is consistent with the (incomplete) facts it was given.
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+pass/);
  });

  it("fails when a fact names another log than the chain's (SPEC 6: block and logIndex are checked too)", async () => {
    let moved = 0;
    const dir = await rebuildWith("moved", (facts) => {
      facts.workerPaid[0]!.logIndex += 100;
      moved = facts.workerPaid[0]!.logIndex;
    });
    const run = await runSeason(["verify", dir, "--rpc", node.rpcUrl, "--distributor", distributor, "--deployments", deploymentsPath, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`onchain\\.json workerPaid = eth_getLogs\\s+FAIL\\s+only in onchain\\.json: .*"logIndex":${moved},`));
    expect(run.stdout).toMatch(/onchain\.json locks = eth_getLogs\s+pass/);
  });
});

describe("season verify --rpc with two staking contracts on one chain (SPEC 8.4)", () => {
  it("dee's lock in the second contract counts: 10 SOGNI × m(1) for 7 of the window's 14 days, 5 points on the stakers' leaderboard", () => {
    const dee = readLeaderboard(seasonDir, "stakers").find((row) => row.address === DEE);
    expect(dee).toMatchObject({ points: "5", daysActive: 7 });
    expect(dee!.amount).toBeGreaterThan(0n);
  });

  it("verify reads both contracts: all three Staked events, each with its contract; without the second in the deployments file, dee's lock is not found", async () => {
    const facts = JSON.parse(readFileSync(join(fixture.dir, "data", "onchain.json"), "utf8"));
    expect(facts.locks.map((lock: { staking: string }) => lock.staking)).toEqual([firstStaking, firstStaking, secondStaking]);
    const firstOnlyPath = join(fixture.dir, "deployments-first-staking-only.json");
    writeDeployments(firstOnlyPath, { chains: [firstOnly] });
    const run = await runSeason(["verify", seasonDir, "--rpc", node.rpcUrl, "--deployments", firstOnlyPath, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`onchain\\.json locks = eth_getLogs\\s+FAIL\\s+only in onchain\\.json: .*"staking":"${secondStaking}"`));
    const both = await runSeason(["verify", seasonDir, "--rpc", node.rpcUrl, "--deployments", deploymentsPath, "--quiet"]);
    expect(both.stdout).toMatch(/onchain\.json locks = eth_getLogs\s+pass\s+3 Staked events/);
  });

  it("fails when the second contract's lock is tampered with: another amount", async () => {
    const dir = await rebuildWith("more-locked", (facts) => {
      facts.locks[2]!.amount = (1_000n * E18).toString();
    });
    const run = await runSeason(["verify", dir, "--rpc", node.rpcUrl, "--deployments", deploymentsPath, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/onchain\.json locks = eth_getLogs\s+FAIL\s+.*"amount":"1000000000000000000000"/);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+pass/);
  });

  it("fails when the second contract's lock is said to be in the first contract", async () => {
    const dir = await rebuildWith("other-contract", (facts) => {
      facts.locks[2]!.staking = firstStaking;
    });
    const run = await runSeason(["verify", dir, "--rpc", node.rpcUrl, "--deployments", deploymentsPath, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`onchain\\.json locks = eth_getLogs\\s+FAIL\\s+.*"staking":"${firstStaking}"`));
  });
});
