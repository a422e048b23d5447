// season-io/: the edge of a build: input files, the season directory (written atomically, read back), threads.
// Imports season/ and chain/. See docs/architecture.md.
/**
 * The build pipeline at the edge: read the input files, run the pure core
 * (config -> scoring -> allocation), build the Merkle tree, and write the
 * season directory atomically. `season build` and `season verify` (which
 * rebuilds into a temporary directory) both call {@link buildSeason}.
 *
 * @example
 * const { dir, manifest } = await buildSeason({ configPath: "season.json", dataDir: "exports", onchain: { file: "onchain.json" }, outDir: "out" });
 */
import { existsSync, readFileSync } from "node:fs";
import { MAX_TEXT_BYTES, readRegularFile } from "./regular-file.js";
import { basename, dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { fileURLToPath } from "node:url";
import { addressHasherReady, normalizeAddress } from "../season/address.js";
import { parseSeasonConfig } from "../season/config.js";
import { computeSeason, type SeasonFiles } from "../season/engine.js";
import { InputError } from "../season/errors.js";
import { decodeUtf8 } from "../season/text.js";
import { type ClaimLocation, type ManifestJson } from "../season/manifest.js";
import { buildRecipientTree } from "../season/leaf.js";
import { type MerkleTree } from "../season/tree.js";
import { parseOnchainJson, serializeOnchainJson } from "../season/onchain.js";
import { buildTreeInBackground, computeSeasonInParallel } from "./parallel.js";
import { OutputExistsError, seasonDirectory, writeSeasonOutput } from "./output.js";
import type { OnchainFacts, SeasonConfig, SeasonResult } from "../season/types.js";
import type { Deployments } from "../chain/deployments.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The four off-chain exports, as named in SPEC section 4. */
export const CSV_FILES = ["users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv"] as const;

export type OnchainSource =
  /** onchain.json on disk. */
  | { file: string }
  /** The indexer's /snapshot route; blocks per chain id (key 0 = the `--block` default for a single chain). */
  | { indexer: string; block?: string; blocks?: Map<number, string> };

export interface BuildOptions {
  configPath: string;
  dataDir: string;
  onchain: OnchainSource;
  outDir: string;
  force?: boolean;
  /** 2 (default): the activity exports and the Merkle tree on a second thread (season-io/parallel.ts); 1: everything on this one. Same bytes either way. */
  threads?: 1 | 2;
  /** A deployments file (chain/deployments.ts) used to find the claim chain's token when season.json names none. */
  deployments?: Deployments;
  /** Take the claim location as given instead of deriving it (verify re-uses the manifest's). */
  claim?: ClaimLocation;
  progress?: (message: string) => void;
}

export interface BuildOutcome {
  dir: string;
  manifest: ManifestJson;
  result: SeasonResult;
}

/** name and version from package.json, recorded in the manifest. */
export function generatorInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/**
 * The most bytes an export or onchain.json may have: V8's longest string
 * (the engine reads each input whole, as one string).
 */
export const MAX_INPUT_BYTES = MAX_TEXT_BYTES;
/** season.json is a page of settings (a few exclusions at most): anything larger is not one. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of one input file. Refused before reading, naming the file:
 * anything but a regular file (a directory, a FIFO, which would hang, a
 * device) and a file over `maxBytes`. Opened non-blocking and checked on
 * the open descriptor, so what is checked is what is read.
 *
 * @example readInputBytes("exports/users.csv", "users.csv", "--data must hold users.csv")
 */
export function readInputBytes(path: string, label: string, hint: string, maxBytes = MAX_INPUT_BYTES): Uint8Array {
  return readRegularFile(path, { maxBytes, fail: (problem) => new InputError({ file: path }, `${label} ${problem}: ${hint}`) });
}

/**
 * An input file as text: {@link readInputBytes}, then season/text.ts's
 * decodeUtf8 (a BOM dropped, invalid UTF-8 named with its line). `season
 * build` and `season verify` read season.json and onchain.json through it,
 * so they never disagree on a file.
 */
export function readInputText(path: string, file: string, hint: string, maxBytes = MAX_INPUT_BYTES): string {
  return decodeUtf8(readInputBytes(path, file, hint, maxBytes), file);
}

/**
 * Where the claim happens (manifest `chainId` and `token`), in this order:
 * the token is season.json's `token`, else the `SogniToken` of the claim
 * chain in the deployments file, else null; the claim chain is the
 * deployments chain whose SogniToken is season.json's token, else the first
 * snapshot chain, else null.
 *
 * @example resolveClaimLocation(config, [{ chainId: 8453, … }], undefined) // { chainId: 8453, token: config.token ?? null }
 */
export function resolveClaimLocation(config: SeasonConfig, snapshot: OnchainFacts["snapshot"], deployments: Deployments | undefined): ClaimLocation {
  const chains = deployments?.chains ?? [];
  const byToken = config.token === undefined ? undefined : chains.find((chain) => chain.contracts.SogniToken.toLowerCase() === config.token);
  const chainId = byToken?.chainId ?? snapshot[0]?.chainId ?? null;
  if (config.token !== undefined) return { chainId, token: config.token };
  const deployed = chains.find((chain) => chain.chainId === chainId)?.contracts.SogniToken;
  return { chainId, token: deployed === undefined ? null : normalizeAddress(deployed) };
}

/** The indexer URL for a snapshot: `<url>/snapshot?deposit=<address>[&block=N][&block.<chainId>=N]`. */
export function snapshotUrl(indexer: string, deposit: string, block: string | undefined, blocks: Map<number, string> | undefined): string {
  const url = new URL(`${indexer.replace(/\/+$/, "")}/snapshot`);
  url.searchParams.set("deposit", deposit);
  if (block !== undefined) url.searchParams.set("block", block);
  for (const [chainId, value] of [...(blocks ?? new Map<number, string>())].sort((a, b) => a[0] - b[0])) {
    url.searchParams.set(`block.${chainId}`, value);
  }
  return url.toString();
}

async function fetchSnapshot(source: Extract<OnchainSource, { indexer: string }>, deposit: string): Promise<string> {
  const url = snapshotUrl(source.indexer, deposit, source.block, source.blocks);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new Error(`the indexer did not answer at ${url} (${(error as Error).message}): is it running? check --indexer`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`the indexer answered ${response.status} for ${url}: ${text.slice(0, 300)}`);
  }
  return text;
}

/**
 * Reads every input, computes the season and writes `<outDir>/season-<n>/`.
 * Throws InputError (file, line, column, reason) on bad input, before
 * anything is written.
 */
export async function buildSeason(options: BuildOptions): Promise<BuildOutcome> {
  const progress = options.progress ?? (() => {});
  await addressHasherReady; // checksums of a million addresses: use the WebAssembly keccak
  const configName = basename(options.configPath);
  const configBytes = readInputBytes(options.configPath, configName, "pass --config <season.json>", MAX_CONFIG_BYTES);
  const config = parseSeasonConfig(decodeUtf8(configBytes, configName), configName);

  // Fail fast, before the expensive part, when the target is taken.
  const target = seasonDirectory(options.outDir, config.season);
  if (existsSync(target) && !options.force) {
    throw new OutputExistsError(`${target} already exists: pass --force to replace it, or choose another --out`);
  }

  const csv: Record<string, Uint8Array> = {};
  const text: Record<string, string> = {};
  for (const name of CSV_FILES) {
    const bytes = readInputBytes(join(options.dataDir, name), name, `--data ${options.dataDir} must hold ${CSV_FILES.join(", ")}`);
    csv[name] = bytes;
    text[name] = decodeUtf8(bytes, name);
  }

  let onchainText: string;
  let onchainLabel: string;
  if ("file" in options.onchain) {
    onchainLabel = basename(options.onchain.file);
    onchainText = readInputText(options.onchain.file, onchainLabel, "pass --onchain <file> or --indexer <url>");
  } else {
    progress(`fetching the snapshot from ${options.onchain.indexer}`);
    onchainLabel = "indexer snapshot";
    onchainText = await fetchSnapshot(options.onchain, config.sparkDepositAddress);
  }
  const onchain = parseOnchainJson(onchainText, onchainLabel);
  progress(`parsed the config and on-chain facts (${onchain.locks.length} lock states, ${onchain.workerPaid.length} worker payments, ${onchain.deposits.length} deposits)`);

  progress(`scoring (${CSV_FILES.map((name) => `${name} ${byteSize(csv[name]!)}`).join(", ")})`);
  const files = (): SeasonFiles => ({ users: text["users.csv"]!, spark_usage: text["spark_usage.csv"]!, spark_purchases: text["spark_purchases.csv"]!, jobs: text["jobs.csv"]! });
  const threaded = options.threads !== 1;
  const result = threaded ? await computeSeasonInParallel({ config, files: files(), onchain }) : computeSeason({ config, files: files(), onchain });
  progress(`scored: ${result.recipients.length} recipients, ${result.rejected.length} rows rejected`);
  for (const name of CSV_FILES) delete text[name]; // 150 MB of text a million-recipient season no longer needs
  collectGarbage();

  let tree: MerkleTree | (() => Promise<MerkleTree>);
  if (threaded) {
    progress(`building the Merkle tree of ${result.recipients.length} leaves on a second thread`);
    const pendingTree = buildTreeInBackground(result.recipients);
    tree = async () => {
      const built = await pendingTree.ready();
      progress(`root ${built.root}${pendingTree.threaded ? "" : " (hashed on this thread: the second thread failed)"}`);
      return built;
    };
  } else {
    progress(`building the Merkle tree of ${result.recipients.length} leaves`);
    tree = buildRecipientTree(result.recipients);
    progress(`root ${tree.root}`);
  }

  const claim = options.claim ?? resolveClaimLocation(config, onchain.snapshot, options.deployments);
  const { dir, manifest } = await writeSeasonOutput(
    {
      result,
      tree,
      onchainJson: serializeOnchainJson(onchain),
      snapshot: onchain.snapshot,
      inputs: { "season.json": configBytes, ...csv },
      claim,
      generator: generatorInfo(),
    },
    { outDir: options.outDir, force: options.force, progress },
  );
  return { dir, manifest, result };
}

/**
 * One full garbage collection, between scoring and output. Scoring a
 * million recipients leaves about 700 MB of dead structures (the users, the
 * parsed rows, the tallies) in V8's old generation, which V8 would collect
 * only under pressure, while the output is rendered on top of them: one
 * collection here lowers the build's peak memory by about 300 MB
 * (BENCHMARKS.md). Node offers gc() only behind --expose-gc, so the flag is
 * turned on here and gc() taken from a fresh context.
 */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (() => void) | undefined;
  if (typeof gc === "function") gc();
}

function byteSize(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n < 10_000) return `${n} B`;
  if (n < 10_000_000) return `${(n - (n % 1000)) / 1000} kB`;
  return `${(n - (n % 1_000_000)) / 1_000_000} MB`;
}
