/**
 * `sogni-season claim <season dir> [--account <address>] --rpc <url>`: claims a
 * recipient's tokens from the season's distributor, for the signer's own
 * address or on behalf of another (the tokens always go to the account).
 *
 * Exit codes: 0 claimed · 1 failed · 2 bad usage · 3 already claimed ·
 * 4 nothing to claim for this address · 5 the claim deadline has passed.
 *
 * @example
 * SEASON_PRIVATE_KEY=0x… sogni-season claim out/season-7 --rpc http://127.0.0.1:8545
 */
import { pathToFileURL } from "node:url";
import { BaseError, ContractFunctionRevertedError, erc20Abi, parseEventLogs, type Hex } from "viem";
import { AddressError, normalizeAddress, type Address } from "../../season/address.js";
import { formatDecimal } from "../../season/decimal.js";
import { isoSeconds } from "../../season/time.js";
import { parseCommandArgs, reportError, UsageError } from "../cli/cli.js";
import { connectChain, walletFor } from "../../chain/clients.js";
import { SeasonDistributorAbi } from "../../chain/abis/index.js";
import { DistributionError, readDeploymentRecord } from "../../season-io/deployment-record.js";
import { findProof, readSeason } from "../../season-io/season-dir.js";
import { loadSigner } from "../keys/wallet.js";

export const CLAIM_EXIT = { ok: 0, failed: 1, usage: 2, alreadyClaimed: 3, nothingToClaim: 4, deadlinePassed: 5 } as const;

export const CLAIM_HELP = `sogni-season claim <season dir> --rpc <url> [options]

Claims a recipient's tokens from the season's distributor (the address in
<season dir>/deployment.json), using the proof in <season dir>/tree.bin
(or proofs/, formatVersion 2), checked against the season's root first.
Anyone may send the claim; the tokens always go to the account.

Options
  --rpc <url>              JSON-RPC endpoint of the distributor's chain (required)
  --account <address>      claim on behalf of this address (default: the signer's own)
  --distributor <address>  distributor address (default: deployment.json)
  --keystore <file>        encrypted keystore (v3) for the signer (or env SEASON_KEYSTORE)
  --json                   print the result as JSON on stdout
  -h, --help               this help

Keys (never on the command line)
  SEASON_PRIVATE_KEY        0x-prefixed private key of the sender, or
  SEASON_KEYSTORE           keystore file, with SEASON_KEYSTORE_PASSWORD (else a prompt)

Exit codes
  0  claimed: prints the transaction and the account's new balance
  1  failed (the message says why)
  2  bad usage (an unknown option, a malformed address)
  3  already claimed (nothing sent)
  4  nothing to claim: the address is not a recipient of this season (nothing sent)
  5  the claim deadline has passed (nothing sent)
`;

export type ClaimOutcome =
  | { status: "claimed"; account: Address; index: number; amount: bigint; transactionHash: Hex; block: number; balance: bigint; decimals: number; distributor: Address }
  | { status: "already-claimed"; account: Address; index: number; amount: bigint; decimals: number; distributor: Address }
  | { status: "nothing-to-claim"; account: Address }
  | { status: "deadline-passed"; account: Address; index: number; amount: bigint; decimals: number; deadline: number; distributor: Address };

export interface ClaimOptions {
  seasonDir: string;
  rpcUrl: string;
  account?: string;
  distributor?: string;
  keystore?: string;
  log?: (message: string) => void;
}

/**
 * Claims for one account. Checks before sending (not a recipient, already
 * claimed, deadline passed) so nothing is sent that would revert; a revert
 * that still happens (a race) is mapped to the same outcomes.
 *
 * @example const outcome = await claimSeason({ seasonDir: "out/season-7", rpcUrl, account: "0xabc…" });
 */
export async function claimSeason(options: ClaimOptions): Promise<ClaimOutcome> {
  const log = options.log ?? ((message: string) => process.stderr.write(`claim: ${message}\n`));
  const manifest = readSeason(options.seasonDir);
  const signer = await loadSigner({ keystore: options.keystore });
  let account: Address;
  try {
    account = normalizeAddress(options.account ?? signer.address);
  } catch (error) {
    throw new DistributionError(`--account: ${(error as Error).message}`);
  }
  const entry = findProof(options.seasonDir, account);
  if (entry === undefined) return { status: "nothing-to-claim", account };

  const record = readDeploymentRecord(options.seasonDir);
  const distributorText = options.distributor ?? record?.address;
  if (distributorText === undefined) {
    throw new DistributionError(`no ${options.seasonDir}/deployment.json: deploy the season first (\`sogni-season deploy\`) or pass --distributor <address>`);
  }
  const distributor = normalizeAddress(distributorText);
  const connection = await connectChain(options.rpcUrl);
  const { chainId, publicClient } = connection;
  const walletClient = walletFor(connection, signer);
  if (options.distributor === undefined && record !== undefined && record.chainId !== chainId) {
    throw new DistributionError(`the distributor lives on chain ${record.chainId}, but ${options.rpcUrl} is chain ${chainId}: use the right --rpc`);
  }
  // The full ABI: a revert decodes to the distributor's custom error by name.
  const contract = { address: distributor, abi: SeasonDistributorAbi } as const;

  let onchainRoot: Hex;
  try {
    onchainRoot = await publicClient.readContract({ ...contract, functionName: "merkleRoot" });
  } catch {
    throw new DistributionError(`no SeasonDistributor answers at ${distributor} on chain ${chainId}: check --rpc and deployment.json`);
  }
  if (onchainRoot.toLowerCase() !== manifest.merkleRoot) {
    throw new DistributionError(`the distributor's root ${onchainRoot} is not this season's root ${manifest.merkleRoot}: wrong season directory or distributor`);
  }
  log(`${account} has ${formatDecimal(entry.amount, manifest.decimals)} SOGNI in season ${manifest.season} (index ${entry.index})`);
  if (await publicClient.readContract({ ...contract, functionName: "isClaimed", args: [BigInt(entry.index)] })) {
    return { status: "already-claimed", account, index: entry.index, amount: entry.amount, decimals: manifest.decimals, distributor };
  }
  const deadline = Number(await publicClient.readContract({ ...contract, functionName: "claimDeadline" }));
  const latest = await publicClient.getBlock({ blockTag: "latest" });
  // The next block is at least one second later than the latest.
  if (deadline !== 0 && Number(latest.timestamp) + 1 > deadline) {
    return { status: "deadline-passed", account, index: entry.index, amount: entry.amount, decimals: manifest.decimals, deadline, distributor };
  }

  const args = [BigInt(entry.index), account, entry.amount, entry.proof] as const;
  let hash: Hex;
  try {
    const { request } = await publicClient.simulateContract({ ...contract, functionName: "claim", args, account: signer });
    log(`sending claim from ${signer.address.toLowerCase()}${account !== signer.address.toLowerCase() ? ` on behalf of ${account}` : ""}`);
    hash = await walletClient.writeContract(request);
  } catch (error) {
    const name = revertName(error);
    if (name !== undefined && /AlreadyClaimed/i.test(name)) {
      return { status: "already-claimed", account, index: entry.index, amount: entry.amount, decimals: manifest.decimals, distributor };
    }
    if (name !== undefined && /Deadline|Expired|Ended|Closed/i.test(name)) {
      return { status: "deadline-passed", account, index: entry.index, amount: entry.amount, decimals: manifest.decimals, deadline, distributor };
    }
    throw new DistributionError(`the claim would revert${name ? ` with ${name}` : ""}: ${(error as BaseError).shortMessage ?? (error as Error).message}`);
  }
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new DistributionError(`the claim transaction ${hash} reverted`);
  const [claimed] = parseEventLogs({
    abi: SeasonDistributorAbi,
    eventName: "Claimed",
    logs: receipt.logs.filter((logEntry) => logEntry.address.toLowerCase() === distributor),
  });
  if (claimed === undefined || claimed.args.amount !== entry.amount) {
    throw new DistributionError(`the claim transaction ${hash} emitted no Claimed event for ${entry.amount} wei: inspect it on the chain`);
  }
  const token = (await publicClient.readContract({ ...contract, functionName: "token" })).toLowerCase() as Address;
  const balance = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
  return {
    status: "claimed",
    account,
    index: entry.index,
    amount: entry.amount,
    transactionHash: hash,
    block: Number(receipt.blockNumber),
    balance,
    decimals: manifest.decimals,
    distributor,
  };
}

function revertName(error: unknown): string | undefined {
  if (error instanceof BaseError) {
    const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return revert.data?.errorName ?? revert.signature;
  }
  return undefined;
}

/** Runs the command; resolves to the exit code. */
export async function claimCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    name: "claim",
    help: CLAIM_HELP,
    positionals: 1,
    options: {
      rpc: { type: "string" },
      account: { type: "string" },
      distributor: { type: "string" },
      keystore: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (parsed.kind !== "run") return parsed.exitCode;
  const { values, positionals } = parsed;
  if (values.rpc === undefined) {
    process.stderr.write(`sogni-season claim: --rpc <url> is required\n\n${CLAIM_HELP}`);
    return CLAIM_EXIT.usage;
  }
  // A malformed address is bad usage (exit 2), as for `sogni-season proof`, and is refused before any key or chain is touched.
  for (const flag of ["account", "distributor"] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    try {
      normalizeAddress(text);
    } catch (error) {
      if (error instanceof AddressError) return reportError("claim", new UsageError(`--${flag}: ${error.message}`));
      throw error;
    }
  }
  let outcome: ClaimOutcome;
  try {
    outcome = await claimSeason({
      seasonDir: positionals[0]!,
      rpcUrl: values.rpc,
      account: values.account,
      distributor: values.distributor,
      keystore: values.keystore,
    });
  } catch (error) {
    process.stderr.write(`sogni-season claim: ${(error as Error).message}\n`);
    return CLAIM_EXIT.failed;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(outcome, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2)}\n`);
  }
  switch (outcome.status) {
    case "claimed":
      if (!values.json) {
        process.stdout.write(
          `Claimed ${formatDecimal(outcome.amount, outcome.decimals)} SOGNI for ${outcome.account}\n` +
            `  transaction  ${outcome.transactionHash} (block ${outcome.block})\n` +
            `  new balance  ${formatDecimal(outcome.balance, outcome.decimals)} SOGNI\n`,
        );
      }
      return CLAIM_EXIT.ok;
    case "already-claimed":
      process.stderr.write(`sogni-season claim: already claimed: ${outcome.account} (index ${outcome.index}) has claimed this season's ${formatDecimal(outcome.amount, outcome.decimals)} SOGNI; nothing sent\n`);
      return CLAIM_EXIT.alreadyClaimed;
    case "nothing-to-claim":
      process.stderr.write(`sogni-season claim: nothing to claim: ${outcome.account} is not a recipient of this season; nothing sent\n`);
      return CLAIM_EXIT.nothingToClaim;
    case "deadline-passed":
      process.stderr.write(
        `sogni-season claim: the claim deadline passed at ${isoSeconds(outcome.deadline)}: ${outcome.account} can no longer claim its ${formatDecimal(outcome.amount, outcome.decimals)} SOGNI; nothing sent\n`,
      );
      return CLAIM_EXIT.deadlinePassed;
  }
}

// Runnable on its own too (`tsx scripts/commands/claim.ts …`); the season CLI imports claimCommand.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await claimCommand(process.argv.slice(2));
}
