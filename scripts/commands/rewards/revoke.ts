/**
 * `season rewards revoke [<publication dir>]`: the owner or the guardian
 * drops the pending root before it goes live.
 */
import { SogniRewardsAbi } from "../../../chain/abis/index.js";
import { walletFor } from "../../../chain/clients.js";
import { parseCommandArgs, UsageError } from "../../cli/cli.js";
import { loadSigner } from "../../keys/wallet.js";
import { pendingFor } from "./accept.js";
import {
  CONTRACT_HELP,
  EXIT_HELP,
  KEYS_HELP,
  openRewards,
  printJsonResult,
  progressFor,
  publicationFor,
  renderFields,
  REWARDS_EXIT,
  RewardsError,
  runSubcommand,
  sendFailed,
  SIGNER_OPTIONS,
} from "./shared.js";

export const REWARDS_REVOKE_HELP = `sogni-season rewards revoke [<publication dir>] --rpc <url> [options]

Drops the pending root (the owner or the guardian): it never pays. With a
publication directory, only if the pending root is that publication's.

Refused, nothing sent: nothing pending, or the pending root is not the
publication's.

Options
${CONTRACT_HELP}
  --keystore <file>      encrypted keystore (v3) for the signer: the owner or the guardian
  -h, --help             this help

${KEYS_HELP}

${EXIT_HELP}
`;

export async function rewardsRevoke(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { name: "rewards revoke", help: REWARDS_REVOKE_HELP, options: SIGNER_OPTIONS });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("revoke", values.json === true, async () => {
    if (args.positionals.length > 1) throw new UsageError(`expected at most one publication directory, got ${args.positionals.join(" ")}`);
    const log = progressFor("revoke");
    const context = await openRewards(values);
    const { connection, address } = context;
    const publication = args.positionals[0] === undefined ? undefined : publicationFor(args.positionals[0], context);
    const pending = pendingFor(context, publication);
    const signer = await loadSigner({ keystore: values.keystore });
    let hash: `0x${string}`;
    try {
      const { request } = await connection.publicClient.simulateContract({ address, abi: SogniRewardsAbi, functionName: "revoke", account: signer });
      log(`sending revoke from ${signer.address.toLowerCase()}`);
      hash = await walletFor(connection, signer).writeContract(request);
    } catch (error) {
      throw sendFailed("revoke", error);
    }
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new RewardsError(`the revoke transaction ${hash} reverted`);
    const result = { status: "revoked", publication: publication?.id ?? null, root: pending.root, dataHash: pending.dataHash, transactionHash: hash, block: Number(receipt.blockNumber) };
    if (values.json === true) printJsonResult(result);
    else {
      process.stdout.write(
        renderFields(`Revoked the pending root${publication ? ` of publication ${publication.id}` : ""} at SogniRewards ${address}:`, [
          ["root", pending.root],
          ["dataHash", pending.dataHash],
          ["transaction", `${hash} (block ${receipt.blockNumber})`],
        ]),
      );
    }
    return REWARDS_EXIT.ok;
  });
}
