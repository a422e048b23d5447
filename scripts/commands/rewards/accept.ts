/**
 * `season rewards accept [<publication dir>]`: makes the pending root live,
 * once its timelock is over and the contract can pay it in full.
 */
import { SogniRewardsAbi } from "../../../chain/abis/index.js";
import { walletFor } from "../../../chain/clients.js";
import { parseCommandArgs, UsageError } from "../../cli/cli.js";
import { loadSigner } from "../../keys/wallet.js";
import type { PublicationView } from "../../../season-io/publication-dir.js";
import {
  CONTRACT_HELP,
  EXIT_HELP,
  KEYS_HELP,
  openRewards,
  printJsonResult,
  progressFor,
  publicationFor,
  Refused,
  renderFields,
  REWARDS_EXIT,
  RewardsError,
  runSubcommand,
  sendFailed,
  SIGNER_OPTIONS,
  sogni,
  whenText,
  type RewardsContext,
} from "./shared.js";

export const REWARDS_ACCEPT_HELP = `sogni-season rewards accept [<publication dir>] --rpc <url> [options]

Makes the pending root live (anyone may send it). With a publication
directory, only if the pending root is that publication's.

Refused, nothing sent: nothing pending, the pending root is not the
publication's, the timelock is not over (prints until when), the contract
cannot pay the root in full (prints what \`rewards fund\` must send).

Options
${CONTRACT_HELP}
  --keystore <file>      encrypted keystore (v3) for the sender (any account)
  -h, --help             this help

${KEYS_HELP}

${EXIT_HELP}
`;

/** The pending root, checked to be the publication's when one is given. */
export function pendingFor(context: RewardsContext, publication: PublicationView | undefined): NonNullable<RewardsContext["state"]["pending"]> {
  const { pending } = context.state;
  if (pending === undefined) throw new Refused(`nothing is pending at ${context.address}${context.state.live ? ` (the live root is ${context.state.live.root})` : ""}`);
  if (publication !== undefined && (pending.root !== publication.merkleRoot || pending.dataHash !== publication.dataHash)) {
    throw new Refused(`the pending root is ${pending.root} (dataHash ${pending.dataHash}), not publication ${publication.id}'s ${publication.merkleRoot} (dataHash ${publication.dataHash})`);
  }
  return pending;
}

export async function rewardsAccept(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { name: "rewards accept", help: REWARDS_ACCEPT_HELP, options: SIGNER_OPTIONS });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("accept", values.json === true, async () => {
    if (args.positionals.length > 1) throw new UsageError(`expected at most one publication directory, got ${args.positionals.join(" ")}`);
    const log = progressFor("accept");
    const context = await openRewards(values);
    const { state, connection, address } = context;
    const publication = args.positionals[0] === undefined ? undefined : publicationFor(args.positionals[0], context);
    const pending = pendingFor(context, publication);
    const now = state.block.timestamp;
    // The next block is at least one second after the latest.
    if (now + 1 < pending.validAt) throw new Refused(`the timelock runs until ${whenText(pending.validAt, now)}: accept from then on`);
    const available = state.balance + state.totalClaimed;
    if (available < pending.total) {
      throw new Refused(
        `the contract cannot pay the root in full (NotFunded): it holds ${state.balance} wei and ${state.totalClaimed} wei were claimed, ${available} of ${pending.total} wei; send ${pending.total - available} wei more (\`sogni-season rewards fund <publication dir>\`)`,
      );
    }
    const signer = await loadSigner({ keystore: values.keystore });
    let hash: `0x${string}`;
    try {
      const { request } = await connection.publicClient.simulateContract({ address, abi: SogniRewardsAbi, functionName: "accept", account: signer });
      log(`sending accept from ${signer.address.toLowerCase()}`);
      hash = await walletFor(connection, signer).writeContract(request);
    } catch (error) {
      throw sendFailed("accept", error);
    }
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new RewardsError(`the accept transaction ${hash} reverted`);
    const decimals = publication?.manifest.decimals ?? 18;
    const result = { status: "accepted", publication: publication?.id ?? null, root: pending.root, dataHash: pending.dataHash, total: pending.total, transactionHash: hash, block: Number(receipt.blockNumber) };
    if (values.json === true) printJsonResult(result);
    else {
      process.stdout.write(
        renderFields(`Accepted${publication ? ` publication ${publication.id}` : ""}: the live root of SogniRewards ${address} is now`, [
          ["root", pending.root],
          ["dataHash", pending.dataHash],
          ["total", `${sogni(pending.total, decimals)} (${pending.total} wei)`],
          ["transaction", `${hash} (block ${receipt.blockNumber})`],
          ["funding", `${sogni(state.balance, decimals)} held, ${sogni(state.totalClaimed, decimals)} claimed so far: every claim can be paid`],
        ]),
      );
    }
    return REWARDS_EXIT.ok;
  });
}
