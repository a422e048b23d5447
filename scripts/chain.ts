/**
 * `npm run chain -- <command>`: local chain tooling.
 *
 *   node      start a Hardhat node on 127.0.0.1 and keep it up (optionally deploy)
 *   deploy    deploy SogniToken, SogniStaking, WorkerPayouts; merge into the deployments file
 *   simulate  drive deterministic activity and write the expected facts (+ Spark exports)
 *
 * Each command takes --help. Progress goes to stderr, data to stdout.
 */
import { resolve } from "node:path";
import { parseInteger, parseOptions as parse, parseTime, UsageError } from "./cli/cli.js";
import { DEFAULT_DEPLOYMENTS_PATH } from "../chain/deployments.js";
import { deployAll, saveDeployment } from "./local/deploy.js";
import { startHardhatNode } from "./local/hardhat-node.js";

const USAGE = `Usage: npm run chain -- <command> [options]

Commands:
  node       Start a local Hardhat node on 127.0.0.1 and keep it up until Ctrl-C
  deploy     Deploy the contracts to a chain and record them in the deployments file
  simulate   Drive deterministic activity (accounts, locks, payouts, deposits) on deployed chains

Run \`npm run chain -- <command> --help\` for a command's options.`;

const NODE_USAGE = `Usage: npm run chain -- node [--chain-id 31337] [--port 8545] [--initial-date <iso>] [--deploy] [--out deployments/local.json]

Starts Hardhat's node (EDR) on 127.0.0.1 and prints its RPC URL; Ctrl-C stops it.

Options:
  --chain-id <id>        chain id (default 31337; use 31338 for a second local chain)
  --port <n>             port on 127.0.0.1 (default 8545; 0 = any free port)
  --initial-date <iso>   timestamp of the genesis block, e.g. 2026-10-01T00:00:00Z
                         (block time only moves forward: start before the season you simulate)
  --deploy               deploy the contracts right away and merge them into --out
                         (with --initial-date: at that date + 60 s, so the history is reproducible)
  --out <file>           deployments file for --deploy (default ${DEFAULT_DEPLOYMENTS_PATH})
  --json                 print {"rpcUrl","chainId","port"} as JSON instead of text
  -h, --help             this help`;

const DEPLOY_USAGE = `Usage: npm run chain -- deploy [--rpc <url>] [--out deployments/local.json] [--epoch-zero <iso|unix>] [--name <name>] [--timestamp <iso|unix>]

Deploys SogniToken, SogniStaking(token, epochZero) and WorkerPayouts(token), then merges the
chain's entry into the deployments file (written atomically; one entry per chain id, a redeploy
replaces it).

The signer is env DEPLOYER_PRIVATE_KEY; on a local Hardhat node without it, Hardhat's first
development account. Keys are never taken from arguments.

Options:
  --rpc <url>              JSON-RPC endpoint (default $RPC_URL or http://127.0.0.1:8545)
  --out <file>             deployments file to merge into (default ${DEFAULT_DEPLOYMENTS_PATH})
  --epoch-zero <iso|unix>  staking epoch zero (default: the Monday 00:00 UTC at or before the latest block)
  --name <name>            chain name in the file (default hardhat / hardhat-<id> / chain-<id>)
  --timestamp <iso|unix>   local node only: mine the deployment blocks at this second (reproducible history)
  --json                   print the chain's entry as JSON
  -h, --help               this help`;

async function commandNode(args: string[]): Promise<number> {
  const { values } = parse(args, {
    "chain-id": { type: "string" },
    port: { type: "string" },
    "initial-date": { type: "string" },
    deploy: { type: "boolean" },
    out: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(NODE_USAGE);
    return 0;
  }
  const chainId = values["chain-id"] === undefined ? 31337 : parseInteger(values["chain-id"], "--chain-id", 1);
  const portArg = values.port === undefined ? 8545 : parseInteger(values.port, "--port", 0);
  const initialDate = values["initial-date"] === undefined ? undefined : parseTime(values["initial-date"], "--initial-date");
  const node = await startHardhatNode({ chainId, ...(portArg === 0 ? {} : { port: portArg }), ...(initialDate === undefined ? {} : { initialDate }) });
  const stopAndExit = (): void => {
    void node.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stopAndExit);
  process.once("SIGTERM", stopAndExit);
  if (values.deploy) {
    const out = resolve(values.out ?? process.env.DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_PATH);
    const entry = await deployAll({
      rpcUrl: node.rpcUrl,
      ...(initialDate === undefined ? {} : { timestamp: initialDate + 60 }),
      log: (line) => console.error(line),
    });
    saveDeployment(out, entry);
    console.error(`wrote chain ${entry.chainId} to ${out}`);
  }
  if (values.json) console.log(JSON.stringify({ rpcUrl: node.rpcUrl, chainId: node.chainId, port: node.port }));
  else console.log(`Hardhat node (chain ${node.chainId}) listening at ${node.rpcUrl} - Ctrl-C to stop`);
  // Keep the process (and so the node) alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
  return await new Promise<number>(() => {});
}

async function commandDeploy(args: string[]): Promise<number> {
  const { values } = parse(args, {
    rpc: { type: "string" },
    out: { type: "string" },
    "epoch-zero": { type: "string" },
    name: { type: "string" },
    timestamp: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(DEPLOY_USAGE);
    return 0;
  }
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const out = resolve(values.out ?? process.env.DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_PATH);
  const entry = await deployAll({
    rpcUrl,
    ...(values["epoch-zero"] === undefined ? {} : { epochZero: parseTime(values["epoch-zero"], "--epoch-zero") }),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.timestamp === undefined ? {} : { timestamp: parseTime(values.timestamp, "--timestamp") }),
    log: (line) => console.error(line),
  });
  saveDeployment(out, entry);
  console.error(`wrote chain ${entry.chainId} (${entry.name}) to ${out}`);
  if (values.json) console.log(JSON.stringify(entry, null, 2));
  else
    console.log(
      `chain ${entry.chainId}: SogniToken ${entry.contracts.SogniToken}, SogniStaking ${entry.contracts.SogniStaking}, WorkerPayouts ${entry.contracts.WorkerPayouts}, startBlock ${entry.startBlock}`,
    );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "node":
      return commandNode(rest);
    case "deploy":
      return commandDeploy(rest);
    case "simulate": {
      const { commandSimulate } = await import("./sim/simulate-cli.js");
      return commandSimulate(rest);
    }
    case undefined:
    case "-h":
    case "--help":
    case "help":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE.split("\n")[0]}  (see --help)`);
      process.exit(2);
    }
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
