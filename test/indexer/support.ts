/**
 * Test support for the indexer: real `ponder start` / `ponder serve`
 * processes (own process group, killed even when a test fails), a fresh
 * PGlite directory or a fresh Postgres database per run, and small chain
 * helpers. Nothing here is mocked.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe } from "vitest";
import { freePort } from "../../scripts/local/ports.js";
import { processGroup } from "../../scripts/local/process-group.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PONDER_BIN = join(REPO_ROOT, "node_modules", ".bin", "ponder");

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Where a Ponder run keeps its tables. */
export type Backend = { kind: "pglite"; directory: string } | { kind: "postgres"; databaseUrl: string };

export interface PonderProcess {
  url: string;
  output(): string;
  /** chain id -> indexed block, from /status (empty map when it does not answer yet). */
  status(): Promise<Map<number, number>>;
  /** Resolves once every chain in `blocks` is indexed at or past its block. */
  waitForBlocks(blocks: Map<number, number>, timeoutMs?: number): Promise<void>;
  /** Ends the process group (SIGTERM, then SIGKILL after 10 s; or SIGKILL at once). */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  exited(): boolean;
}

export interface PonderOptions {
  command: "start" | "serve";
  deploymentsPath: string;
  schema: string;
  backend: Backend;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Starts `node_modules/.bin/ponder <command>` and resolves once /health answers. */
export async function startPonder(options: PonderOptions): Promise<PonderProcess> {
  const port = await freePort();
  // NO_COLOR: with CI set, Ponder's logger colours its output, and the tests read the log lines.
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PONDER_TELEMETRY_DISABLED: "true", DEPLOYMENTS: options.deploymentsPath, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  delete env.PONDER_PGLITE_DIRECTORY;
  delete env.PGLITE_DIRECTORY;
  if (options.backend.kind === "postgres") env.DATABASE_URL = options.backend.databaseUrl;
  else env.PONDER_PGLITE_DIRECTORY = options.backend.directory;
  const child = spawn(PONDER_BIN, [options.command, "--schema", options.schema, "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const group = processGroup(child, PONDER_BIN);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const raw of chunk.toString("utf8").split("\n")) {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, ""); // no colour codes, whatever the environment
      if (line.trim() === "" || line.includes("Indexed block")) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const tail = (): string => lines.slice(-25).join("\n");
  const stop = (signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> => group.stop(signal);
  const status = async (): Promise<Map<number, number>> => {
    const blocks = new Map<number, number>();
    try {
      const response = await fetch(`${url}/status`, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) return blocks;
      const body = (await response.json()) as Record<string, { id: number; block: { number: number } }>;
      for (const entry of Object.values(body)) blocks.set(entry.id, entry.block.number);
    } catch {
      // not answering yet
    }
    return blocks;
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (group.exited()) throw new Error(`ponder ${options.command} exited before serving; its last lines:\n${tail()}`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`ponder ${options.command} did not answer on ${url} in time; its last lines:\n${tail()}`);
    }
    await sleep(200);
  }
  const waitForBlocks = async (blocks: Map<number, number>, timeoutMs = 90_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (group.exited()) throw new Error(`ponder exited while indexing; its last lines:\n${tail()}`);
      const reached = await status();
      if ([...blocks].every(([chainId, block]) => (reached.get(chainId) ?? -1) >= block)) return;
      if (Date.now() > until) {
        throw new Error(`ponder did not reach ${JSON.stringify([...blocks])} (at ${JSON.stringify([...reached])}); its last lines:\n${tail()}`);
      }
      await sleep(200);
    }
  };
  return { url, output: () => lines.join("\n"), status, waitForBlocks, stop, exited: group.exited };
}

/** A fresh PGlite directory under the OS temp dir; `remove()` deletes it. */
export function freshPglite(): { backend: Backend; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), "indexer-pglite-"));
  return { backend: { kind: "pglite", directory }, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/**
 * `describe.each` over both databases: PGlite always, Postgres when
 * TEST_DATABASE_URL is set. Without it the Postgres suite shows as skipped
 * in the report (never silently absent), and in CI testDatabaseUrl() throws.
 */
export function describeOnBackends(title: string, body: (backendName: "pglite" | "postgres") => void): void {
  describe.each(["pglite"] as const)(title, body);
  describe.skipIf(testDatabaseUrl() === undefined).each(["postgres"] as const)(title, body);
}

/**
 * The Postgres server for tests: TEST_DATABASE_URL, or undefined when it is
 * unset outside CI (in CI its absence is a failure, never a skip).
 */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.CI) throw new Error("TEST_DATABASE_URL must be set in CI: the indexer tests run on Postgres too");
  return undefined;
}

/**
 * A new database with a random name on the test server. A whole database,
 * not just a schema: Ponder keeps its RPC cache in the shared `ponder_sync`
 * schema, keyed by chain id, and every local chain reuses 31337/31338.
 */
export async function freshPostgres(serverUrl: string): Promise<{ backend: Backend; url: string; drop(): Promise<void> }> {
  const name = `indexer_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    backend: { kind: "postgres", databaseUrl: url.toString() },
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** GET `path` as JSON, with the status. */
export async function getJson<T = unknown>(baseUrl: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`GET ${path} answered ${response.status} with non-JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, body };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
