/**
 * The whole season path, from nothing, on real local parts: a Hardhat node,
 * the contracts, a simulated season (chain activity and Spark exports), the
 * Ponder indexer on PGlite, `season build --indexer`, `season deploy`,
 * `season claim` for a few recipients, and `season verify --rpc`. The CLI in
 * scripts/demo.ts prints it; test/e2e/season.test.ts drives it further.
 *
 * Every season command runs as the real CLI (bin/sogni-season.mjs) in a child
 * process; the chain and the indexer are child processes too, and `stop()`
 * ends all of them.
 *
 * @example
 * const demo = await runDemo({ workDir: "out/demo" });
 * console.log(demo.pageUrl);
 * await demo.stop();
 */
import { parseIsoTime } from "../../season/time.js";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bytesToHex, type Address, type Hex } from "viem";
import { POOL_KEYS, type PoolKey } from "../../season/types.js";
import { connectChain, hardhatAccount, walletFor } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { deployAll, saveDeployment } from "../local/deploy.js";
import { readDeploymentRecord, type DeploymentRecord } from "../../season-io/deployment-record.js";
import { loadManifest } from "../../season-io/season-dir.js";
import { startHardhatNode, type HardhatNode } from "../local/hardhat-node.js";
import { startIndexer, type IndexerProcess } from "../local/indexer-process.js";
import { freePort } from "../local/ports.js";
import { simulate, writeSimulation, type SimulationResult } from "../sim/simulate.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SEASON_BIN = join(REPO_ROOT, "bin", "sogni-season.mjs");
const DAY = 86_400;

/** Season 7's window (SPEC section 1). */
export const DEMO_WINDOW = { start: parseIsoTime("2026-10-13T00:00:00Z"), end: parseIsoTime("2026-11-24T00:00:00Z") };

export interface DemoOptions {
  /** Everything the demo writes goes here (wiped first). Default out/demo. */
  workDir?: string;
  /** Simulated accounts (default 300). */
  accounts?: number;
  seed?: number;
  /** How many recipients claim through `season claim` (default 4: three for themselves, one on behalf). */
  claims?: number;
  /** Ports for a person to click through (--serve); default free ports. */
  rpcPort?: number;
  apiPort?: number;
  /**
   * false: skip the indexer, build from the simulator's onchain.json and read
   * claim status from the chain (for when Ponder cannot run). Default true.
   */
  indexer?: boolean;
  /** A step began / ended; `detail` lines belong to the running step. */
  onStep?: (event: StepEvent) => void;
}

export type StepEvent =
  | { kind: "start"; index: number; total: number; title: string }
  | { kind: "detail"; line: string }
  | { kind: "done"; index: number; title: string; seconds: number; summary?: string };

/** A step failed: says which one and why. */
export class DemoStepError extends Error {
  override name = "DemoStepError";
  constructor(
    readonly step: number,
    readonly title: string,
    readonly reason: string,
  ) {
    super(`step ${step} (${title}) failed: ${reason}`);
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DemoClaim {
  account: Address;
  sender: Address;
  amount: bigint;
  output: string;
}

export interface DemoRun {
  workDir: string;
  node: HardhatNode;
  /** Undefined with `indexer: false`. */
  indexer: IndexerProcess | undefined;
  /** The page and API (the indexer's port, or the page alone with `indexer: false`). */
  pageUrl: string;
  deploymentsPath: string;
  simDir: string;
  seasonDir: string;
  simulation: SimulationResult;
  deployment: DeploymentRecord;
  treasuryKey: Hex;
  claims: DemoClaim[];
  verify: CliRun;
  /** `season leaderboard <pool> --top 5` output per pool. */
  leaderboards: Record<PoolKey, string>;
  /** Stops the indexer and the node (idempotent). */
  stop(): Promise<void>;
}

/** The steps, in order; `indexer: false` swaps the indexer's two steps for their fallbacks. */
export function demoSteps(useIndexer: boolean): string[] {
  return [
    "compile the contracts (offline solc)",
    "start a local Hardhat node",
    "deploy SogniToken, SogniStaking, WorkerPayouts",
    "simulate season 7 (chain activity + Spark exports)",
    useIndexer ? "index the chain with Ponder on PGlite" : "serve the page without an indexer (--no-indexer)",
    useIndexer ? "build season 7 from the indexer's snapshot" : "build season 7 from the simulator's onchain.json",
    "deploy and fund the SeasonDistributor",
    "claim for a few recipients",
    useIndexer ? "see the claims in the indexer" : "see the claims on the chain (isClaimed)",
    "verify the season against its inputs and the chain",
  ];
}

/**
 * Runs a command and collects its output; stderr lines are passed on as
 * they come (progress stays visible).
 */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      stderr += text;
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onLine(line);
    });
    child.on("error", fail);
    child.on("close", (code) => {
      if (partial.trim() !== "") onLine(partial);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** `season <args>` through the real CLI. */
export function runSeasonCli(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<CliRun> {
  return runCommand(process.execPath, [SEASON_BIN, ...args], env, onLine);
}

/** The private key of Hardhat's development account `index` (public, local chains only). */
export function hardhatKey(index: number): Hex {
  const key = hardhatAccount(index).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for Hardhat account ${index}`);
  return bytesToHex(key);
}

/** Runs the demo up to and including verification; the chain and indexer stay up until stop(). */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun> {
  const workDir = resolve(options.workDir ?? join(REPO_ROOT, "out", "demo"));
  const emit = options.onStep ?? (() => {});
  const detail = (line: string): void => emit({ kind: "detail", line });
  const deploymentsPath = join(workDir, "deployments.json");
  const simDir = join(workDir, "simulation");
  const outDir = join(workDir, "out");
  const treasuryKey = hardhatKey(0);
  let node: HardhatNode | undefined;
  let indexer: IndexerProcess | undefined;
  const stop = async (): Promise<void> => {
    await pageServer?.close();
    await indexer?.stop();
    await node?.stop();
  };

  const useIndexer = options.indexer ?? true;
  const titles = demoSteps(useIndexer);
  let pageServer: { url: string; close: () => Promise<void> } | undefined;
  let current = 0;
  const step = async <T>(run: () => Promise<T | { value: T; summary: string }>): Promise<T> => {
    current++;
    const title = titles[current - 1]!;
    emit({ kind: "start", index: current, total: titles.length, title });
    const began = Date.now();
    try {
      const result = await run();
      const packed = result !== null && typeof result === "object" && "summary" in (result as object) && "value" in (result as object);
      emit({
        kind: "done",
        index: current,
        title,
        seconds: (Date.now() - began) / 1000,
        summary: packed ? (result as { summary: string }).summary : undefined,
      });
      return packed ? (result as { value: T }).value : (result as T);
    } catch (error) {
      throw new DemoStepError(current, title, (error as Error).message);
    }
  };
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
    const run = await runSeasonCli(args, env, (line) => detail(line));
    if (run.code !== 0) throw new Error(`\`season ${args[0]}\` exited with ${run.code}: ${lastLines(run.stderr, 2)} (its full output is above)`);
    return run;
  };

  try {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });

    await step(async () => {
      const run = await runCommand(join(REPO_ROOT, "node_modules", ".bin", "hardhat"), ["build", "--quiet"], {}, detail);
      if (run.code !== 0) throw new Error(`hardhat build exited with ${run.code}: ${lastLines(run.stderr + run.stdout)}`);
    });

    node = await step(async () => {
      // The chain starts three weeks before the window: block time only moves forward.
      const started = await startHardhatNode({ initialDate: DEMO_WINDOW.start - 21 * DAY, ...(options.rpcPort ? { port: options.rpcPort } : {}) });
      return { value: started, summary: `${started.rpcUrl} (chain ${started.chainId})` };
    });

    const chainDeployment = await step(async () => {
      const entry = await deployAll({ rpcUrl: node!.rpcUrl, log: detail });
      saveDeployment(deploymentsPath, entry);
      return { value: entry, summary: `token ${entry.contracts.SogniToken}` };
    });

    const simulation = await step(async () => {
      const result = await simulate({
        chains: [{ rpcUrl: node!.rpcUrl, deployment: chainDeployment }],
        accounts: options.accounts ?? 300,
        seed: options.seed ?? 7,
        start: DEMO_WINDOW.start,
        end: DEMO_WINDOW.end,
        season: 7,
        log: detail,
      });
      writeSimulation(result, simDir);
      const rows = Object.entries(result.exports.files).map(([name, text]) => `${name} ${text.split("\n").length - 2}`);
      return { value: result, summary: `${result.plan.accounts.length} accounts; exports: ${rows.join(", ")}; ${result.exports.expectedRejections.length} rows the cross-checks must reject` };
    });
    const lastBlocks = new Map(simulation.executions.map((execution) => [execution.chainId, execution.blocks[execution.blocks.length - 1]!.number] as [number, number]));

    if (!useIndexer) {
      pageServer = await step(async () => {
        const served = await servePageAlone(outDir, options.apiPort);
        return { value: served, summary: `${served.url}/ (claim status from the chain)` };
      });
    } else indexer = await step(async () => {
      const started = await startIndexer({
        deploymentsPath,
        pgliteDir: join(workDir, "pglite"),
        schema: `demo_${process.pid}`,
        ...(options.apiPort ? { port: options.apiPort } : {}),
        env: { OUT_DIR: outDir },
      });
      await started.waitForBlocks(lastBlocks);
      return { value: started, summary: `${started.url} indexed up to block ${[...lastBlocks.values()].join(", ")}` };
    });

    const seasonDir = await step(async () => {
      const source = indexer ? ["--indexer", indexer.url] : ["--onchain", join(simDir, "onchain.json")];
      const run = await cli(["build", "--config", join(simDir, "season.json"), "--data", join(simDir, "exports"), ...source, "--out", outDir, "--deployments", deploymentsPath]);
      detail(run.stdout.trimEnd());
      return join(outDir, "season-7");
    });
    const manifest = loadManifest(seasonDir);

    const deployment = await step(async () => {
      // The local SOGNI stand-in: the owner mints the season total to the treasury (on a live chain the treasury already holds it).
      const chain = await connectChain(node!.rpcUrl);
      const owner = walletFor(chain, hardhatAccount(0));
      const held = await chain.publicClient.readContract({ address: chainDeployment.contracts.SogniToken, abi: SogniTokenAbi, functionName: "balanceOf", args: [owner.account.address] });
      const needed = BigInt(manifest.total);
      if (held < needed) {
        const hash = await owner.writeContract({
          address: chainDeployment.contracts.SogniToken,
          abi: SogniTokenAbi,
          functionName: "mint",
          args: [owner.account.address, needed - held],
        });
        await chain.publicClient.waitForTransactionReceipt({ hash });
        detail(`treasury ${owner.account.address.toLowerCase()} topped up to the season total (local stand-in token)`);
      }
      await cli(["deploy", seasonDir, "--rpc", node!.rpcUrl, "--deployments", deploymentsPath], { SEASON_PRIVATE_KEY: treasuryKey });
      const record = readDeploymentRecord(seasonDir)!;
      return { value: record, summary: `${record.address} holds the season total, block ${record.block}` };
    });

    const claims = await step(async () => {
      const keys = new Map(simulation.plan.accounts.map((account) => [account.address.toLowerCase(), account.privateKey]));
      const recipients = readRecipients(seasonDir).filter((recipient) => keys.has(recipient.address));
      // The largest recipient of each pool first: the claims a person will recognise on the leaderboards.
      const chosen: { address: Address; amount: bigint }[] = [];
      for (const pool of POOL_KEYS) {
        const top = recipients.filter((r) => r.pools[pool] > 0n).sort((a, b) => (b.pools[pool] > a.pools[pool] ? 1 : b.pools[pool] < a.pools[pool] ? -1 : 0))[0];
        if (top && !chosen.some((c) => c.address === top.address)) chosen.push(top);
      }
      const wanted = options.claims ?? 4;
      const made: DemoClaim[] = [];
      for (const [position, recipient] of chosen.slice(0, wanted).entries()) {
        // The last one is sent by the treasury on the recipient's behalf: tokens still go to the recipient.
        const onBehalf = position === wanted - 1 && wanted > 1;
        const key = onBehalf ? treasuryKey : keys.get(recipient.address)!;
        const args = ["claim", seasonDir, "--rpc", node!.rpcUrl, ...(onBehalf ? ["--account", recipient.address] : [])];
        const run = await cli(args, { SEASON_PRIVATE_KEY: key });
        made.push({ account: recipient.address, sender: onBehalf ? (hardhatAccount(0).address.toLowerCase() as Address) : recipient.address, amount: recipient.amount, output: run.stdout.trimEnd() });
        detail(run.stdout.trimEnd());
      }
      return { value: made, summary: `${made.length} claims sent (${made.filter((c) => c.sender !== c.account).length} on behalf)` };
    });

    await step(async () => {
      const chain = await connectChain(node!.rpcUrl);
      if (indexer === undefined) {
        const recipients = new Map(readRecipients(seasonDir).map((r) => [r.address, r.index]));
        for (const claim of claims) {
          const index = BigInt(recipients.get(claim.account)!);
          const claimed = await chain.publicClient.readContract({ address: deployment.address, abi: SeasonDistributorAbi, functionName: "isClaimed", args: [index] });
          detail(`isClaimed(${index}) for ${claim.account} -> ${claimed}`);
          if (claimed !== true) throw new Error(`the distributor does not show ${claim.account}'s claim`);
        }
        return { value: undefined, summary: `${claims.length} of ${claims.length} claims recorded on the chain` };
      }
      const head = Number(await chain.publicClient.getBlockNumber());
      await indexer.waitForBlocks(new Map([[node!.chainId, head]]));
      for (const claim of claims) {
        const status = await claimStatus(indexer.url, 7, claim.account);
        detail(`GET /claims/7/${claim.account} -> ${JSON.stringify(status.body)}`);
        if (!status.claimed) throw new Error(`the indexer does not show ${claim.account}'s claim (HTTP ${status.status}): ${JSON.stringify(status.body)}`);
      }
      return { value: undefined, summary: `${claims.length} of ${claims.length} claims seen by the indexer` };
    });

    const verify = await step(async () => {
      const run = await runSeasonCli(["verify", seasonDir, "--rpc", node!.rpcUrl, "--distributor", deployment.address, "--deployments", deploymentsPath], {}, detail);
      if (run.code !== 0) throw new Error(`season verify found a mismatch (exit ${run.code}):\n${run.stdout}${lastLines(run.stderr)}`);
      return run;
    });

    const leaderboards = {} as Record<PoolKey, string>;
    for (const pool of POOL_KEYS) {
      const run = await runSeasonCli(["leaderboard", seasonDir, pool, "--top", "5"], {}, () => {});
      leaderboards[pool] = run.code === 0 ? run.stdout.trimEnd() : `(season leaderboard failed: ${lastLines(run.stderr)})`;
    }

    return {
      workDir,
      node: node!,
      indexer,
      pageUrl: `${indexer?.url ?? pageServer!.url}/`,
      deploymentsPath,
      simDir,
      seasonDir,
      simulation,
      deployment,
      treasuryKey,
      claims,
      verify,
      leaderboards,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The page's routes on their own (no indexer), for `indexer: false`. */
async function servePageAlone(outDir: string, port?: number): Promise<{ url: string; close: () => Promise<void> }> {
  const { serve } = await import("@hono/node-server");
  const { pageRoutes } = await import("../../web/server.js");
  const app = pageRoutes({ outDir });
  const chosen = port ?? (await freePort());
  const server = await new Promise<ReturnType<typeof serve>>((done) => {
    const started = serve({ fetch: app.fetch, port: chosen, hostname: "127.0.0.1" }, () => done(started));
  });
  return { url: `http://127.0.0.1:${chosen}`, close: () => new Promise<void>((done) => server.close(() => done())) };
}

/** recipients.csv rows (addresses lower case, amounts in wei). */
export function readRecipients(seasonDir: string): { index: number; address: Address; amount: bigint; pools: Record<PoolKey, bigint> }[] {
  const lines = readFileSync(join(seasonDir, "recipients.csv"), "utf8").split("\n").filter((line) => line !== "");
  return lines.slice(1).map((line) => {
    const fields = line.split(",");
    const pools = {} as Record<PoolKey, bigint>;
    POOL_KEYS.forEach((pool, k) => (pools[pool] = BigInt(fields[3 + k]!)));
    return { index: Number(fields[0]), address: fields[1]!.toLowerCase() as Address, amount: BigInt(fields[2]!), pools };
  });
}

/** The indexer's claim status for one address (GET /claims/:season/:address). */
export async function claimStatus(apiUrl: string, season: number, account: string): Promise<{ status: number; claimed: boolean; body: unknown }> {
  const response = await fetch(`${apiUrl}/claims/${season}/${account}`);
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  const claimed = body !== null && (body.claimed === true || body.status === "claimed" || (Array.isArray(body.claims) && body.claims.length > 0));
  return { status: response.status, claimed, body };
}

function lastLines(text: string, count = 12): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}
