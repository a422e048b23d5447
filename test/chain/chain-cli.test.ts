/**
 * The chain CLI (scripts/chain.ts) as a user runs it: help, exit codes,
 * deploy into a deployments file (merged, one entry per chain), simulate
 * from that file, fund an account by minting the SOGNI stand-in.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectChain } from "../../chain/clients.js";
import { SogniTokenAbi } from "../../chain/abis/index.js";
import { startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

async function chain(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "chain.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, DEPLOYER_PRIVATE_KEY: "", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("chain CLI: help and usage errors", () => {
  it("--help lists the commands and exits 0", async () => {
    const { code, stdout } = await chain(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/node\s+Start a local Hardhat node/);
    expect(stdout).toMatch(/deploy\s+Deploy the contracts/);
    expect(stdout).toMatch(/simulate\s+Drive deterministic activity/);
    expect(stdout).toMatch(/fund\s+Mint the local SOGNI stand-in/);
    expect(stdout).toMatch(/wait-indexer\s+Wait until an indexer/);
  });

  it("each command has --help", async () => {
    for (const command of ["node", "deploy", "simulate", "fund", "wait-indexer"]) {
      const { code, stdout } = await chain([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toContain(`npm run chain -- ${command}`);
    }
  });

  it("an unknown option is a usage error: exit 2 with the reason", async () => {
    const { code, stderr } = await chain(["deploy", "--bogus"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--bogus'/);
  });

  it("--start without --end is a usage error", async () => {
    const { code, stderr } = await chain(["simulate", "--start", "2026-10-13T00:00:00Z"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/both --start and --end/);
  });

  it("fund without --to/--amount, with a malformed address or amount, is a usage error (exit 2), before any chain is asked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chain-cli-fund-"));
    const deployments = join(dir, "deployments.json");
    writeFileSync(deployments, JSON.stringify({ chains: [] }));
    const to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const cases: [string[], RegExp][] = [
      [["--amount", "5"], /fund needs --to <address> and --amount <SOGNI>/],
      [["--to", "0x123", "--amount", "5"], /--to: not an address: "0x123"/],
      [["--to", to, "--amount", "1.5x"], /--amount: not a decimal number: "1\.5x"/],
      [["--to", to, "--amount=-3"], /--amount: not a decimal number: "-3"/],
      [["--to", to, "--amount", "0.0000000000000000001"], /--amount: .* at most 18 allowed/],
      [["--to", to, "--amount", "0"], /--amount must be more than 0/],
    ];
    try {
      for (const [args, message] of cases) {
        const { code, stderr } = await chain(["fund", "--rpc", "http://127.0.0.1:9", "--deployments", deployments, ...args]);
        expect({ args, code }).toEqual({ args, code: 2 });
        expect(stderr).toMatch(message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("wait-indexer with no indexer answering gives up after --timeout with exit 1 and says what it waited for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chain-cli-wait-"));
    const node = await startHardhatNode({ chainId: 31339 });
    try {
      const deployments = join(dir, "deployments.json");
      writeFileSync(deployments, JSON.stringify({ chains: [{ chainId: 31339, name: "hardhat-31339", rpcUrl: node.rpcUrl, startBlock: 0, contracts: {}, distributors: [] }] }));
      const { code, stderr } = await chain(["wait-indexer", "--url", "http://127.0.0.1:9", "--deployments", deployments, "--timeout", "1"]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/did not reach chain 31339 block 0 in time \(no \/status answer from http:\/\/127\.0\.0\.1:9\)/);
    } finally {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("deploy to a port where nothing listens fails with exit 1 and says how to start a node", async () => {
    const { code, stderr } = await chain(["deploy", "--rpc", "http://127.0.0.1:9"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no JSON-RPC node answers at http:\/\/127\.0\.0\.1:9/);
  });
});

describe("chain CLI: deploy then simulate on a real node", () => {
  let node: HardhatNode;
  let dir: string;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31338, initialDate: "2026-09-20T00:00:00Z" });
    dir = mkdtempSync(join(tmpdir(), "chain-cli-"));
  });
  afterAll(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("deploy --json prints the chain's entry and writes it into --out", async () => {
    const out = join(dir, "deployments", "local.json");
    const { code, stdout } = await chain(["deploy", "--rpc", node.rpcUrl, "--out", out, "--timestamp", "2026-09-20T00:01:00Z", "--json"]);
    expect(code).toBe(0);
    const entry = JSON.parse(stdout);
    expect(entry).toMatchObject({ chainId: 31338, name: "hardhat-31338", rpcUrl: node.rpcUrl, startBlock: 1, distributors: [] });
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ chains: [entry] });
  });

  it("deploy-staking --json appends a second staking contract (a new season's) with its block; the first stays first", async () => {
    const out = join(dir, "deployments", "local.json");
    const before = JSON.parse(readFileSync(out, "utf8")).chains[0];
    const { code, stdout, stderr } = await chain(["deploy-staking", "--rpc", node.rpcUrl, "--out", out, "--timestamp", "2026-09-20T00:02:00Z", "--json"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/deployed SogniStaking at 0x[0-9a-fA-F]{40} \(block 4\) on chain 31338/);
    const entry = JSON.parse(stdout);
    expect(entry.staking).toEqual([
      { address: before.contracts.SogniStaking, block: before.startBlock },
      { address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), block: 4 },
    ]);
    expect(entry.contracts).toEqual(before.contracts);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ chains: [entry] });
  });

  it("simulate --json drives the chain from the deployments file and writes the output directory", async () => {
    const out = join(dir, "sim");
    const { code, stdout, stderr } = await chain([
      "simulate",
      "--deployments",
      join(dir, "deployments", "local.json"),
      "--accounts",
      "20",
      "--seed",
      "3",
      "--start",
      "2026-10-12T00:00:00Z",
      "--end",
      "2026-11-23T00:00:00Z",
      "--out",
      out,
      "--json",
    ]);
    expect(stderr).toMatch(/simulating 20 accounts on chain\(s\) 31338/);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ out, accounts: 20, window: { start: 1791763200, end: 1795392000 } });
    expect(summary.locks).toBeGreaterThan(0);
    for (const file of ["season.json", "onchain.json", "simulation.json", "exports/users.csv", "exports/jobs.csv"]) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    // Both staking contracts of the chain get locks (SPEC 8.4).
    const locks = (JSON.parse(readFileSync(join(out, "onchain.json"), "utf8")) as { locks: { staking: string }[] }).locks;
    expect(new Set(locks.map((lock) => lock.staking)).size).toBe(2);
  });

  it("simulate a second time on the same chain refuses: its clock is already past the plan's first block", async () => {
    const { code, stderr } = await chain([
      "simulate",
      "--deployments",
      join(dir, "deployments", "local.json"),
      "--accounts",
      "20",
      "--start",
      "2026-10-12T00:00:00Z",
      "--end",
      "2026-11-23T00:00:00Z",
      "--out",
      join(dir, "sim2"),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--initial-date before it/);
    expect(existsSync(join(dir, "sim2"))).toBe(false);
  });

  it("fund mints 1234.5 SOGNI on the chain's SogniToken to --to: printed, and the balance grows by exactly that", async () => {
    const deployments = join(dir, "deployments", "local.json");
    const token = JSON.parse(readFileSync(deployments, "utf8")).chains[0].contracts.SogniToken;
    const treasury = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
    const { publicClient } = await connectChain(node.rpcUrl);
    const balance = () => publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [treasury] });
    const before = await balance();
    const { code, stdout } = await chain(["fund", "--rpc", node.rpcUrl, "--deployments", deployments, "--to", treasury, "--amount", "1234.5"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^minted 1234\.5 SOGNI to 0x90f79bf6eb2c4f870365e785982e1f101e93b906 on chain 31338 \(block \d+, tx 0x[0-9a-f]{64}\); balance 1234\.5 SOGNI\n$/);
    expect((await balance()) - before).toBe(parseUnits("1234.5", 18));

    const json = await chain(["fund", "--rpc", node.rpcUrl, "--deployments", deployments, "--to", treasury, "--amount", "0.000000000000000001", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ chainId: 31338, to: treasury.toLowerCase(), amount: "1", balance: (parseUnits("1234.5", 18) + 1n).toString(), decimals: 18 });
  });

  it("fund signed by a key that does not own the token is refused before anything is sent (exit 1)", async () => {
    const deployments = join(dir, "deployments", "local.json");
    const stranger = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // Hardhat's account #1: not the deployer
    const blockBefore = await (await connectChain(node.rpcUrl)).publicClient.getBlockNumber();
    const { code, stderr } = await chain(["fund", "--rpc", node.rpcUrl, "--deployments", deployments, "--to", privateKeyToAccount(stranger).address, "--amount", "1"], {
      DEPLOYER_PRIVATE_KEY: stranger,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/the token's owner is 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266, but the signer is 0x70997970c51812dc3a010c7d01b50e0d17dc79c8: only the owner can mint/);
    expect(await (await connectChain(node.rpcUrl)).publicClient.getBlockNumber()).toBe(blockBefore);
  });

  it("fund on a chain the deployments file does not list says which deploy to run (exit 1)", async () => {
    const empty = join(dir, "empty.json");
    writeFileSync(empty, JSON.stringify({ chains: [] }));
    const { code, stderr } = await chain(["fund", "--rpc", node.rpcUrl, "--deployments", empty, "--to", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "--amount", "1"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/chain 31338 \(http:\/\/127\.0\.0\.1:\d+\) has no entry in .*empty\.json: run `npm run chain -- deploy --rpc/);
  });
});
