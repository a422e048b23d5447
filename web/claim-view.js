// The claim panel view: choose a wallet, switch its chain, claim from SogniRewards (per season earned, vested, next tranche;
// claimed, claimable, a pending root) or a season's SeasonDistributor. May import every web/*.js module but the other views.
import { fetchIndexerClaim, fetchRecipient, fetchRewards } from "./api.js";
import { chainName, publicRpcUrl } from "./chains.js";
import { everySecond } from "./clock.js";
import { $, element, setText } from "./dom.js";
import { countdownParts, durationText, isoDate, sharePercent, shortAddress, sogni, toWei, visibleText } from "./format.js";
import { POOLS } from "./pools.js";
import { claimableNow, vestedNow } from "./rewards.js";
import {
  connectWallet,
  distributorClaimCall,
  followWallet,
  isClaimedOnChain,
  readRewards,
  rewardsClaimCall,
  sendCall,
  switchWalletChain,
  tokenBalance,
  waitForSuccess,
  watchWallets,
} from "./wallet.js";

const ZERO_ROOT = `0x${"0".repeat(64)}`;

const state = {
  season: /** @type {any} */ (null),
  catalog: /** @type {any} */ (null),
  now: () => Math.floor(Date.now() / 1000),
  /** "rewards": the season's chain has a SogniRewards contract; "season": the season's own distributor (or none yet). */
  mode: /** @type {"rewards"|"season"} */ ("season"),
  claimChainId: /** @type {number|null} */ (null),
  wallets: /** @type {any[]} */ ([]),
  session: /** @type {any} */ (null),
  stopFollowing: () => {},
  stopPendingClock: () => {},
  /** Bumped by every refresh: an older refresh that finishes late draws nothing. */
  generation: 0,
  busy: false,
  /** The outcome of the last claim, kept on screen until the account or chain changes. */
  outcome: /** @type {{text: string, kind: string}|null} */ (null),
  // rewards mode
  rewards: /** @type {any} */ (null),
  chain: /** @type {{root: string, pending: any, claimed: bigint, source: string}|null} */ (null),
  live: /** @type {any} */ (null),
  // season mode
  recipient: /** @type {any} */ (null),
  /** Why the account has nothing to show ("… has nothing in Season 7.", a server error), shown instead of a Claim. */
  noRecipient: "",
  claimed: false,
};

const claimChainName = () => state.season.chainName ?? chainName(state.claimChainId);
const onClaimChain = () => state.session !== null && state.claimChainId !== null && state.session.chainId === state.claimChainId;
const sameHex = (a, b) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/** Wires the panel's buttons and starts listening for wallets (EIP-6963 announcements, else window.ethereum). */
export function startClaimPanel(season, catalog, now) {
  state.season = season;
  state.catalog = catalog;
  state.now = now;
  state.mode = season.rewards ? "rewards" : "season";
  state.claimChainId = season.rewards?.chainId ?? season.distributor?.chainId ?? season.chainId ?? null;
  watchWallets((wallets) => {
    state.wallets = wallets;
    if (!$("wallet-chooser").hidden) renderChooser();
  });
  $("connect").addEventListener("click", chooseWallet);
  $("switch-chain").addEventListener("click", switchChain);
  $("claim-button").addEventListener("click", () => (state.mode === "rewards" ? claimRewards() : claimSeason()));
}

function setStatus(text) {
  setText("wallet-status", text);
}

function setClaimStatus(text, kind = "") {
  const status = $("claim-status");
  status.textContent = text;
  status.className = `claim-status ${kind}`;
}

// ---- wallets ------------------------------------------------------------------------

function chooseWallet() {
  if (state.wallets.length === 0) {
    setStatus("No wallet found. Install a browser wallet (for example MetaMask) or open this page in a wallet's browser.");
    return;
  }
  if (state.wallets.length === 1) {
    connect(state.wallets[0]);
    return;
  }
  renderChooser();
  $("wallet-chooser").hidden = false;
  $("wallet-list").querySelector("button")?.focus();
}

/** One button per announced wallet: its icon (a data: image, as EIP-6963 requires) and its name. */
function renderChooser() {
  $("wallet-list").replaceChildren(
    ...state.wallets.map((wallet) => {
      const icon = typeof wallet.info.icon === "string" && wallet.info.icon.startsWith("data:image/") ? element("img", { src: wallet.info.icon, alt: "", width: 24, height: 24 }) : null;
      const button = element("button", { type: "button", className: "button wallet-choice" }, icon, visibleText(wallet.info.name || "Unnamed wallet"));
      button.addEventListener("click", () => connect(wallet));
      return element("li", {}, button);
    }),
  );
}

async function connect(wallet) {
  $("wallet-chooser").hidden = true;
  let session;
  try {
    session = await connectWallet(wallet);
  } catch (error) {
    setStatus(`${visibleText(wallet.info.name)} did not connect: ${shortMessage(error)}`);
    return;
  }
  state.stopFollowing();
  state.session = session;
  state.outcome = null;
  state.stopFollowing = followWallet(
    session,
    (account) => {
      session.account = account;
      state.outcome = null;
      refresh();
    },
    (chainId) => {
      session.chainId = chainId;
      state.outcome = null;
      refresh();
    },
  );
  const connectButton = /** @type {HTMLButtonElement} */ ($("connect"));
  connectButton.textContent = state.wallets.length > 1 ? "Change wallet" : "Connected";
  connectButton.disabled = state.wallets.length <= 1;
  await refresh();
}

async function switchChain() {
  const session = state.session;
  if (!session || state.claimChainId === null) return;
  try {
    session.chainId = await switchWalletChain(session, state.claimChainId);
  } catch (error) {
    setStatus(`The wallet did not switch to ${claimChainName()}: ${shortMessage(error)}`);
    return;
  }
  state.outcome = null;
  await refresh();
}

/** A wallet's or viem's error in one line (viem's shortMessage when it has one), its text made visible: a wallet is untrusted too. */
function shortMessage(error) {
  return visibleText(String(error?.shortMessage ?? error?.message ?? error).split("\n")[0]);
}

// ---- what the connected account has ----------------------------------------------------

async function refresh() {
  const session = state.session;
  if (!session) return;
  const generation = ++state.generation;
  if (!session.account) {
    setStatus(`${visibleText(session.wallet.info.name)} shares no account: unlock it or pick an account.`);
    $("claim-details").hidden = true;
    return;
  }
  setStatus(`Connected to ${visibleText(session.wallet.info.name)} as ${shortAddress(session.account)} on ${chainName(session.chainId)}.`);
  const switchButton = $("switch-chain");
  switchButton.hidden = state.claimChainId === null || session.chainId === state.claimChainId;
  switchButton.textContent = `Switch to ${claimChainName()}`;
  $("claim-details").hidden = false;
  setText("claim-address", session.account);
  try {
    if (state.mode === "rewards") await refreshRewards(generation);
    else await refreshSeason(generation);
  } catch (error) {
    if (generation === state.generation) setClaimStatus(`Could not read your rewards: ${shortMessage(error)}`, "error");
  }
  if (generation !== state.generation) return;
  await refreshBalance();
  updateClaimButton();
}

/** The SogniRewards panel: the files' per-season amounts, then the chain's root, pending root and claimed amount. */
async function refreshRewards(generation) {
  const account = state.session.account;
  const { ok, body } = await fetchRewards(account);
  if (generation !== state.generation) return;
  state.rewards = ok ? body : null;
  state.noRecipient = ok ? "" : (body.error ?? "Could not load your rewards.");
  $("fact-claimed").hidden = false;
  setText("amount-label", "Claimable now");
  if (!ok) {
    renderSeasonRewards([]);
    setText("claim-amount", "–");
    setText("claimed-so-far", "–");
    return;
  }
  renderSeasonRewards(body.seasons);
  state.chain = await readChainState(body, account);
  if (generation !== state.generation) return;
  state.live = state.chain ? (body.publications.find((publication) => sameHex(publication.merkleRoot, state.chain.root)) ?? null) : null;
  setText("claimed-so-far", state.chain ? sogni(state.chain.claimed, state.season.decimals) : "–");
  setText("claim-amount", state.chain ? sogni(claimable(), state.season.decimals) : "–");
  renderPending(state.chain?.pending ?? null);
}

/** From the server when it knows the chain (the indexer, or `serve --rpc`), else through the wallet when it is on the claim chain. */
async function readChainState(body, account) {
  if (body.chain) {
    const pending = body.chain.pending ? { ...body.chain.pending, validAt: Number(body.chain.pending.validAt) } : null;
    return { root: body.chain.root, pending, claimed: toWei(body.chain.claimed), source: "server" };
  }
  if (!onClaimChain() || !state.season.rewards) return null;
  const read = await readRewards(state.session, state.season.rewards.address, account);
  return { ...read, source: "wallet" };
}

/** What a claim pays now: the live publication's cumulative amount minus what was claimed. */
function claimable() {
  if (!state.chain || !state.live) return 0n;
  return claimableNow(state.live.cumulative, state.chain.claimed);
}

/**
 * Season | Earned | Vested (share) | Next tranche, for every season the
 * account earned in. "Vested" is by the season's schedule at the page's
 * clock (a publication makes it claimable, maybe later).
 */
function renderSeasonRewards(seasons) {
  const decimals = state.season.decimals;
  const rows = seasonRewards(seasons);
  $("season-rewards-wrap").hidden = false;
  $("season-rewards").querySelector("tbody").replaceChildren(
    ...(rows.length === 0
      ? [element("tr", {}, element("td", { colSpan: 4 }, `${shortAddress(state.session.account)} has nothing in any season served here.`))]
      : rows.map(({ entry, vested }) => {
          const next = entry.nextTranche ? `${isoDate(entry.nextTranche.at)} UTC: ${percent(entry.nextTranche.share)} vested` : vested.share === "1" ? "fully vested" : "—";
          return element(
            "tr",
            entry.season === state.season.season ? { className: "current", "aria-current": "true" } : {},
            element("th", { scope: "row" }, `Season ${entry.season}`),
            element("td", { className: "num" }, sogni(entry.earned, decimals)),
            element("td", { className: "num" }, vested ? `${sogni(vested.amount, decimals)} (${percent(vested.share)})` : "–"),
            element("td", {}, next),
          );
        })),
  );
}

/** The seasons the account earned in, each with what has vested now by its schedule (null when the catalog lacks its window). */
function seasonRewards(seasons) {
  const windows = new Map((state.catalog?.seasons ?? []).map((entry) => [entry.season, entry.window]));
  return seasons
    .filter((entry) => toWei(entry.earned) > 0n)
    .map((entry) => {
      const window = windows.get(entry.season);
      return { entry, vested: window ? vestedNow(entry.earned, entry.vesting, window.end, state.now()) : null };
    });
}

const percent = (share) => {
  try {
    return sharePercent(share);
  } catch {
    return String(share);
  }
};

/** The pending root: which publication, when it can go live (a ticking countdown), and the command that checks it first. */
function renderPending(pending) {
  state.stopPendingClock();
  const section = $("pending-root");
  section.hidden = pending === null;
  if (pending === null) return;
  const contract = state.season.rewards.address;
  const publication = state.rewards.publications.find((entry) => sameHex(entry.merkleRoot, pending.root));
  const listed = publication ? state.catalog?.publications?.find((entry) => entry.id === publication.id) : undefined;
  const seasons = listed ? listed.seasons.map((entry) => `out/season-${entry.season}`).join(" ") : "out/season-<n>…";
  setText(
    "verify-command",
    `npx sogni-season verify out/publication-${publication ? publication.id : "<id>"} --seasons ${seasons} --rpc ${publicRpcUrl(state.claimChainId)} --rewards ${contract}`,
  );
  const decimals = state.season.decimals;
  const yours = publication && toWei(publication.cumulative) > 0n ? ` Your cumulative amount in it: ${sogni(publication.cumulative, decimals)} SOGNI.` : "";
  state.stopPendingClock = everySecond(() => {
    const left = pending.validAt - state.now();
    const parts = countdownParts(left);
    setText("pending-days", parts.days);
    setText("pending-hours", parts.hours);
    setText("pending-minutes", parts.minutes);
    setText("pending-seconds", parts.seconds);
    const when = left > 0 ? `can go live at ${isoDate(pending.validAt)} UTC, in ${durationText(left)}` : `could go live from ${isoDate(pending.validAt)} UTC: anyone may accept it now`;
    setText(
      "pending-text",
      publication
        ? `Publication ${publication.id} (root ${shortAddress(pending.root)}) is proposed to SogniRewards and ${when}.${yours}`
        : `Root ${pending.root} is proposed to SogniRewards and ${when}, but it is none of the publications this page serves: do not count on it until it is verified.`,
    );
  });
}

/** The season's own distributor: this season's amount, its breakdown by pool, claimed or not. */
async function refreshSeason(generation) {
  const season = state.season;
  const account = state.session.account;
  const { ok, status, body } = await fetchRecipient(account, season.season);
  if (generation !== state.generation) return;
  state.recipient = ok ? body : null;
  state.claimed = false;
  const breakdown = $("breakdown");
  breakdown.hidden = !ok;
  state.noRecipient = ok ? "" : status === 404 ? `${shortAddress(account)} has nothing in Season ${season.season}.` : (body.error ?? "Could not load your amount.");
  if (!ok) {
    setText("claim-amount", "0");
    return;
  }
  setText("claim-amount", sogni(body.amount, season.decimals));
  breakdown.querySelector("tbody").replaceChildren(
    ...POOLS.filter((pool) => body.pools[pool.key] !== "0").map((pool) =>
      element("tr", {}, element("th", { scope: "row" }, pool.title), element("td", { className: "num" }, sogni(body.pools[pool.key], season.decimals))),
    ),
  );
  if (!season.distributor) return;
  const { claimed } = await claimStatus();
  if (generation !== state.generation) return;
  state.claimed = claimed;
  if (claimed && !state.outcome) state.outcome = { text: `Claimed: ${sogni(body.amount, season.decimals)} SOGNI went to ${shortAddress(account)}.`, kind: "ok" };
}

/** The indexer's Claimed events first; the chain itself (through the wallet) when the indexer has no answer. */
async function claimStatus() {
  const season = state.season;
  try {
    const answer = await fetchIndexerClaim(season.season, state.session.account);
    if (answer) return { claimed: answer.claimed, source: "indexer" };
  } catch {
    // no indexer: ask the chain
  }
  if (!season.distributor || !onClaimChain()) return { claimed: false, source: "none" };
  return { claimed: await isClaimedOnChain(state.session, season.distributor.address, state.recipient.index), source: "chain" };
}

async function refreshBalance() {
  const season = state.season;
  if (!season.token || !onClaimChain()) {
    setText("balance", "–");
    return undefined;
  }
  const balance = await tokenBalance(state.session, season.token, state.session.account);
  setText("balance", sogni(balance, season.decimals));
  return balance;
}

// ---- the Claim button ---------------------------------------------------------------------

/** Why Claim is disabled now, or "" when it can be pressed. */
function blockedReason() {
  const season = state.season;
  const name = claimChainName();
  if (state.mode === "rewards") {
    if (!state.rewards) return state.noRecipient;
    if (!state.rewards.seasons.some((entry) => toWei(entry.earned) > 0n)) return `${shortAddress(state.session.account)} has nothing in any season served here.`;
    if (!state.chain) return `Switch your wallet to ${name} to read what you have claimed and to claim.`;
    if (sameHex(state.chain.root, ZERO_ROOT)) return "No root is live on SogniRewards yet: nothing can be claimed until a publication is accepted.";
    if (!state.live) return `The live root ${shortAddress(state.chain.root)} is none of the publications this page serves.`;
    if (claimable() === 0n) {
      const vested = seasonRewards(state.rewards.seasons).reduce((sum, { vested }) => sum + (vested?.amount ?? 0n), 0n);
      const unpublished = vested - toWei(state.live.cumulative);
      const nothing = toWei(state.live.cumulative) === 0n;
      if (unpublished <= 0n) return nothing ? "Nothing of yours has vested yet." : "Everything vested so far is claimed.";
      const more = `${sogni(unpublished, season.decimals)} SOGNI more has vested: it becomes claimable once a publication that holds it goes live.`;
      return `${nothing ? "Nothing of yours is in the live publication yet." : "Everything in the live publication is claimed."} ${more}`;
    }
    if (!onClaimChain()) return `Switch your wallet to ${name} to claim.`;
    return "";
  }
  const now = state.now();
  if (!state.recipient) return state.noRecipient || "Nothing to claim for this address.";
  if (state.claimed) return "";
  if (season.projected) return "Projected amount: claims open after the season ends and its distributor is deployed.";
  if (!season.distributor || !season.distributor.funded) {
    const published = (state.catalog?.publications ?? []).some((publication) => publication.seasons.some((entry) => entry.season === season.season));
    return published
      ? `Season ${season.season} is published for SogniRewards: claims open once its contract on ${name} is deployed and a publication holding the season goes live.`
      : "Claims open once the season's distributor is deployed and funded.";
  }
  if (season.claimDeadline && now > season.claimDeadline) return `The claim window closed on ${isoDate(season.claimDeadline)} UTC.`;
  if (!onClaimChain()) return `Switch your wallet to ${name} to claim.`;
  return "";
}

function updateClaimButton() {
  const button = /** @type {HTMLButtonElement} */ ($("claim-button"));
  const reason = blockedReason();
  const done = state.mode === "season" && state.claimed;
  button.disabled = state.busy || done || reason !== "";
  button.textContent = done ? "Claimed" : state.mode === "rewards" && state.chain && state.live && claimable() > 0n ? `Claim ${sogni(claimable(), state.season.decimals)} SOGNI` : "Claim";
  if (state.busy) return;
  if (state.outcome) setClaimStatus(state.outcome.text, state.outcome.kind);
  else setClaimStatus(reason);
}

/** Sends a claim, waits for it, re-reads, and says what changed; `after` re-reads the claimed state. */
async function sendClaim(call, paid, after) {
  const season = state.season;
  state.busy = true;
  updateClaimButton();
  const before = await refreshBalance().catch(() => undefined);
  try {
    setClaimStatus("Confirm the claim in your wallet…");
    const hash = await sendCall(state.session, state.claimChainId, call);
    setClaimStatus(`Transaction ${shortAddress(hash)} sent; waiting for it to be mined…`);
    const receipt = await waitForSuccess(state.session, hash);
    setClaimStatus(`Mined in block ${receipt.blockNumber}; reading the claim back…`);
    const where = await after();
    const balance = await refreshBalance().catch(() => undefined);
    const change = before !== undefined && balance !== undefined ? ` Balance ${sogni(before, season.decimals)} → ${sogni(balance, season.decimals)} SOGNI.` : "";
    state.outcome = { text: `Claimed ${sogni(paid, season.decimals)} SOGNI, ${where} (transaction ${hash}).${change}`, kind: "ok" };
  } catch (error) {
    state.outcome = { text: `The claim did not go through: ${shortMessage(error)}`, kind: "error" };
  } finally {
    state.busy = false;
    updateClaimButton();
  }
}

async function claimRewards() {
  if (state.busy || !state.live || !state.session) return;
  const account = state.session.account;
  const live = state.live;
  const paid = claimable();
  const call = rewardsClaimCall(state.season.rewards.address, account, live.cumulative, live.proof);
  await sendClaim(call, paid, async () => {
    // The server's answer (the indexer) may lag the chain by a block or two: wait for it to see the claim.
    for (let attempt = 0; attempt < 60; attempt++) {
      const generation = ++state.generation;
      await refreshRewards(generation);
      if (state.chain && state.chain.claimed >= toWei(live.cumulative)) return state.chain.source === "server" ? "confirmed by the indexer" : "confirmed on-chain";
      if (!state.chain || state.chain.source !== "server") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return "mined";
  });
}

async function claimSeason() {
  const season = state.season;
  const recipient = state.recipient;
  if (state.busy || !recipient || !season.distributor || !state.session) return;
  const call = distributorClaimCall(season.distributor.address, recipient.index, recipient.address, recipient.amount, recipient.proof);
  await sendClaim(call, toWei(recipient.amount), async () => {
    let status = await claimStatus();
    for (let attempt = 0; attempt < 60 && status.source === "indexer" && !status.claimed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await claimStatus();
    }
    state.claimed = status.claimed;
    return status.source === "indexer" ? "confirmed by the indexer" : "confirmed on-chain";
  });
}
