// scripts/: command-line entry points and what only they use (cli/, commands/, local/, sim/, keys/, demo/).
// May import every folder; nothing imports scripts/. See docs/architecture.md.
/**
 * `season <command> …`: the command-line entry (bin/sogni-season.mjs loads it
 * through tsx). Each command lives in scripts/commands/<name>.ts and is
 * loaded only when it runs. To add a command, add one line to COMMANDS.
 *
 * @example node bin/sogni-season.mjs build --config season.json --data exports --onchain onchain.json --out out
 */
import { interruptOutputs } from "../season-io/output.js";
import { EXIT, runInterruptHooks } from "./cli/cli.js";

type Run = (argv: string[]) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Promise<Run>;
}

/** name -> one-line summary and a lazy loader of the command's run function. */
const COMMANDS: Record<string, CommandEntry> = {
  build: { summary: "compute a season and write <out>/season-<n>/ (leaderboards, allocations, Merkle root, proofs)", load: async () => (await import("./commands/build.js")).buildCommand },
  verify: { summary: "re-derive a season directory from its inputs (and the chain) and compare byte for byte", load: async () => (await import("./commands/verify.js")).verifyCommand },
  proof: { summary: "show an address's amount, per-pool breakdown and Merkle proof", load: async () => (await import("./commands/proof.js")).proofCommand },
  leaderboard: { summary: "print a pool's leaderboard as a table (or JSON)", load: async () => (await import("./commands/leaderboard.js")).leaderboardCommand },
  publish: { summary: "vest seasons at a time and write <out>/publication-<id>/ (cumulative root, balances, proofs)", load: async () => (await import("./commands/publish.js")).publishCommand },
  rewards: { summary: "SogniRewards: deploy | propose | accept | revoke | fund | claim | status", load: async () => (await import("./commands/rewards/index.js")).rewardsCommand },
  deploy: { summary: "deploy and fund the season's SeasonDistributor", load: async () => (await import("./commands/deploy.js")).deployCommand },
  claim: { summary: "claim a recipient's tokens from the season's distributor (own address or --account)", load: async () => (await import("./commands/claim.js")).claimCommand },
  serve: { summary: "serve the claim page and its JSON API from season and publication directories (no indexer)", load: async () => (await import("./commands/serve.js")).serveCommand },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return `sogni-season <command> [options]

Sogni season rewards: from Spark exports and on-chain facts to leaderboards,
exact allocations, a Merkle root and claim proofs.

Commands
${lines.join("\n")}

Run \`sogni-season <command> --help\` for a command's options.

Exit codes
  0  ok (verify: every check passed)
  1  failure: bad input, a verification mismatch, an address not in the season
  2  bad usage (unknown command or option, missing argument)
  130, 143  interrupted (SIGINT, SIGTERM): nothing published
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    process.stderr.write(`sogni-season: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  const run = await entry.load();
  return run(rest);
}

// An interrupted command publishes nothing: a season directory being written stops at its next step
// (its temporary directory removed, nothing renamed into place), then exit 130 (SIGINT) or 143 (SIGTERM);
// a server (`serve`) closes its port first and exits 0 (its onInterrupt hook, scripts/cli/cli.ts).
// A repeated signal while that cleanup runs is ignored; once the command has finished, a season it
// renamed into place is published, and it exits as it was going to.
let finished = false;
let stopping = false;
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => {
    if (finished || stopping) return;
    stopping = true;
    void Promise.all([interruptOutputs(signal), runInterruptHooks(signal)]).then(([stopped, hooks]) => {
      if (stopped === 0 && hooks.ran === 0) process.stderr.write(`interrupted by ${signal}\n`);
      // After the command has reported the interrupted write (its error, printed in the microtasks before this).
      setImmediate(() => process.exit(hooks.exitCode ?? code));
    });
  });
}

process.exitCode = await main(process.argv.slice(2));
finished = true;
