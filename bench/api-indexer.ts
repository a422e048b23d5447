/**
 * The indexer's part of bench/api.ts: its routes under load on PGlite and
 * on Postgres, with one and with two `ponder serve` replicas. The data is
 * the demo's (scripts/demo/steps.ts runDemo: a local Hardhat chain, two
 * simulated seasons of --indexer-accounts accounts with staking, payouts,
 * deposits, SogniRewards publications and claims), plus a SeasonDistributor
 * for its latest season that this bench deploys, funds and claims from (the
 * demo pays through SogniRewards only; /claims/:season needs a distributor).
 * Then each backend gets a fresh `ponder start` that indexes the whole
 * chain: PGlite in a fresh directory, Postgres in a fresh database (as
 * bench/indexer.ts does), and `ponder serve` answers from that database: one
 * replica, then two on different ports over the same schema, the
 * connections alternating between them. PGlite is one process's database,
 * so it has the one `ponder start` only (`ponder serve` needs Postgres).
 *
 * Memory is the summed VmRSS of the Ponder processes (Postgres's own
 * processes not counted); Ponder's event loop is not instrumented.
 *
 * @example const rows = await indexerCases({ accounts: 300, backends: ["pglite", "postgres"], load }, log);
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, getAddress, http } from "viem";
import { readDeployments } from "../chain/deployments.js";
import { SogniTokenAbi } from "../chain/abis/index.js";
import { connectChain, hardhatAccount, walletFor } from "../chain/clients.js";
import { runDemo, runSeasonCli, readRecipients, type DemoRun } from "../scripts/demo/steps.js";
import { readSeason } from "../season-io/season-dir.js";
import { startIndexer, type IndexerProcess } from "../scripts/local/indexer-process.js";
import { freePort } from "../scripts/local/ports.js";
import { processGroup } from "../scripts/local/process-group.js";
import { pidsByPort, type LoadRequest } from "./api-load.js";
import { loadCase, type CaseOptions, type CaseResult, type LoadTarget } from "./api-page.js";
import { freshDatabase, ROOT } from "./measure.js";

const PONDER_BIN = join(ROOT, "node_modules", ".bin", "ponder");

export type Backend = "pglite" | "postgres";

export interface IndexerRow {
  /** "PGlite, ponder start (one process)", "Postgres, 2 × ponder serve". */
  server: string;
  route: string;
  result: CaseResult | null;
  /** Why the case could not run, or what its answers were. */
  note: string;
}

export interface IndexerBench {
  rows: IndexerRow[];
  /** "demo chain: 300 accounts, 1,234 Transfer rows…" for the table's caption. */
  data: string;
}

/** The routes, each with a request maker over the demo's addresses. */
function routes(addresses: string[], deposit: string, claimSeason: number): { route: string; request: () => LoadRequest }[] {
  const pick = (): string => addresses[Math.floor(Math.random() * addresses.length)]!;
  const checksummed = addresses.map((address) => getAddress(address));
  const graphql = "query ($a: String!) { transfers(where: { to: $a }, limit: 20, orderBy: \"blockNumber\", orderDirection: \"desc\") { items { from to amount blockNumber txHash } } }";
  return [
    { route: "GET /accounts/:address", request: () => ({ path: `/accounts/${pick()}` }) },
    { route: `GET /claims/${claimSeason}/:address`, request: () => ({ path: `/claims/${claimSeason}/${pick()}` }) },
    { route: "GET /snapshot?deposit=…", request: () => ({ path: `/snapshot?deposit=${deposit}` }) },
    { route: "GET /rewards/:address", request: () => ({ path: `/rewards/${pick()}` }) },
    {
      route: "POST /graphql (an address's last 20 transfers in)",
      request: () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: graphql, variables: { a: checksummed[Math.floor(Math.random() * checksummed.length)]! } }) }),
    },
  ];
}

/** One request per route before the load: a route that does not answer 200 (or GraphQL errors) is named in the note. */
async function preflight(url: string, request: LoadRequest): Promise<string> {
  const response = await fetch(`${url}${request.path}`, { method: request.method ?? "GET", headers: request.headers, body: request.body });
  const text = await response.text();
  if (response.status !== 200) return `answers ${response.status}: ${text.slice(0, 160)}`;
  if (request.path === "/graphql" && /"errors"/.test(text)) return `GraphQL errors: ${text.slice(0, 200)}`;
  return `${Math.round(text.length / 100) / 10} kB answers`;
}

async function runRoutes(server: string, targets: LoadTarget[], load: CaseOptions, list: ReturnType<typeof routes>, log: (line: string) => void): Promise<IndexerRow[]> {
  const rows: IndexerRow[] = [];
  for (const { route, request } of list) {
    const note = await preflight(targets[0]!.url, request()).catch((error: Error) => `preflight failed: ${error.message}`);
    log(`${server}: ${route} (${note})…`);
    const result = await loadCase(targets, load, request);
    log(`  ${Math.round(result.load.requestsPerS)} req/s, p99 ${result.load.p99Ms} ms, ${result.load.non2xx} non-2xx, ${result.load.errors} errors`);
    rows.push({ server, route, result, note });
  }
  return rows;
}

/** `ponder serve` on Postgres as a child process of its own group; resolves once /health answers. */
async function startServe(databaseUrl: string, schema: string, deploymentsPath: string, outDir: string): Promise<{ target: LoadTarget; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(PONDER_BIN, ["serve", "--schema", schema, "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, PONDER_TELEMETRY_DISABLED: "true", DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DEPLOYMENTS: deploymentsPath, OUT_DIR: outDir },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const group = processGroup(child, PONDER_BIN);
  const lines: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  for (;;) {
    if (group.exited()) throw new Error(`ponder serve exited:\n${lines.join("").slice(-2000)}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).status === 200) break;
    } catch {
      // not yet
    }
    if (Date.now() > until) {
      await group.stop();
      throw new Error(`ponder serve did not answer on ${url} within 120 s:\n${lines.join("").slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { target: { url, pids: () => [child.pid!] }, stop: () => group.stop() };
}

/** Counts of the demo's indexed facts, for the caption (GraphQL totalCount over the indexer's API). */
async function dataSize(url: string): Promise<string> {
  const tables = ["transfers", "stakeds", "workerPaids", "claimeds"];
  const counts: string[] = [];
  for (const table of tables) {
    try {
      const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ ${table}(limit: 1) { totalCount } }` }) });
      const body = (await response.json()) as { data?: Record<string, { totalCount: number }> };
      const count = body.data?.[table]?.totalCount;
      if (count !== undefined) counts.push(`${count.toLocaleString("en-US")} ${table}`);
    } catch {
      // leave it out
    }
  }
  return counts.join(", ");
}

/**
 * The demo pays through SogniRewards only; /claims/:season needs a
 * SeasonDistributor. Deploys and funds one for the demo's latest season
 * (`sogni-season deploy`, the treasury topped up with the local token
 * first, as the demo did before SogniRewards) and claims for a few
 * recipients (`sogni-season claim`), so the route reads real rows.
 * Returns what was done, for the caption.
 */
async function deployDistributor(demo: DemoRun, log: (line: string) => void): Promise<string> {
  const season = readSeason(demo.seasonDir);
  const chain = await connectChain(demo.node.rpcUrl);
  const owner = walletFor(chain, hardhatAccount(0));
  const token = readDeployments(demo.deploymentsPath).chains[0]!.contracts.SogniToken;
  const held = await chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [owner.account.address] });
  if (held < season.total) {
    const hash = await owner.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [owner.account.address, season.total - held] });
    await chain.publicClient.waitForTransactionReceipt({ hash });
  }
  const cli = async (args: string[], key: string): Promise<void> => {
    const done = await runSeasonCli(args, { SEASON_PRIVATE_KEY: key }, () => {});
    if (done.code !== 0) throw new Error(`sogni-season ${args[0]} exited with ${done.code}: ${done.stderr.trim().split("\n").slice(-2).join(" ")}`);
  };
  await cli(["deploy", demo.seasonDir, "--rpc", demo.node.rpcUrl, "--deployments", demo.deploymentsPath], demo.treasuryKey);
  let claims = 0;
  for (const recipient of readRecipients(demo.seasonDir)) {
    const key = demo.keys.get(recipient.address);
    if (key === undefined) continue;
    try {
      await cli(["claim", demo.seasonDir, "--rpc", demo.node.rpcUrl], key);
      claims++;
    } catch (error) {
      log(`  claim for ${recipient.address} failed: ${(error as Error).message}`);
    }
    if (claims === 5) break;
  }
  log(`indexer: SeasonDistributor of season ${season.season} deployed and funded, ${claims} claims`);
  return `a SeasonDistributor for season ${season.season} deployed by this bench, ${claims} claims`;
}

export async function indexerCases(options: { accounts: number; backends: Backend[]; load: CaseOptions; workDir: string }, log: (line: string) => void): Promise<IndexerBench> {
  log(`indexer: running the demo (${options.accounts} accounts) for a chain and an indexer with data…`);
  let demo: DemoRun | undefined;
  const stops: (() => Promise<void>)[] = [];
  const rows: IndexerRow[] = [];
  try {
    demo = await runDemo({
      workDir: options.workDir,
      accounts: options.accounts,
      onStep: (event) => {
        if (event.kind === "done") log(`  demo step ${event.index} done in ${event.seconds.toFixed(1)} s: ${event.title}`);
      },
    });
    const distributor = await deployDistributor(demo, log).catch((error: Error) => {
      log(`indexer: could not deploy a SeasonDistributor (${error.message}); /claims answers 404`);
      return `no SeasonDistributor (deploying one failed: ${error.message.split("\n")[0]})`;
    });
    // The demo's indexer started before the distributor existed (ponder.config.ts reads the deployments
    // file once): each backend below gets a fresh `ponder start` that indexes it from the start.
    await demo.indexer?.stop();
    const recipients = readRecipients(demo.seasonDir).map((recipient) => recipient.address);
    const distributors = readDeployments(demo.deploymentsPath).chains.flatMap((chain) => chain.distributors);
    const claimSeason = distributors[distributors.length - 1]?.season ?? readSeason(demo.seasonDir).season;
    const list = routes(recipients, demo.simulation.plan.sparkDepositAddress, claimSeason);
    const head = Number(await createPublicClient({ transport: http(demo.node.rpcUrl) }).getBlockNumber());
    const outDir = demo.outDir;
    let data = "";
    const describe = async (url: string): Promise<void> => {
      if (data === "") data = `the demo's chain (${options.accounts} simulated accounts a season, ${recipients.length} recipients in season ${readSeason(demo!.seasonDir).season}, ${head} blocks; indexed: ${await dataSize(url)}; ${distributor})`;
    };

    if (options.backends.includes("pglite")) {
      log("indexer: ponder start on a fresh PGlite directory…");
      const indexer = await startIndexer({ deploymentsPath: demo.deploymentsPath, pgliteDir: join(options.workDir, "pglite-bench"), schema: "bench_api", env: { OUT_DIR: outDir } });
      stops.unshift(() => indexer.stop());
      await indexer.waitForBlocks(new Map([[demo.node.chainId, head]]), 600_000);
      await describe(indexer.url);
      const target: LoadTarget = { url: indexer.url, pids: () => pidsByPort("ponder", indexer.port) };
      rows.push(...(await runRoutes("PGlite, 1 × ponder start (PGlite: one process only)", [target], options.load, list, log)));
      await indexer.stop();
    }

    if (options.backends.includes("postgres")) {
      const database = await freshDatabase("bench_api");
      stops.push(database.drop);
      log("indexer: ponder start on a fresh Postgres database…");
      const schema = "bench_api";
      const indexer: IndexerProcess = await startIndexer({ deploymentsPath: demo.deploymentsPath, databaseUrl: database.url, schema, env: { OUT_DIR: outDir } });
      stops.unshift(() => indexer.stop());
      await indexer.waitForBlocks(new Map([[demo.node.chainId, head]]), 600_000);
      await describe(indexer.url);
      const first = await startServe(database.url, schema, demo.deploymentsPath, outDir);
      stops.unshift(first.stop);
      rows.push(...(await runRoutes("Postgres, 1 × ponder serve", [first.target], options.load, list, log)));
      const second = await startServe(database.url, schema, demo.deploymentsPath, outDir);
      stops.unshift(second.stop);
      rows.push(...(await runRoutes("Postgres, 2 × ponder serve (same schema, connections alternate)", [first.target, second.target], options.load, list, log)));
    }
    return { rows, data };
  } finally {
    for (const stop of stops) await stop().catch((error: Error) => log(`cleanup: ${error.message}`));
    await demo?.stop();
    rmSync(options.workDir, { recursive: true, force: true });
  }
}
