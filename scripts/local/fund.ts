/**
 * Funds an account on a local chain by minting the SogniToken stand-in (the
 * deployer owns it; contracts/SogniToken.sol). The one way to give a local
 * treasury the SOGNI a season needs before `sogni-season deploy`.
 *
 * @example
 * const minted = await fundAccount({ rpcUrl: "http://127.0.0.1:8545", token, to: "0xf39f…", amount: 10_000_000n * 10n ** 18n });
 */
import type { Account, Hex } from "viem";
import type { Address } from "../../season/address.js";
import { SogniTokenAbi } from "../../chain/abis/index.js";
import { connectChain, walletFor } from "../../chain/clients.js";
import { deployerAccount } from "./deploy.js";

export interface FundOptions {
  rpcUrl: string;
  /** The SogniToken stand-in on that chain. */
  token: Address;
  /** Who receives the SOGNI. */
  to: Address;
  /** Wei. */
  amount: bigint;
  /** The token's owner; default: DEPLOYER_PRIVATE_KEY, else Hardhat's account #0 on a Hardhat node. */
  account?: Account;
}

export interface Funding {
  chainId: number;
  token: Address;
  to: Address;
  amount: bigint;
  transactionHash: Hex;
  block: number;
  /** The receiver's balance after the mint, wei. */
  balance: bigint;
  decimals: number;
}

/** What stopped a funding; the message says what to do. */
export class FundError extends Error {
  override name = "FundError";
}

/**
 * Mints `amount` wei of the token to `to`, signed by the token's owner, and
 * returns the transaction and the receiver's new balance.
 */
export async function fundAccount(options: FundOptions): Promise<Funding> {
  const connection = await connectChain(options.rpcUrl);
  const { chainId, publicClient } = connection;
  const account = options.account ?? (await deployerAccount(connection));
  const token = { address: options.token, abi: SogniTokenAbi } as const;
  const code = await publicClient.getCode({ address: options.token });
  if (code === undefined || code === "0x") {
    throw new FundError(`no contract at ${options.token} on chain ${chainId}: deploy first (\`npm run chain -- deploy --rpc ${options.rpcUrl}\`) or check --deployments`);
  }
  let owner: string;
  try {
    owner = await publicClient.readContract({ ...token, functionName: "owner" });
  } catch {
    throw new FundError(`${options.token} on chain ${chainId} is not the local SogniToken stand-in (it has no owner()): only the stand-in can be minted`);
  }
  if (owner.toLowerCase() !== account.address.toLowerCase()) {
    throw new FundError(
      `the token's owner is ${owner.toLowerCase()}, but the signer is ${account.address.toLowerCase()}: only the owner can mint (set DEPLOYER_PRIVATE_KEY to the deployer's key)`,
    );
  }
  const hash = await walletFor(connection, account).writeContract({ ...token, functionName: "mint", args: [options.to, options.amount] });
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new FundError(`the mint transaction ${hash} reverted`);
  const [balance, decimals] = await Promise.all([
    publicClient.readContract({ ...token, functionName: "balanceOf", args: [options.to] }),
    publicClient.readContract({ ...token, functionName: "decimals" }),
  ]);
  return { chainId, token: options.token, to: options.to, amount: options.amount, transactionHash: hash, block: Number(receipt.blockNumber), balance, decimals };
}
