// scripts/: command-line entry points and what only they use (cli/, commands/, local/, sim/, keys/, demo/).
// May import every folder; nothing imports scripts/. See docs/architecture.md.
/**
 * `season serve <dir>…`: the claim and leaderboard page and its JSON API
 * (web/server.ts, docs/serve.md) from season and publication directories
 * alone: no chain, no indexer. With `--rpc`, the SogniRewards part of
 * `/page/api/rewards/:address` and `/claims/:season/:address` are read from
 * the chain; without it the page reads the chain through the wallet.
 *
 * @example season serve out --port 42080 --rpc http://127.0.0.1:8545
 */
import { existsSync, statSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { PublicClient } from "viem";
import type { ChainConnection } from "../../chain/clients.js";
import { DEFAULT_DEPLOYMENTS_PATH, readDeployments } from "../../chain/deployments.js";
import { distributorWatch, type DistributorWatch } from "../../indexer/distributors.js";
import { AddressError, normalizeAddress, type Address } from "../../season/address.js";
import { chainName } from "../../season/chains.js";
import { readDeploymentRecord } from "../../season-io/deployment-record.js";
import type { InMemoryResult } from "../../season-io/lookup-files.js";
import { closePublicationLookups } from "../../season-io/publication-dir.js";
import { closeSeasonLookups } from "../../season-io/season-dir.js";
import { DEFAULT_MEMORY_MB, describeProblem, pageApp, pageNotFound, type PageApp, type RewardsChainProvider } from "../../web/server.js";
import { EXIT, onInterrupt, parseCommandArgs, reportError, UsageError } from "../cli/cli.js";

export const SERVE_HELP = `sogni-season serve <dir>… [--port N] [--host H] [--rpc URL] [--deployments FILE] [--memory MB] [--json]

Serves the claim and leaderboard page and its JSON API (docs/serve.md) from
the output files alone: no chain, no indexer. Each <dir> is a season directory
(season build's <out>/season-<n>), a publication directory (season publish's
<out>/publication-<id>), or a directory holding them (<out>): the latest
season is the page's default, every season and publication is in
/page/api/catalog, and one built or published while it runs shows within a
second (the directories are looked at again every 250 ms, not on every request).

Lookups (an address's amounts and proof) answer from the files at once, and
from memory once the latest publication and season are read in and checked,
in the background, about 7 s per million recipients (134 MB for a
million-recipient season, 126 MB for its publication); then older ones, while
--memory allows. What does not fit is answered from the files. Each is said
on stderr once done.

The SogniRewards contract of each chain comes from the deployments file
(--deployments, env DEPLOYMENTS, else deployments/local.json when it exists).
Without --rpc the rewards answer's "chain" is null and the page reads the
contract through the wallet; with --rpc it is read from that node, and
/claims/<season>/<address> answers a SeasonDistributor claim from its events.

Options
  --port <N>             port to listen on (default 42080; 0: any free port)
  --host <H>             address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --rpc <url>            read SogniRewards (and season distributors' claims) from this JSON-RPC node
  --deployments <file>   the deployments file naming each chain's SogniRewards
  --memory <MB>          lookup data to hold in memory (default ${DEFAULT_MEMORY_MB}; 0: answer from the files only)
  --json                 print { url, seasons, publications, … } as one JSON line once listening
  -h, --help             this help

Ctrl-C (SIGINT) or SIGTERM closes the port and exits 0.

Exit codes
  0  stopped   1  a directory is missing or damaged, the port is taken, the RPC does not answer
  2  bad usage
`;

const DEFAULT_PORT = 42080;

/** What the operator is told as each directory's lookup data is read into memory (or not). */
export const HOLD_MESSAGES: Record<InMemoryResult, string> = {
  held: "lookups now answered from memory",
  "over budget": "lookups answered from the files: it does not fit in --memory beside what is held",
  damaged: "damaged: its lookups answer 500 with the damage (run `sogni-season verify` on it)",
  "let go": "changed while it was read in: read again on its next lookup",
  "old format": "an older format (proof shards): lookups answered from the files",
};

/** Runs `season serve`; resolves to the exit code once it is stopped. */
export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "serve",
    help: SERVE_HELP,
    options: { port: { type: "string" }, host: { type: "string" }, rpc: { type: "string" }, deployments: { type: "string" }, memory: { type: "string" }, json: { type: "boolean" } },
  });
  if (args.kind === "exit") return args.exitCode;
  const { values, positionals } = args;
  let page: PageApp | undefined;
  try {
    if (positionals.length === 0) throw new UsageError("which directories? give one or more season directories, publication directories or directories holding them");
    const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);
    const host = values.host ?? "127.0.0.1";
    const memoryMb = values.memory === undefined ? DEFAULT_MEMORY_MB : parseMemory(values.memory);
    const sources = positionals.map((dir) => resolve(dir));
    checkSources(positionals);
    const deploymentsPath = deploymentsFile(values.deployments);
    const watch = deploymentsPath === undefined ? undefined : distributorWatch(deploymentsPath);
    // viem and the ABIs load only with --rpc: without it the page answers sooner after start.
    const chain = values.rpc === undefined ? undefined : await (await import("../../chain/clients.js")).connectChain(values.rpc);
    if (chain !== undefined && watch !== undefined) await checkRewardsContract(chain, watch);

    page = pageApp({
      sources,
      rewardsContracts: watch?.rewards,
      ...(chain === undefined ? {} : { rewardsChain: rpcRewardsProvider(chain, watch) }),
      memoryMb,
      // Said once each directory is read in (its time when that took a second or more).
      onHold: ({ dir, result, ms }) => process.stderr.write(`sogni-season serve: ${shown(dir)}: ${HOLD_MESSAGES[result]}${ms >= 1000 ? ` (${(ms / 1000).toFixed(1)} s)` : ""}\n`),
    });
    const served = page.catalog();
    // A season or publication directory given by name must be readable; one found inside a directory
    // given is skipped (and listed), and a directory holding none yet may get one while this runs.
    const given = served.problems.filter((problem) => sources.includes(problem.dir) && isSeasonOrPublication(problem.dir));
    if (given.length > 0) throw new Error(`cannot serve ${given.map(describeProblem).join("; ")}`);
    if (served.seasons.length === 0 && served.publications.length === 0) {
      throw new Error(`nothing to serve in ${positionals.join(", ")}: ${served.problems.map(describeProblem).join("; ")}`);
    }
    const app = new Hono();
    app.route("/", page.routes);
    if (chain !== undefined) app.route("/", rpcClaimRoutes(chain, watch, page));
    // Any other path: a notFound handler, not a catch-all route (which would match every request beside its route, costing each a promise).
    app.notFound((c) => pageNotFound(c) ?? c.json({ error: `no such route: ${c.req.method} ${c.req.path}; this server answers / and /page/api/* (docs/serve.md)${chain ? ", /claims/<season>/<address>" : ""}` }, 404));

    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    await new Promise<void>((listening, failed) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        failed(new Error(error.code === "EADDRINUSE" ? `port ${port} on ${host} is taken: stop what uses it, or pass --port <another> (0: any free port)` : `cannot listen on ${host}:${port}: ${error.message}`)),
      );
      server.listen(port, host, () => listening());
    });
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}/`;
    const summary = {
      url,
      seasons: served.seasons.map((entry) => ({ season: entry.season, dir: entry.dir })),
      publications: served.publications.map((entry) => ({ id: entry.id, dir: entry.dir })),
      skipped: served.problems.map(describeProblem),
      deployments: deploymentsPath ?? null,
      rewards: watch?.rewards() ?? [],
      rpc: chain === undefined ? null : { url: chain.rpcUrl, chainId: chain.chainId },
      memoryMb,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(renderServeSummary(summary));
    // The boards indexed and the lookups read into memory from here on, in the background: after the summary,
    // so what it says of each directory comes after it.
    void page.warm();
    page.bundled.catch((error: Error) => process.stderr.write(`error: ${error.message}: the page cannot load, the JSON API still answers\n`));

    const openPage = page;
    return await new Promise<number>((stopped) => {
      onInterrupt(async (signal) => {
        server.closeAllConnections();
        await new Promise<void>((closed) => server.close(() => closed()));
        openPage.close();
        closeSeasonLookups();
        closePublicationLookups();
        process.stderr.write(`sogni-season serve: stopped (${signal})\n`);
        stopped(EXIT.ok);
        return EXIT.ok;
      });
    });
  } catch (error) {
    page?.close();
    return reportError("serve", error);
  }
}

/** A season or publication directory (or one named like it), rather than a directory holding them. */
function isSeasonOrPublication(dir: string): boolean {
  return existsSync(join(dir, "manifest.json")) || /^(season|publication)-\d+$/.test(basename(dir));
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new UsageError(`--port must be a port number from 0 to 65535, got "${text}"`);
  return Number(text);
}

function parseMemory(text: string): number {
  if (!/^\d{1,7}$/.test(text)) throw new UsageError(`--memory must be a whole number of MB (0: answer from the files only), got "${text}"`);
  return Number(text);
}

/** Every directory given exists and is a directory: else the error names it (exit 1). */
function checkSources(dirs: readonly string[]): void {
  for (const dir of dirs) {
    let stat;
    try {
      stat = statSync(dir);
    } catch {
      throw new Error(`${dir}: no such directory: give a season directory (season build's <out>/season-<n>), a publication directory or a directory holding them`);
    }
    if (!stat.isDirectory()) throw new Error(`${dir} is not a directory: give a season directory, a publication directory or a directory holding them`);
  }
}

/** --deployments, else env DEPLOYMENTS (either must exist and be readable), else deployments/local.json when it exists. */
function deploymentsFile(flag: string | undefined): string | undefined {
  const given = flag ?? (process.env.DEPLOYMENTS || undefined);
  if (given === undefined) return existsSync(DEFAULT_DEPLOYMENTS_PATH) ? resolve(DEFAULT_DEPLOYMENTS_PATH) : undefined;
  readDeployments(given); // a missing or damaged file is an error now, not a silent "no contract"
  return resolve(given);
}

/** The SogniRewards the deployments file names on the RPC's chain answers there (a stale file after a node restart is named). */
async function checkRewardsContract(chain: ChainConnection, watch: DistributorWatch): Promise<void> {
  const contract = watch.rewards().find((known) => known.chainId === chain.chainId);
  if (contract === undefined) return;
  const { readRewardsState } = await import("../../chain/rewards.js");
  await readRewardsState(chain.publicClient as PublicClient, contract.address);
}

const ZERO_HASH = `0x${"00".repeat(32)}`;

/**
 * The chain part of the rewards answer read over RPC: the contract's live
 * root, data hash and total, its pending root and what the account has
 * claimed, all at one block. Null for another chain than the node's, or
 * when the deployments file names no SogniRewards there (yet: it is re-read
 * when it changes).
 */
function rpcRewardsProvider(chain: ChainConnection, watch: DistributorWatch | undefined): RewardsChainProvider {
  const abis = import("../../chain/abis/index.js");
  return async ({ account, chainId }) => {
    const { SogniRewardsAbi } = await abis;
    if (chainId !== null && chainId !== chain.chainId) return null;
    const contract = watch?.rewards().find((known) => known.chainId === chain.chainId);
    if (contract === undefined) return null;
    const client = chain.publicClient;
    const blockNumber = await client.getBlockNumber();
    const read = { address: contract.address, abi: SogniRewardsAbi, blockNumber } as const;
    const [root, dataHash, total, pending, claimed] = await Promise.all([
      client.readContract({ ...read, functionName: "root" }),
      client.readContract({ ...read, functionName: "dataHash" }),
      client.readContract({ ...read, functionName: "total" }),
      client.readContract({ ...read, functionName: "pending" }),
      client.readContract({ ...read, functionName: "claimed", args: [account] }),
    ]);
    const [pendingRoot, pendingDataHash, pendingTotal, validAt] = pending;
    return {
      chainId: chain.chainId,
      contract: contract.address,
      root: root.toLowerCase(),
      dataHash: dataHash.toLowerCase(),
      total: total.toString(),
      claimed: claimed.toString(),
      pending: pendingRoot === ZERO_HASH ? null : { root: pendingRoot.toLowerCase(), dataHash: pendingDataHash.toLowerCase(), total: pendingTotal.toString(), validAt: Number(validAt) },
    };
  };
}

/**
 * `GET /claims/:season/:address` as the indexer answers it, from the RPC:
 * the season's distributors on the node's chain (the deployments file's,
 * and the season directory's deployment.json) and the address's `Claimed`
 * events there.
 */
function rpcClaimRoutes(chain: ChainConnection, watch: DistributorWatch | undefined, page: PageApp): Hono {
  const app = new Hono();
  const facts = import("../../chain/rpc-facts.js");
  app.get("/claims/:season/:address", async (c) => {
    const { CLAIMED_EVENT, logsInRange } = await facts;
    const seasonText = c.req.param("season");
    if (!/^[1-9]\d{0,8}$/.test(seasonText)) return c.json({ error: `season: ${JSON.stringify(seasonText.slice(0, 40))} is not a season number` }, 400);
    let account: Address;
    try {
      account = normalizeAddress(c.req.param("address"));
    } catch (error) {
      if (error instanceof AddressError) return c.json({ error: `address: ${error.message}` }, 400);
      throw error;
    }
    const season = Number(seasonText);
    const distributors = (watch?.forSeason(season) ?? []).filter((known) => known.chainId === chain.chainId).map(({ address, block }) => ({ chainId: chain.chainId, address, block }));
    const dir = page.catalog().seasons.find((entry) => entry.season === season)?.dir;
    const record = dir === undefined ? undefined : readDeploymentRecord(dir);
    if (record !== undefined && record.chainId === chain.chainId && !distributors.some((known) => known.address === record.address)) {
      distributors.push({ chainId: record.chainId, address: record.address, block: record.block });
    }
    if (distributors.length === 0) return c.json({ error: `season ${season} has no distributor on chain ${chain.chainId} (deployment.json or the deployments file): deploy it (\`season deploy\`) or check the season number` }, 404);
    const client = chain.publicClient;
    const latest = await client.getBlockNumber();
    const claims = [];
    for (const distributor of distributors) {
      const logs = await logsInRange(BigInt(distributor.block), latest, 50_000n, (fromBlock, toBlock) =>
        client.getLogs({ address: distributor.address, event: CLAIMED_EVENT, args: { account }, fromBlock, toBlock, strict: true }),
      );
      for (const log of logs) {
        const block = await client.getBlock({ blockNumber: log.blockNumber });
        claims.push({
          chainId: chain.chainId,
          distributor: distributor.address,
          index: log.args.index.toString(),
          account,
          amount: log.args.amount.toString(),
          block: Number(log.blockNumber),
          timestamp: Number(block.timestamp),
          txHash: log.transactionHash,
        });
      }
    }
    return c.json({
      season,
      account,
      claimed: claims.length > 0,
      amount: claims.reduce((sum, claim) => sum + BigInt(claim.amount), 0n).toString(),
      claims,
      distributors,
    });
  });
  return app;
}

interface ServeSummary {
  url: string;
  seasons: { season: number; dir: string }[];
  publications: { id: number; dir: string }[];
  skipped: string[];
  deployments: string | null;
  rewards: readonly { chainId: number; address: string }[];
  rpc: { url: string; chainId: number } | null;
  /** --memory: MB of lookup data held in memory at most. */
  memoryMb: number;
}

/** A path as a person gave it: relative to the working directory when it is inside it. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === "" || inside.startsWith("..") || isAbsolute(inside) ? path : inside;
}

/** What `serve` prints once it listens. */
function renderServeSummary(summary: ServeSummary): string {
  const lines = [`sogni-season serve: the page at ${summary.url}`];
  for (const entry of summary.seasons) lines.push(`  season ${entry.season}`.padEnd(20) + shown(entry.dir));
  for (const entry of summary.publications) lines.push(`  publication ${entry.id}`.padEnd(20) + shown(entry.dir));
  for (const problem of summary.skipped) lines.push(`  skipped           ${problem}`);
  const contracts = summary.rewards.map((contract) => `${contract.address} on ${chainName(contract.chainId)} (${contract.chainId})`);
  lines.push(`  SogniRewards      ${contracts.length === 0 ? "none named" : contracts.join(", ")}${summary.deployments === null ? " (no deployments file)" : ` (${shown(summary.deployments)})`}`);
  lines.push(
    summary.rpc === null
      ? "  chain             not read here: the page reads SogniRewards through the wallet (--rpc <url> reads it here)"
      : `  chain             ${chainName(summary.rpc.chainId)} (${summary.rpc.chainId}) at ${summary.rpc.url}`,
  );
  lines.push(
    summary.memoryMb === 0
      ? "  lookups           from the files (--memory 0)"
      : `  lookups           from the files, then from memory once read in (up to ${summary.memoryMb} MB, --memory)`,
  );
  lines.push(`  API               ${summary.url}page/api/catalog (docs/serve.md)`);
  lines.push("Ctrl-C stops it.");
  return `${lines.join("\n")}\n`;
}
