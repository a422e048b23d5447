/**
 * The chain CLI (scripts/chain.ts) as a user runs it: help, exit codes,
 * deploy into a deployments file (merged, one entry per chain), simulate
 * from that file.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

async function chain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "chain.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, DEPLOYER_PRIVATE_KEY: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("chain CLI: help and usage errors", () => {
  it("--help lists the three commands and exits 0", async () => {
    const { code, stdout } = await chain(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/node\s+Start a local Hardhat node/);
    expect(stdout).toMatch(/deploy\s+Deploy the contracts/);
    expect(stdout).toMatch(/simulate\s+Drive deterministic activity/);
  });

  it("each command has --help", async () => {
    for (const command of ["node", "deploy", "simulate"]) {
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
});
