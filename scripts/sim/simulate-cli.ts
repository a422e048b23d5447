/**
 * `npm run chain -- simulate …`: the simulate command of scripts/chain.ts.
 */
import { relative, resolve } from "node:path";
import { parseInteger, parseOptions, parseTime, UsageError } from "../cli/cli.js";
import { createPublicClient, http } from "viem";
import { DEFAULT_DEPLOYMENTS_PATH, readDeployments, type ChainDeployment } from "../../chain/deployments.js";
import { isoSeconds } from "../../season/time.js";
import { simulate, writeSimulation } from "./simulate.js";

export const SIMULATE_USAGE = `Usage: npm run chain -- simulate [--rpc <url>]... [--deployments <file>] [--accounts 300] [--seed 7]
                              [--start <iso> --end <iso>] [--season 7] [--out sim] [--json] [--quiet]

Drives deterministic activity on local chains where the contracts are deployed: accounts funded
with ETH and SOGNI, transfers, stake locks (top-ups, extensions, expiry and relock, unstakes),
worker payout batches and SOGNI deposits to the Spark deposit address, at block times from two
weeks before the season window to one week after it. Then writes:

  <out>/season.json         the season config for the window
  <out>/exports/*.csv       users, spark_usage, spark_purchases, jobs (SPEC section 4), with a
                            few rows the chain cross-checks must reject
  <out>/onchain.json        the expected on-chain facts (SPEC section 6 shape), snapshot = last block
  <out>/simulation.json     everything done: accounts (test keys), locks, payouts, deposits,
                            transfers, final balances, expected rejections

Options:
  --rpc <url>            a chain to drive (repeatable); default: every chain in the deployments file
  --deployments <file>   deployments file (default $DEPLOYMENTS or ${DEFAULT_DEPLOYMENTS_PATH})
  --accounts <n>         simulated accounts (default 300, at least 10)
  --seed <n>             PRNG seed (default 7): same seed + fresh chains = same blocks and files
  --start <iso|unix>     season window start (default: a Monday about two weeks after the chain's time)
  --end <iso|unix>       season window end, exclusive (default: start + 6 weeks)
  --season <n>           season number in season.json (default 7)
  --out <dir>            output directory (default sim; replaced if it exists)
  --json                 print a summary as JSON on stdout
  --quiet                no progress lines on stderr (chains run in parallel, so their order varies)
  -h, --help             this help

Block time only moves forward: to simulate a window in the past, start the node before it,
e.g. \`npm run chain -- node --initial-date 2026-09-20T00:00:00Z --deploy\`.`;

/** Runs the simulate command; resolves to the exit code. */
export async function commandSimulate(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    rpc: { type: "string", multiple: true },
    deployments: { type: "string" },
    accounts: { type: "string" },
    seed: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    season: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    quiet: { type: "boolean" },
  });
  if (values.help) {
    console.log(SIMULATE_USAGE);
    return 0;
  }
  if ((values.start === undefined) !== (values.end === undefined)) throw new UsageError("give both --start and --end, or neither");
  const start = values.start === undefined ? undefined : parseTime(values.start, "--start");
  const end = values.end === undefined ? undefined : parseTime(values.end, "--end");
  if (start !== undefined && end !== undefined && end <= start) throw new UsageError(`--end must be after --start`);
  const path = resolve(values.deployments ?? process.env.DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_PATH);
  const deployments = readDeployments(path);

  let chains: { rpcUrl: string; deployment: ChainDeployment }[];
  if (values.rpc && values.rpc.length > 0) {
    chains = await Promise.all(
      values.rpc.map(async (rpcUrl) => {
        let chainId: number;
        try {
          chainId = await createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) }).getChainId();
        } catch {
          throw new Error(`no JSON-RPC node answers at ${rpcUrl}: start one with \`npm run chain -- node\``);
        }
        const deployment = deployments.chains.find((chain) => chain.chainId === chainId);
        if (!deployment) throw new Error(`chain ${chainId} (${rpcUrl}) has no entry in ${path}: run \`npm run chain -- deploy --rpc ${rpcUrl}\``);
        return { rpcUrl, deployment };
      }),
    );
  } else {
    if (deployments.chains.length === 0) throw new Error(`${path} lists no chains: deploy first`);
    chains = deployments.chains.map((deployment) => ({ rpcUrl: deployment.rpcUrl, deployment }));
  }

  const out = resolve(values.out ?? "sim");
  const result = await simulate({
    chains,
    ...(values.accounts === undefined ? {} : { accounts: parseInteger(values.accounts, "--accounts", 10) }),
    ...(values.seed === undefined ? {} : { seed: parseInteger(values.seed, "--seed", 0) }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(values.season === undefined ? {} : { season: parseInteger(values.season, "--season", 1) }),
    log: values.quiet ? () => {} : (line) => console.error(line),
  });
  writeSimulation(result, out);
  const summary = {
    out,
    window: { start: result.plan.window.start, end: result.plan.window.end },
    chains: result.facts.chains.map((chain) => ({ chainId: chain.chainId, firstBlock: chain.firstBlock, lastBlock: chain.lastBlock })),
    accounts: result.plan.accounts.length,
    locks: result.facts.locks.length,
    unstakes: result.facts.unstakes.length,
    payouts: result.facts.payouts.length,
    deposits: result.facts.deposits.length,
    transfers: result.facts.transfers.length,
    expectedRejections: result.exports.expectedRejections.length,
  };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else {
    // The path as given when it is inside the working directory: shorter, and the same on every machine.
    const shown = relative(process.cwd(), out);
    console.log(`wrote ${shown === "" || shown.startsWith("..") ? out : shown}/ (season.json, exports/*.csv, onchain.json, simulation.json)`);
    console.log(
      `  window ${isoSeconds(summary.window.start)} .. ${isoSeconds(summary.window.end)}, blocks at ${isoSeconds(result.plan.timeline.first)} .. ${isoSeconds(result.plan.timeline.last)}`,
    );
    for (const chain of summary.chains) console.log(`  chain ${chain.chainId}: blocks ${chain.firstBlock}..${chain.lastBlock}`);
    console.log(
      `  ${summary.accounts} accounts, ${summary.locks} locks, ${summary.unstakes} unstakes, ${summary.payouts} payouts, ` +
        `${summary.deposits} deposits, ${summary.transfers} transfers, ${summary.expectedRejections} rows to be rejected`,
    );
  }
  return 0;
}
