// Wallet and contract calls: the EIP-1193 provider (window.ethereum), the hand-encoded claim call, reads, chain ids.
// Imports nothing: the few calls are encoded here by hand, so the page needs no ABI library.

/** Selectors of the calls the page makes (checked against viem in test/web/claim-page.test.ts). */
export const SELECTORS = {
  claim: "0x2e7ba6ef", // claim(uint256,address,uint256,bytes32[])
  isClaimed: "0x9e34070f", // isClaimed(uint256)
  balanceOf: "0x70a08231", // balanceOf(address)
};

// ---- ABI encoding (the few calls we make) -----------------------------------

const word = (hexBody) => hexBody.padStart(64, "0");
const uint = (value) => word(BigInt(value).toString(16));
const address = (account) => word(account.toLowerCase().replace(/^0x/, ""));

/** claim(uint256 index, address account, uint256 amount, bytes32[] proof) calldata. */
export function encodeClaim(index, account, amount, proof) {
  const head = uint(index) + address(account) + uint(amount) + uint(4 * 32); // the array starts after the 4 head words
  const tail = uint(proof.length) + proof.map((node) => word(node.replace(/^0x/, "").toLowerCase())).join("");
  return `${SELECTORS.claim}${head}${tail}`;
}

// ---- the provider -------------------------------------------------------------

function wallet() {
  return /** @type {any} */ (window).ethereum;
}

/** Whether the browser injected a wallet at all. */
export const hasWallet = () => Boolean(wallet());

/** A chain id as the provider sends it ("0x7a69") to a number. */
export const chainIdOf = (hex) => Number(BigInt(hex));

/** The first account the provider shares, lower-cased, or null. */
export const firstAccount = (accounts) => accounts[0]?.toLowerCase() ?? null;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the wallet to connect: { account, chainId }; throws when the user refuses. */
export async function requestAccount() {
  const provider = wallet();
  const accounts = await provider.request({ method: "eth_requestAccounts" });
  const chainId = await provider.request({ method: "eth_chainId" });
  return { account: firstAccount(accounts), chainId: chainIdOf(chainId) };
}

/** Calls `onAccounts(account)` and `onChain(chainId)` when the user switches account or chain in the wallet. */
export function onWalletChange(onAccounts, onChain) {
  const provider = wallet();
  if (!provider?.on) return;
  provider.on("accountsChanged", (accounts) => onAccounts(firstAccount(accounts)));
  provider.on("chainChanged", (chainId) => onChain(chainIdOf(chainId)));
}

async function ethCall(to, data) {
  return wallet().request({ method: "eth_call", params: [{ to, data }, "latest"] });
}

/** The distributor's isClaimed(index), read through the wallet's node. */
export async function isClaimedOnChain(distributor, index) {
  const result = await ethCall(distributor, `${SELECTORS.isClaimed}${uint(index)}`);
  return BigInt(result) === 1n;
}

/** The token's balanceOf(account) in wei. */
export async function balanceOf(token, account) {
  return BigInt(await ethCall(token, `${SELECTORS.balanceOf}${address(account)}`));
}

/** Sends claim(index, account, amount, proof) from `from`; resolves to the transaction hash once the user signs. */
export async function sendClaim(from, distributor, recipient) {
  return wallet().request({
    method: "eth_sendTransaction",
    params: [{ from, to: distributor, data: encodeClaim(recipient.index, recipient.address, recipient.amount, recipient.proof) }],
  });
}

/** Polls for the receipt every half second, for up to 5 minutes. */
export async function waitForReceipt(hash) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const receipt = await wallet().request({ method: "eth_getTransactionReceipt", params: [hash] });
    if (receipt) return receipt;
    await sleep(500);
  }
  throw new Error(`no receipt for ${hash} after 5 minutes`);
}
