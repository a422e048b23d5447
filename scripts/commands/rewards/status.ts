/**
 * `season rewards status`: the contract's live and pending roots with their
 * publications, what it owes and holds, and the time left on the timelock,
 * all read at the latest block (the chain's time, not this machine's).
 */
import { existsSync } from "node:fs";
import { isoSeconds } from "../../../season/time.js";
import { parseCommandArgs } from "../../cli/cli.js";
import type { PublicationView } from "../../../season-io/publication-dir.js";
import { CONTRACT_HELP, formatDuration, openRewards, printJsonResult, publicationsByDataHash, renderFields, REWARDS_EXIT, runSubcommand, sogni, whenText } from "./shared.js";

export const REWARDS_STATUS_HELP = `sogni-season rewards status --rpc <url> [options]

Shows the SogniRewards contract: token, owner, guardian, timelock; the live
root (dataHash, total, claimed, what it still owes, whether it holds enough);
the pending root (dataHash, total, when it may be accepted, what funding it
still needs). Roots are named by their publication when one of
--publications' publication-<id>/ directories has their dataHash. Reads only:
no key needed.

Options
${CONTRACT_HELP}
  --publications <dir>   where the publication-<id>/ directories are (default: out, when present)
  -h, --help             this help

Exit codes
  0  shown   1  failed (no contract there, RPC down)   2  bad usage
`;

export async function rewardsStatus(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "rewards status",
    help: REWARDS_STATUS_HELP,
    positionals: 0,
    options: { rpc: { type: "string" }, rewards: { type: "string" }, deployments: { type: "string" }, json: { type: "boolean" }, publications: { type: "string" } },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("status", values.json === true, async () => {
    const { state, connection } = await openRewards(values);
    const publications = publicationsByDataHash(values.publications ?? (existsSync("out") ? "out" : undefined));
    const idOf = (dataHash: string): PublicationView | undefined => publications.get(dataHash);
    const now = state.block.timestamp;
    const decimals = [...publications.values()][0]?.manifest.decimals ?? 18;
    const owed = state.live === undefined ? 0n : state.live.total - state.totalClaimed;
    const pendingMissing = state.pending === undefined ? 0n : state.pending.total - state.totalClaimed - state.balance;
    if (values.json === true) {
      printJsonResult({
        address: state.address,
        chainId: connection.chainId,
        block: state.block.number,
        time: isoSeconds(now),
        token: state.token,
        owner: state.owner,
        guardian: state.guardian ?? null,
        timelock: state.timelock,
        live: state.live === undefined ? null : { ...state.live, publication: idOf(state.live.dataHash)?.id ?? null },
        pending:
          state.pending === undefined
            ? null
            : { ...state.pending, validAtIso: isoSeconds(state.pending.validAt), secondsLeft: Math.max(0, state.pending.validAt - now), publication: idOf(state.pending.dataHash)?.id ?? null, missing: pendingMissing > 0n ? pendingMissing : 0n },
        balance: state.balance,
        totalClaimed: state.totalClaimed,
        owed,
      });
      return REWARDS_EXIT.ok;
    }
    const named = (dataHash: string): string => {
      const publication = idOf(dataHash);
      return publication === undefined ? "publication unknown (pass --publications <dir>)" : `publication ${publication.id} (${publication.dir})`;
    };
    let text = renderFields(`SogniRewards ${state.address} on chain ${connection.chainId}, block ${state.block.number} at ${isoSeconds(now)}`, [
      ["token", state.token],
      ["owner", state.owner],
      ["guardian", state.guardian ?? "none"],
      ["timelock", `${state.timelock} s${state.timelock > 0 ? ` (${formatDuration(state.timelock)})` : ""}`],
      ["balance", sogni(state.balance, decimals)],
      ["claimed", `${sogni(state.totalClaimed, decimals)} in all`],
    ]);
    text +=
      state.live === undefined
        ? "live root      none yet: claims revert NoLiveRoot until a root is accepted\n"
        : renderFields(`live root      ${state.live.root}: ${named(state.live.dataHash)}`, [
            ["dataHash", state.live.dataHash],
            ["total", sogni(state.live.total, decimals)],
            ["owed", `${sogni(owed, decimals)} (total − claimed)`],
            ["funding", state.balance >= owed ? `covered (surplus ${sogni(state.balance - owed, decimals)})` : `SHORT by ${sogni(owed - state.balance, decimals)}`],
          ]);
    text +=
      state.pending === undefined
        ? "pending root   none\n"
        : renderFields(`pending root   ${state.pending.root}: ${named(state.pending.dataHash)}`, [
            ["dataHash", state.pending.dataHash],
            ["total", sogni(state.pending.total, decimals)],
            ["valid at", `${whenText(state.pending.validAt, now)}${state.pending.validAt <= now ? ": anyone may accept it" : ""}`],
            [
              "funding",
              pendingMissing > 0n
                ? `needs ${sogni(pendingMissing, decimals)} more before accept (rewards fund <publication dir>)`
                : "funded: accept would not be refused for funds",
            ],
          ]);
    process.stdout.write(text);
    return REWARDS_EXIT.ok;
  });
}
