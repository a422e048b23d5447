// season/: the pure core, SPEC's rules and formats as functions (no file, network, clock or signal access).
// Imports nothing of ours. See docs/architecture.md.
/**
 * The chains a season may be claimed on, by chain id, named as people know
 * them: the one table the page's server, the page itself and the CLI read.
 * Pure data; a chain not listed is shown as "Chain <id>".
 *
 * @example
 * chainName(8453) === "Base";
 * chainName(31337) === "Hardhat (local)";
 * chainName(999) === "Chain 999";
 */

/** chain id -> the name shown to people. */
export const CHAIN_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: "Ethereum",
  8453: "Base",
  84532: "Base Sepolia",
  42793: "Etherlink",
  128123: "Etherlink Testnet",
  31337: "Hardhat (local)",
  31338: "Hardhat (local)",
});

/** The chain's name, or "Chain <id>" for one the table does not list. */
export function chainName(chainId: number): string {
  return Object.hasOwn(CHAIN_NAMES, chainId) ? CHAIN_NAMES[chainId]! : `Chain ${chainId}`;
}
