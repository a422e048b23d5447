/**
 * `npm run demo`: the whole season path from nothing on a local chain, with a
 * summary at the end. `npm run demo -- --serve` keeps the chain, the indexer
 * and the claim page up for a person to click through (Ctrl-C stops them).
 *
 * Progress goes to stderr step by step; the summary goes to stdout. A failed
 * step says which one and why, and every child process is stopped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatDecimal } from "../season/decimal.js";
import { POOL_KEYS } from "../season/types.js";
import { formatTable } from "./cli/cli.js";
import { loadManifest } from "../season-io/season-dir.js";
import { DemoStepError, readRecipients, runDemo, type DemoRun, type StepEvent } from "./demo/steps.js";

const HELP = `npm run demo [-- options]

Starts a local Hardhat node, deploys the contracts, simulates season 7
(hundreds of artists, ambassadors, stakers and workers, with some bad rows),
indexes it with Ponder on PGlite, builds the season from the indexer's
snapshot, deploys and funds the distributor, claims for a few recipients
through \`season claim\`, runs \`season verify --rpc\`, and prints a summary.

Options
  --serve            keep the chain, the indexer and the page up (Ctrl-C stops them)
  --no-indexer       fallback without Ponder: build from the simulator's onchain.json,
                     read claim status from the chain, serve the page on its own
  --accounts <n>     simulated accounts (default 300)
  --seed <n>         simulation seed (default 7)
  --work <dir>       work directory, wiped first (default out/demo)
  --port <n>         indexer/page port (default: 42069 with --serve, else a free port)
  --rpc-port <n>     Hardhat node port (default: 8545 with --serve, else a free port)
  -h, --help         this help
`;

const started = Date.now();

function onStep(event: StepEvent): void {
  if (event.kind === "start") process.stderr.write(`\n[${event.index}/${event.total}] ${event.title}…\n`);
  else if (event.kind === "detail") for (const line of event.line.split("\n")) process.stderr.write(`      ${line}\n`);
  else process.stderr.write(`  ✓ ${event.title} (${event.seconds.toFixed(1)} s)${event.summary ? `: ${event.summary}` : ""}\n`);
}

function sogni(wei: bigint | string): string {
  const [whole, fraction] = formatDecimal(BigInt(wei), 18).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

function summary(demo: DemoRun, serve: boolean): string {
  const manifest = loadManifest(demo.seasonDir);
  const out: string[] = [];
  out.push(`Season ${manifest.season} demo: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  out.push("Pools");
  out.push(
    formatTable(
      ["pool", "amount (SOGNI)", "cut", "recipients", "allocated (SOGNI)"],
      POOL_KEYS.map((pool) => {
        const p = manifest.pools[pool]!;
        return [pool, sogni(p.amount), p.top === null ? "none" : `top ${p.top}`, String(p.recipients), sogni(p.allocated)];
      }),
      new Set([1, 3, 4]),
    ).trimEnd(),
  );
  out.push("");
  out.push(`Recipients    ${manifest.recipients} (one leaf per address), total ${sogni(manifest.total)} SOGNI`);
  out.push(`Merkle root   ${manifest.merkleRoot}`);
  out.push(`Snapshot      ${manifest.snapshot.map((s) => `chain ${s.chainId} block ${s.block}`).join(", ")}`);
  out.push(`Rejected rows ${manifest.rejected ?? "?"} (see ${join(demo.seasonDir, "rejected.csv")})`);
  out.push(`Distributor   ${demo.deployment.address} (chain ${demo.deployment.chainId}, block ${demo.deployment.block}), funded with ${sogni(demo.deployment.total)} SOGNI`);
  out.push("");
  for (const pool of POOL_KEYS) {
    out.push(`Top 5 ${pool}`);
    out.push(demo.leaderboards[pool]);
    out.push("");
  }
  out.push("Claims through `season claim`");
  out.push(
    formatTable(
      ["account", "amount (SOGNI)", "sent by"],
      demo.claims.map((claim) => [claim.account, sogni(claim.amount), claim.sender === claim.account ? "itself" : `${claim.sender} (on behalf)`]),
      new Set([1]),
    ).trimEnd(),
  );
  out.push("");
  out.push("Verification (`season verify --rpc --distributor`)");
  out.push(demo.verify.stdout.trimEnd());
  out.push("");
  out.push(`Work directory ${demo.workDir} (season output in ${demo.seasonDir})`);
  if (serve) {
    const claimed = new Set(demo.claims.map((claim) => claim.account));
    const keys = new Map(demo.simulation.plan.accounts.map((account) => [account.address.toLowerCase(), account.privateKey]));
    const tryMe = readRecipients(demo.seasonDir).find((recipient) => keys.has(recipient.address) && !claimed.has(recipient.address));
    out.push("");
    out.push(`Page and API  ${demo.pageUrl}${demo.indexer ? `   (GraphQL ${demo.indexer.url}/graphql)` : "   (no indexer: claim status from the chain)"}`);
    out.push(`Chain         ${demo.node.rpcUrl} (chain id ${demo.node.chainId}): add it to your wallet as a custom network`);
    if (tryMe) {
      out.push(`Try a claim   import this LOCAL TEST key into your wallet (never use it on a live chain):`);
      out.push(`              ${keys.get(tryMe.address)}  ->  ${tryMe.address}, ${sogni(tryMe.amount)} SOGNI to claim`);
    }
    out.push("Ctrl-C stops the chain, the indexer and the page.");
  } else {
    out.push("The chain and the indexer have been stopped. `npm run demo -- --serve` keeps them and the page up to click through.");
  }
  return `${out.join("\n")}\n`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        serve: { type: "boolean", default: false },
        "no-indexer": { type: "boolean", default: false },
        accounts: { type: "string" },
        seed: { type: "string" },
        work: { type: "string" },
        port: { type: "string" },
        "rpc-port": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const integer = (text: string | undefined, flag: string): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new Error(`${flag} wants a whole number, got "${text}"`);
    return Number(text);
  };
  // Ctrl-C during the run: exit at once; the exit hooks of the node and indexer launchers end their process groups.
  const interrupted = (): void => {
    process.stderr.write("\ninterrupted: stopping every process the demo started\n");
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let demo: DemoRun;
  try {
    demo = await runDemo({
      workDir: values.work,
      accounts: integer(values.accounts, "--accounts"),
      seed: integer(values.seed, "--seed"),
      apiPort: integer(values.port, "--port") ?? (values.serve ? 42069 : undefined),
      rpcPort: integer(values["rpc-port"], "--rpc-port") ?? (values.serve ? 8545 : undefined),
      indexer: !values["no-indexer"],
      onStep,
    });
  } catch (error) {
    if (error instanceof DemoStepError) {
      process.stderr.write(`\n  ✗ demo ${error.message}\n`);
    } else {
      process.stderr.write(`\n  ✗ demo failed: ${(error as Error).message}\n`);
    }
    process.stderr.write("  (every process the demo started has been stopped)\n");
    return 1;
  }
  process.off("SIGINT", interrupted);
  process.off("SIGTERM", interrupted);
  process.stdout.write(`\n${summary(demo, values.serve)}`);
  if (!values.serve) {
    await demo.stop();
    return 0;
  }
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  process.stderr.write("\nstopping the indexer and the chain…\n");
  await demo.stop();
  return 0;
}

process.exitCode = await main();
