/**
 * The indexer (`ponder start`) as a child process: its own process group,
 * stopped with the whole group, started on PGlite in a fresh directory (or
 * Postgres when `databaseUrl` is given), and waited on through `/status`
 * until every chain has reached the block we need (DESIGN.md: `/ready` can
 * answer before live blocks are indexed).
 *
 * @example
 * const indexer = await startIndexer({ deploymentsPath, pgliteDir: "out/demo/pglite" });
 * await indexer.waitForBlocks(new Map([[31337, 1234]]));
 * await indexer.stop();
 */
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.js";
import { processGroup } from "./process-group.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PONDER_BIN = join(REPO_ROOT, "node_modules", ".bin", "ponder");

export interface IndexerOptions {
  deploymentsPath: string;
  /** PGlite data directory (fresh for a fresh chain). Ignored with databaseUrl. */
  pgliteDir?: string;
  /** Postgres instead of PGlite. */
  databaseUrl?: string;
  /** Database schema (default `demo_<pid>`). */
  schema?: string;
  /** HTTP port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Extra environment (e.g. OUT_DIR for the page). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the HTTP server, ms (default 180 s: a cold start compiles the config). */
  startTimeoutMs?: number;
}

export interface IndexerProcess {
  url: string;
  port: number;
  /** The last lines Ponder printed (for error messages). */
  output(): string;
  /** Resolves once /status shows every chain at or past its block. */
  waitForBlocks(blocks: Map<number, number>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export class IndexerError extends Error {
  override name = "IndexerError";
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Starts `ponder start` and resolves once its HTTP server answers. */
export async function startIndexer(options: IndexerOptions): Promise<IndexerProcess> {
  const port = options.port ?? (await freePort());
  const schema = options.schema ?? `demo_${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PONDER_TELEMETRY_DISABLED: "true",
    DEPLOYMENTS: resolve(options.deploymentsPath),
    DATABASE_SCHEMA: schema,
  };
  if (options.databaseUrl) {
    env.DATABASE_URL = options.databaseUrl;
  } else {
    delete env.DATABASE_URL;
    if (options.pgliteDir) {
      env.PGLITE_DIRECTORY = resolve(options.pgliteDir);
      env.PONDER_PGLITE_DIRECTORY = resolve(options.pgliteDir);
    }
  }
  // ponder directly, not through npx: npx does not pass signals on (DESIGN.md).
  const child = spawn(PONDER_BIN, ["start", "--schema", schema, "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new IndexerError(`could not start ${PONDER_BIN}`);
  const group = processGroup(child, PONDER_BIN);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      lines.push(line);
      if (lines.length > 60) lines.shift();
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const output = (): string => lines.join("\n");
  const tail = (): string => lines.slice(-15).join("\n");
  const stop = (): Promise<void> => group.stop();
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (options.startTimeoutMs ?? 180_000);
  for (;;) {
    if (group.exited()) throw new IndexerError(`ponder exited before serving on ${url}; its last lines:\n${tail()}`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new IndexerError(`ponder did not answer on ${url} in time; its last lines:\n${tail()}`);
    }
    await sleep(300);
  }

  const waitForBlocks = async (blocks: Map<number, number>, timeoutMs = 300_000): Promise<void> => {
    await waitForIndexedBlocks(url, blocks, {
      timeoutMs,
      check: () => {
        if (group.exited()) throw new IndexerError(`ponder exited while indexing; its last lines:\n${tail()}`);
      },
      context: () => `; its last lines:\n${tail()}`,
    });
  };
  return { url, port, output, waitForBlocks, stop };
}

export interface WaitOptions {
  /** Default 300 s. */
  timeoutMs?: number;
  /** Called before each poll; throw to stop waiting (e.g. the process died). */
  check?: () => void;
  /** Appended to the timeout's message (e.g. the indexer's last lines). */
  context?: () => string;
}

/**
 * Resolves once the indexer at `url` shows, on `/status`, every chain at or
 * past its block (chain id -> block). `/ready` is not enough: it answers once
 * the backfill is done, before the newest blocks are indexed (DESIGN.md). An
 * indexer that does not answer yet is waited for too.
 *
 * @example await waitForIndexedBlocks("http://127.0.0.1:42069", new Map([[31337, 335]]));
 */
export async function waitForIndexedBlocks(url: string, blocks: Map<number, number>, options: WaitOptions = {}): Promise<Map<number, number>> {
  const until = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    options.check?.();
    const reached = await statusBlocks(url);
    if (reached !== undefined && [...blocks].every(([chainId, block]) => (reached.get(chainId) ?? -1) >= block)) return reached;
    if (Date.now() > until) {
      const seen = reached ? [...reached].map(([id, block]) => `chain ${id} at ${block}`).join(", ") || "no chain yet" : `no /status answer from ${url}`;
      throw new IndexerError(
        `the indexer did not reach ${[...blocks].map(([id, block]) => `chain ${id} block ${block}`).join(", ")} in time (${seen})${options.context?.() ?? ""}`,
      );
    }
    await sleep(300);
  }
}

/** chain id -> indexed block, from Ponder's /status ({ <name>: { id, block: { number } } }). */
async function statusBlocks(url: string): Promise<Map<number, number> | undefined> {
  try {
    const response = await fetch(`${url}/status`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Record<string, { id?: number; chainId?: number; block?: { number?: number | string } | null }>;
    const blocks = new Map<number, number>();
    for (const entry of Object.values(body ?? {})) {
      const id = entry?.id ?? entry?.chainId;
      const number = entry?.block?.number;
      if (typeof id === "number" && number !== undefined && number !== null) blocks.set(id, Number(number));
    }
    return blocks;
  } catch {
    return undefined;
  }
}
