/**
 * Runs the real `season` CLI (bin/sogni-season.mjs) as a child process and
 * collects its output and exit code.
 *
 * @example const { code, stdout } = await runSeason(["claim", dir, "--rpc", rpcUrl], { SEASON_PRIVATE_KEY: key });
 */
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for a child: ours minus any key that would leak in from the developer's shell. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["SEASON_PRIVATE_KEY", "SEASON_KEYSTORE", "SEASON_KEYSTORE_PASSWORD"]) delete env[name];
  return { ...env, ...extra };
}

/**
 * `deploy` records the distributor in $DEPLOYMENTS, else deployments/local.json when it exists:
 * a test's deploy must never write into the developer's own file, so unless the test names one,
 * it points at a file that does not exist (deploy then records deployment.json only).
 */
const NO_DEPLOYMENTS = join(tmpdir(), "sogni-season-tests-no-deployments.json");

export function runSeason(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  const isolated = args[0] === "deploy" && !args.includes("--deployments") && env.DEPLOYMENTS === undefined ? { ...env, DEPLOYMENTS: NO_DEPLOYMENTS } : env;
  return runNode([join(REPO_ROOT, "bin", "sogni-season.mjs"), ...args], isolated, timeoutMs);
}

export function runNode(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`season ${args.join(" ")} took more than ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
