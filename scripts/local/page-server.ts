// scripts/: command-line entry points and what only they use (cli/, commands/, local/, sim/, keys/, demo/).
// May import every folder; nothing imports scripts/. See docs/architecture.md.
/**
 * `sogni-season serve` as a child process (its own process group, stopped
 * with it): the claim page and its JSON API from season and publication
 * directories, reading SogniRewards over RPC when given one. The demo's
 * page when it runs without the indexer.
 *
 * @example
 * const page = await startPageServer({ dirs: ["out/demo/out"], rpcUrl, deploymentsPath });
 * await fetch(`${page.url}page/api/catalog`);
 * await page.stop();
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { processGroup } from "./process-group.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SEASON_BIN = join(REPO_ROOT, "bin", "sogni-season.mjs");

export interface PageServerOptions {
  /** Season directories, publication directories, or directories holding them. */
  dirs: string[];
  /** Port on 127.0.0.1; default any free one. */
  port?: number;
  /** Read SogniRewards (the chain part of /page/api/rewards/:address) from this node. */
  rpcUrl?: string;
  deploymentsPath?: string;
  /** How long to wait for it to listen, ms (default 60 s). */
  startTimeoutMs?: number;
}

export interface PageServer {
  /** The page, with a trailing slash. */
  url: string;
  stop(): Promise<void>;
}

/** Starts `sogni-season serve … --json` and resolves with its URL once it listens. */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const args = [SEASON_BIN, "serve", ...options.dirs, "--port", String(options.port ?? 0), "--json"];
  if (options.rpcUrl !== undefined) args.push("--rpc", options.rpcUrl);
  if (options.deploymentsPath !== undefined) args.push("--deployments", options.deploymentsPath);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const group = processGroup(child, "sogni-season serve");
  const stop = (): Promise<void> => group.stop();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  try {
    const url = await new Promise<string>((listening, failed) => {
      let stdout = "";
      const timer = setTimeout(() => failed(new Error(`sogni-season serve did not listen in time: ${stderr.trim()}`)), options.startTimeoutMs ?? 60_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        const line = stdout.split("\n")[0];
        if (!stdout.includes("\n") || line === undefined) return;
        clearTimeout(timer);
        try {
          listening((JSON.parse(line) as { url: string }).url);
        } catch {
          failed(new Error(`sogni-season serve printed ${JSON.stringify(line)}, not its JSON summary`));
        }
      });
      void group.exit.then(() => {
        clearTimeout(timer);
        failed(new Error(`sogni-season serve exited: ${stderr.trim()}`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
