/**
 * `season rewards propose <publication dir>`: sends propose(root, dataHash,
 * total) for a publication whose `previous` is the contract's live root, and
 * prints when it goes live and what funding it still needs.
 */
import { parseEventLogs } from "viem";
import { SogniRewardsAbi } from "../../../chain/abis/index.js";
import { walletFor } from "../../../chain/clients.js";
import { isoSeconds } from "../../../season/time.js";
import { parseCommandArgs } from "../../cli/cli.js";
import { loadSigner } from "../../keys/wallet.js";
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
} from "./shared.js";

export const REWARDS_PROPOSE_HELP = `sogni-season rewards propose <publication dir> --rpc <url> [options]

Proposes the publication's root: propose(merkleRoot, dataHash = sha256 of its
manifest.json, total). It becomes the pending root, live from validAt =
now + timelock (printed), once funded (\`rewards fund\`) and accepted.

Refused, nothing sent: a publication whose "previous" is not the live root
(publication 1 while a root is live; publication n+1 while publication n is
not live), a root already live or already pending (proposing again would
restart its timelock), a root that would go live before the publication's
"at" (it would pay what has not vested yet), a total below the live total.

Options
${CONTRACT_HELP}
  --keystore <file>      encrypted keystore (v3) for the signer: the owner or a proposer
  -h, --help             this help

${KEYS_HELP}

${EXIT_HELP}
`;

export async function rewardsPropose(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { name: "rewards propose", help: REWARDS_PROPOSE_HELP, positionals: 1, options: SIGNER_OPTIONS });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("propose", values.json === true, async () => {
    const log = progressFor("propose");
    const context = await openRewards(values);
    const { state, connection, address } = context;
    const publication = publicationFor(args.positionals[0]!, context);
    const { manifest } = publication;
    const name = `publication ${manifest.id}`;
    log(`${name}: root ${publication.merkleRoot}, dataHash ${publication.dataHash}, total ${sogni(publication.total, manifest.decimals)}`);

    if (state.live?.root === publication.merkleRoot && state.live.dataHash === publication.dataHash) throw new Refused(`${name} is already the live root`);
    if (manifest.previous === null) {
      if (state.live !== undefined) {
        throw new Refused(`${name} has no previous publication, but root ${state.live.root} is live: publish again with --previous <the live publication's directory>`);
      }
    } else {
      const wanted = { root: manifest.previous.merkleRoot, dataHash: `0x${manifest.previous.manifestSha256}` };
      if (state.live === undefined) {
        throw new Refused(`${name} follows publication ${manifest.previous.id} (root ${wanted.root}), but no root is live: propose and accept publication ${manifest.previous.id} first`);
      }
      if (state.live.root !== wanted.root || state.live.dataHash !== wanted.dataHash) {
        throw new Refused(
          `${name} follows publication ${manifest.previous.id} (root ${wanted.root}, dataHash ${wanted.dataHash}), but the live root is ${state.live.root} (dataHash ${state.live.dataHash}): publish from the live publication with --previous`,
        );
      }
    }
    if (state.pending?.root === publication.merkleRoot && state.pending.dataHash === publication.dataHash) {
      throw new Refused(`${name} is already pending, live from ${whenText(state.pending.validAt, state.block.timestamp)}; proposing it again would restart its timelock`);
    }
    // The next block is at least one second after the latest.
    const earliestValidAt = state.block.timestamp + 1 + state.timelock;
    if (earliestValidAt < publication.at) {
      throw new Refused(
        `${name} vests amounts at ${manifest.at}, but proposed now it could go live at ${isoSeconds(earliestValidAt)}, before then: propose it from ${isoSeconds(publication.at - state.timelock)} on`,
      );
    }
    if (state.live !== undefined && publication.total < state.live.total) {
      throw new Refused(`${name}'s total ${publication.total} wei is below the live total ${state.live.total} wei (TotalBelowLive): cumulative amounts never go down`);
    }
    if (state.pending !== undefined) log(`this replaces the pending root ${state.pending.root} (dataHash ${state.pending.dataHash})`);

    const signer = await loadSigner({ keystore: values.keystore });
    const contract = { address, abi: SogniRewardsAbi } as const;
    const callArgs = [publication.merkleRoot, publication.dataHash, publication.total] as const;
    let hash: `0x${string}`;
    try {
      const { request } = await connection.publicClient.simulateContract({ ...contract, functionName: "propose", args: callArgs, account: signer });
      log(`sending propose from ${signer.address.toLowerCase()}`);
      hash = await walletFor(connection, signer).writeContract(request);
    } catch (error) {
      throw sendFailed("propose", error);
    }
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new RewardsError(`the propose transaction ${hash} reverted`);
    const [event] = parseEventLogs({ abi: SogniRewardsAbi, eventName: "RootProposed", logs: receipt.logs.filter((entry) => entry.address.toLowerCase() === address) });
    if (event === undefined) throw new RewardsError(`the propose transaction ${hash} emitted no RootProposed event: inspect it on the chain`);
    const validAt = Number(event.args.validAt);
    const block = await connection.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const available = state.balance + state.totalClaimed;
    const missing = publication.total > available ? publication.total - available : 0n;
    const result = {
      status: "proposed",
      publication: manifest.id,
      root: publication.merkleRoot,
      dataHash: publication.dataHash,
      total: publication.total,
      validAt,
      validAtIso: isoSeconds(validAt),
      transactionHash: hash,
      block: Number(receipt.blockNumber),
      missing,
    };
    if (values.json === true) printJsonResult(result);
    else {
      process.stdout.write(
        renderFields(`Proposed ${name} to SogniRewards ${address}:`, [
          ["root", publication.merkleRoot],
          ["dataHash", publication.dataHash],
          ["total", `${sogni(publication.total, manifest.decimals)} (${publication.total} wei)`],
          ["transaction", `${hash} (block ${receipt.blockNumber})`],
          ["goes live", `${whenText(validAt, Number(block.timestamp))}: then anyone may \`rewards accept\``],
          [
            "funding",
            missing === 0n
              ? `funded: the contract holds ${sogni(state.balance, manifest.decimals)} and ${sogni(state.totalClaimed, manifest.decimals)} were claimed`
              : `${sogni(missing, manifest.decimals)} more needed before accept: \`sogni-season rewards fund ${publication.dir}\``,
          ],
        ]),
      );
    }
    return REWARDS_EXIT.ok;
  });
}
