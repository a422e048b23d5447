/**
 * The distribution commands against a real Hardhat node, through the real
 * CLI: `season deploy` (one funded distributor per root) and `season claim`
 * (own address, on behalf, already claimed, nothing to claim, deadline).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, parseUnits, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, hardhatAccount, walletFor, type ChainConnection } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { readDeployments, writeDeployments } from "../../chain/deployments.js";
import { latestTimestamp, mineAt, setBalance, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { decryptKeystore, encryptKeystore } from "../../scripts/keys/wallet.js";
import { runSeason } from "./support/cli.js";
import { writeSeasonFixture, type SeasonFixture } from "./support/season-fixture.js";

const SOGNI = (text: string): bigint => parseUnits(text, 18);

let node: HardhatNode;
let chain: ChainConnection;
let work: string;
let token: Address;
const treasuryKey = generatePrivateKey();
const treasury = privateKeyToAccount(treasuryKey);
const aliceKey = generatePrivateKey();
const alice = privateKeyToAccount(aliceKey);
const bob = privateKeyToAccount(generatePrivateKey());
const carol = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
let season: SeasonFixture;

async function balanceOf(account: Address): Promise<bigint> {
  return chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [account] });
}

async function isClaimed(distributor: Address, index: number): Promise<boolean> {
  return chain.publicClient.readContract({ address: distributor, abi: SeasonDistributorAbi, functionName: "isClaimed", args: [BigInt(index)] });
}

function deploymentJson(dir: string): Record<string, unknown> & { address: Address } {
  return JSON.parse(readFileSync(join(dir, "deployment.json"), "utf8"));
}

function indexOf(account: Address): number {
  return season.recipients.findIndex((r) => r.account === account.toLowerCase());
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "distribution-"));
  node = await startHardhatNode();
  chain = await connectChain(node.rpcUrl);
  const owner = walletFor(chain, hardhatAccount(0));
  const { abi, bytecode } = loadArtifact("SogniToken");
  const hash = await owner.deployContract({ abi, bytecode, args: [] });
  token = (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
  // The treasury holds 1,000,000 SOGNI and some ETH for gas; claimants only ETH.
  await chain.publicClient.waitForTransactionReceipt({
    hash: await owner.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [treasury.address, SOGNI("1000000")] }),
  });
  for (const account of [treasury, alice, bob, carol]) await setBalance(chain.publicClient, account.address, SOGNI("10"));

  season = writeSeasonFixture(work, {
    season: 7,
    chainId: node.chainId,
    token,
    claimDeadline: (await latestTimestamp(chain.publicClient)) + 365 * 86_400,
    allocations: [
      { account: alice.address, amount: SOGNI("1000.5") },
      { account: bob.address, amount: SOGNI("250") },
      { account: carol.address, amount: SOGNI("3.000000000000000001") },
    ],
  });
  writeDeployments(join(work, "deployments.json"), {
    chains: [
      {
        chainId: node.chainId,
        name: "hardhat",
        rpcUrl: node.rpcUrl,
        startBlock: 0,
        contracts: { SogniToken: token, SogniStaking: token, WorkerPayouts: token },
        distributors: [],
      },
    ],
  });
});

afterAll(async () => {
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("season deploy: one distributor per root, funded with exactly the season total", () => {
  it("deploys with the manifest's root and deadline, funds 1253.500000000000000001 SOGNI and records deployment.json", async () => {
    const treasuryBefore = await balanceOf(treasury.address);
    const result = await runSeason(
      ["deploy", season.dir, "--rpc", node.rpcUrl, "--deployments", join(work, "deployments.json")],
      { SEASON_PRIVATE_KEY: treasuryKey },
    );
    expect(result.stderr).toContain("step 3/3");
    expect(result.code).toBe(0);
    expect(season.total).toBe(SOGNI("1253.500000000000000001"));
    expect(result.stdout).toContain("1253.500000000000000001 SOGNI (= season total)");

    const record = deploymentJson(season.dir);
    expect(record).toMatchObject({
      chainId: node.chainId,
      token: token.toLowerCase(),
      merkleRoot: season.root,
      deployer: treasury.address.toLowerCase(),
    });
    expect(record.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(typeof record.block).toBe("number");
    const distributor = { address: record.address, abi: SeasonDistributorAbi } as const;
    expect(await chain.publicClient.readContract({ ...distributor, functionName: "merkleRoot" })).toBe(season.root);
    const deadlineIso = JSON.parse(readFileSync(join(season.dir, "manifest.json"), "utf8")).claimDeadline as string;
    expect(await chain.publicClient.readContract({ ...distributor, functionName: "claimDeadline" })).toBe(BigInt(Date.parse(deadlineIso) / 1000));
    expect(await balanceOf(record.address)).toBe(season.total);
    expect(await balanceOf(treasury.address)).toBe(treasuryBefore - season.total);

    const deployments = readDeployments(join(work, "deployments.json"));
    expect(deployments.chains[0]!.distributors).toEqual([{ season: 7, address: record.address, block: record.block }]);
  });

  it("refuses to deploy the same root twice (exit 3, deployment.json unchanged), and --force deploys a second one", async () => {
    const before = readFileSync(join(season.dir, "deployment.json"), "utf8");
    const treasuryBefore = await balanceOf(treasury.address);
    const refused = await runSeason(["deploy", season.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("already deployed");
    expect(readFileSync(join(season.dir, "deployment.json"), "utf8")).toBe(before);
    expect(await balanceOf(treasury.address)).toBe(treasuryBefore);

    // A copy of the season elsewhere, forced: a second distributor, funded again.
    const copy = mkdtempSync(join(work, "forced-"));
    const forcedSeason = writeSeasonFixture(copy, {
      season: 7,
      chainId: node.chainId,
      token,
      allocations: season.recipients.map((r) => ({ account: r.account, amount: r.amount })),
    });
    // Without deployment.json but with the deployments file that names the first distributor: still refused.
    const knownRoot = await runSeason(["deploy", forcedSeason.dir, "--rpc", node.rpcUrl, "--deployments", join(work, "deployments.json")], { SEASON_PRIVATE_KEY: treasuryKey });
    expect(knownRoot.code).toBe(1);
    expect(knownRoot.stderr).toContain(`the distributor ${deploymentJson(season.dir).address} (season 7 in ${join(work, "deployments.json")}) already holds root ${season.root}`);
    expect(existsSync(join(forcedSeason.dir, "deployment.json"))).toBe(false);
    expect(await balanceOf(treasury.address)).toBe(treasuryBefore);

    writeFileSync(join(forcedSeason.dir, "deployment.json"), before);
    const forced = await runSeason(["deploy", forcedSeason.dir, "--rpc", node.rpcUrl, "--force", "--json"], { SEASON_PRIVATE_KEY: treasuryKey });
    expect(forced.code).toBe(0);
    const output = JSON.parse(forced.stdout) as { address: Address; balance: string; claimDeadline: number };
    expect(output.address).not.toBe(deploymentJson(season.dir).address);
    expect(output.balance).toBe(season.total.toString());
    expect(output.claimDeadline).toBe(0); // no claimDeadline in this manifest: the contract's "no deadline"
    expect(await balanceOf(treasury.address)).toBe(treasuryBefore - season.total);
  });

  it("finishes an interrupted run: a distributor deployed but never funded is funded on the next run, not deployed again", async () => {
    const dir = mkdtempSync(join(work, "resume-"));
    const interrupted = writeSeasonFixture(dir, { season: 10, chainId: node.chainId, token, allocations: [{ account: bob.address, amount: SOGNI("42") }] });
    // What the first run had done when it died: the contract deployed, deployment.json written, no transfer.
    const treasuryWallet = walletFor(chain, treasury);
    const { abi, bytecode } = loadArtifact("SeasonDistributor");
    const hash = await treasuryWallet.deployContract({ abi, bytecode, args: [token, interrupted.root, 0n, treasury.address] });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    const address = receipt.contractAddress!.toLowerCase() as Address;
    writeFileSync(
      join(interrupted.dir, "deployment.json"),
      JSON.stringify({ chainId: node.chainId, address, block: Number(receipt.blockNumber), transactionHash: hash, token: token.toLowerCase(), merkleRoot: interrupted.root, deployer: treasury.address.toLowerCase(), claimDeadline: 0, total: SOGNI("42").toString(), funding: null }),
    );
    const result = await runSeason(["deploy", interrupted.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`resuming: ${address} was deployed but never funded`);
    expect(result.stdout).toContain("Funded the earlier deployment");
    expect(deploymentJson(interrupted.dir).address).toBe(address);
    expect(deploymentJson(interrupted.dir).funding).toMatchObject({ transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await balanceOf(address)).toBe(SOGNI("42"));
  });

  it("refuses to start when the treasury holds less than the total (exit 1, nothing deployed)", async () => {
    const poor = generatePrivateKey();
    await setBalance(chain.publicClient, privateKeyToAccount(poor).address, SOGNI("1"));
    const dir = mkdtempSync(join(work, "poor-"));
    const poorSeason = writeSeasonFixture(dir, { season: 9, chainId: node.chainId, token, allocations: [{ account: bob.address, amount: SOGNI("5") }] });
    const result = await runSeason(["deploy", poorSeason.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: poor });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("less than the season total 5");
    expect(() => readFileSync(join(poorSeason.dir, "deployment.json"))).toThrow();
  });

  it("takes the token from $DEPLOYMENTS when the manifest names none (a season built from the simulator's season.json), and records the distributor there", async () => {
    const dir = mkdtempSync(join(work, "no-token-"));
    const noToken = writeSeasonFixture(dir, { season: 10, chainId: node.chainId, token, allocations: [{ account: bob.address, amount: SOGNI("7") }] });
    const manifestPath = join(noToken.dir, "manifest.json");
    writeFileSync(manifestPath, `${JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, "utf8")), token: null }, null, 2)}\n`);

    const without = await runSeason(["deploy", noToken.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain("which token? The manifest names none: pass --token <address> or --deployments <file>");

    const deploymentsPath = join(dir, "deployments.json");
    writeDeployments(deploymentsPath, {
      chains: [{ chainId: node.chainId, name: "hardhat", rpcUrl: node.rpcUrl, startBlock: 0, contracts: { SogniToken: token, SogniStaking: token, WorkerPayouts: token }, distributors: [] }],
    });
    const result = await runSeason(["deploy", noToken.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey, DEPLOYMENTS: deploymentsPath });
    expect(result.code).toBe(0);
    const record = deploymentJson(noToken.dir);
    expect(record.token).toBe(token.toLowerCase());
    expect(await balanceOf(record.address)).toBe(SOGNI("7"));
    expect(result.stderr).toContain(`added the distributor to ${deploymentsPath}`);
    expect(readDeployments(deploymentsPath).chains[0]!.distributors).toEqual([{ season: 10, address: record.address, block: record.block }]);
  });

  it("takes no key from the command line: without SEASON_PRIVATE_KEY or a keystore it says how to give one", async () => {
    const result = await runSeason(["deploy", season.dir, "--rpc", node.rpcUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("set SEASON_PRIVATE_KEY");
  });
});

describe("season claim: tokens go to the account, each index pays once", () => {
  it("claims the signer's own 1000.5 SOGNI with an encrypted keystore, printing the transaction and the new balance", async () => {
    const keystore = join(work, "alice.json");
    writeFileSync(keystore, JSON.stringify(await encryptKeystore(aliceKey, "alice's password", { scryptN: 1 << 12 })));
    const distributor = deploymentJson(season.dir).address;
    const result = await runSeason(["claim", season.dir, "--rpc", node.rpcUrl, "--keystore", keystore], { SEASON_KEYSTORE_PASSWORD: "alice's password" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Claimed 1000.5 SOGNI for ${alice.address.toLowerCase()}`);
    expect(result.stdout).toMatch(/transaction {2}0x[0-9a-f]{64}/);
    expect(result.stdout).toContain("new balance  1000.5 SOGNI");
    expect(await balanceOf(alice.address)).toBe(SOGNI("1000.5"));
    expect(await isClaimed(distributor, indexOf(alice.address))).toBe(true);
    expect(await balanceOf(distributor)).toBe(season.total - SOGNI("1000.5"));
  });

  it("refuses a wrong keystore password (exit 1, nothing sent)", async () => {
    const result = await runSeason(["claim", season.dir, "--rpc", node.rpcUrl, "--keystore", join(work, "alice.json")], { SEASON_KEYSTORE_PASSWORD: "guess" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wrong keystore password");
  });

  it("claims on behalf of carol: carol gets 3.000000000000000001 SOGNI, the sender (alice) nothing more", async () => {
    const aliceBefore = await balanceOf(alice.address);
    const result = await runSeason(["claim", season.dir, "--rpc", node.rpcUrl, "--account", carol.address, "--json"], { SEASON_PRIVATE_KEY: aliceKey });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { status: string; account: string; amount: string; balance: string; transactionHash: Hex };
    expect(output).toMatchObject({ status: "claimed", account: carol.address.toLowerCase(), amount: "3000000000000000001", balance: "3000000000000000001" });
    expect(await balanceOf(carol.address)).toBe(SOGNI("3.000000000000000001"));
    expect(await balanceOf(alice.address)).toBe(aliceBefore);
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: output.transactionHash });
    expect(getAddress(receipt.from)).toBe(alice.address);
  });

  it("says 'already claimed' with exit 3 and sends nothing", async () => {
    const nonce = await chain.publicClient.getTransactionCount({ address: alice.address });
    const result = await runSeason(["claim", season.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: aliceKey });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`already claimed: ${alice.address.toLowerCase()} (index ${indexOf(alice.address)}) has claimed this season's 1000.5 SOGNI; nothing sent`);
    expect(await chain.publicClient.getTransactionCount({ address: alice.address })).toBe(nonce);
  });

  it("says 'nothing to claim' with exit 4 for an address that is not a recipient", async () => {
    const result = await runSeason(["claim", season.dir, "--rpc", node.rpcUrl, "--account", stranger.address], { SEASON_PRIVATE_KEY: aliceKey });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`nothing to claim: ${stranger.address.toLowerCase()} is not a recipient`);
  });

  it("a malformed --account or --distributor is bad usage: exit 2, as for `season proof`, before any key is read or anything sent", async () => {
    const nonce = await chain.publicClient.getTransactionCount({ address: alice.address });
    for (const [flag, value, reason] of [
      ["--account", "0x123", 'not an address: "0x123" (expected 0x and 40 hex digits)'],
      ["--account", "0x70997970c51812dc3A010C7d01b50e0d17dc79C8", 'bad checksum: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"'],
      ["--distributor", "dead", 'not an address: "dead"'],
    ] as const) {
      // No key in the environment: a usage error must not get as far as asking for one.
      const result = await runSeason(["claim", season.dir, "--rpc", node.rpcUrl, flag, value]);
      expect({ flag, value, code: result.code }).toEqual({ flag, value, code: 2 });
      expect(result.stderr).toContain(`sogni-season claim: ${flag}: ${reason}`);
      expect(result.stderr).toContain("(see sogni-season claim --help)");
    }
    const proof = await runSeason(["proof", season.dir, "0x123"]);
    expect(proof.code).toBe(2);
    expect(await chain.publicClient.getTransactionCount({ address: alice.address })).toBe(nonce);
  });

  it("says 'deadline passed' with exit 5 one second after the claim deadline; bob's 250 SOGNI stay in the distributor", async () => {
    const dir = mkdtempSync(join(work, "deadline-"));
    const now = await latestTimestamp(chain.publicClient);
    const deadline = now + 3_600;
    const late = writeSeasonFixture(dir, {
      season: 8,
      chainId: node.chainId,
      token,
      claimDeadline: deadline,
      allocations: [{ account: bob.address, amount: SOGNI("250") }],
    });
    expect((await runSeason(["deploy", late.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey })).code).toBe(0);
    const distributor = deploymentJson(late.dir).address;
    // The deadline is the last second a claim is accepted: move to deadline + 1.
    await mineAt(chain.publicClient, deadline + 1);
    const result = await runSeason(["claim", late.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey, SEASON_KEYSTORE: "" });
    expect(result.code).toBe(4); // the treasury itself is not a recipient …
    const onBehalf = await runSeason(["claim", late.dir, "--rpc", node.rpcUrl, "--account", bob.address], { SEASON_PRIVATE_KEY: treasuryKey });
    expect(onBehalf.code).toBe(5); // … and bob is, but too late
    expect(onBehalf.stderr).toContain(`the claim deadline passed at ${new Date(deadline * 1000).toISOString().replace(".000Z", "Z")}: ${bob.address.toLowerCase()} can no longer claim its 250 SOGNI`);
    expect(await balanceOf(distributor)).toBe(SOGNI("250"));
  });
});

describe("keys: Web3 Secret Storage v3 keystores (scrypt + aes-128-ctr), never a key on the command line", () => {
  it("decrypts the Web3 Secret Storage definition's scrypt test vector to 0x7a28b5ba…fe9d", async () => {
    const vector = {
      version: 3,
      id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
      crypto: {
        cipher: "aes-128-ctr",
        cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
        ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
        kdf: "scrypt",
        kdfparams: { dklen: 32, n: 262144, r: 1, p: 8, salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19" },
        mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
      },
    };
    expect(await decryptKeystore(vector, "testpassword")).toBe("0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
    await expect(decryptKeystore(vector, "testpassword!")).rejects.toThrow("wrong keystore password");
  });

  it("round-trips a key: encrypt, then decrypt with the same password; the file holds no plain key", async () => {
    const key = generatePrivateKey();
    const store = await encryptKeystore(key, "pw", { scryptN: 1 << 10 });
    expect(store.address).toBe(privateKeyToAccount(key).address.slice(2).toLowerCase());
    expect(JSON.stringify(store)).not.toContain(key.slice(2));
    expect(await decryptKeystore(store, "pw")).toBe(key);
  });
});
