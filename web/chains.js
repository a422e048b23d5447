// The chains the page names and can add to a wallet: names from season/chains.ts (the one table), and for
// wallet_addEthereumChain the currency, RPC and explorer URLs from viem's own chain definitions. Plain data.
import { base, baseSepolia, etherlink, etherlinkTestnet, hardhat, mainnet } from "viem/chains";
import { chainName } from "../season/chains.ts";

export { chainName };

/** viem's definitions of the chains a season may be claimed on (season/chains.ts lists them), by id. */
const DEFINITIONS = new Map([base, baseSepolia, etherlink, etherlinkTestnet, mainnet, hardhat].map((chain) => [chain.id, chain]));

/**
 * The viem chain for an id, named as season/chains.ts names it, with what
 * wallet_addEthereumChain needs (currency, RPC and explorer URLs); undefined
 * for a chain the page cannot describe to a wallet.
 */
export function chainDefinition(chainId) {
  const chain = DEFINITIONS.get(chainId);
  return chain === undefined ? undefined : { ...chain, name: chainName(chainId) };
}

/** The public RPC URL of a known chain (the verify command shows it), else a placeholder. */
export const publicRpcUrl = (chainId) => DEFINITIONS.get(chainId)?.rpcUrls.default.http[0] ?? "<rpc url>";
