/**
 * The compiled contracts: creation bytecode read from Hardhat's artifacts
 * (`npx hardhat build` writes them to artifacts/contracts/<Name>.sol/<Name>.json),
 * paired with the typed ABI generated from the same artifacts into chain/abis
 * (`npm run abis`; a test fails when those are stale). On a fresh checkout the
 * artifacts are missing: the first use compiles them (offline, once).
 *
 * @example
 * const { abi, bytecode } = loadArtifact("SogniToken");
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";
import { contractAbis } from "./abis/index.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A contract with a generated ABI (chain/abis). */
export type ContractName = keyof typeof contractAbis;

/** The contracts the local tooling deploys and drives. */
export const CONTRACT_NAMES = ["SogniToken", "SogniStaking", "WorkerPayouts", "SeasonDistributor"] as const satisfies readonly ContractName[];

export interface ContractArtifact<N extends ContractName = ContractName> {
  contractName: string;
  /** The typed ABI from chain/abis. */
  abi: (typeof contractAbis)[N];
  /** Creation bytecode, 0x-prefixed. */
  bytecode: Hex;
}

/** A missing or unreadable artifact; the message says how to build it. */
export class ArtifactError extends Error {
  override name = "ArtifactError";
}

const cache = new Map<string, { contractName: string; bytecode: Hex }>();
/** Roots this process has already compiled (or tried to): `hardhat build` runs at most once each. */
const compiled = new Set<string>();

/**
 * Reads the creation bytecode from `<root>/artifacts/contracts/<name>.sol/<name>.json`
 * (cached per process); the ABI is the typed one of chain/abis.
 *
 * @example
 * const { abi, bytecode } = loadArtifact("WorkerPayouts");
 * await wallet.deployContract({ abi, bytecode, args: [token] });
 */
export function loadArtifact<N extends ContractName>(name: N, root: string = REPO_ROOT): ContractArtifact<N> {
  const path = artifactPath(root, name);
  const cached = cache.get(path);
  if (cached) return { ...cached, abi: contractAbis[name] };
  if (!existsSync(path)) compileContracts(root);
  let json: { contractName?: string; abi?: unknown; bytecode?: string };
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new ArtifactError(`no compiled artifact for ${name} at ${path}: run \`npx hardhat build\` first`);
  }
  if (!Array.isArray(json.abi) || typeof json.bytecode !== "string" || !json.bytecode.startsWith("0x") || json.bytecode.length <= 2) {
    throw new ArtifactError(`artifact ${path} has no ABI or bytecode (is ${name} abstract?): rebuild with \`npx hardhat build\``);
  }
  const artifact = { contractName: json.contractName ?? name, bytecode: json.bytecode as Hex };
  cache.set(path, artifact);
  return { ...artifact, abi: contractAbis[name] };
}

function artifactPath(root: string, name: string): string {
  return join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
}

const LOCK_STALE_MS = 10 * 60_000;

/**
 * Compiles the contracts with the repository's own Hardhat (`hardhat build`,
 * offline: solc comes from the `solc` npm package), once per process, with a
 * progress line on stderr. Processes that start at the same time on a fresh
 * checkout (parallel test files) take turns through a lock directory, so one
 * compiles and the others wait for it. A failed build is an ArtifactError
 * carrying the compiler's last lines.
 *
 * @example compileContracts(); // artifacts/contracts/*.sol/*.json now exist
 */
export function compileContracts(root: string = REPO_ROOT, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  if (compiled.has(root)) return;
  compiled.add(root);
  const hardhat = join(root, "node_modules", ".bin", "hardhat");
  if (!existsSync(hardhat)) {
    throw new ArtifactError(`the contracts are not compiled and ${hardhat} is missing: run \`npm ci\`, then \`npx hardhat build\``);
  }
  const lock = join(root, "cache", "compile.lock");
  mkdirSync(dirname(lock), { recursive: true });
  takeLock(lock, log);
  try {
    // Another process may have compiled while this one waited.
    if (CONTRACT_NAMES.every((name) => existsSync(artifactPath(root, name)))) return;
    log("compiling the contracts (first use on this checkout: npx hardhat build) …");
    const started = Date.now();
    try {
      execFileSync(hardhat, ["build"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string; message: string };
      const output = `${failure.stdout ?? ""}${failure.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n");
      throw new ArtifactError(`\`npx hardhat build\` failed, so the contracts have no compiled artifacts; its output:\n${output || failure.message}`);
    }
    log(`compiled the contracts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Takes the lock directory (it holds the owner's pid), waiting while another
 * live process holds it. A lock whose owner is gone, or older than 10 min, is stale.
 */
function takeLock(lock: string, log: (line: string) => void): void {
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockIsStale(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!told) log("waiting for another process that is compiling the contracts …");
      told = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function lockIsStale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // No pid file yet (its owner is writing it) is not stale; a pid that no longer runs is.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
