/**
 * `npm run demo`: two seasons in series from nothing on a local chain, paid
 * by one SogniRewards contract, with a summary at the end. `npm run demo --
 * --serve` keeps the chain, the indexer and the claim page up for a person
 * to click through (Ctrl-C stops them).
 *
 * Progress goes to stderr step by step; the summary goes to stdout. A failed
 * step says which one and why, and every child process is stopped.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isoSeconds } from "../season/time.js";
import { POOL_KEYS } from "../season/types.js";
import { formatTable } from "./cli/cli.js";
import { loadManifest } from "../season-io/season-dir.js";
import { percent, sogni } from "./demo/format.js";
import { DemoStepError, readRecipients, runDemo, type DemoRun, type StepEvent } from "./demo/steps.js";

const HELP = `npm run demo [-- options]

Two seasons in series on a local chain, end to end: starts a Hardhat node,
deploys the contracts and a SogniRewards (timelock one day), simulates
season 6 (hundreds of artists, ambassadors, stakers and workers, with some
bad rows), indexes it with Ponder on PGlite, builds it from the indexer's
snapshot, publishes it, proposes the root, moves the chain's clock past the
timelock, accepts it and claims for a few recipients; then simulates season 7
on the same chain (vesting 25 % a week after its end, the rest in March),
builds it, publishes both seasons at its first tranche, proposes the new root
(and shows what the page says while it waits), accepts it, claims the
differences, runs \`season verify --rpc --rewards\` on the last publication,
and prints a summary.

Options
  --serve            keep the chain, the indexer and the page up (Ctrl-C stops them)
  --no-indexer       fallback without Ponder: build from the simulator's onchain.json,
                     read claims from the chain, serve the page on its own
  --accounts <n>     simulated accounts per season (default 300)
  --seed <n>         season 7's simulation seed (default 7; season 6's is one less)
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

const short = (hex: string): string => `${hex.slice(0, 10)}…${hex.slice(-4)}`;

function summary(demo: DemoRun, serve: boolean): string {
  const out: string[] = [];
  const [season6, season7] = demo.seasons.map((season) => ({ ...season, manifest: loadManifest(season.dir) }));
  const [publication1, publication2] = demo.publications;
  out.push(`Seasons ${season6!.season} and ${season7!.season} demo: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  out.push(
    formatTable(
      ["season", "window", "recipients", "total (SOGNI)", "vesting", "merkle root"],
      [season6!, season7!].map(({ season, manifest, vesting }) => [
        String(season),
        `${manifest.window.start.slice(0, 10)} .. ${manifest.window.end.slice(0, 10)}`,
        String(manifest.recipients),
        sogni(manifest.total),
        vesting === undefined ? "whole at its end" : vesting.map((tranche) => `${percent(tranche.share)} on ${tranche.at.slice(0, 10)}`).join(", "),
        manifest.merkleRoot,
      ]),
      new Set([2, 3]),
    ).trimEnd(),
  );
  out.push("");
  out.push(`Season ${season7!.season} pools`);
  out.push(
    formatTable(
      ["pool", "amount (SOGNI)", "cut", "recipients", "allocated (SOGNI)"],
      POOL_KEYS.map((pool) => {
        const p = season7!.manifest.pools[pool]!;
        return [pool, sogni(p.amount), p.top === null ? "none" : `top ${p.top}`, String(p.recipients), sogni(p.allocated)];
      }),
      new Set([1, 3, 4]),
    ).trimEnd(),
  );
  out.push(`Snapshot      ${season7!.manifest.snapshot.map((s) => `chain ${s.chainId} block ${s.block}`).join(", ")}`);
  out.push(`Rejected rows ${season7!.manifest.rejected ?? "?"} (see ${join(season7!.dir, "rejected.csv")})`);
  out.push("");
  out.push(`Publications, paid by SogniRewards ${demo.rewards} (chain ${demo.node.chainId}, timelock 1 day)`);
  out.push(
    formatTable(
      ["id", "at", "seasons (vested share)", "recipients", "total (SOGNI)", "proposed", "accepted", "merkle root"],
      demo.publications.map((publication) => [
        String(publication.id),
        isoSeconds(publication.at),
        publication.seasons.map((season) => `${season.season} (${percent(season.share)})`).join(", "),
        String(publication.recipients),
        sogni(publication.total),
        `block ${publication.proposed.block}`,
        `block ${publication.accepted.block}`,
        publication.merkleRoot,
      ]),
      new Set([3, 4]),
    ).trimEnd(),
  );
  out.push("");
  out.push(`While publication ${publication2!.id} waited for its timelock (until ${isoSeconds(demo.pending.validAt)}), the page showed ${demo.pending.account}:`);
  for (const line of demo.pending.lines) out.push(`  ${line}`);
  out.push("");
  out.push("Claims through `season rewards claim`");
  out.push(
    formatTable(
      ["publication", "account", "paid (SOGNI)", "cumulative (SOGNI)", "sent by"],
      demo.claims.map((claim) => [String(claim.publication), claim.account, sogni(claim.amount), sogni(claim.cumulative), claim.sender === claim.account ? "itself" : `${short(claim.sender)} (on behalf)`]),
      new Set([2, 3]),
    ).trimEnd(),
  );
  out.push("");
  out.push(`Verification (\`season verify ${publication2!.dir.slice(demo.workDir.length + 1)} --seasons … --previous … --rpc --rewards\`)`);
  out.push(demo.verify.stdout.trimEnd());
  out.push("");
  for (const pool of POOL_KEYS) {
    out.push(`Top 5 ${pool} of season ${season7!.season}`);
    out.push(demo.leaderboards[pool]);
    out.push("");
  }
  out.push(`Work directory ${demo.workDir} (seasons and publications in ${demo.outDir}; publication 1 is ${publication1!.dir})`);
  if (serve) {
    const claimed = new Set(demo.claims.map((claim) => claim.account));
    const tryMe = readRecipients(season7!.dir).find((recipient) => demo.keys.has(recipient.address) && !claimed.has(recipient.address));
    out.push("");
    out.push(`Page and API  ${demo.pageUrl}${demo.indexer ? `   (GraphQL ${demo.indexer.url}/graphql)` : "   (no indexer: claims read from the chain)"}`);
    out.push(`Chain         ${demo.node.rpcUrl} (chain id ${demo.node.chainId}): add it to your wallet as a custom network`);
    if (tryMe) {
      out.push(`Try a claim   import this LOCAL TEST key into your wallet (never use it on a live chain):`);
      out.push(`              ${demo.keys.get(tryMe.address)}  ->  ${tryMe.address}, ${sogni(publication2!.cumulative.get(tryMe.address) ?? 0n)} SOGNI to claim`);
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
