// scripts/: command-line entry points and what only they use (cli/, commands/, local/, sim/, keys/, demo/).
// May import every folder; nothing imports scripts/. See docs/architecture.md.
/**
 * `season <command> …`: the command-line entry (bin/season.mjs loads it
 * through tsx). Each command lives in scripts/commands/<name>.ts and is
 * loaded only when it runs. To add a command, add one line to COMMANDS.
 *
 * @example node bin/season.mjs build --config season.json --data exports --onchain onchain.json --out out
 */
import { removePartialOutputs } from "../season-io/output.js";
import { EXIT } from "./cli/cli.js";

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
  deploy: { summary: "deploy and fund the season's SeasonDistributor", load: async () => (await import("./commands/deploy.js")).deployCommand },
  claim: { summary: "claim a recipient's tokens from the season's distributor (own address or --account)", load: async () => (await import("./commands/claim.js")).claimCommand },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return `season <command> [options]

Sogni season rewards: from Spark exports and on-chain facts to leaderboards,
exact allocations, a Merkle root and claim proofs.

Commands
${lines.join("\n")}

Run \`season <command> --help\` for a command's options.

Exit codes
  0  ok (verify: every check passed)
  1  failure: bad input, a verification mismatch, an address not in the season
  2  bad usage (unknown command or option, missing argument)
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
    process.stderr.write(`season: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  const run = await entry.load();
  return run(rest);
}

// An interrupted command publishes nothing: half-written output directories go, then the usual exit codes.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.once(signal, () => {
    removePartialOutputs();
    process.exit(code);
  });
}

process.exitCode = await main(process.argv.slice(2));
