/**
 * The page API's part of bench/api.ts: the server child processes
 * (`sogni-season serve`, or bench/api-server.ts's pageRoutes() or Map
 * baseline), each with its event loop reported by bench/api-eld.mjs, the
 * time from spawning it to its first 200, the answers the baseline
 * precomputes (fetched from a page server, so both serve the same bytes,
 * and a sample of them checked against the Merkle roots), and one load case
 * (autocannon, peak RSS, max event-loop delay).
 *
 * @example
 * const server = await startServer("serve", season.outDir);
 * const measured = await loadCase([server], options, () => ({ path: `/page/api/recipients/${pick()}` }));
 * await server.stop();
 */
import { spawn } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { cumulativeLeafHash, leafHash } from "../season/leaf.js";
import { verifyProof } from "../season/tree.js";
import { POOL_KEYS, type Hex } from "../season/types.js";
import { HOLD_MESSAGES } from "../scripts/commands/serve.js";
import { freePort } from "../scripts/local/ports.js";
import type { Answers } from "./api-server.js";
import { runLoad, sampleRss, type LoadRequest, type LoadResult } from "./api-load.js";
import { ROOT } from "./measure.js";

const SERVER_SCRIPT = join(ROOT, "bench", "api-server.ts");
const ELD_PRELOAD = join(ROOT, "bench", "api-eld.mjs");
const SEASON_BIN = join(ROOT, "bin", "sogni-season.mjs");

/** What bench/api-eld.mjs answers over the IPC channel. */
export type EventLoopMessage = { type: "reset" } | { type: "report"; maxMs: number; p99Ms: number; meanMs: number };

export interface EventLoopReport {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

/** A server bench/api.ts loads: its pids (for RSS), its URL, and its event loop when it reports one. */
export interface LoadTarget {
  url: string;
  pids: () => number[];
  resetEventLoop?: () => Promise<void>;
  reportEventLoop?: () => Promise<EventLoopReport>;
}

export interface ServerChild extends LoadTarget {
  pid: number;
  port: number;
  /** The child's last output lines (for errors). */
  output: () => string;
  /** How many served directories it has said are held in memory ("…: lookups now answered from memory" on stderr). */
  heldCount: () => number;
  stop: () => Promise<void>;
}

export interface CaseOptions {
  connections: number;
  durationS: number;
  /** Seconds of load before the measured run (not counted; the event loop and RSS are watched through it). */
  warmupS: number;
}

export interface CaseResult {
  load: LoadResult;
  peakRssMb: number;
  eventLoop: EventLoopReport | null;
}

/**
 * How a page is served: `serve` is `sogni-season serve <outDir>` (what a
 * person runs), `routes` is pageRoutes() with env OUT_DIR (what the indexer
 * mounts), `map` is the baseline; all three with bench/api-eld.mjs preloaded.
 */
export type ServerKind = "serve" | "routes" | "map";

/**
 * The command of a server of `kind`. `serve` runs bin/sogni-season.mjs itself, as `npx sogni-season serve`
 * does, so its shebang's node flags (V8's young generation, which bounds the server's memory) apply; the
 * event-loop watcher comes in through NODE_OPTIONS, and `node` is this process's.
 */
function serverCommand(kind: ServerKind, port: number, outDir: string, answersFile: string | undefined): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env = { ...process.env, OUT_DIR: outDir };
  if (kind === "serve") {
    return {
      command: SEASON_BIN,
      args: ["serve", outDir, "--port", String(port), "--json"],
      env: { ...env, NODE_OPTIONS: `--import ${ELD_PRELOAD}`, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` },
    };
  }
  return { command: process.execPath, args: ["--import", "tsx", SERVER_SCRIPT, kind, "--port", String(port), ...(answersFile === undefined ? [] : ["--answers", answersFile])], env };
}

/** Spawns a server of `kind` on a free port; resolves once it prints its {"url"} line (within startTimeoutMs). */
export async function startServer(kind: ServerKind, outDir: string, answersFile?: string, startTimeoutMs = 120_000): Promise<ServerChild> {
  const port = await freePort();
  const { server, ready } = spawnServer(kind, port, outDir, answersFile);
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`the ${kind} server did not listen within ${startTimeoutMs / 1000} s:\n${server.output()}`)), startTimeoutMs).unref()),
    ]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

function spawnServer(kind: ServerKind, port: number, outDir: string, answersFile: string | undefined): { server: ServerChild; ready: Promise<void> } {
  const { command, args, env } = serverCommand(kind, port, outDir, answersFile);
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== ""));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const output = (): string => lines.join("\n");
  let stdout = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      keep(chunk);
      stdout += chunk.toString("utf8");
      if (/^\{"url":/m.test(stdout)) resolve();
    });
    void exit.then(() => reject(new Error(`the ${kind} server exited before listening:\n${output()}`)));
  });
  ready.catch(() => {}); // a server stopped before it listened: whoever waits on ready sees the error
  let held = 0;
  child.stderr!.on("data", (chunk: Buffer) => {
    keep(chunk);
    held += chunk.toString("utf8").split("\n").filter((line) => line.includes(HELD)).length;
  });
  const waiting = new Map<string, (message: EventLoopMessage) => void>();
  child.on("message", (message: EventLoopMessage) => {
    const done = waiting.get(message.type);
    waiting.delete(message.type);
    done?.(message);
  });
  const ask = <T extends EventLoopMessage>(request: string, type: T["type"]): Promise<T> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`the ${kind} server exited:\n${output()}`));
      waiting.set(type, (message) => resolve(message as T));
      child.send(request);
    });
  const server: ServerChild = {
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    pids: () => [child.pid!],
    output,
    heldCount: () => held,
    resetEventLoop: async () => void (await ask("reset", "reset")),
    reportEventLoop: async () => {
      const { maxMs, p99Ms, meanMs } = await ask<Extract<EventLoopMessage, { type: "report" }>>("report", "report");
      return { maxMs, p99Ms, meanMs };
    },
    stop: async () => {
      if (!exited) child.kill("SIGTERM");
      await exit;
    },
  };
  return { server, ready };
}

/**
 * Spawns a page server and asks for `path` every 5 ms until it answers 200:
 * milliseconds from spawn to that answer. The server is stopped after.
 */
export async function firstAnswerMs(kind: ServerKind, outDir: string, path: string, timeoutMs = 120_000): Promise<number> {
  const port = await freePort();
  const began = performance.now();
  const { server } = spawnServer(kind, port, outDir, undefined);
  try {
    for (;;) {
      let status: number | undefined;
      try {
        const response = await fetch(`${server.url}${path}`);
        await response.arrayBuffer();
        status = response.status;
      } catch {
        // not listening yet
      }
      if (status === 200) return performance.now() - began;
      if (status !== undefined) throw new Error(`GET ${path} answered ${status}, not 200`);
      if (performance.now() - began > timeoutMs) throw new Error(`no answer from the page server within ${timeoutMs / 1000} s:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await server.stop();
  }
}

/** What `sogni-season serve` (and bench/api-server.ts routes) print as a directory's lookups are held in memory. */
const HELD = `: ${HOLD_MESSAGES.held}`;

/**
 * Waits until the page server says `count` directories are held in memory
 * (their lookups answered from memory, not the files), at most `timeoutMs`:
 * the steady state of a server a while after its start. Returns the ms waited,
 * or undefined when they were not all held in time.
 */
export async function awaitHeld(server: ServerChild, count: number, timeoutMs = 60_000): Promise<number | undefined> {
  const began = performance.now();
  while (server.heldCount() < count) {
    if (performance.now() - began > timeoutMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - began;
}

/**
 * Waits until a fresh page server is past its start-up work, so a case
 * measures the steady state (the first-answer rows measure the start): one
 * request per leaderboard (answered once that board's index is built; `serve`
 * starts indexing the latest season's boards at once) and one for the season.
 */
export async function settle(url: string): Promise<number> {
  const began = performance.now();
  await Promise.all(
    [...POOL_KEYS.map((pool) => `/page/api/leaderboards/${pool}?offset=0&limit=1`), "/page/api/season"].map(async (path) => {
      const response = await fetch(`${url}${path}`);
      await response.arrayBuffer();
    }),
  );
  return performance.now() - began;
}

/** The pool with the most leaderboard rows (the generator's ambassadors: every recipient), and its count. */
export async function largestLeaderboard(url: string): Promise<{ pool: string; count: number }> {
  let best = { pool: "", count: -1 };
  for (const pool of POOL_KEYS) {
    const response = await fetch(`${url}/page/api/leaderboards/${pool}?offset=0&limit=1`);
    if (response.status !== 200) continue;
    const count = ((await response.json()) as { count: number }).count;
    if (count > best.count) best = { pool, count };
  }
  if (best.count < 0) throw new Error(`${url}/page/api/leaderboards/<pool> answered no pool`);
  return best;
}

/**
 * GETs every path from the page server (16 at a time): the baseline's
 * answers, byte for byte. Returns them and how many were not 200.
 */
export async function fetchAnswers(url: string, paths: string[]): Promise<{ answers: Answers; notOk: Map<number, number> }> {
  const answers: Answers = {};
  const notOk = new Map<number, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const response = await fetch(`${url}${path}`);
      answers[path] = { status: response.status, body: await response.text() };
      if (response.status !== 200) notOk.set(response.status, (notOk.get(response.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { answers, notOk };
}

/**
 * Checks answers against the roots: each recipients answer's proof against
 * the season's root (season/leaf.ts + season/tree.ts), each rewards answer's
 * publication proof against that publication's root. Returns the problems.
 */
export function checkAnswers(answers: Answers, seasonRoot: Hex, limit = 50): { checked: number; problems: string[] } {
  const problems: string[] = [];
  let checked = 0;
  for (const [path, { status, body }] of Object.entries(answers)) {
    if (checked >= limit) break;
    if (status !== 200) continue;
    const json = JSON.parse(body) as Record<string, unknown>;
    if (path.startsWith("/page/api/recipients/")) {
      const { address, index, amount, proof } = json as { address: string; index: number; amount: string; proof: Hex[] };
      if (!verifyProof(leafHash(index, address, BigInt(amount)), proof, seasonRoot)) problems.push(`${path}: the proof does not verify against the season's root`);
      checked++;
    } else if (path.startsWith("/page/api/rewards/")) {
      const { address, publications } = json as { address: string; publications?: { merkleRoot: Hex; cumulative: string; proof: Hex[] }[] };
      for (const publication of publications ?? []) {
        if (publication.cumulative === "0") continue;
        if (!verifyProof(cumulativeLeafHash(address, BigInt(publication.cumulative)), publication.proof, publication.merkleRoot)) problems.push(`${path}: the publication proof does not verify against its root`);
      }
      if (publications === undefined || publications.length === 0) problems.push(`${path}: no publications in the answer`);
      checked++;
    }
  }
  return { checked, problems };
}

/**
 * One load case: the targets' event loops reset, RSS sampled, `warmupS` of
 * load (not counted), then the measured run. Connections are spread over
 * the targets.
 */
export async function loadCase(targets: LoadTarget[], options: CaseOptions, request: () => LoadRequest): Promise<CaseResult> {
  const pids = (): number[] => targets.flatMap((target) => target.pids());
  await Promise.all(targets.map((target) => target.resetEventLoop?.()));
  const rss = sampleRss(pids);
  const urls = targets.map((target) => target.url);
  try {
    if (options.warmupS > 0) await runLoad({ urls, connections: options.connections, durationS: options.warmupS, request });
    const load = await runLoad({ urls, connections: options.connections, durationS: options.durationS, request });
    const reports = await Promise.all(targets.map((target) => target.reportEventLoop?.()));
    const known = reports.filter((report): report is EventLoopReport => report !== undefined);
    const eventLoop = known.length === 0 ? null : { maxMs: Math.max(...known.map((r) => r.maxMs)), p99Ms: Math.max(...known.map((r) => r.p99Ms)), meanMs: Math.max(...known.map((r) => r.meanMs)) };
    return { load, peakRssMb: rss.stop(), eventLoop };
  } finally {
    rss.stop();
  }
}
