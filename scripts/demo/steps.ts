/**
 * Two seasons in series, from nothing, on real local parts: a Hardhat node,
 * the contracts and a SogniRewards (SPEC 8.3), season 6 simulated, indexed by
 * Ponder on PGlite, built from the indexer's snapshot, published and proposed;
 * the chain's clock moved past the timelock, the root accepted, a few claims;
 * then season 7 (vesting in two tranches) simulated on the same chain, built,
 * published with season 6 at its first tranche, proposed (pending: what the
 * page shows then), accepted, the differences claimed, and the last
 * publication verified against its seasons, their inputs and the chain. The
 * CLI in scripts/demo.ts prints it; test/e2e/series.test.ts drives it further.
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
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bytesToHex, type Address, type Hex } from "viem";
import { parseIsoTime, isoSeconds } from "../../season/time.js";
import { POOL_KEYS, type PoolKey } from "../../season/types.js";
import { parseRecipientLine, type RecipientRow } from "../../season/season-files.js";
import { connectChain, hardhatAccount } from "../../chain/clients.js";
import { SogniRewardsAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { readRewardsState } from "../../chain/rewards.js";
import { loadManifest } from "../../season-io/season-dir.js";
import { readPublication, readPublicationBalances } from "../../season-io/publication-dir.js";
import { deployAll, saveDeployment } from "../local/deploy.js";
import { fundAccount } from "../local/fund.js";
import { latestTimestamp, moveClock, startHardhatNode, type HardhatNode } from "../local/hardhat-node.js";
import { startIndexer, type IndexerProcess } from "../local/indexer-process.js";
import { startPageServer, type PageServer } from "../local/page-server.js";
import { simulate, writeSimulation, type SimulationResult } from "../sim/simulate.js";
import { sogni } from "./format.js";
import { describePageRewards, fetchPageRewards } from "./page-view.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SEASON_BIN = join(REPO_ROOT, "bin", "sogni-season.mjs");
const DAY = 86_400;

/** Season 6's window: six weeks, ending early enough that its simulated activity (to a week after) is over before season 7's begins. */
export const SEASON_6_WINDOW = { start: parseIsoTime("2026-08-04T00:00:00Z"), end: parseIsoTime("2026-09-15T00:00:00Z") };
/** Season 7's window (SPEC section 1). */
export const SEASON_7_WINDOW = { start: parseIsoTime("2026-10-13T00:00:00Z"), end: parseIsoTime("2026-11-24T00:00:00Z") };
/** Season 7 vests in two tranches (SPEC 8.1): a quarter a week after its end, the rest in March. */
export const SEASON_7_VESTING = [
  { at: "2026-12-01T00:00:00Z", share: "0.25" },
  { at: "2027-03-01T00:00:00Z", share: "1" },
] as const;
/** When each publication is dated: season 6 a week after its end; seasons 6 and 7 at season 7's first tranche. */
export const PUBLICATION_DATES = ["2026-09-22T00:00:00Z", SEASON_7_VESTING[0].at] as const;
/** SogniRewards' timelock: a proposed root waits a day in public before it can go live. */
export const DEMO_TIMELOCK = DAY;

export interface DemoOptions {
  /** Everything the demo writes goes here (wiped first). Default out/demo. */
  workDir?: string;
  /** Simulated accounts per season (default 300). */
  accounts?: number;
  /** Season 7's simulation seed (default 7); season 6's is one less. */
  seed?: number;
  /** Claims sent through `season rewards claim` under each publication (default 4: the last on the recipient's behalf). */
  claims?: number;
  /** Ports for a person to click through (--serve); default free ports. */
  rpcPort?: number;
  apiPort?: number;
  /**
   * false: skip the indexer, build from the simulator's onchain.json and read
   * claims from the chain (for when Ponder cannot run). Default true.
   */
  indexer?: boolean;
  /** A step began / ended; `detail` lines belong to the running step. */
  onStep?: (event: StepEvent) => void;
  /**
   * Called once each publication is live and the demo's claims under it are
   * made, before the demo goes on (the end-to-end test claims for everyone here).
   */
  onLive?: (live: DemoLive) => Promise<void>;
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

export interface DemoSeason {
  season: number;
  dir: string;
  simDir: string;
  simulation: SimulationResult;
  vesting: readonly { at: string; share: string }[] | undefined;
}

export interface DemoPublication {
  id: number;
  dir: string;
  /** Unix seconds. */
  at: number;
  merkleRoot: Hex;
  dataHash: Hex;
  total: bigint;
  recipients: number;
  /** The seasons it lists with the share of each vested at `at` (decimal string). */
  seasons: { season: number; share: string }[];
  /** address -> cumulative amount (wei). */
  cumulative: Map<Address, bigint>;
  proposed: { block: number; validAt: number };
  accepted: { block: number };
}

export interface DemoClaim {
  publication: number;
  account: Address;
  sender: Address;
  /** What the claim paid (the `Claimed` event), equal to the account's balance gain, which the demo checks. */
  amount: bigint;
  cumulative: bigint;
}

/** What the page showed one address while publication 2 waited for its timelock. */
export interface PendingView {
  account: Address;
  validAt: number;
  lines: string[];
}

/** Handed to {@link DemoOptions.onLive}. */
export interface DemoLive {
  publication: DemoPublication;
  node: HardhatNode;
  indexer: IndexerProcess | undefined;
  rewards: Address;
  token: Address;
  /** The demo's claims so far (every publication). */
  claims: readonly DemoClaim[];
  treasuryKey: Hex;
}

export interface DemoRun {
  workDir: string;
  node: HardhatNode;
  /** Undefined with `indexer: false`. */
  indexer: IndexerProcess | undefined;
  /** The page and API (the indexer's port, or the page alone with `indexer: false`). */
  pageUrl: string;
  deploymentsPath: string;
  outDir: string;
  seasons: DemoSeason[];
  /** The latest season's directory and simulation (season 7's), for what reads one season. */
  seasonDir: string;
  simulation: SimulationResult;
  publications: DemoPublication[];
  rewards: Address;
  token: Address;
  treasuryKey: Hex;
  /** Simulated account (lower case) -> its local test key, both seasons'. */
  keys: Map<Address, Hex>;
  claims: DemoClaim[];
  pending: PendingView;
  verify: CliRun;
  /** `season leaderboard <season 7> <pool> --top 5` output per pool. */
  leaderboards: Record<PoolKey, string>;
  /** Stops the page, the indexer and the node (idempotent). */
  stop(): Promise<void>;
}

/** The steps, in order; `indexer: false` swaps the indexer's steps for their fallbacks. */
export function demoSteps(useIndexer: boolean): string[] {
  const source = useIndexer ? "the indexer's snapshot" : "the simulator's onchain.json";
  return [
    "compile the contracts (offline solc)",
    "start a local Hardhat node",
    "deploy SogniToken, SogniStaking, WorkerPayouts and SogniRewards",
    "simulate season 6 (chain activity + Spark exports)",
    ...(useIndexer
      ? ["index the chain with Ponder on PGlite", `build season 6 from ${source}`]
      : [`build season 6 from ${source}`, "serve the page with `season serve --rpc` (no indexer)"]),
    "publish season 6 (publication 1), propose it to SogniRewards and fund it",
    "accept publication 1 after the timelock (the chain's clock moved)",
    "claim under publication 1",
    "simulate season 7 on the same chain",
    `build season 7 from ${source} (vesting in two tranches)`,
    "publish seasons 6 and 7 at season 7's first tranche (publication 2) and propose it",
    "accept publication 2 after the timelock",
    "claim the differences under publication 2",
    useIndexer ? "see the claims in the indexer" : "see the claims on the chain (claimed)",
    "verify publication 2 against its seasons, their inputs and the chain",
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
  const detail = (text: string): void => emit({ kind: "detail", line: text });
  const deploymentsPath = join(workDir, "deployments.json");
  const outDir = join(workDir, "out");
  const treasuryKey = hardhatKey(0);
  const treasury = hardhatAccount(0).address.toLowerCase() as Address;
  const accounts = options.accounts ?? 300;
  const seed = options.seed ?? 7;
  const wanted = options.claims ?? 4;
  let node: HardhatNode | undefined;
  let indexer: IndexerProcess | undefined;
  let pageServer: PageServer | undefined;
  const stop = async (): Promise<void> => {
    await pageServer?.stop();
    await indexer?.stop();
    await node?.stop();
  };

  const useIndexer = options.indexer ?? true;
  const titles = demoSteps(useIndexer);
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
    if (run.code !== 0) throw new Error(`\`season ${args.slice(0, 2).join(" ")}\` exited with ${run.code}: ${lastLines(run.stderr + run.stdout, 3)} (its full output is above)`);
    return run;
  };
  /** `season rewards <sub> …` against this chain's SogniRewards (from the deployments file). */
  const rewardsCli = (sub: string, args: string[], key?: Hex): Promise<CliRun> =>
    cli(["rewards", sub, ...args, "--rpc", node!.rpcUrl, "--deployments", deploymentsPath], key === undefined ? {} : { SEASON_PRIVATE_KEY: key });
  const showStdout = (run: CliRun): void => {
    if (run.stdout.trim() !== "") detail(run.stdout.trimEnd());
  };

  try {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });

    await step(async () => {
      const run = await runCommand(join(REPO_ROOT, "node_modules", ".bin", "hardhat"), ["build", "--quiet"], {}, detail);
      if (run.code !== 0) throw new Error(`hardhat build exited with ${run.code}: ${lastLines(run.stderr + run.stdout)}`);
    });

    node = await step(async () => {
      // The chain starts three weeks before season 6: block time only moves forward.
      const started = await startHardhatNode({ initialDate: SEASON_6_WINDOW.start - 21 * DAY, ...(options.rpcPort ? { port: options.rpcPort } : {}) });
      return { value: started, summary: `${started.rpcUrl} (chain ${started.chainId})` };
    });
    const chain = await connectChain(node.rpcUrl);
    const clockTo = async (time: number, why: string): Promise<void> => {
      if ((await latestTimestamp(chain.publicClient)) >= time) return;
      const moved = await moveClock(chain.publicClient, time);
      detail(`chain clock moved to ${isoSeconds(time)} (block ${moved.block}): ${why}`);
    };

    const { deployment, rewards } = await step(async () => {
      const entry = await deployAll({ rpcUrl: node!.rpcUrl, log: detail });
      saveDeployment(deploymentsPath, entry);
      const run = await rewardsCli("deploy", ["--timelock", String(DEMO_TIMELOCK), "--json"], treasuryKey);
      const deployed = JSON.parse(run.stdout) as { address: Address };
      return { value: { deployment: entry, rewards: deployed.address }, summary: `token ${entry.contracts.SogniToken}, SogniRewards ${deployed.address} (timelock 1 day)` };
    });
    const token = deployment.contracts.SogniToken.toLowerCase() as Address;

    // Each season after the first is simulated with the earlier ones: its payout batch ids follow
    // theirs, and its onchain.json lists their locks and payouts too (the chain holds them).
    const simulateOne = async (season: number, window: { start: number; end: number }, earlier: SimulationResult[], vesting?: DemoSeason["vesting"]): Promise<DemoSeason> => {
      const simDir = join(workDir, `simulation-${season}`);
      const simulation = await simulate({
        chains: [{ rpcUrl: node!.rpcUrl, deployment }],
        season,
        seed: seed - 7 + season,
        accounts,
        start: window.start,
        end: window.end,
        earlier,
        ...(vesting === undefined ? {} : { vesting }),
        log: detail,
      });
      writeSimulation(simulation, simDir);
      return { season, dir: join(outDir, `season-${season}`), simDir, simulation, vesting };
    };
    const simulated = (demoSeason: DemoSeason): string => {
      const { simulation } = demoSeason;
      const rows = Object.entries(simulation.exports.files).map(([name, text]) => `${name} ${text.split("\n").length - 2}`);
      return `${simulation.plan.accounts.length} accounts; exports: ${rows.join(", ")}; ${simulation.exports.expectedRejections.length} rows the cross-checks must reject`;
    };
    const lastBlock = (demoSeason: DemoSeason): number => demoSeason.simulation.executions[0]!.blocks.at(-1)!.number;

    const season6 = await step(async () => {
      const simulatedSeason = await simulateOne(6, SEASON_6_WINDOW, []);
      return { value: simulatedSeason, summary: simulated(simulatedSeason) };
    });

    const build = async (demoSeason: DemoSeason): Promise<void> => {
      if (indexer !== undefined) {
        const head = Number(await chain.publicClient.getBlockNumber());
        detail(`waiting for the indexer to reach block ${head}, the chain's head`);
        await indexer.waitForBlocks(new Map([[node!.chainId, head]]));
      }
      const source = indexer ? ["--indexer", indexer.url] : ["--onchain", join(demoSeason.simDir, "onchain.json")];
      const run = await cli(["build", "--config", join(demoSeason.simDir, "season.json"), "--data", join(demoSeason.simDir, "exports"), ...source, "--out", outDir, "--deployments", deploymentsPath]);
      showStdout(run);
    };
    const built = (demoSeason: DemoSeason): string => {
      const manifest = loadManifest(demoSeason.dir);
      return `${manifest.recipients} recipients, total ${sogni(manifest.total)} SOGNI, root ${manifest.merkleRoot}`;
    };
    const buildStep = (demoSeason: DemoSeason) =>
      step(async () => {
        await build(demoSeason);
        return { value: undefined, summary: built(demoSeason) };
      });

    const launchIndexer = (): Promise<IndexerProcess> =>
      startIndexer({
        deploymentsPath,
        pgliteDir: join(workDir, "pglite"),
        schema: `demo_${process.pid}`,
        ...(options.apiPort ? { port: options.apiPort } : {}),
        env: { OUT_DIR: outDir },
      });
    if (useIndexer) {
      indexer = await step(async () => {
        const started = await launchIndexer();
        await started.waitForBlocks(new Map([[node!.chainId, lastBlock(season6)]]));
        return { value: started, summary: `${started.url} indexed up to block ${lastBlock(season6)}` };
      });
      await buildStep(season6);
    } else {
      await buildStep(season6);
      pageServer = await step(async () => {
        const served = await startPageServer({ dirs: [outDir], rpcUrl: node!.rpcUrl, deploymentsPath, ...(options.apiPort ? { port: options.apiPort } : {}) });
        return { value: served, summary: `${served.url} (SogniRewards read over RPC)` };
      });
    }
    const pageUrl = indexer === undefined ? pageServer!.url : `${indexer.url}/`;

    const keys = new Map<Address, Hex>();
    const learnKeys = (demoSeason: DemoSeason): void => {
      for (const account of demoSeason.simulation.plan.accounts) keys.set(account.address.toLowerCase() as Address, account.privateKey);
    };
    learnKeys(season6);

    /** Mints what the treasury lacks to fund `publication` (the local stand-in; on a live chain the treasury holds it), then `rewards fund`. */
    const fund = async (publicationDir: string): Promise<void> => {
      const publication = readPublication(publicationDir);
      const state = await readRewardsState(chain.publicClient, rewards);
      const missing = publication.total - state.balance - state.totalClaimed;
      const held = await chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [treasury] });
      if (missing > held) {
        await fundAccount({ rpcUrl: node!.rpcUrl, token, to: treasury, amount: missing - held });
        detail(`treasury ${treasury} topped up by ${sogni(missing - held)} SOGNI (the local stand-in token)`);
      }
      const run = await rewardsCli("fund", [publicationDir, "--json"], treasuryKey);
      const funded = JSON.parse(run.stdout) as { sent: string };
      detail(`rewards fund: sent ${sogni(funded.sent)} SOGNI to ${rewards}`);
    };
    const publish = async (seasons: DemoSeason[], at: string, previous: DemoPublication | undefined): Promise<string> => {
      const run = await cli([
        "publish",
        "--seasons",
        ...seasons.map((demoSeason) => demoSeason.dir),
        "--at",
        at,
        ...(previous === undefined ? [] : ["--previous", previous.dir]),
        "--out",
        outDir,
        "--quiet",
      ]);
      showStdout(run);
      return join(outDir, `publication-${previous === undefined ? 1 : previous.id + 1}`);
    };
    const propose = async (publicationDir: string): Promise<DemoPublication> => {
      const run = await rewardsCli("propose", [publicationDir], treasuryKey);
      showStdout(run);
      const state = await readRewardsState(chain.publicClient, rewards);
      const publication = readPublication(publicationDir);
      if (state.pending?.root !== publication.merkleRoot) throw new Error(`SogniRewards does not hold publication ${publication.id}'s root as pending after the propose`);
      const balances = readPublicationBalances(publication);
      return {
        id: publication.id,
        dir: publicationDir,
        at: publication.at,
        merkleRoot: publication.merkleRoot,
        dataHash: publication.dataHash,
        total: publication.total,
        recipients: publication.manifest.recipients,
        seasons: publication.manifest.seasons.map((entry) => ({ season: entry.season, share: entry.share })),
        cumulative: new Map(balances.addresses.map((address, i) => [address as Address, balances.cumulative[i]!])),
        proposed: { block: Number(state.block.number), validAt: state.pending.validAt },
        accepted: { block: 0 },
      };
    };
    const accept = async (publication: DemoPublication): Promise<void> => {
      await clockTo(publication.proposed.validAt, `publication ${publication.id}'s timelock has run out`);
      const run = await rewardsCli("accept", [publication.dir], treasuryKey);
      showStdout(run);
      const state = await readRewardsState(chain.publicClient, rewards);
      if (state.live?.root !== publication.merkleRoot) throw new Error(`publication ${publication.id} is not the live root after the accept`);
      publication.accepted = { block: Number(state.block.number) };
    };

    const claims: DemoClaim[] = [];
    /** `season rewards claim` for `account` (by itself, or by the treasury on its behalf); checks the balance gain is the amount paid. */
    const claim = async (publication: DemoPublication, account: Address, onBehalf: boolean): Promise<DemoClaim> => {
      const before = await chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [account] });
      const key = onBehalf ? treasuryKey : keys.get(account)!;
      const run = await rewardsCli("claim", [publication.dir, "--json", ...(onBehalf ? ["--account", account] : [])], key);
      const result = JSON.parse(run.stdout) as { amount: string; cumulative: string; balance: string };
      const amount = BigInt(result.amount);
      if (BigInt(result.balance) - before !== amount) throw new Error(`${account} gained ${BigInt(result.balance) - before} wei, but the claim paid ${amount}`);
      const made: DemoClaim = { publication: publication.id, account, sender: onBehalf ? treasury : account, amount, cumulative: BigInt(result.cumulative) };
      detail(`${account} claimed ${sogni(amount)} SOGNI (cumulative ${sogni(made.cumulative)})${onBehalf ? ` sent by ${treasury} on its behalf` : ""}`);
      claims.push(made);
      return made;
    };
    const claimAll = async (publication: DemoPublication, chosen: Address[]): Promise<DemoClaim[]> => {
      const made: DemoClaim[] = [];
      // The last one is sent by the treasury on the recipient's behalf: the tokens still go to the recipient.
      for (const [position, account] of chosen.entries()) made.push(await claim(publication, account, position === chosen.length - 1 && chosen.length > 1));
      return made;
    };
    const live = async (publication: DemoPublication): Promise<void> => {
      await options.onLive?.({ publication, node: node!, indexer, rewards, token, claims, treasuryKey });
    };

    const publication1 = await step(async () => {
      const at = parseIsoTime(PUBLICATION_DATES[0]);
      await clockTo(at, "publication 1's date has come");
      const dir = await publish([season6], PUBLICATION_DATES[0], undefined);
      const proposed = await propose(dir);
      await fund(dir);
      return { value: proposed, summary: `root ${proposed.merkleRoot}, ${proposed.recipients} recipients, ${sogni(proposed.total)} SOGNI; pending until ${isoSeconds(proposed.proposed.validAt)}` };
    });

    await step(async () => {
      await accept(publication1);
      return { value: undefined, summary: `publication 1 live at block ${publication1.accepted.block}` };
    });

    await step(async () => {
      // The largest recipient of each pool that we hold a key for (the claims a person will recognise on the leaderboards);
      // for stakers, the largest whose lock runs on into season 7, so that it comes back for more under publication 2.
      const runsIntoSeason7 = lockRunsInto(season6.simulation, SEASON_7_WINDOW.start);
      const recipients = readRecipients(season6.dir).filter((recipient) => keys.has(recipient.address));
      const chosen: Address[] = [];
      for (const pool of POOL_KEYS) {
        const top = largestIn(recipients, pool, (recipient) => pool !== "stakers" || runsIntoSeason7.has(recipient.address));
        if (top !== undefined && !chosen.includes(top.address)) chosen.push(top.address);
      }
      const made = await claimAll(publication1, chosen.slice(0, wanted));
      await live(publication1);
      return { value: undefined, summary: `${made.length} claims sent (${made.filter((c) => c.sender !== c.account).length} on behalf), ${sogni(made.reduce((sum, c) => sum + c.amount, 0n))} SOGNI` };
    });

    const season7 = await step(async () => {
      const simulatedSeason = await simulateOne(7, SEASON_7_WINDOW, [season6.simulation], SEASON_7_VESTING);
      return { value: simulatedSeason, summary: simulated(simulatedSeason) };
    });
    learnKeys(season7);

    await step(async () => {
      await build(season7);
      return { value: undefined, summary: `${built(season7)}; vests ${SEASON_7_VESTING.map((tranche) => `${tranche.share} at ${tranche.at}`).join(", ")}` };
    });

    const { publication2, pending } = await step(async () => {
      const at = parseIsoTime(PUBLICATION_DATES[1]);
      await clockTo(at, "season 7's first tranche has come");
      const dir = await publish([season6, season7], PUBLICATION_DATES[1], publication1);
      const proposed = await propose(dir);
      await fund(dir);
      // Stop while it waits: what `rewards status` and the page say now, for someone who claimed under publication 1 and has more coming.
      const status = await rewardsCli("status", ["--publications", outDir]);
      showStdout(status);
      const returning = claims.find((made) => (proposed.cumulative.get(made.account) ?? 0n) > made.cumulative)?.account ?? [...proposed.cumulative.keys()].find((address) => keys.has(address))!;
      const lines = describePageRewards(await fetchPageRewards(pageUrl, returning));
      detail(`the page for ${returning} (GET /page/api/rewards/${returning}):`);
      for (const line of lines) detail(`  ${line}`);
      return {
        value: { publication2: proposed, pending: { account: returning, validAt: proposed.proposed.validAt, lines } },
        summary: `root ${proposed.merkleRoot}, ${proposed.recipients} recipients, ${sogni(proposed.total)} SOGNI; pending until ${isoSeconds(proposed.proposed.validAt)}`,
      };
    });

    await step(async () => {
      await accept(publication2);
      return { value: undefined, summary: `publication 2 live at block ${publication2.accepted.block}` };
    });

    await step(async () => {
      // First those who claimed under publication 1 and have more now (they get the difference), then season 7's largest recipients.
      const chosen: Address[] = claims.filter((made) => (publication2.cumulative.get(made.account) ?? 0n) > made.cumulative).map((made) => made.account);
      const recipients = readRecipients(season7.dir).filter((recipient) => keys.has(recipient.address));
      for (const pool of POOL_KEYS) {
        const top = largestIn(recipients, pool, (recipient) => !chosen.includes(recipient.address));
        if (top !== undefined && chosen.length < wanted) chosen.push(top.address);
      }
      const made = await claimAll(publication2, chosen.slice(0, wanted));
      await live(publication2);
      const differences = made.filter((c) => c.amount < c.cumulative).length;
      return { value: undefined, summary: `${made.length} claims sent (${differences} of the difference, ${made.filter((c) => c.sender !== c.account).length} on behalf), ${sogni(made.reduce((sum, c) => sum + c.amount, 0n))} SOGNI` };
    });

    await step(async () => {
      // What each claimant has claimed by the chain, and what is left by the live publication (publication 2).
      const claimants = [...new Set(claims.map((made) => made.account))];
      const onChain = async (account: Address): Promise<{ claimed: bigint; claimable: bigint }> => {
        const claimed = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "claimed", args: [account] });
        const cumulative = publication2.cumulative.get(account) ?? 0n;
        return { claimed, claimable: cumulative > claimed ? cumulative - claimed : 0n };
      };
      if (indexer === undefined) {
        for (const account of claimants) {
          const { claimed, claimable } = await onChain(account);
          detail(`claimed(${account}) -> ${claimed}; ${claimable} wei left to claim under publication 2`);
          const last = claims.filter((made) => made.account === account).at(-1)!;
          if (claimed < last.cumulative) throw new Error(`SogniRewards says ${account} claimed ${claimed} wei, less than the ${last.cumulative} wei its last claim brought it to`);
        }
        return { value: undefined, summary: `${claimants.length} claimants' claims recorded on the chain` };
      }
      await indexer.waitForBlocks(new Map([[node!.chainId, Number(await chain.publicClient.getBlockNumber())]]));
      for (const account of claimants) {
        const expected = await onChain(account);
        const response = await fetch(`${indexer.url}/rewards/${account}`);
        const body = (await response.json()) as { claimed?: string; claimable?: string | null; rewards?: { live?: { root?: string } | null }[] };
        const root = body.rewards?.[0]?.live?.root;
        detail(`GET /rewards/${account} -> claimed ${body.claimed}, claimable ${body.claimable}, live root ${root}`);
        if (body.claimed !== expected.claimed.toString() || body.claimable !== expected.claimable.toString() || root !== publication2.merkleRoot) {
          throw new Error(
            `the indexer disagrees with the chain for ${account} (chain: claimed ${expected.claimed}, claimable ${expected.claimable}, root ${publication2.merkleRoot}; HTTP ${response.status}): ${JSON.stringify(body).slice(0, 300)}`,
          );
        }
      }
      return { value: undefined, summary: `for ${claimants.length} of ${claimants.length} claimants the indexer agrees with the chain (claimed, claimable, publication 2's root)` };
    });

    const verify = await step(async () => {
      const run = await runSeasonCli(
        ["verify", publication2.dir, "--seasons", season6.dir, season7.dir, "--previous", publication1.dir, "--rpc", node!.rpcUrl, "--rewards", rewards, "--deployments", deploymentsPath],
        {},
        detail,
      );
      if (run.code !== 0) throw new Error(`season verify found a mismatch (exit ${run.code}):\n${run.stdout}${lastLines(run.stderr)}`);
      return run;
    });

    const leaderboards = {} as Record<PoolKey, string>;
    await Promise.all(
      POOL_KEYS.map(async (pool) => {
        const run = await runSeasonCli(["leaderboard", season7.dir, pool, "--top", "5"], {}, () => {});
        leaderboards[pool] = run.code === 0 ? run.stdout.trimEnd() : `(season leaderboard failed: ${lastLines(run.stderr)})`;
      }),
    );

    return {
      workDir,
      node: node!,
      indexer,
      pageUrl,
      deploymentsPath,
      outDir,
      seasons: [season6, season7],
      seasonDir: season7.dir,
      simulation: season7.simulation,
      publications: [publication1, publication2],
      rewards,
      token,
      treasuryKey,
      keys,
      claims,
      pending,
      verify,
      leaderboards,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The largest recipient of `pool` among those `eligible` says yes to (ties: the lower address, recipients.csv's order). */
function largestIn(recipients: readonly DemoRecipient[], pool: PoolKey, eligible: (recipient: DemoRecipient) => boolean): DemoRecipient | undefined {
  let best: DemoRecipient | undefined;
  for (const recipient of recipients) {
    if (recipient.pools[pool] === 0n || !eligible(recipient)) continue;
    if (best === undefined || recipient.pools[pool] > best.pools[pool]) best = recipient;
  }
  return best;
}

/** The accounts whose last lock state in a simulation still holds at `time` (so they stake on into the next season). */
function lockRunsInto(simulation: SimulationResult, time: number): Set<Address> {
  const last = new Map<Address, number>();
  for (const lock of simulation.facts.locks) last.set(lock.account.toLowerCase() as Address, lock.unlockAt);
  const unstaked = new Set(simulation.facts.unstakes.map((unstake) => unstake.account.toLowerCase()));
  return new Set([...last].filter(([account, unlockAt]) => unlockAt > time && !unstaked.has(account)).map(([account]) => account));
}

export type DemoRecipient = Omit<RecipientRow, "address"> & { address: Address };

/** recipients.csv rows (addresses lower case, amounts in wei), read with the season format's one row parser. */
export function readRecipients(seasonDir: string): DemoRecipient[] {
  const path = join(seasonDir, "recipients.csv");
  const lines = readFileSync(path, "utf8").split("\n").filter((line) => line !== "");
  return lines.slice(1).map((line, i) => {
    const row = parseRecipientLine(line);
    if (row === undefined) throw new Error(`${path}, line ${i + 2}: not a recipients.csv row`);
    return { ...row, address: row.address.toLowerCase() as Address };
  });
}

function lastLines(text: string, count = 12): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}
