// Wallets and contract calls: EIP-6963 discovery (mipd, else window.ethereum), viem over the wallet's provider, claims
// encoded from the generated ABIs, reads, receipts, chain switching. Imports viem, mipd, chains.js and chain/abis.
import { createStore } from "mipd";
import { createWalletClient, custom, defineChain, encodeFunctionData, erc20Abi, zeroHash } from "viem";
import { readContract, waitForTransactionReceipt } from "viem/actions";
import { SeasonDistributorAbi, SogniRewardsAbi } from "../chain/abis/index.ts";
import { chainDefinition, chainName } from "./chains.js";

/** EIP-1193's "unrecognized chain" error: the wallet must be asked to add the chain first. */
const UNKNOWN_CHAIN = 4902;

// ---- discovery ------------------------------------------------------------------

/** What the page shows of a wallet it did not learn through EIP-6963 (only window.ethereum). */
const INJECTED_INFO = { uuid: "window.ethereum", name: "Browser wallet", icon: "", rdns: "" };

/**
 * Calls `onChange(wallets)` now and whenever a wallet announces itself
 * (EIP-6963), each wallet `{ info: { uuid, name, icon, rdns }, provider }`.
 * With no announcement, window.ethereum (if any) is the one wallet.
 * Resolves nothing; returns a function that stops listening.
 */
export function watchWallets(onChange) {
  const store = createStore();
  const wallets = () => {
    const announced = store.getProviders();
    if (announced.length > 0) return announced;
    const injected = /** @type {any} */ (window).ethereum;
    return injected ? [{ info: INJECTED_INFO, provider: injected }] : [];
  };
  return store.subscribe(() => onChange(wallets()), { emitImmediately: true });
}

// ---- a connected wallet -----------------------------------------------------------

/** A viem chain for an id: the known definition, else a bare one (viem only needs its id to check the wallet's chain). */
export function viemChain(chainId) {
  return (
    chainDefinition(chainId) ??
    defineChain({ id: chainId, name: chainName(chainId), nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [] } } })
  );
}

/**
 * Asks the wallet for an account: { wallet, client, account, chainId }.
 * `client` is a viem wallet client over the wallet's own provider (no RPC URL
 * of ours: reads and receipts go through the wallet's node). Throws when the
 * user refuses or the wallet shares no account.
 */
export async function connectWallet(wallet) {
  // No retries: a refused request must not be asked again behind the user's back.
  const client = createWalletClient({ transport: custom(wallet.provider, { retryCount: 0 }), pollingInterval: 500 });
  const [account] = await client.requestAddresses();
  if (!account) throw new Error("the wallet shared no account");
  return { wallet, client, account: account.toLowerCase(), chainId: await client.getChainId() };
}

/**
 * Calls `onAccount(account | null)` and `onChain(chainId)` when the user
 * switches account or chain in the wallet; returns a function that stops listening.
 */
export function followWallet(session, onAccount, onChain) {
  const provider = session.wallet.provider;
  if (typeof provider?.on !== "function") return () => {};
  const accounts = (list) => onAccount(list?.[0]?.toLowerCase() ?? null);
  const chain = (id) => onChain(Number(BigInt(id)));
  provider.on("accountsChanged", accounts);
  provider.on("chainChanged", chain);
  return () => {
    provider.removeListener?.("accountsChanged", accounts);
    provider.removeListener?.("chainChanged", chain);
  };
}

/** Whether an error (or one it wraps) carries EIP-1193 code `code` (MetaMask mobile nests it in data.originalError). */
function hasCode(error, code) {
  for (let cause = error; cause; cause = cause.cause) {
    if (cause.code === code || cause.data?.originalError?.code === code) return true;
  }
  return false;
}

/**
 * Switches the wallet to `chainId` (wallet_switchEthereumChain); a wallet
 * that does not know the chain (4902) is asked to add it
 * (wallet_addEthereumChain with the chain's name, currency, RPC and explorer)
 * and then to switch. Resolves to the wallet's chain id afterwards.
 */
export async function switchWalletChain(session, chainId) {
  try {
    await session.client.switchChain({ id: chainId });
  } catch (error) {
    const chain = chainDefinition(chainId);
    if (!hasCode(error, UNKNOWN_CHAIN) || chain === undefined) throw error;
    await session.client.addChain({ chain });
    await session.client.switchChain({ id: chainId });
  }
  return session.client.getChainId();
}

// ---- the calls, encoded from the generated ABIs -------------------------------------

/** SogniRewards.claim(account, cumulative, proof): the transaction `{ to, data }` (SPEC 8.3). */
export function rewardsClaimCall(contract, account, cumulative, proof) {
  return { to: contract, data: encodeFunctionData({ abi: SogniRewardsAbi, functionName: "claim", args: [account, BigInt(cumulative), proof] }) };
}

/** SeasonDistributor.claim(index, account, amount, proof): the transaction `{ to, data }` (SPEC 7). */
export function distributorClaimCall(distributor, index, account, amount, proof) {
  return {
    to: distributor,
    data: encodeFunctionData({ abi: SeasonDistributorAbi, functionName: "claim", args: [BigInt(index), account, BigInt(amount), proof] }),
  };
}

/**
 * Sends `call` from the connected account on `chainId`; viem first checks
 * the wallet is on that chain. Resolves to the hash once the user signs.
 */
export async function sendCall(session, chainId, call) {
  return session.client.sendTransaction({ account: session.account, chain: viemChain(chainId), to: call.to, data: call.data });
}

/** Waits (polling the wallet's node every half second, up to 5 minutes) for the receipt; throws if it reverted. */
export async function waitForSuccess(session, hash) {
  const receipt = await waitForTransactionReceipt(session.client, { hash, pollingInterval: 500, timeout: 300_000 });
  if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted`);
  return receipt;
}

// ---- reads through the wallet's node ------------------------------------------------

/**
 * SogniRewards' state for an account: the live root, the pending root (null
 * when none) and what the account has claimed, all bigint or hex.
 */
export async function readRewards(session, contract, account) {
  const read = (functionName, args) => readContract(session.client, { address: contract, abi: SogniRewardsAbi, functionName, args });
  const [root, [pendingRoot, pendingDataHash, pendingTotal, validAt], claimed] = await Promise.all([read("root"), read("pending"), read("claimed", [account])]);
  const pending = pendingRoot === zeroHash ? null : { root: pendingRoot, dataHash: pendingDataHash, total: pendingTotal, validAt: Number(validAt) };
  return { root, pending, claimed };
}

/** The distributor's isClaimed(index). */
export async function isClaimedOnChain(session, distributor, index) {
  return readContract(session.client, { address: distributor, abi: SeasonDistributorAbi, functionName: "isClaimed", args: [BigInt(index)] });
}

/** The token's balanceOf(account) in wei. */
export async function tokenBalance(session, token, account) {
  return readContract(session.client, { address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
}
