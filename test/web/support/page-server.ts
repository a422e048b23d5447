/**
 * Serves the page's routes (web/server.ts) on their own (no Ponder) on a
 * free loopback port, for the page's API and browser tests; and runs
 * `sogni-season serve …` as a child process, the way a person runs it (its
 * output collected, ready once a line matches, stopped by a signal).
 *
 * @example
 * const server = await servePage({ seasonDir }); await fetch(`${server.url}/page/api/season`);
 * const served = await startServe(["out", "--port", "0", "--json"], { cwd: work, ready: /^\{/ });
 * const { code } = await served.stop("SIGINT");
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { pageApp, type PageOptions } from "../../../web/server.js";
import { freePort } from "../../../scripts/local/ports.js";
import { REPO_ROOT } from "../../e2e/support/cli.js";

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function servePage(options: PageOptions): Promise<PageServer> {
  const port = await freePort();
  const page = pageApp(options);
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: page.routes.fetch, port, hostname: "127.0.0.1" }, () => resolve(started));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          page.close();
          resolve();
        }),
      ),
  };
}

export interface ServeProcess {
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts serve and resolves once its stdout matches `ready`; rejects (with its output) when it exits first or takes longer than `timeoutMs`. */
export function startServe(args: string[], options: { cwd: string; ready: RegExp; env?: Record<string, string>; timeoutMs?: number }): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.DEPLOYMENTS === undefined) delete env.DEPLOYMENTS;
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "sogni-season.mjs"), "serve", ...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const served: ServeProcess = {
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = "SIGINT") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const result = await exited;
      clearTimeout(timer);
      return { ...result, stdout, stderr };
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve ${args.join(" ")} did not get ready in ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    const check = (): void => {
      if (!options.ready.test(stdout)) return;
      clearTimeout(timer);
      child.stdout.off("data", check);
      resolve(served);
    };
    child.stdout.on("data", check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve ${args.join(" ")} exited (${code}) before it was ready\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}
