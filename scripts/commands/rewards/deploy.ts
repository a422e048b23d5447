/**
 * `season rewards deploy`: deploys SogniRewards(token, owner = the signer,
 * timelock) and records it in the deployments file.
 */
import { existsSync } from "node:fs";
import { normalizeAddress, type Address } from "../../../season/address.js";
import { loadArtifact } from "../../../chain/artifacts.js";
import { connectChain, walletFor } from "../../../chain/clients.js";
import { readDeployments, writeDeployments } from "../../../chain/deployments.js";
import { SogniRewardsAbi } from "../../../chain/abis/index.js";
import { parseCommandArgs, parseInteger, UsageError } from "../../cli/cli.js";
import { loadSigner } from "../../keys/wallet.js";
import { addressFlag, deploymentsFile, formatDuration, KEYS_HELP, printJsonResult, progressFor, renderFields, REWARDS_EXIT, RewardsError, runSubcommand, sendFailed } from "./shared.js";

export const REWARDS_DEPLOY_HELP = `sogni-season rewards deploy --rpc <url> --timelock <seconds> [options]

Deploys SogniRewards for the SOGNI token with the signer as owner and a fixed
timelock (seconds between a proposal and the earliest accept; at most 365
days, 0 only for local chains), and records it as "rewards" of this chain in
the deployments file (when the file has the chain).

Options
  --rpc <url>            JSON-RPC endpoint of the chain (required)
  --timelock <seconds>   the timelock (required), e.g. 259200 for 3 days
  --token <address>      the token paid (default: the deployments file's SogniToken for this chain)
  --guardian <address>   also name a guardian, who may revoke a pending root beside the owner
  --deployments <file>   deployments file (default: $DEPLOYMENTS, else deployments/local.json when present)
  --keystore <file>      encrypted keystore (v3) for the signer (or env SEASON_KEYSTORE)
  --json                 print the deployment as JSON on stdout
  -h, --help             this help

${KEYS_HELP}

Exit codes
  0  deployed   1  failed   2  bad usage
`;

export async function rewardsDeploy(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "rewards deploy",
    help: REWARDS_DEPLOY_HELP,
    positionals: 0,
    options: {
      rpc: { type: "string" },
      timelock: { type: "string" },
      token: { type: "string" },
      guardian: { type: "string" },
      deployments: { type: "string" },
      keystore: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  return runSubcommand("deploy", values.json === true, async () => {
    if (values.rpc === undefined) throw new UsageError("--rpc <url> is required");
    if (values.timelock === undefined) throw new UsageError("--timelock <seconds> is required");
    const timelock = parseInteger(values.timelock, "--timelock", 0);
    if (timelock > 365 * 86_400) throw new UsageError(`--timelock ${timelock} is more than 365 days: give it in seconds`);
    const tokenFlag = addressFlag("token", values.token);
    const guardian = addressFlag("guardian", values.guardian);
    const log = progressFor("deploy");
    const signer = await loadSigner({ keystore: values.keystore });
    const connection = await connectChain(values.rpc);
    const file = deploymentsFile(values.deployments);
    const deployments = file !== undefined && existsSync(file) ? readDeployments(file) : undefined;
    const chain = deployments?.chains.find((entry) => entry.chainId === connection.chainId);
    const token = tokenFlag ?? (chain === undefined ? undefined : normalizeAddress(chain.contracts.SogniToken));
    if (token === undefined) throw new RewardsError(`which token? pass --token <address> (${file === undefined ? "no deployments file" : `${file} has no chain ${connection.chainId}`})`);
    const code = await connection.publicClient.getCode({ address: token });
    if (code === undefined || code === "0x") throw new RewardsError(`no contract at token address ${token} on chain ${connection.chainId}: check --token`);

    const wallet = walletFor(connection, signer);
    const owner = signer.address.toLowerCase() as Address;
    log(`deploying SogniRewards(token ${token}, owner ${owner}, timelock ${timelock} s) on chain ${connection.chainId}`);
    const { abi, bytecode } = loadArtifact("SogniRewards");
    const hash = await wallet.deployContract({ abi, bytecode, args: [token, owner, BigInt(timelock)] });
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || receipt.contractAddress == null) throw new RewardsError(`the deployment transaction ${hash} reverted`);
    const address = receipt.contractAddress.toLowerCase() as Address;
    if (guardian !== undefined) {
      log(`naming the guardian ${guardian}`);
      try {
        const { request } = await connection.publicClient.simulateContract({ address, abi: SogniRewardsAbi, functionName: "setGuardian", args: [guardian], account: signer });
        await connection.publicClient.waitForTransactionReceipt({ hash: await wallet.writeContract(request) });
      } catch (error) {
        throw sendFailed(`SogniRewards is deployed at ${address}, but setGuardian`, error);
      }
    }
    let recorded = false;
    if (file !== undefined && deployments !== undefined && chain !== undefined) {
      chain.rewards = { address, block: Number(receipt.blockNumber) };
      writeDeployments(file, deployments);
      recorded = true;
      log(`recorded as "rewards" of chain ${connection.chainId} in ${file}`);
    }
    const result = { address, chainId: connection.chainId, block: Number(receipt.blockNumber), transactionHash: hash, token, owner, guardian: guardian ?? null, timelock, deployments: recorded ? file : null };
    if (values.json === true) printJsonResult({ status: "deployed", ...result });
    else {
      process.stdout.write(
        renderFields("Deployed SogniRewards:", [
          ["address", address],
          ["chain", String(connection.chainId)],
          ["block", String(result.block)],
          ["deploy tx", hash],
          ["token", token],
          ["owner", owner],
          ["guardian", guardian ?? "none (the owner alone may revoke)"],
          ["timelock", `${timelock} s${timelock > 0 ? ` (${formatDuration(timelock)})` : ""}`],
          ["recorded in", recorded ? file! : "nowhere: pass --rewards to the other subcommands"],
        ]),
      );
    }
    return REWARDS_EXIT.ok;
  });
}
