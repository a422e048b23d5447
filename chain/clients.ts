/**
 * viem clients for one RPC endpoint, tuned for a local node (fast polling),
 * and the accounts the local tooling signs with.
 *
 * @example
 * const { publicClient, chain } = await connectChain("http://127.0.0.1:8545");
 */
import { createPublicClient, createWalletClient, defineChain, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { mnemonicToAccount, privateKeyToAccount, type HDAccount, type PrivateKeyAccount } from "viem/accounts";

/** Hardhat's well-known development mnemonic: public keys for local chains only. */
export const HARDHAT_TEST_MNEMONIC = "test test test test test test test test test test test junk";

export interface ChainConnection {
  rpcUrl: string;
  chainId: number;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
}

/** A viem chain for an RPC URL whose id was read from the node. */
export function chainFor(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * Connects to `rpcUrl`, reads its chain id and returns a public client that
 * polls every 50 ms (viem's default of 4 s makes local runs crawl).
 */
export async function connectChain(rpcUrl: string): Promise<ChainConnection> {
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (error) {
    throw new Error(`no JSON-RPC node answers at ${rpcUrl} (${(error as Error).message.split("\n")[0]}): start one with \`npm run chain -- node\``);
  }
  const chain = chainFor(chainId, rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl, { batch: false }), pollingInterval: 50 });
  return { rpcUrl, chainId, chain, publicClient };
}

/** A wallet client for `account` on a connected chain. */
export function walletFor(connection: ChainConnection, account: Account): WalletClient<Transport, Chain, Account> {
  return createWalletClient({ account, chain: connection.chain, transport: http(connection.rpcUrl), pollingInterval: 50 });
}

/** Account `index` of Hardhat's development mnemonic (index 0 is the local deployer). */
export function hardhatAccount(index = 0): HDAccount {
  return mnemonicToAccount(HARDHAT_TEST_MNEMONIC, { addressIndex: index });
}

/**
 * The key a live deployment signs with: env DEPLOYER_PRIVATE_KEY, never an
 * argument (arguments end up in shell history and `ps`).
 */
export function deployerFromEnv(env: NodeJS.ProcessEnv = process.env): PrivateKeyAccount | undefined {
  const raw = env.DEPLOYER_PRIVATE_KEY?.trim();
  if (!raw) return undefined;
  const key = raw.startsWith("0x") ? raw : `0x${raw}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
    throw new Error("DEPLOYER_PRIVATE_KEY is not a 32-byte hex key (expected 0x and 64 hex digits)");
  }
  return privateKeyToAccount(key as `0x${string}`);
}
