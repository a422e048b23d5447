/**
 * Runs the real CLI (`node bin/sogni-season.mjs …`) as a child process, the way a
 * user does, and makes scratch copies of the small fixture season.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURE = join(REPO_ROOT, "test", "fixtures", "season-small");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/sogni-season.mjs <args>` from the repository root (Node 24 = this process's node). */
export function runSeason(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "sogni-season.mjs"), ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      // A command that must never hang (a FIFO as input) is killed after `timeoutMs`: status null, signal SIGKILL.
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: "SIGKILL" as const }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A scratch directory holding a copy of the fixture (season.json, 4 CSVs, onchain.json), removed by `cleanup`. */
export function fixtureCopy(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "season-cli-"));
  cpSync(FIXTURE, join(dir, "data"), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rewrites one file of a fixture copy with `edit` applied to its text. */
export function editFile(path: string, edit: (text: string) => string): void {
  writeFileSync(path, edit(readFileSync(path, "utf8")));
}

/** The standard build arguments for a fixture copy at `dir`. */
export function buildArgs(dir: string, extra: string[] = []): string[] {
  return [
    "build",
    "--config",
    join(dir, "data", "season.json"),
    "--data",
    join(dir, "data"),
    "--onchain",
    join(dir, "data", "onchain.json"),
    "--out",
    join(dir, "out"),
    ...extra,
  ];
}
