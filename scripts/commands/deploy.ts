/**
 * `sogni-season deploy <season dir> --rpc <url>`: deploys the season's
 * SeasonDistributor (root and claim deadline from manifest.json), funds it
 * with exactly the season total from the signer (the treasury), checks the
 * distributor's balance, and records the deployment in
 * `<season dir>/deployment.json` (and in a deployments file when given).
 *
 * Exit codes: 0 deployed and funded · 1 failed · 2 bad usage ·
 * 3 refused: this root is already deployed and funded (use --force).
 *
 * @example
 * SEASON_PRIVATE_KEY=0x… sogni-season deploy out/season-7 --rpc http://127.0.0.1:8545 --deployments deployments/local.json
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { erc20Abi, type Hex } from "viem";
import { normalizeAddress, type Address } from "../../season/address.js";
import { formatDecimal } from "../../season/decimal.js";
import { isoSeconds } from "../../season/time.js";
import { parseCommandArgs, reportError, UsageError } from "../cli/cli.js";
import { connectChain, walletFor, type ChainConnection } from "../../chain/clients.js";
import { SeasonDistributorAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { DEFAULT_DEPLOYMENTS_PATH, readDeployments, writeDeployments } from "../../chain/deployments.js";
import {
  DistributionError,
  readDeploymentRecord,
  writeDeploymentRecord,
  type DeploymentRecord,
} from "../../season-io/deployment-record.js";
import { readSeason, type SeasonView } from "../../season-io/season-dir.js";
import { loadSigner } from "../keys/wallet.js";

export const DEPLOY_EXIT = { ok: 0, failed: 1, usage: 2, alreadyDeployed: 3 } as const;

export const DEPLOY_HELP = `sogni-season deploy <season dir> --rpc <url> [options]

Deploys the season's SeasonDistributor with the manifest's Merkle root and
claim deadline, funds it with exactly the season total from the signer (the
treasury), checks the distributor's balance, and records the deployment in
<season dir>/deployment.json.

Options
  --rpc <url>           JSON-RPC endpoint of the chain to deploy on (required)
  --token <address>     SOGNI token (default: manifest "token", else the deployments file)
  --deployments <file>  deployments file: token fallback, and the distributor is added to it
                        (default: $DEPLOYMENTS, else deployments/local.json when present)
  --keystore <file>     encrypted keystore (v3) for the signer (or env SEASON_KEYSTORE)
  --force               deploy again although this root is already deployed
  --json                print the deployment record as JSON on stdout
  -h, --help            this help

Keys (never on the command line)
  SEASON_PRIVATE_KEY        0x-prefixed private key of the treasury account, or
  SEASON_KEYSTORE           keystore file, with SEASON_KEYSTORE_PASSWORD (else a prompt)

Exit codes
  0  deployed and funded (or an unfunded earlier deployment of this root was funded)
  1  failed (the message says at which step and why)
  2  bad usage (an unknown option, a malformed --token)
  3  refused: deployment.json already records this root on this chain (use --force)
`;

function progress(message: string): void {
  process.stderr.write(`deploy: ${message}\n`);
}

/** Runs the command; resolves to the exit code. */
export async function deployCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    name: "deploy",
    help: DEPLOY_HELP,
    positionals: 1,
    options: {
      rpc: { type: "string" },
      token: { type: "string" },
      deployments: { type: "string" },
      keystore: { type: "string" },
      force: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (parsed.kind !== "run") return parsed.exitCode;
  const { values, positionals } = parsed;
  if (values.rpc === undefined) {
    process.stderr.write(`sogni-season deploy: --rpc <url> is required\n\n${DEPLOY_HELP}`);
    return DEPLOY_EXIT.usage;
  }
  if (values.token !== undefined) {
    try {
      normalizeAddress(values.token);
    } catch (error) {
      return reportError("deploy", new UsageError(`--token: ${(error as Error).message}`));
    }
  }
  const deploymentsFile = values.deployments ?? defaultDeploymentsFile();
  try {
    const outcome = await deploySeason({
      seasonDir: positionals[0]!,
      rpcUrl: values.rpc,
      token: values.token,
      deploymentsFile,
      deploymentsImplicit: values.deployments === undefined,
      keystore: values.keystore,
      force: values.force,
    });
    if (outcome.kind === "refused") {
      process.stderr.write(
        `sogni-season deploy: refused: ${outcome.record.merkleRoot} is already deployed at ${outcome.record.address} on chain ${outcome.record.chainId} (block ${outcome.record.block}, recorded in deployment.json). Use --force to deploy a second distributor.\n`,
      );
      if (values.json) process.stdout.write(`${JSON.stringify({ status: "already-deployed", ...outcome.record }, null, 2)}\n`);
      return DEPLOY_EXIT.alreadyDeployed;
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ status: outcome.kind, ...outcome.record, balance: outcome.balance.toString() }, null, 2)}\n`);
    } else {
      printSummary(outcome);
    }
    return DEPLOY_EXIT.ok;
  } catch (error) {
    process.stderr.write(`sogni-season deploy: ${(error as Error).message}\n`);
    return DEPLOY_EXIT.failed;
  }
}

/** The deployments file when none is given: $DEPLOYMENTS, else deployments/local.json when it exists (as verify does). */
function defaultDeploymentsFile(): string | undefined {
  return process.env.DEPLOYMENTS || (existsSync(DEFAULT_DEPLOYMENTS_PATH) ? DEFAULT_DEPLOYMENTS_PATH : undefined);
}

export interface DeployOptions {
  seasonDir: string;
  rpcUrl: string;
  token?: string;
  deploymentsFile?: string;
  /**
   * The deployments file was not named on the command line ($DEPLOYMENTS or
   * the default): a missing file, or one without this chain, is passed over
   * with a note instead of failing.
   */
  deploymentsImplicit?: boolean;
  keystore?: string;
  force?: boolean;
  /** Progress lines (default: stderr). */
  log?: (message: string) => void;
}

export type DeployOutcome =
  | { kind: "deployed" | "resumed"; record: DeploymentRecord; balance: bigint; decimals: number; season: number; recipients: number }
  | { kind: "refused"; record: DeploymentRecord };

/**
 * Deploys and funds the season's distributor. Idempotent by root: a second
 * call for the same root on the same chain is refused (unless `force`), and a
 * call after a deployment whose funding never happened only funds it.
 *
 * @example const outcome = await deploySeason({ seasonDir: "out/season-7", rpcUrl });
 */
export async function deploySeason(options: DeployOptions): Promise<DeployOutcome> {
  const log = options.log ?? progress;
  const manifest = readSeason(options.seasonDir);
  const account = await loadSigner({ keystore: options.keystore });
  const deployer = account.address.toLowerCase() as Address;
  const connection = await connectChain(options.rpcUrl);
  const { chainId, publicClient } = connection;
  const walletClient = walletFor(connection, account);
  log(`season ${manifest.season}: root ${manifest.merkleRoot}, total ${formatDecimal(manifest.total, manifest.decimals)} SOGNI for ${manifest.recipients} recipients`);
  log(`chain ${chainId} at ${options.rpcUrl}, signer ${deployer}`);
  if (manifest.chainId !== undefined && manifest.chainId !== chainId) {
    throw new DistributionError(`the manifest says claims happen on chain ${manifest.chainId}, but ${options.rpcUrl} is chain ${chainId}: use the right --rpc`);
  }
  if (manifest.total === 0n) {
    throw new DistributionError("the season allocates nothing (total 0): there is nothing to distribute");
  }

  // Same root already deployed here? Refuse, or finish the funding of an interrupted run.
  const existing = readDeploymentRecord(options.seasonDir);
  let resume: DeploymentRecord | undefined;
  if (existing !== undefined && existing.chainId === chainId && existing.merkleRoot.toLowerCase() === manifest.merkleRoot) {
    const code = await publicClient.getCode({ address: existing.address });
    if (code === undefined || code === "0x") {
      log(`deployment.json names ${existing.address}, but there is no contract there on this chain (a reset chain?): deploying afresh`);
    } else if (options.force) {
      log(`--force: deploying a second distributor although ${existing.address} holds this root`);
    } else if (existing.funding !== null) {
      return { kind: "refused", record: existing };
    } else {
      log(`resuming: ${existing.address} was deployed but never funded`);
      resume = existing;
    }
  } else if (existing !== undefined) {
    log(`deployment.json records another deployment (root ${existing.merkleRoot} on chain ${existing.chainId}): it will be replaced`);
  }

  if (resume === undefined && !options.force) await refuseKnownRoot(options, connection, manifest.merkleRoot, existing);

  const token = resolveToken(options, manifest.token, chainId, resume);
  const tokenCode = await publicClient.getCode({ address: token });
  if (tokenCode === undefined || tokenCode === "0x") {
    throw new DistributionError(`no contract at token address ${token} on chain ${chainId}: check --token`);
  }
  const treasuryBalance = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [deployer] });
  if (treasuryBalance < manifest.total) {
    throw new DistributionError(
      `the signer ${deployer} holds ${formatDecimal(treasuryBalance, manifest.decimals)} SOGNI, less than the season total ${formatDecimal(manifest.total, manifest.decimals)}: fund the treasury first (nothing was deployed)`,
    );
  }

  let record: DeploymentRecord;
  if (resume !== undefined) {
    record = resume;
  } else {
    const deadline = manifest.claimDeadline ?? 0;
    const { abi, bytecode } = loadArtifact("SeasonDistributor");
    log(`step 1/3: deploying SeasonDistributor (claim deadline ${deadline === 0 ? "none" : isoSeconds(deadline)})`);
    const hash = await walletClient.deployContract({ abi, bytecode, args: [token, manifest.merkleRoot, BigInt(deadline), deployer] });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || receipt.contractAddress == null) {
      throw new DistributionError(`step 1/3 failed: the deployment transaction ${hash} reverted`);
    }
    record = {
      chainId,
      address: receipt.contractAddress.toLowerCase() as Address,
      block: Number(receipt.blockNumber),
      transactionHash: hash,
      token,
      merkleRoot: manifest.merkleRoot,
      deployer,
      claimDeadline: deadline,
      total: manifest.total.toString(),
      funding: null,
    };
    // Record it before funding: if funding fails, a re-run resumes instead of deploying again.
    writeDeploymentRecord(options.seasonDir, record);
    log(`         deployed at ${record.address} in block ${record.block} (tx ${hash})`);
  }

  log(`step 2/3: funding with ${formatDecimal(manifest.total, manifest.decimals)} SOGNI from ${deployer}`);
  const before = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [record.address] });
  let funding: NonNullable<DeploymentRecord["funding"]>;
  if (resume !== undefined && before === manifest.total) {
    // An earlier run's transfer went through but was never recorded (killed in between): don't pay twice.
    log("         the distributor already holds exactly the season total (an earlier funding went through): not sending more");
    funding = { transactionHash: null, block: Number(await publicClient.getBlockNumber()) };
  } else if (before !== 0n) {
    throw new DistributionError(
      `the distributor ${record.address} already holds ${formatDecimal(before, manifest.decimals)} SOGNI before funding: not sending more; check the chain by hand`,
    );
  } else {
    const fundHash = await walletClient.writeContract({ address: token, abi: erc20Abi, functionName: "transfer", args: [record.address, manifest.total] });
    const fundReceipt = await publicClient.waitForTransactionReceipt({ hash: fundHash });
    if (fundReceipt.status !== "success") {
      throw new DistributionError(`step 2/3 failed: the funding transfer ${fundHash} reverted (the distributor at ${record.address} is deployed but unfunded: re-run to retry the funding)`);
    }
    funding = { transactionHash: fundHash, block: Number(fundReceipt.blockNumber) };
  }

  log("step 3/3: checking the distributor's balance");
  const balance = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [record.address] });
  if (balance !== manifest.total) {
    throw new DistributionError(`step 3/3 failed: the distributor holds ${balance} wei, expected exactly ${manifest.total} (does the token take a fee on transfer?)`);
  }
  record = { ...record, funding };
  writeDeploymentRecord(options.seasonDir, record);
  log(`         funded in block ${funding.block}${funding.transactionHash ? ` (tx ${funding.transactionHash})` : ""}; balance ${formatDecimal(balance, manifest.decimals)} SOGNI`);

  if (options.deploymentsFile !== undefined) {
    const exists = existsSync(options.deploymentsFile);
    const hasChain = exists && readDeployments(options.deploymentsFile).chains.some((entry) => entry.chainId === record.chainId);
    if (hasChain || !options.deploymentsImplicit) {
      addToDeploymentsFile(options.deploymentsFile, manifest.season, record);
      log(`added the distributor to ${options.deploymentsFile}`);
    } else {
      log(`${options.deploymentsFile} ${exists ? `has no chain ${record.chainId}` : "does not exist"}: the distributor is recorded in deployment.json only`);
    }
  }
  return {
    kind: resume !== undefined ? "resumed" : "deployed",
    record,
    balance,
    decimals: manifest.decimals,
    season: manifest.season,
    recipients: manifest.recipients,
  };
}

function resolveToken(options: DeployOptions, manifestToken: Address | undefined, chainId: number, resume: DeploymentRecord | undefined): Address {
  if (resume !== undefined) return resume.token;
  if (options.token !== undefined) {
    try {
      return normalizeAddress(options.token);
    } catch (error) {
      throw new DistributionError(`--token: ${(error as Error).message}`);
    }
  }
  if (manifestToken !== undefined) return manifestToken;
  if (options.deploymentsFile !== undefined && existsSync(options.deploymentsFile)) {
    const chain = readDeployments(options.deploymentsFile).chains.find((entry) => entry.chainId === chainId);
    if (chain?.contracts.SogniToken) return normalizeAddress(chain.contracts.SogniToken);
  }
  throw new DistributionError("which token? The manifest names none: pass --token <address> or --deployments <file> with this chain's SogniToken");
}

/**
 * Two funded distributors with one root pay everyone twice: refuse a root
 * that a distributor the deployments file knows of on this chain (or the
 * season's own deployment.json) already holds on-chain (`--force` overrides).
 */
async function refuseKnownRoot(options: DeployOptions, connection: ChainConnection, root: Hex, record: DeploymentRecord | undefined): Promise<void> {
  const known = new Map<string, string>();
  if (options.deploymentsFile !== undefined && existsSync(options.deploymentsFile)) {
    const chain = readDeployments(options.deploymentsFile).chains.find((entry) => entry.chainId === connection.chainId);
    for (const distributor of chain?.distributors ?? []) known.set(distributor.address.toLowerCase(), `season ${distributor.season} in ${options.deploymentsFile}`);
  }
  if (record !== undefined && record.chainId === connection.chainId) known.set(record.address.toLowerCase(), `${options.seasonDir}/deployment.json`);
  for (const [address, where] of known) {
    const code = await connection.publicClient.getCode({ address: address as Address });
    if (code === undefined || code === "0x") continue;
    const held = await connection.publicClient.readContract({ address: address as Address, abi: SeasonDistributorAbi, functionName: "merkleRoot" });
    if (held.toLowerCase() === root.toLowerCase()) {
      throw new DistributionError(
        `the distributor ${address} (${where}) already holds root ${root} on chain ${connection.chainId}: a second one would pay every recipient twice. Nothing was deployed (pass --force only if you mean it)`,
      );
    }
  }
}

/** Adds (or, for the same season, replaces) the distributor in the deployments file the indexer reads. */
function addToDeploymentsFile(path: string, season: number, record: DeploymentRecord): void {
  const deployments = readDeployments(path);
  const chain = deployments.chains.find((entry) => entry.chainId === record.chainId);
  if (chain === undefined) {
    throw new DistributionError(
      `${path} has no chain ${record.chainId}; the distributor ${record.address} is deployed and funded (see deployment.json) but was not added to the deployments file`,
    );
  }
  chain.distributors = [
    ...(chain.distributors ?? []).filter((entry) => entry.season !== season),
    { season, address: record.address, block: record.block },
  ];
  writeDeployments(path, deployments);
}

function printSummary(outcome: Extract<DeployOutcome, { kind: "deployed" | "resumed" }>): void {
  const { record } = outcome;
  const rows: [string, string][] = [
    ["season", String(outcome.season)],
    ["distributor", record.address],
    ["chain", String(record.chainId)],
    ["block", String(record.block)],
    ["deploy tx", record.transactionHash as Hex],
    ["funding tx", record.funding?.transactionHash ?? "(an earlier run's)"],
    ["token", record.token],
    ["merkle root", record.merkleRoot],
    ["claim deadline", record.claimDeadline === 0 ? "none" : `${isoSeconds(record.claimDeadline)} (${record.claimDeadline})`],
    ["recipients", String(outcome.recipients)],
    ["balance", `${formatDecimal(outcome.balance, outcome.decimals)} SOGNI (= season total)`],
    ["deployer", record.deployer],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`${outcome.kind === "resumed" ? "Funded the earlier deployment" : "Deployed and funded"}:\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
}

// Runnable on its own too (`tsx scripts/commands/deploy.ts …`); the season CLI imports deployCommand.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await deployCommand(process.argv.slice(2));
}
