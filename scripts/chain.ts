/**
 * `npm run chain -- <command>`: local chain tooling.
 *
 *   node      start a Hardhat node on 127.0.0.1 and keep it up (optionally deploy)
 *   deploy    deploy SogniToken, SogniStaking, WorkerPayouts; merge into the deployments file
 *   deploy-staking  deploy one more SogniStaking on a chain of the deployments file (SPEC 8.4)
 *   simulate  drive deterministic activity and write the expected facts (+ Spark exports)
 *   fund      mint the local SOGNI stand-in to an account (a treasury before `sogni-season deploy`)
 *   clock     move a local chain's clock: an empty block at a time, the next block one second later
 *   wait-indexer  wait until an indexer has every chain of the deployments file up to its head block
 *
 * Each command takes --help. Progress goes to stderr, data to stdout.
 * Exit codes: 0 done, 1 failure, 2 bad usage.
 */
import { relative, resolve } from "node:path";
import { parseInteger, parseOptions as parse, parseTime, UsageError } from "./cli/cli.js";
import { DEFAULT_DEPLOYMENTS_PATH, readDeployments } from "../chain/deployments.js";
import { AddressError, normalizeAddress } from "../season/address.js";
import { DecimalError, formatDecimal, parseDecimal } from "../season/decimal.js";
import { connectChain } from "../chain/clients.js";
import { deployAll, deployStaking, saveDeployment } from "./local/deploy.js";
import { fundAccount } from "./local/fund.js";
import { ClockError, isHardhatNode, moveClock, startHardhatNode } from "./local/hardhat-node.js";
import { isoSeconds } from "../season/time.js";

const USAGE = `Usage: npm run chain -- <command> [options]

Commands:
  node       Start a local Hardhat node on 127.0.0.1 and keep it up until Ctrl-C
  deploy     Deploy the contracts to a chain and record them in the deployments file
  deploy-staking  Deploy one more staking contract on a deployed chain (a new season's)
  simulate   Drive deterministic activity (accounts, locks, payouts, deposits) on deployed chains
  fund       Mint the local SOGNI stand-in to an account (e.g. the treasury before a season deploy)
  clock      Move a local chain's clock to a time (past a timelock, to a tranche date)
  wait-indexer  Wait until an indexer has indexed every chain up to its current head block

Exit codes: 0 done, 1 failure, 2 bad usage.
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

const DEPLOY_STAKING_USAGE = `Usage: npm run chain -- deploy-staking [--rpc <url>] [--out deployments/local.json] [--epoch-zero <iso|unix>] [--timestamp <iso|unix>] [--json]

Deploys one more SogniStaking(token, epochZero) on a chain the deployments file already names
(Sogni opens a new staking contract for a new season), and appends it to the chain's "staking"
list with its deployment block. Locks in the older contracts stay in force; the indexer and
\`season verify --rpc\` read every contract of the list. A running indexer takes the new one up
after a restart on a new schema (Ponder refuses a schema built by another configuration).

The signer is env DEPLOYER_PRIVATE_KEY; on a local Hardhat node without it, Hardhat's first
development account.

Options:
  --rpc <url>              JSON-RPC endpoint (default $RPC_URL or http://127.0.0.1:8545)
  --out <file>             the deployments file to update (default ${DEFAULT_DEPLOYMENTS_PATH})
  --epoch-zero <iso|unix>  the new contract's epoch zero (default: the Monday 00:00 UTC at or before the latest block)
  --timestamp <iso|unix>   local node only: mine the deployment block at this second (reproducible history)
  --json                   print the chain's updated entry as JSON
  -h, --help               this help`;

const FUND_USAGE = `Usage: npm run chain -- fund --to <address> --amount <SOGNI> [--rpc <url>] [--deployments deployments/local.json] [--json]

Mints SOGNI to an account on a local chain: the SogniToken stand-in of the deployments file,
whose owner (the deployer) may mint. The one way to fund a local treasury before
\`npx sogni-season deploy\`. On a live chain there is nothing to mint: transfer real SOGNI.

The signer is env DEPLOYER_PRIVATE_KEY; on a local Hardhat node without it, Hardhat's first
development account (the one \`npm run chain -- deploy\` deploys with).

Options:
  --to <address>         who receives the SOGNI (required)
  --amount <SOGNI>       how much, in SOGNI (required): e.g. 10000000 or 0.5 (at most 18 decimals)
  --rpc <url>            JSON-RPC endpoint (default $RPC_URL or http://127.0.0.1:8545)
  --deployments <file>   where the token is (default $DEPLOYMENTS or ${DEFAULT_DEPLOYMENTS_PATH})
  --json                 print the mint as JSON
  -h, --help             this help

Exit codes: 0 minted, 1 failed (no node, no token, not the owner), 2 bad usage.`;

const CLOCK_USAGE = `Usage: npm run chain -- clock --to <iso|unix> [--rpc <url>]

Moves a local Hardhat chain's clock: mines one empty block at --to and sets the next block
one second later, so the next transaction (a propose, an accept, a claim) lands at a known
time whatever the wall clock says (a timelock runs out; a tranche date comes; a doc's output
stays the same). Block time only moves forward: a time at or before the latest block is refused.

Options
  --to <iso|unix>        the time (required), e.g. 2026-12-04T00:00:00Z
  --rpc <url>            JSON-RPC endpoint (default $RPC_URL or http://127.0.0.1:8545)
  -h, --help             this help

Exit codes: 0 moved, 1 failed (no node, not a Hardhat node), 2 bad usage (or a time in the chain's past).`;

const WAIT_USAGE = `Usage: npm run chain -- wait-indexer [--url http://127.0.0.1:42069] [--deployments deployments/local.json] [--timeout 120]

Waits until the indexer at --url shows, on /status, every chain of the deployments file at or
past the block that chain's RPC reports as its head now, then prints where each chain stands.
Ponder's /ready answers once the backfill is done, which can be before the newest blocks are
indexed: wait with this before reading the API after a burst of blocks (a simulation, a deploy).

Options:
  --url <url>            the indexer (default http://127.0.0.1:42069)
  --deployments <file>   the chains to wait for (default $DEPLOYMENTS or ${DEFAULT_DEPLOYMENTS_PATH})
  --timeout <seconds>    give up after this long (default 120)
  -h, --help             this help

Exit codes: 0 caught up, 1 not in time (or a chain's RPC does not answer), 2 bad usage.`;

/** A path as the user gave it when it is inside the working directory (shorter, and the same on every machine). */
function shown(path: string): string {
  const local = relative(process.cwd(), path);
  return local.startsWith("..") || local === "" ? path : local;
}

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
    console.error(`wrote chain ${entry.chainId} to ${shown(out)}`);
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
  console.error(`wrote chain ${entry.chainId} (${entry.name}) to ${shown(out)}`);
  if (values.json) console.log(JSON.stringify(entry, null, 2));
  else
    console.log(
      `chain ${entry.chainId}: SogniToken ${entry.contracts.SogniToken}, SogniStaking ${entry.contracts.SogniStaking}, WorkerPayouts ${entry.contracts.WorkerPayouts}, startBlock ${entry.startBlock}`,
    );
  return 0;
}

async function commandDeployStaking(args: string[]): Promise<number> {
  const { values } = parse(args, {
    rpc: { type: "string" },
    out: { type: "string" },
    "epoch-zero": { type: "string" },
    timestamp: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(DEPLOY_STAKING_USAGE);
    return 0;
  }
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const out = resolve(values.out ?? process.env.DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_PATH);
  const epochZero = values["epoch-zero"] === undefined ? undefined : parseTime(values["epoch-zero"], "--epoch-zero");
  const timestamp = values.timestamp === undefined ? undefined : parseTime(values.timestamp, "--timestamp");
  const { chainId } = await connectChain(rpcUrl);
  const chain = readDeployments(out).chains.find((entry) => entry.chainId === chainId);
  if (chain === undefined) throw new Error(`chain ${chainId} (${rpcUrl}) has no entry in ${shown(out)}: run \`npm run chain -- deploy --rpc ${rpcUrl}\` first`);
  const { entry, staking } = await deployStaking({
    rpcUrl,
    chain,
    ...(epochZero === undefined ? {} : { epochZero }),
    ...(timestamp === undefined ? {} : { timestamp }),
    log: (line) => console.error(line),
  });
  saveDeployment(out, entry);
  console.error(`wrote chain ${entry.chainId} (${entry.name}) to ${shown(out)}`);
  if (values.json) console.log(JSON.stringify(entry, null, 2));
  else console.log(`chain ${entry.chainId}: SogniStaking ${staking.address} from block ${staking.block}; staking contracts: ${entry.staking!.map((contract) => contract.address).join(", ")}`);
  return 0;
}

async function commandFund(args: string[]): Promise<number> {
  const { values } = parse(args, {
    to: { type: "string" },
    amount: { type: "string" },
    rpc: { type: "string" },
    deployments: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(FUND_USAGE);
    return 0;
  }
  if (values.to === undefined || values.amount === undefined) throw new UsageError("fund needs --to <address> and --amount <SOGNI>");
  let to;
  try {
    to = normalizeAddress(values.to);
  } catch (error) {
    if (error instanceof AddressError) throw new UsageError(`--to: ${error.message}`);
    throw error;
  }
  // The amount's form is checked before any file is read; its decimals are the token's (the deployments file's, default 18).
  if (!/^\d+(\.\d+)?$/.test(values.amount)) throw new UsageError(`--amount: not a decimal number: "${values.amount}" (SOGNI, e.g. 10000000 or 0.5)`);
  const path = values.deployments ?? process.env.DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_PATH;
  const deployments = readDeployments(resolve(path));
  const decimals = deployments.decimals ?? 18;
  let amount: bigint;
  try {
    amount = parseDecimal(values.amount, decimals);
  } catch (error) {
    if (error instanceof DecimalError) throw new UsageError(`--amount: ${error.message}`);
    throw error;
  }
  if (amount === 0n) throw new UsageError("--amount must be more than 0");
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const { chainId } = await connectChain(rpcUrl);
  const entry = deployments.chains.find((chain) => chain.chainId === chainId);
  if (entry === undefined) throw new Error(`chain ${chainId} (${rpcUrl}) has no entry in ${path}: run \`npm run chain -- deploy --rpc ${rpcUrl}\` first`);
  const funding = await fundAccount({ rpcUrl, token: normalizeAddress(entry.contracts.SogniToken), to, amount });
  if (values.json) {
    console.log(JSON.stringify({ ...funding, amount: funding.amount.toString(), balance: funding.balance.toString() }, null, 2));
  } else {
    console.log(
      `minted ${formatDecimal(amount, funding.decimals)} SOGNI to ${to} on chain ${chainId} (block ${funding.block}, tx ${funding.transactionHash}); ` +
        `balance ${formatDecimal(funding.balance, funding.decimals)} SOGNI`,
    );
  }
  return 0;
}

async function commandClock(args: string[]): Promise<number> {
  const { values } = parse(args, { to: { type: "string" }, rpc: { type: "string" } });
  if (values.help) {
    console.log(CLOCK_USAGE);
    return 0;
  }
  if (values.to === undefined) throw new UsageError("clock needs --to <time>: npm run chain -- clock --to 2026-12-01T00:00:00Z");
  const time = parseTime(values.to, "--to");
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const { chainId, publicClient } = await connectChain(rpcUrl);
  if (!(await isHardhatNode(publicClient))) throw new Error(`${rpcUrl} (chain ${chainId}) is not a local Hardhat node: only a local chain's clock can be moved`);
  let moved;
  try {
    moved = await moveClock(publicClient, time);
  } catch (error) {
    if (error instanceof ClockError) throw new UsageError(`chain ${chainId}: ${error.message}`);
    throw error;
  }
  console.log(`chain ${chainId}: block ${moved.block} at ${isoSeconds(time)}; the next block at ${isoSeconds(time + 1)}`);
  return 0;
}

async function commandWaitIndexer(args: string[]): Promise<number> {
  const { values } = parse(args, {
    url: { type: "string" },
    deployments: { type: "string" },
    timeout: { type: "string" },
  });
  if (values.help) {
    console.log(WAIT_USAGE);
    return 0;
  }
  const url = (values.url ?? "http://127.0.0.1:42069").replace(/\/+$/, "");
  const timeout = values.timeout === undefined ? 120 : parseInteger(values.timeout, "--timeout", 1);
  const path = values.deployments ?? process.env.DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_PATH;
  const deployments = readDeployments(resolve(path));
  if (deployments.chains.length === 0) throw new Error(`${path} lists no chains: nothing to wait for`);
  const heads = new Map<number, number>();
  for (const chain of deployments.chains) {
    const { publicClient } = await connectChain(process.env[`PONDER_RPC_URL_${chain.chainId}`] || chain.rpcUrl);
    heads.set(chain.chainId, Number(await publicClient.getBlockNumber()));
  }
  const { waitForIndexedBlocks } = await import("./local/indexer-process.js");
  await waitForIndexedBlocks(url, heads, { timeoutMs: timeout * 1000 });
  console.log(`${url} has indexed ${[...heads].map(([id, block]) => `chain ${id} to block ${block}`).join(", ")} (each chain's head)`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "node":
      return commandNode(rest);
    case "deploy":
      return commandDeploy(rest);
    case "deploy-staking":
      return commandDeployStaking(rest);
    case "fund":
      return commandFund(rest);
    case "wait-indexer":
      return commandWaitIndexer(rest);
    case "clock":
      return commandClock(rest);
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
