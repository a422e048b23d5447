/**
 * `season rewards claim <publication dir> [--account <address>]`: claims an
 * account's cumulative amount in the live publication minus what it has
 * claimed; anyone may send it, the tokens always go to the account.
 */
import { erc20Abi, parseEventLogs } from "viem";
import type { Address } from "../../../season/address.js";
import { SogniRewardsAbi } from "../../../chain/abis/index.js";
import { walletFor } from "../../../chain/clients.js";
import { findCumulativeProof } from "../../../season-io/publication-dir.js";
import { parseCommandArgs } from "../../cli/cli.js";
import { loadSigner } from "../../keys/wallet.js";
import {
  addressFlag,
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
} from "./shared.js";

export const REWARDS_CLAIM_HELP = `sogni-season rewards claim <publication dir> --rpc <url> [options]

Claims from SogniRewards with the proof in <publication dir>/tree.bin (or
proofs/, publication format 1): pays the account its cumulative amount minus
what it has already claimed. Anyone may send the claim; the tokens always go
to the account.

Refused, nothing sent: the publication is not the live root (pending: prints
when it goes live), nothing left to claim (exit 3); the account is not in the
publication (exit 4).

Options
${CONTRACT_HELP}
  --account <address>    claim on behalf of this address (default: the signer's own)
  --keystore <file>      encrypted keystore (v3) for the sender
  -h, --help             this help

${KEYS_HELP}

${EXIT_HELP}
`;

export async function rewardsClaim(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "rewards claim",
    help: REWARDS_CLAIM_HELP,
    positionals: 1,
    options: { ...SIGNER_OPTIONS, account: { type: "string" } },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("claim", values.json === true, async () => {
    const log = progressFor("claim");
    const given = addressFlag("account", values.account);
    addressFlag("rewards", values.rewards); // bad usage before any key is read
    const signer = await loadSigner({ keystore: values.keystore });
    const account = given ?? (signer.address.toLowerCase() as Address);
    const context = await openRewards(values);
    const { state, connection, address } = context;
    const publication = publicationFor(args.positionals[0]!, context);
    const decimals = publication.manifest.decimals;
    const name = `publication ${publication.id}`;
    const entry = findCumulativeProof(publication.dir, account);
    if (entry === undefined) throw new Refused(`${account} is not in ${name} (${publication.manifest.recipients} addresses): nothing to claim`, REWARDS_EXIT.notInPublication);
    if (state.live?.root !== publication.merkleRoot) {
      if (state.pending?.root === publication.merkleRoot) throw new Refused(`${name} is pending, not live: it may be accepted from ${whenText(state.pending.validAt, state.block.timestamp)}`);
      throw new Refused(`${name} (root ${publication.merkleRoot}) is not the live root (${state.live?.root ?? "none yet"}): claim with the live publication`);
    }
    const contract = { address, abi: SogniRewardsAbi } as const;
    const claimed = await connection.publicClient.readContract({ ...contract, functionName: "claimed", args: [account] });
    log(`${account} has ${sogni(entry.amount, decimals)} in ${name} and has claimed ${sogni(claimed, decimals)}`);
    if (entry.amount <= claimed) throw new Refused(`nothing to claim: ${account} has already claimed ${sogni(claimed, decimals)} of its ${sogni(entry.amount, decimals)} in ${name}`);
    let hash: `0x${string}`;
    try {
      const { request } = await connection.publicClient.simulateContract({ ...contract, functionName: "claim", args: [account, entry.amount, entry.proof], account: signer });
      log(`sending claim from ${signer.address.toLowerCase()}${account !== signer.address.toLowerCase() ? ` on behalf of ${account}` : ""}`);
      hash = await walletFor(connection, signer).writeContract(request);
    } catch (error) {
      throw sendFailed("the claim", error);
    }
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new RewardsError(`the claim transaction ${hash} reverted`);
    const [event] = parseEventLogs({ abi: SogniRewardsAbi, eventName: "Claimed", logs: receipt.logs.filter((log) => log.address.toLowerCase() === address) });
    if (event === undefined || event.args.cumulative !== entry.amount) throw new RewardsError(`the claim transaction ${hash} emitted no Claimed event up to ${entry.amount} wei: inspect it on the chain`);
    const amount = event.args.amount;
    const balance = await connection.publicClient.readContract({ address: state.token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
    if (values.json === true) {
      printJsonResult({ status: "claimed", publication: publication.id, account, amount, cumulative: entry.amount, transactionHash: hash, block: Number(receipt.blockNumber), balance });
    } else {
      process.stdout.write(
        renderFields(`Claimed ${sogni(amount, decimals)} for ${account}`, [
          ["cumulative", `${sogni(entry.amount, decimals)} in ${name}, all claimed now`],
          ["transaction", `${hash} (block ${receipt.blockNumber})`],
          ["new balance", sogni(balance, decimals)],
        ]),
      );
    }
    return REWARDS_EXIT.ok;
  });
}
