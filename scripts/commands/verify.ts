/**
 * `season verify <season dir>`: an auditor's check of a season directory.
 * Rebuilds the season from the recorded inputs into a temporary directory and
 * compares every file byte for byte; checks the manifest's input hashes,
 * recipients.csv against the pools, and every proof against the root
 * (tree.bin whole, formatVersion "3"; every shard, formatVersion "2"). With
 * `--rpc`, also checks the deployed distributor and re-derives the on-chain
 * facts from `eth_getLogs` (no indexer).
 *
 * @example season verify out/season-7 --rpc http://127.0.0.1:8545 --deployments deployments/local.json
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { erc20Abi } from "viem";
import { normalizeAddress } from "../../season/address.js";
import { InputError } from "../../season/errors.js";
import { FORMAT_VERSION, INPUT_FILES, sha256Hex, type ManifestJson } from "../../season/manifest.js";
import { isoSeconds, parseIsoTime } from "../../season/time.js";
import { leafHash } from "../../season/leaf.js";
import { verifyProof } from "../../season/tree.js";
import { parseOnchainJson, serializeOnchainJson } from "../../season/onchain.js";
import { SeasonDistributorAbi } from "../../chain/abis/index.js";
import { chainSource, clientFor, deriveOnchainFacts, readClaims, type ChainSource } from "../../chain/rpc-facts.js";
import type { Address, Hex, OnchainFacts } from "../../season/types.js";
import { allPassed, checkInputHashes, checkProofShard, checkProofTree, checkRecipientsCsv, describeDifference, diffFileSets, type Check, type ProofVerifier } from "../../season/verify.js";
import { SHARD_NAMES } from "../../season/season-files.js";
import { TREE_FILE } from "../../season/tree-file.js";
import { EXIT, formatTable, parseCommandArgs, printJson, progressWriter, reportError, UsageError, type Progress } from "../cli/cli.js";
import { readDeployments, type Deployments } from "../../chain/deployments.js";
import { buildSeason, MAX_CONFIG_BYTES, readInputText, resolveClaimLocation } from "../../season-io/build.js";
import { readDeploymentRecord } from "../../season-io/deployment-record.js";
import { isPublicationDir } from "../../season-io/publication-dir.js";
import { listFiles, loadManifest, readSeasonFile, readSeasonText, SeasonDirError } from "../../season-io/season-dir.js";
import { parseSeasonConfig } from "../../season/config.js";

export const VERIFY_HELP = `sogni-season verify <season dir> [options]

Re-derives a season directory and reports every check as pass or FAIL:
  - rebuilds the season from inputs/ (or --data) and onchain.json into a
    temporary directory and compares every file byte for byte
  - the manifest's sha256 of each input against the files
  - recipients.csv: indices, sorted addresses, each pool summing exactly
  - every recipient's proof against the Merkle root: tree.bin's leaves are
    recipients.csv's rows, each node the hash of its children, the last the
    root (formatVersion 2: every proof in every proofs/<xx>.json shard)
With --rpc, also:
  - the distributor's merkleRoot(), token() and claimDeadline() against the manifest
  - the distributor holds at least the unclaimed total (total minus Claimed events)
  - each snapshot block's hash and timestamp
  - onchain.json against Staked / WorkerPaid / Transfer logs read with eth_getLogs

Options
  --data <dir>            the four CSVs to rebuild from (default: <season dir>/inputs)
  --rpc <url>             JSON-RPC of the claim chain (manifest chainId)
  --distributor <addr>    the season's SeasonDistributor (default: <season dir>/deployment.json,
                          else the deployments file's distributor for this season)
  --deployments <file>    contract addresses, start blocks and other chains' RPCs
                          (default: $DEPLOYMENTS, else deployments/local.json when present)
  --json                  print the checks as JSON (implies --quiet)
  --quiet                 no progress lines on stderr
  -h, --help              this help

A publication directory (season publish) has checks of its own:
  sogni-season verify <publication dir> --seasons <season dir>… [--rpc <url> --rewards <address>]
  (sogni-season verify <publication dir> --help lists them)

Exit codes
  0  every check passed   1  at least one check failed   2  bad usage
`;

interface VerifyOptions {
  seasonDir: string;
  dataDir: string | undefined;
  rpc: string | undefined;
  distributor: string | undefined;
  deploymentsPath: string | undefined;
  progress: Progress;
}

/** Runs `season verify`; resolves to the exit code. */
export async function verifyCommand(argv: string[]): Promise<number> {
  // A publication directory (SPEC 8.2) is verified by its own module.
  if (argv.includes("--seasons") || argv.some((arg) => !arg.startsWith("-") && isPublicationDir(arg))) {
    return (await import("./verify-publication.js")).verifyPublicationCommand(argv);
  }
  const args = parseCommandArgs(argv, {
    name: "verify",
    help: VERIFY_HELP,
    positionals: 1,
    options: {
      data: { type: "string" },
      rpc: { type: "string" },
      distributor: { type: "string" },
      deployments: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  const json = values.json === true;
  try {
    if (values.distributor !== undefined && values.rpc === undefined) throw new UsageError("--distributor needs --rpc <url>");
    const checks = await verifySeason({
      seasonDir: args.positionals[0]!,
      dataDir: values.data,
      rpc: values.rpc,
      distributor: values.distributor,
      deploymentsPath: values.deployments,
      progress: progressWriter("verify", json || values.quiet === true),
    });
    const passed = allPassed(checks);
    if (json) printJson({ seasonDir: args.positionals[0], passed, checks });
    else {
      process.stdout.write(formatTable(["check", "result", "detail"], checks.map((check) => [check.check, check.ok ? "pass" : "FAIL", check.detail])));
      const failed = checks.filter((check) => !check.ok).length;
      process.stdout.write(passed ? `\nall ${checks.length} checks passed\n` : `\n${failed} of ${checks.length} checks FAILED\n`);
    }
    return passed ? EXIT.ok : EXIT.failure;
  } catch (error) {
    return reportError("verify", error);
  }
}

/** Runs every check and returns them in order (never throws for a mismatch, only for bad usage). */
export async function verifySeason(options: VerifyOptions): Promise<Check[]> {
  const { seasonDir, progress } = options;
  let manifest: ManifestJson;
  try {
    manifest = loadManifest(seasonDir);
  } catch (error) {
    if (error instanceof SeasonDirError) return [{ check: "manifest.json", ok: false, detail: error.message }];
    throw error;
  }
  const checks: Check[] = [];
  const inputsDir = join(seasonDir, "inputs");
  const dataDir = options.dataDir ?? inputsDir;

  // 1. Input hashes. Every file the rebuild reads is read here first: one that is not a readable
  // regular file (missing, a FIFO, a device, a directory, a symbolic link loop) is named, and not rebuilt from.
  const actualHashes: Record<string, string | undefined> = {};
  const unreadable = new Map<string, string>();
  for (const file of new Set([...INPUT_FILES, ...Object.keys(manifest.inputs)])) {
    const path = file === "onchain.json" ? join(seasonDir, file) : file === "season.json" ? join(inputsDir, file) : join(dataDir, file);
    try {
      actualHashes[file] = sha256Hex(readSeasonFile(path, "the rebuild needs it"));
    } catch (error) {
      if (!(error instanceof SeasonDirError)) throw error;
      unreadable.set(file, error.message);
    }
  }
  checks.push(...checkInputHashes(manifest.inputs, actualHashes).map((check) => {
    const problem = unreadable.get(check.check.replace(/^input /, ""));
    return problem === undefined ? check : { ...check, ok: false, detail: problem };
  }));

  // 2. Rebuild and compare byte for byte.
  if (manifest.formatVersion !== FORMAT_VERSION) {
    checks.push({
      check: "rebuild",
      ok: false,
      detail: `not attempted: the directory is formatVersion "${manifest.formatVersion}", this engine writes "${FORMAT_VERSION}" (README, "Format versions"): a byte-for-byte rebuild needs the engine that wrote it (${manifest.generator.name} ${manifest.generator.version}); the checks below still ran`,
    });
  } else if (unreadable.size > 0) {
    checks.push({ check: "rebuild", ok: false, detail: `not attempted: ${[...unreadable.values()].join("; ")}` });
  } else {
    progress("rebuilding the season from its recorded inputs");
    checks.push(...(await rebuildAndCompare(seasonDir, dataDir, manifest, options.deploymentsPath, progress)));
  }

  // 3. recipients.csv and every proof, straight from the files.
  progress("checking recipients.csv and every proof against the root");
  checks.push(...checkFilesAgainstRoot(seasonDir, manifest));

  // 4. The chain.
  if (options.rpc !== undefined) {
    progress(`checking the chain at ${options.rpc}`);
    checks.push(...(await checkChain(seasonDir, manifest, options)));
  }
  return checks;
}

async function rebuildAndCompare(
  seasonDir: string,
  dataDir: string,
  manifest: ManifestJson,
  deploymentsPath: string | undefined,
  progress: Progress,
): Promise<Check[]> {
  const scratch = mkdtempSync(join(tmpdir(), "season-verify-"));
  try {
    const configPath = join(seasonDir, "inputs", "season.json");
    let deployments: Deployments | undefined;
    if (deploymentsPath !== undefined) deployments = readDeployments(deploymentsPath);
    const config = parseSeasonConfig(readInputText(configPath, "season.json", "the season directory is incomplete", MAX_CONFIG_BYTES), "season.json");
    const onchain = parseOnchainJson(readInputText(join(seasonDir, "onchain.json"), "onchain.json", "the season directory is incomplete"), "onchain.json");
    // The claim location: when season.json names the token, it is derived from the inputs and
    // must match. Otherwise the build took it from whatever deployments file it had (or none),
    // which is not a recorded input: take the manifest's as given (checked on chain with --rpc).
    const claim =
      config.token !== undefined
        ? resolveClaimLocation(config, onchain.snapshot, deployments)
        : { chainId: manifest.chainId, token: manifest.token === null ? null : normalizeAddress(manifest.token) };
    const rebuilt = await buildSeason({ configPath, dataDir, onchain: { file: join(seasonDir, "onchain.json") }, outDir: scratch, claim, progress });
    const expected = listFiles(rebuilt.dir);
    const actual = listFiles(seasonDir);
    const { missing, extra, common } = diffFileSets(expected, actual);
    const differing: string[] = [];
    for (const path of common) {
      let bytes: Buffer;
      try {
        bytes = readSeasonFile(join(seasonDir, path));
      } catch (error) {
        if (!(error instanceof SeasonDirError)) throw error;
        differing.push(`${path} (${error.message})`);
        continue;
      }
      const difference = describeDifference(path, bytes, readFileSync(join(rebuilt.dir, path)), manifest.recipients);
      if (difference !== undefined) differing.push(`${path} (${difference})`);
    }
    const checks: Check[] = [
      {
        check: "rebuild: same files",
        ok: missing.length === 0 && extra.length === 0,
        detail: [missing.length ? `missing: ${missing.join(", ")}` : "", extra.length ? `unexpected: ${extra.join(", ")}` : ""].filter(Boolean).join("; ") || `${expected.length} files`,
      },
      {
        check: "rebuild: byte-identical",
        ok: differing.length === 0,
        detail: differing.length === 0 ? `${common.length} files identical` : `differ: ${differing.slice(0, 10).join(", ")}${differing.length > 10 ? ` and ${differing.length - 10} more` : ""}`,
      },
    ];
    return checks;
  } catch (error) {
    if (error instanceof InputError) return [{ check: "rebuild", ok: false, detail: `the recorded inputs do not build: ${error.message}` }];
    if (error instanceof SeasonDirError) return [{ check: "rebuild", ok: false, detail: error.message }];
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const verifier: ProofVerifier = (index, account, amount, proof, root) => {
  try {
    return verifyProof(leafHash(index, account as Hex, amount), proof as Hex[], root);
  } catch {
    return false; // not a leaf at all (a damaged address or amount): it proves nothing
  }
};

function checkFilesAgainstRoot(seasonDir: string, manifest: ManifestJson): Check[] {
  const recipientsPath = join(seasonDir, "recipients.csv");
  let recipientsText: string;
  try {
    recipientsText = readSeasonText(recipientsPath);
  } catch (error) {
    if (error instanceof SeasonDirError) return [{ check: "recipients.csv", ok: false, detail: error.message }];
    throw error;
  }
  const { checks, recipients } = checkRecipientsCsv(recipientsText, manifest);
  const root = manifest.merkleRoot as Hex;
  if (manifest.formatVersion === "2") checks.push(checkProofShards(seasonDir, recipients, root));
  else {
    try {
      checks.push(checkProofTree(readSeasonFile(join(seasonDir, TREE_FILE)), recipients, root, "season"));
    } catch (error) {
      if (!(error instanceof SeasonDirError)) throw error;
      checks.push({ check: "proofs against the root", ok: false, detail: error.message });
    }
  }
  return checks;
}

/** formatVersion "2": every proof of every proofs/<xx>.json against the root, and every recipient with one. */
function checkProofShards(seasonDir: string, recipients: ReturnType<typeof checkRecipientsCsv>["recipients"], root: Hex): Check {
  const seen = new Uint8Array(recipients.addresses.length);
  const problems: string[] = [];
  for (const shard of SHARD_NAMES) {
    let text: string;
    try {
      text = readSeasonText(join(seasonDir, "proofs", `${shard}.json`));
    } catch (error) {
      if (!(error instanceof SeasonDirError)) throw error;
      problems.push(error.message);
      continue;
    }
    problems.push(...checkProofShard(shard, text, recipients, root, verifier, seen));
    if (problems.length > 10) break;
  }
  const unproven = seen.reduce((count, flag) => count + (flag ? 0 : 1), 0);
  if (unproven > 0 && problems.length <= 10) problems.push(`${unproven} recipient(s) of recipients.csv have no proof`);
  return {
    check: "proofs against the root",
    ok: problems.length === 0,
    detail: problems.length === 0 ? `${recipients.addresses.length} proofs in 256 shards verify against ${root}` : problems.slice(0, 6).join("; "),
  };
}

function findDeployments(path: string | undefined): Deployments | undefined {
  const candidate = path ?? process.env.DEPLOYMENTS ?? (existsSync("deployments/local.json") ? "deployments/local.json" : undefined);
  return candidate === undefined ? undefined : readDeployments(candidate);
}

function distributorAddress(seasonDir: string, manifest: ManifestJson, given: string | undefined, deployments: Deployments | undefined): { address: Address; block: bigint } | undefined {
  if (given !== undefined) {
    const address = normalizeAddress(given);
    const known = deployments?.chains.flatMap((chain) => chain.distributors ?? []).find((entry) => entry.address.toLowerCase() === address);
    const record = readDeploymentRecord(seasonDir);
    const block = known?.block ?? (record?.address === address ? record.block : 0);
    return { address, block: BigInt(block) };
  }
  const record = readDeploymentRecord(seasonDir);
  if (record !== undefined) return { address: normalizeAddress(record.address), block: BigInt(record.block) };
  const entry = deployments?.chains.find((chain) => chain.chainId === manifest.chainId)?.distributors?.find((d) => d.season === manifest.season);
  return entry === undefined ? undefined : { address: normalizeAddress(entry.address), block: BigInt(entry.block) };
}

async function checkChain(seasonDir: string, manifest: ManifestJson, options: VerifyOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const rpc = options.rpc!;
  const deployments = findDeployments(options.deploymentsPath);
  const chainId = manifest.chainId ?? manifest.snapshot[0]?.chainId;
  if (chainId === undefined) return [{ check: "rpc", ok: false, detail: "the manifest names no chain" }];
  const client = await clientFor(rpc, chainId);

  // The distributor.
  const distributor = distributorAddress(seasonDir, manifest, options.distributor, deployments);
  if (distributor === undefined) {
    checks.push({ check: "distributor", ok: false, detail: "which distributor? pass --distributor <address> (no deployment.json in the season directory, none in the deployments file)" });
  } else {
    const contract = { address: distributor.address, abi: SeasonDistributorAbi } as const;
    let root: Hex | undefined;
    try {
      root = (await client.readContract({ ...contract, functionName: "merkleRoot" })).toLowerCase() as Hex;
    } catch (error) {
      checks.push({ check: "distributor merkleRoot()", ok: false, detail: `${distributor.address} does not answer merkleRoot() (${(error as Error).message.split("\n")[0]})` });
    }
    if (root !== undefined) {
      checks.push({ check: "distributor merkleRoot()", ok: root === manifest.merkleRoot, detail: root === manifest.merkleRoot ? root : `${root} on chain, manifest ${manifest.merkleRoot}` });
      const token = (await client.readContract({ ...contract, functionName: "token" })).toLowerCase() as Address;
      checks.push({
        check: "distributor token()",
        ok: manifest.token === null || token === manifest.token,
        detail: manifest.token === null ? `${token} (the manifest names no token)` : token === manifest.token ? token : `${token} on chain, manifest ${manifest.token}`,
      });
      const deadline = Number(await client.readContract({ ...contract, functionName: "claimDeadline" }));
      const expected = manifest.claimDeadline === null ? 0 : parseIsoTime(manifest.claimDeadline);
      checks.push({
        check: "distributor claimDeadline()",
        ok: deadline === expected,
        detail: deadline === expected ? (deadline === 0 ? "none" : isoSeconds(deadline)) : `${deadline === 0 ? "none" : isoSeconds(deadline)} on chain, manifest ${manifest.claimDeadline ?? "none"}`,
      });
      const { claimed, claims } = await readClaims(client, distributor.address, distributor.block);
      const balance = await client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [distributor.address] });
      const unclaimed = BigInt(manifest.total) - claimed;
      checks.push({
        check: "distributor balance",
        ok: balance >= unclaimed,
        detail: `${balance} wei held, ${unclaimed} wei unclaimed (${claims.length} claims of ${manifest.recipients}, ${claimed} wei claimed)`,
      });
      const recipients = readFileSync(join(seasonDir, "recipients.csv"), "utf8").split("\n");
      const wrong = claims.filter((claim) => {
        const fields = recipients[Number(claim.index) + 1]?.split(",");
        return fields === undefined || fields[1] !== claim.account || fields[2] !== claim.amount.toString();
      });
      checks.push({
        check: "Claimed events match recipients",
        ok: wrong.length === 0,
        detail: wrong.length === 0 ? `${claims.length} claims, each (index, account, amount) of recipients.csv` : `claims not in recipients.csv: ${wrong.slice(0, 3).map((c) => `#${c.index} ${c.account} ${c.amount}`).join(", ")}`,
      });
    }
  }

  // The on-chain facts, from eth_getLogs.
  if (deployments === undefined) {
    checks.push({ check: "onchain.json from eth_getLogs", ok: false, detail: "contract addresses unknown: pass --deployments <file>" });
    return checks;
  }
  const recorded = parseOnchainJson(readInputText(join(seasonDir, "onchain.json"), "onchain.json", "the season directory is incomplete"), "onchain.json");
  const config = parseSeasonConfig(readInputText(join(seasonDir, "inputs", "season.json"), "season.json", "the season directory is incomplete", MAX_CONFIG_BYTES), "season.json");
  const sources: ChainSource[] = [];
  for (const snap of recorded.snapshot) {
    const chain = deployments.chains.find((entry) => entry.chainId === snap.chainId);
    if (chain === undefined) {
      checks.push({ check: `snapshot chain ${snap.chainId}`, ok: false, detail: "not in the deployments file: its contracts are unknown" });
      continue;
    }
    sources.push(chainSource(chain, snap.block, snap.chainId === chainId ? rpc : chain.rpcUrl));
  }
  let derived: OnchainFacts;
  try {
    derived = await deriveOnchainFacts({ sparkDepositAddress: config.sparkDepositAddress, chains: sources });
  } catch (error) {
    checks.push({ check: "onchain.json from eth_getLogs", ok: false, detail: (error as Error).message.split("\n")[0]! });
    return checks;
  }
  for (const snap of recorded.snapshot) {
    const live = derived.snapshot.find((entry) => entry.chainId === snap.chainId);
    if (live === undefined) continue;
    const ok = live.hash.toLowerCase() === snap.hash.toLowerCase() && live.timestamp === snap.timestamp;
    checks.push({
      check: `snapshot block ${snap.chainId}:${snap.block}`,
      ok,
      detail: ok ? `hash ${snap.hash}, ${isoSeconds(snap.timestamp)}` : `chain has ${live.hash} at ${live.timestamp}, onchain.json ${snap.hash} at ${snap.timestamp} (a reorg, or another chain?)`,
    });
  }
  // A lock recorded without `staking` is the chain's only staking contract's (SPEC 6): the deployments file's.
  const stakingOf = new Map(sources.map((source) => [source.chainId, source.staking]));
  const withStaking = { ...recorded, locks: recorded.locks.map((lock) => ({ ...lock, staking: lock.staking ?? stakingOf.get(lock.chainId) })) };
  checks.push(...compareFacts(withStaking, derived));
  return checks;
}

/** onchain.json vs the logs: same facts in the same canonical form, per section. */
function compareFacts(recorded: OnchainFacts, derived: OnchainFacts): Check[] {
  const canonical = (facts: OnchainFacts): Record<string, unknown[]> => JSON.parse(serializeOnchainJson(facts)) as Record<string, unknown[]>;
  const want = canonical(recorded);
  const have = canonical(derived);
  return (["locks", "workerPaid", "deposits"] as const).map((section) => {
    const a = (want[section] ?? []).map((item) => JSON.stringify(item));
    const b = (have[section] ?? []).map((item) => JSON.stringify(item));
    const setA = new Set(a);
    const setB = new Set(b);
    const onlyRecorded = a.filter((item) => !setB.has(item));
    const onlyChain = b.filter((item) => !setA.has(item));
    const ok = a.length === b.length && a.every((item, i) => item === b[i]);
    return {
      check: `onchain.json ${section} = eth_getLogs`,
      ok,
      detail: ok
        ? `${a.length} ${section === "locks" ? "Staked" : section === "workerPaid" ? "WorkerPaid" : "Transfer"} events`
        : [onlyRecorded.length ? `only in onchain.json: ${onlyRecorded.slice(0, 2).join(" ")}` : "", onlyChain.length ? `only on chain: ${onlyChain.slice(0, 2).join(" ")}` : "", !onlyRecorded.length && !onlyChain.length ? "same events in another order" : ""]
            .filter(Boolean)
            .join("; "),
    };
  });
}

