/**
 * What the `season rewards` subcommands share: their common options
 * (--rpc, --rewards, --deployments, --keystore, --json), finding the
 * contract, exit codes, refusals (the contract would revert: nothing sent),
 * custom errors by name, amounts and durations in words.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BaseError, ContractFunctionRevertedError } from "viem";
import { normalizeAddress, type Address } from "../../../season/address.js";
import { formatDecimal } from "../../../season/decimal.js";
import { formatDuration, isoSeconds } from "../../../season/time.js";
import { connectChain, type ChainConnection } from "../../../chain/clients.js";
import { DEFAULT_DEPLOYMENTS_PATH, readDeployments } from "../../../chain/deployments.js";
import { readRewardsState, type RewardsState } from "../../../chain/rewards.js";
import { PublicationDirError, readPublication, type PublicationView } from "../../../season-io/publication-dir.js";
import { parseCommandArgs, reportError, UsageError } from "../../cli/cli.js";

/** Re-exported for the rewards subcommands: the one duration format is season/time.ts's. */
export { formatDuration };

/** Exit codes of every `season rewards` subcommand. */
export const REWARDS_EXIT = {
  ok: 0,
  /** Failed: the message says at which step and why. */
  failed: 1,
  usage: 2,
  /** Refused before sending: the contract would revert (nothing pending, timelock running, not funded, wrong previous root, nothing to claim). */
  refused: 3,
  /** The account is not in the publication. */
  notInPublication: 4,
} as const;

/** Nothing was sent because the contract would refuse it; exit {@link REWARDS_EXIT.refused} unless told otherwise. */
export class Refused extends Error {
  override name = "Refused";
  constructor(
    message: string,
    readonly code: number = REWARDS_EXIT.refused,
  ) {
    super(message);
  }
}

/** A step failed (a revert that was not foreseen, a missing token, a wrong chain). */
export class RewardsError extends Error {
  override name = "RewardsError";
}

/** The options every subcommand talking to a deployed contract takes. */
export const CONTRACT_OPTIONS = {
  rpc: { type: "string" },
  rewards: { type: "string" },
  deployments: { type: "string" },
  json: { type: "boolean" },
} as const;

/** And those that sign. */
export const SIGNER_OPTIONS = { ...CONTRACT_OPTIONS, keystore: { type: "string" } } as const;

export const KEYS_HELP = `Keys (never on the command line)
  SEASON_PRIVATE_KEY        0x-prefixed private key of the sender, or
  SEASON_KEYSTORE           keystore file (or --keystore), with SEASON_KEYSTORE_PASSWORD (else a prompt)`;

export const CONTRACT_HELP = `  --rpc <url>            JSON-RPC endpoint of the contract's chain (required)
  --rewards <address>    the SogniRewards contract (default: the deployments file's "rewards" for this chain)
  --deployments <file>   deployments file (default: $DEPLOYMENTS, else deployments/local.json when present)
  --json                 print the result as JSON on stdout`;

export const EXIT_HELP = `Exit codes
  0  done   1  failed   2  bad usage
  3  refused: the contract would revert (the message says why); nothing sent
  4  (claim) the account is not in the publication; nothing sent`;

type Parsed = ReturnType<typeof parseCommandArgs<typeof SIGNER_OPTIONS>>;
export type RewardsValues = Extract<Parsed, { kind: "run" }>["values"];

/** The deployments file to read: --deployments, else $DEPLOYMENTS, else deployments/local.json when present. */
export function deploymentsFile(given: string | undefined): string | undefined {
  return given ?? (process.env.DEPLOYMENTS || (existsSync(DEFAULT_DEPLOYMENTS_PATH) ? DEFAULT_DEPLOYMENTS_PATH : undefined));
}

/** A flag's address, or a UsageError naming the flag. */
export function addressFlag(flag: string, value: string | undefined): Address | undefined {
  if (value === undefined) return undefined;
  try {
    return normalizeAddress(value);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
}

/** A connected chain and the contract's state. */
export interface RewardsContext {
  connection: ChainConnection;
  address: Address;
  /** Its deployment block when the deployments file records it, else 0. */
  fromBlock: bigint;
  state: RewardsState;
}

/** Connects to --rpc and finds the contract (--rewards, else the deployments file's `rewards` for this chain). */
export async function openRewards(values: { rpc?: string; rewards?: string; deployments?: string }): Promise<RewardsContext> {
  if (values.rpc === undefined) throw new UsageError("--rpc <url> is required");
  const given = addressFlag("rewards", values.rewards);
  const connection = await connectChain(values.rpc);
  const file = deploymentsFile(values.deployments);
  const recorded = file !== undefined && existsSync(file) ? readDeployments(file).chains.find((chain) => chain.chainId === connection.chainId)?.rewards : undefined;
  const address = given ?? (recorded === undefined ? undefined : normalizeAddress(recorded.address));
  if (address === undefined) {
    throw new UsageError(`which SogniRewards? pass --rewards <address> (${file === undefined ? "no deployments file" : `${file} records none for chain ${connection.chainId}`})`);
  }
  const fromBlock = recorded !== undefined && normalizeAddress(recorded.address) === address ? BigInt(recorded.block) : 0n;
  const state = await readRewardsState(connection.publicClient, address);
  return { connection, address, fromBlock, state };
}

/** The publication directory, with its chain and token checked against the contract's. */
export function publicationFor(dir: string, context: RewardsContext): PublicationView {
  const publication = readPublication(dir);
  const { manifest } = publication;
  if (manifest.chainId !== null && manifest.chainId !== context.connection.chainId) {
    throw new RewardsError(`publication ${manifest.id} pays on chain ${manifest.chainId}, but --rpc is chain ${context.connection.chainId}: use the right --rpc`);
  }
  if (manifest.token !== null && manifest.token !== context.state.token) {
    throw new RewardsError(`publication ${manifest.id} pays token ${manifest.token}, but the SogniRewards at ${context.address} pays ${context.state.token}: wrong contract or publication`);
  }
  return publication;
}

/** The custom error a call reverted with (its name and arguments), if it did. */
export function revertOf(error: unknown): { name: string; args: readonly unknown[] } | undefined {
  if (error instanceof BaseError) {
    const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return { name: revert.data?.errorName ?? revert.signature ?? "a revert", args: revert.data?.args ?? [] };
  }
  return undefined;
}

/** A send that reverted anyway: the contract's error by name when it has one. */
export function sendFailed(step: string, error: unknown): RewardsError {
  const revert = revertOf(error);
  const detail = revert === undefined ? ((error as BaseError).shortMessage ?? (error as Error).message) : `${revert.name}(${revert.args.map(String).join(", ")})`;
  return new RewardsError(`${step} would revert: ${detail}`);
}

/** Wei as SOGNI with its decimals: "1253.5 SOGNI". */
export function sogni(wei: bigint, decimals = 18): string {
  return `${formatDecimal(wei, decimals)} SOGNI`;
}


/** "2026-11-03T00:00:05Z (in 23 h 59 min 53 s)" or "(42 s ago)", against the chain's time. */
export function whenText(at: number, now: number): string {
  return `${isoSeconds(at)} (${at > now ? `in ${formatDuration(at - now)}` : at === now ? "now" : `${formatDuration(now - at)} ago`})`;
}

/**
 * The publications under `dir` (its publication-<id>/ directories) by
 * dataHash, to name the roots the contract holds; unreadable ones are
 * passed over.
 */
export function publicationsByDataHash(dir: string | undefined): Map<string, PublicationView> {
  const found = new Map<string, PublicationView>();
  if (dir === undefined || !existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    if (!/^publication-\d+$/.test(name)) continue;
    try {
      const publication = readPublication(join(dir, name));
      found.set(publication.dataHash, publication);
    } catch (error) {
      if (!(error instanceof PublicationDirError)) throw error;
    }
  }
  return found;
}

/** Prints `label  value` lines, aligned. */
export function renderFields(title: string, rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${title}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n")}\n`;
}

/** JSON with bigints as decimal strings. */
export function printJsonResult(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
}

/** Progress on stderr: `rewards <sub>: …`. */
export function progressFor(sub: string): (message: string) => void {
  return (message) => process.stderr.write(`rewards ${sub}: ${message}\n`);
}

/** Runs a subcommand body and maps what it throws to an exit code, as every command does. */
export async function runSubcommand(sub: string, json: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Refused) {
      process.stderr.write(`sogni-season rewards ${sub}: refused: ${error.message}; nothing sent\n`);
      if (json) printJsonResult({ status: error.code === REWARDS_EXIT.notInPublication ? "not-in-publication" : "refused", reason: error.message });
      return error.code;
    }
    if (error instanceof UsageError) return reportError(`rewards ${sub}`, error);
    process.stderr.write(`sogni-season rewards ${sub}: ${(error as Error).message}\n`);
    if (process.env.SEASON_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return REWARDS_EXIT.failed;
  }
}
