// The claim panel view: connect a wallet, show the address's amount and breakdown, its balance, and send the claim.
// May import format.js, dom.js, pools.js, api.js and wallet.js.
import { fetchIndexerClaim, fetchRecipient } from "./api.js";
import { $, setText } from "./dom.js";
import { isoDate, shortAddress, sogni } from "./format.js";
import { POOLS } from "./pools.js";
import { balanceOf, hasWallet, isClaimedOnChain, onWalletChange, requestAccount, sendClaim, sleep, waitForReceipt } from "./wallet.js";

const state = {
  season: /** @type {any} */ (null),
  account: /** @type {string|null} */ (null),
  chainId: /** @type {number|null} */ (null),
  recipient: /** @type {any} */ (null),
  claimed: false,
  busy: false,
};

/** Wires the Connect and Claim buttons and follows the wallet's account and chain. */
export function startClaimPanel(season) {
  state.season = season;
  $("connect").addEventListener("click", connect);
  $("claim-button").addEventListener("click", claim);
  onWalletChange(
    (account) => {
      state.account = account;
      state.claimed = false;
      setClaimStatus("");
      refreshAccount();
    },
    (chainId) => {
      state.chainId = chainId;
      refreshAccount();
    },
  );
}

function setClaimStatus(text, kind = "") {
  const element = $("claim-status");
  element.textContent = text;
  element.className = `claim-status ${kind}`;
}

async function connect() {
  if (!hasWallet()) {
    setText("wallet-status", "No wallet found. Install a browser wallet (for example MetaMask) or open this page in a wallet's browser.");
    return;
  }
  try {
    const { account, chainId } = await requestAccount();
    state.account = account;
    state.chainId = chainId;
  } catch (error) {
    setText("wallet-status", `The wallet refused to connect: ${error?.message ?? error}`);
    return;
  }
  if (!state.account) {
    setText("wallet-status", "The wallet shared no account.");
    return;
  }
  $("connect").textContent = "Connected";
  /** @type {HTMLButtonElement} */ ($("connect")).disabled = true;
  await refreshAccount();
}

async function refreshAccount() {
  const season = state.season;
  const account = state.account;
  if (!account) return;
  $("claim-details").hidden = false;
  setText("claim-address", account);
  const { ok, status, body } = await fetchRecipient(account);
  state.recipient = ok ? body : null;
  const tbody = $("breakdown").querySelector("tbody");
  tbody.replaceChildren();
  if (!ok) {
    setText("claim-amount", "0");
    setText("wallet-status", status === 404 ? `${shortAddress(account)} has nothing in Season ${season.season}.` : body.error ?? "Could not load your amount.");
    updateClaimButton();
    await refreshBalance();
    return;
  }
  setText("claim-amount", sogni(body.amount, season.decimals));
  for (const pool of POOLS) {
    const wei = body.pools[pool.key];
    if (wei === "0") continue;
    const row = document.createElement("tr");
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = pool.title;
    const amount = document.createElement("td");
    amount.className = "num";
    amount.textContent = sogni(wei, season.decimals);
    row.append(name, amount);
    tbody.append(row);
  }
  setText("wallet-status", `Connected as ${shortAddress(account)}${state.chainId !== null ? ` on chain ${state.chainId}` : ""}.`);
  await refreshClaimed();
  await refreshBalance();
  updateClaimButton();
}

/** The indexer's Claimed events first; the chain itself when the indexer has no answer. */
async function claimStatus() {
  const season = state.season;
  const recipient = state.recipient;
  try {
    const answer = await fetchIndexerClaim(season.season, state.account);
    if (answer) return { claimed: answer.claimed, source: "indexer", body: answer.body };
  } catch {
    // fall through to the chain
  }
  if (!season.distributor || !hasWallet()) return { claimed: false, source: "none" };
  return { claimed: await isClaimedOnChain(season.distributor.address, recipient.index), source: "chain" };
}

async function refreshClaimed() {
  if (!state.recipient || !state.season.distributor) return;
  const { claimed } = await claimStatus();
  state.claimed = claimed;
  if (claimed) setClaimStatus(`Claimed: ${sogni(state.recipient.amount, state.season.decimals)} SOGNI went to ${shortAddress(state.account)}.`, "ok");
}

async function refreshBalance() {
  const season = state.season;
  if (!season.token || !hasWallet() || !state.account || (state.chainId !== null && season.chainId !== null && state.chainId !== season.chainId)) {
    setText("balance", "–");
    return undefined;
  }
  const balance = await balanceOf(season.token, state.account);
  setText("balance", sogni(balance, season.decimals));
  return balance;
}

function updateClaimButton() {
  const season = state.season;
  const button = /** @type {HTMLButtonElement} */ ($("claim-button"));
  const now = Math.floor(Date.now() / 1000);
  let reason = "";
  if (!state.recipient) reason = "Nothing to claim for this address.";
  else if (state.claimed) reason = "";
  else if (season.projected) reason = "Projected amount: claims open after the season ends and its distributor is deployed.";
  else if (!season.distributor || !season.distributor.funded) reason = "Claims open once the season's distributor is deployed and funded.";
  else if (season.claimDeadline && now > season.claimDeadline) reason = `The claim window closed on ${isoDate(season.claimDeadline)} UTC.`;
  else if (state.chainId !== season.distributor.chainId) reason = `Switch your wallet to chain ${season.distributor.chainId} to claim.`;
  button.disabled = state.busy || state.claimed || reason !== "";
  button.textContent = state.claimed ? "Claimed" : "Claim";
  if (reason && !state.claimed && !state.busy) setClaimStatus(reason);
}

async function claim() {
  const season = state.season;
  const recipient = state.recipient;
  if (!recipient || !season.distributor || state.busy) return;
  state.busy = true;
  updateClaimButton();
  const before = await refreshBalance();
  try {
    setClaimStatus("Confirm the claim in your wallet…");
    const hash = await sendClaim(state.account, season.distributor.address, recipient);
    setClaimStatus(`Transaction ${shortAddress(hash)} sent; waiting for it to be mined…`);
    const receipt = await waitForReceipt(hash);
    if (receipt.status !== "0x1") throw new Error(`the transaction ${hash} reverted`);
    setClaimStatus(`Mined in block ${BigInt(receipt.blockNumber)}; waiting for the indexer to see it…`);
    let status = await claimStatus();
    for (let attempt = 0; attempt < 60 && !(status.claimed && status.source === "indexer"); attempt++) {
      if (status.source !== "indexer") break; // no indexer answer: the chain's word is final
      await sleep(500);
      status = await claimStatus();
    }
    state.claimed = status.claimed;
    const after = await refreshBalance();
    const change = before !== undefined && after !== undefined ? ` Balance ${sogni(before, season.decimals)} → ${sogni(after, season.decimals)} SOGNI.` : "";
    const where = status.source === "indexer" ? "confirmed by the indexer" : "confirmed on-chain";
    setClaimStatus(`Claimed ${sogni(recipient.amount, season.decimals)} SOGNI, ${where} (transaction ${hash}).${change}`, "ok");
  } catch (error) {
    setClaimStatus(`The claim did not go through: ${error?.message ?? error}`, "error");
  } finally {
    state.busy = false;
    updateClaimButton();
  }
}
