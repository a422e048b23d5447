/**
 * `season rewards fund <publication dir>`: transfers what SogniRewards lacks
 * to pay the publication in full: total − totalClaimed − balance, if positive.
 */
import { erc20Abi } from "viem";
import type { Address } from "../../../season/address.js";
import { walletFor } from "../../../chain/clients.js";
import { parseCommandArgs } from "../../cli/cli.js";
import { loadSigner } from "../../keys/wallet.js";
import {
  CONTRACT_HELP,
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
  sogni,
} from "./shared.js";

export const REWARDS_FUND_HELP = `sogni-season rewards fund <publication dir> --rpc <url> [options]

Sends the contract what it lacks to pay the publication in full, from the
signer (the treasury): total − totalClaimed − balance, when that is positive
(accept refuses a root the contract cannot pay: NotFunded). Nothing is sent
when it is already funded.

Options
${CONTRACT_HELP}
  --keystore <file>      encrypted keystore (v3) for the treasury account
  -h, --help             this help

${KEYS_HELP}

Exit codes
  0  funded (or already funded: nothing sent)   1  failed (e.g. the treasury holds too little)   2  bad usage
`;

export async function rewardsFund(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { name: "rewards fund", help: REWARDS_FUND_HELP, positionals: 1, options: SIGNER_OPTIONS });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("fund", values.json === true, async () => {
    const log = progressFor("fund");
    const context = await openRewards(values);
    const { state, connection, address } = context;
    const publication = publicationFor(args.positionals[0]!, context);
    const decimals = publication.manifest.decimals;
    const missing = publication.total - state.totalClaimed - state.balance;
    const facts = { publication: publication.id, total: publication.total, totalClaimed: state.totalClaimed };
    if (missing <= 0n) {
      if (values.json === true) printJsonResult({ status: "already-funded", ...facts, balance: state.balance, sent: 0n });
      else process.stdout.write(`Already funded: SogniRewards ${address} holds ${sogni(state.balance, decimals)} and ${sogni(state.totalClaimed, decimals)} were claimed, publication ${publication.id}'s total is ${sogni(publication.total, decimals)}; nothing sent\n`);
      return REWARDS_EXIT.ok;
    }
    const signer = await loadSigner({ keystore: values.keystore });
    const treasury = signer.address.toLowerCase() as Address;
    const held = await connection.publicClient.readContract({ address: state.token, abi: erc20Abi, functionName: "balanceOf", args: [treasury] });
    if (held < missing) throw new RewardsError(`the signer ${treasury} holds ${sogni(held, decimals)}, less than the ${sogni(missing, decimals)} the contract lacks: fund the treasury first (nothing sent)`);
    let hash: `0x${string}`;
    try {
      const { request } = await connection.publicClient.simulateContract({ address: state.token, abi: erc20Abi, functionName: "transfer", args: [address, missing], account: signer });
      log(`sending ${sogni(missing, decimals)} from ${treasury}`);
      hash = await walletFor(connection, signer).writeContract(request);
    } catch (error) {
      throw sendFailed("the transfer", error);
    }
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new RewardsError(`the funding transfer ${hash} reverted`);
    const balance = await connection.publicClient.readContract({ address: state.token, abi: erc20Abi, functionName: "balanceOf", args: [address] });
    if (balance + state.totalClaimed < publication.total) throw new RewardsError(`after the transfer the contract holds ${balance} wei, still short of ${publication.total - state.totalClaimed} (does the token take a fee on transfer?)`);
    if (values.json === true) printJsonResult({ status: "funded", ...facts, balance, sent: missing, transactionHash: hash, block: Number(receipt.blockNumber) });
    else {
      process.stdout.write(
        renderFields(`Funded SogniRewards ${address} for publication ${publication.id}:`, [
          ["sent", `${sogni(missing, decimals)} (${missing} wei) from ${treasury}`],
          ["transaction", `${hash} (block ${receipt.blockNumber})`],
          ["balance", `${sogni(balance, decimals)} + ${sogni(state.totalClaimed, decimals)} claimed = the total ${sogni(publication.total, decimals)}`],
        ]),
      );
    }
    return REWARDS_EXIT.ok;
  });
}
