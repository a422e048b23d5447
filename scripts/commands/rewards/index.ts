/**
 * `season rewards <subcommand>`: the life of SogniRewards' roots (SPEC 8.3)
 * from the command line. One file per subcommand, loaded when it runs.
 *
 * @example
 * SEASON_PRIVATE_KEY=0x… sogni-season rewards propose out/publication-1 --rpc http://127.0.0.1:8545 --rewards 0x…
 */
import { EXIT } from "../../cli/cli.js";

type Run = (argv: string[]) => Promise<number>;

const SUBCOMMANDS: Record<string, { summary: string; load: () => Promise<Run> }> = {
  deploy: { summary: "deploy SogniRewards for a token with a timelock (the signer owns it)", load: async () => (await import("./deploy.js")).rewardsDeploy },
  propose: { summary: "propose a publication's root (its previous must be the live root); prints when it goes live", load: async () => (await import("./propose.js")).rewardsPropose },
  accept: { summary: "make the pending root live once its timelock is over and it is funded", load: async () => (await import("./accept.js")).rewardsAccept },
  revoke: { summary: "drop the pending root (owner or guardian)", load: async () => (await import("./revoke.js")).rewardsRevoke },
  fund: { summary: "send what the contract lacks to pay a publication in full", load: async () => (await import("./fund.js")).rewardsFund },
  claim: { summary: "claim an account's cumulative amount minus what it claimed (own address or --account)", load: async () => (await import("./claim.js")).rewardsClaim },
  status: { summary: "live and pending roots, their publications, funding, time left on the timelock", load: async () => (await import("./status.js")).rewardsStatus },
};

export function rewardsHelp(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  return `sogni-season rewards <subcommand> [options]

SogniRewards (SPEC 8.3): one contract per chain and token pays every season
against one root of cumulative amounts (a publication: \`season publish\`). A
root is proposed, waits out the timelock in public, and goes live on accept,
only if the contract can pay it in full.

Subcommands
${Object.entries(SUBCOMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
  .join("\n")}

Run \`sogni-season rewards <subcommand> --help\` for its options.

A root's life: publish -> rewards propose -> rewards fund -> (timelock; anyone
checks it with \`season verify <publication dir> --seasons …\`) -> rewards accept
-> rewards claim. Before accept, the owner or guardian may rewards revoke.
`;
}

/** Runs `season rewards …`; resolves to the exit code. */
export async function rewardsCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(rewardsHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (entry === undefined) {
    process.stderr.write(`sogni-season rewards: unknown subcommand "${name}"\n\n${rewardsHelp()}`);
    return EXIT.usage;
  }
  return (await entry.load())(rest);
}
