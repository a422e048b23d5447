// The season page: leaderboards, countdown and a claim panel for an EIP-1193
// wallet (window.ethereum). No dependencies, no build step: everything comes
// from our own server. Amounts are bigint wei end to end; no floating point
// touches a token amount.

/** @typedef {"artists"|"ambassadors"|"stakers"|"relaxedWorkers"|"fastWorkers"} PoolKey */

const POOLS = /** @type {const} */ ([
  { key: "artists", title: "Artists", who: "artists", motto: "Imagine to Win", worker: false },
  { key: "ambassadors", title: "Ambassadors", who: "Ambassadors", motto: "Support to Win", worker: false },
  { key: "stakers", title: "Stakers", who: "stakers", motto: "Support to Win", worker: false },
  { key: "relaxedWorkers", title: "Relaxed Workers", who: "Relaxed Workers", motto: "Power to Win", worker: true },
  { key: "fastWorkers", title: "Fast Workers", who: "Fast Workers", motto: "Power to Win", worker: true },
]);

const RULES = {
  artists: [
    "Points earned through requesting jobs on the Supernet, calculated in Spark Points:",
    "1 point per Free Spark used",
    "10 points per Paid Spark used (including conversions from SOGNI)",
    "10 points per SOGNI used (after conversion to Spark at market rate)",
  ],
  ambassadors: [
    "Earn points through referrals and purchases on any Sogni app:",
    "1 pt per Spark purchase by referred users",
    "1 pt per Spark you purchase directly",
    "0.2 pts from second-level referral activity",
    "All users qualify — no participation limit",
  ],
  stakers: [
    "Staking Power: your average power over the season, amount × lockWeeks^1.5 while the lock is in force.",
    "Every staker with power earns a share; stakes on every chain add up.",
  ],
  relaxedWorkers: [
    "Leaderboard points are based on job value, measured in Spark Points.",
    "Jobs paid with SOGNI and Premium Spark give full points; Free Daily Boost jobs give 1/10.",
  ],
  fastWorkers: [
    "Leaderboard points are based on job value, measured in Spark Points.",
    "Jobs paid with SOGNI and Premium Spark give full points; Free Daily Boost jobs give 1/10.",
  ],
};

/** Selectors of the calls the page makes (checked against viem in test/web/claim-page.test.ts). */
export const SELECTORS = {
  claim: "0x2e7ba6ef", // claim(uint256,address,uint256,bytes32[])
  isClaimed: "0x9e34070f", // isClaimed(uint256)
  balanceOf: "0x70a08231", // balanceOf(address)
};

const PAGE_SIZE = 100;

// ---- exact amounts ---------------------------------------------------------

/** Groups the integer part of a decimal string with commas: "1234567.5" -> "1,234,567.5". */
export function groupThousands(text) {
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/**
 * Wei (decimal string or bigint) to a SOGNI decimal string, exact unless
 * `maxFraction` asks to cut (rounds down: a page never shows more than is paid).
 */
export function formatUnits(wei, decimals = 18, maxFraction = decimals) {
  const value = BigInt(wei);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals, digits.length - decimals + maxFraction).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

const sogni = (wei, decimals, maxFraction) => groupThousands(formatUnits(wei, decimals, maxFraction));

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

// ---- HTTP and wallet --------------------------------------------------------

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

function wallet() {
  return /** @type {any} */ (window).ethereum;
}

async function ethCall(to, data) {
  return wallet().request({ method: "eth_call", params: [{ to, data }, "latest"] });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- state and rendering ----------------------------------------------------

const state = {
  season: /** @type {any} */ (null),
  account: /** @type {string|null} */ (null),
  chainId: /** @type {number|null} */ (null),
  recipient: /** @type {any} */ (null),
  claimed: false,
  busy: false,
  boards: /** @type {Record<string, {entries: any[], count: number}>} */ ({}),
};

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

function setText(id, text) {
  $(id).textContent = text;
}

function setClaimStatus(text, kind = "") {
  const element = $("claim-status");
  element.textContent = text;
  element.className = `claim-status ${kind}`;
}

function shortAddress(account) {
  return `${account.slice(0, 6)}…${account.slice(-4)}`;
}

function isoDate(unix) {
  // "2026-11-24 00:00" (the texts add "UTC"; seconds only when they matter)
  const iso = new Date(unix * 1000).toISOString();
  return iso.slice(17, 19) === "00" ? iso.slice(0, 16).replace("T", " ") : iso.slice(0, 19).replace("T", " ");
}

function renderSeason() {
  const season = state.season;
  const decimals = season.decimals;
  document.title = `Sogni Supernet · Season ${season.season} leaderboard and claim`;
  setText("season-name", `Season ${season.season}`);
  const status = $("season-status");
  status.textContent = season.projected ? "active" : "ended";
  status.className = `badge ${season.projected ? "active" : "ended"}`;
  const names = POOLS.map((pool) => pool.title).join(", ");
  setText(
    "intro",
    `${sogni(season.total, decimals)} SOGNI ${season.projected ? "up for grabs" : "awarded"} in Season ${season.season} for top ${names}. ` +
      (season.projected
        ? "Amounts shown are projected rewards from the latest build over the data so far; they change until the season ends."
        : "The season has ended: these are the final rewards."),
  );
  setText("stat-recipients", groupThousands(String(season.recipients)));
  setText("stat-total", `${sogni(season.total, decimals)} SOGNI`);
  const snapshot = season.snapshot[0];
  setText("stat-snapshot", snapshot ? `block ${groupThousands(String(snapshot.block))}` : "–");
  setText("footer-root", season.merkleRoot);
  setText(
    "footer-distributor",
    season.distributor ? `Distributor ${season.distributor.address} on chain ${season.distributor.chainId}` : "The distributor is not deployed yet.",
  );
  setText("amount-label", season.projected ? "Projected reward" : "Reward");
  renderTabs();
}

function tickCountdown() {
  const season = state.season;
  if (!season || season.window.end === null) return;
  const now = Math.floor(Date.now() / 1000);
  const left = Math.max(0, season.window.end - now);
  const pad = (n) => String(n).padStart(2, "0");
  setText("cd-days", pad(Math.floor(left / 86400)));
  setText("cd-hours", pad(Math.floor((left % 86400) / 3600)));
  setText("cd-minutes", pad(Math.floor((left % 3600) / 60)));
  setText("cd-seconds", pad(left % 60));
  setText("countdown-title", left > 0 ? "6-Week Snapshot Ends In" : "6-Week Snapshot Ended");
  setText(
    "window-text",
    left > 0
      ? `Season ${season.season} runs from ${isoDate(season.window.start)} to ${isoDate(season.window.end)} UTC.`
      : `Season ${season.season} ended on ${isoDate(season.window.end)} UTC.` +
          (season.claimDeadline
            ? now <= season.claimDeadline
              ? ` Claims are open until ${isoDate(season.claimDeadline)} UTC.`
              : ` The claim window closed on ${isoDate(season.claimDeadline)} UTC.`
            : ""),
  );
}

function renderTabs() {
  const tabs = $("pool-tabs");
  const panels = $("pool-panels");
  tabs.replaceChildren();
  panels.replaceChildren();
  POOLS.forEach((pool, position) => {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tab";
    tab.id = `tab-${pool.key}`;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", `panel-${pool.key}`);
    tab.setAttribute("aria-selected", position === 0 ? "true" : "false");
    tab.tabIndex = position === 0 ? 0 : -1;
    tab.textContent = pool.title;
    tab.addEventListener("click", () => selectTab(pool.key));
    tab.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -position, End: POOLS.length - 1 - position };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = POOLS[(position + moves[event.key] + POOLS.length) % POOLS.length];
      selectTab(next.key);
      $(`tab-${next.key}`).focus();
    });
    tabs.append(tab);

    const panel = document.createElement("section");
    panel.id = `panel-${pool.key}`;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", `tab-${pool.key}`);
    panel.hidden = position !== 0;
    panel.append(poolHeading(pool));
    panels.append(panel);
  });
  for (const pool of POOLS) loadBoard(pool.key, 0);
}

function poolHeading(pool) {
  const season = state.season;
  const config = season.pools[pool.key];
  const amount = sogni(config.amount, season.decimals);
  const fragment = document.createDocumentFragment();
  const heading = document.createElement("h3");
  heading.textContent = `${pool.title} · ${pool.motto}`;
  const lead = document.createElement("p");
  lead.className = "pool-lead";
  const strong = document.createElement("span");
  strong.className = "pool-amount";
  strong.textContent = `${amount} SOGNI`;
  const verb = season.projected ? "to be awarded" : "awarded";
  const rest =
    config.top !== null && config.top !== undefined
      ? ` ${verb} to the top ${config.top} ${pool.who}${pool.worker ? " relative to proportion of pool points" : ""}.`
      : ` ${verb} to ${pool.who} based on their share of the point pool.`;
  lead.append(strong, rest);
  const rules = document.createElement("ul");
  rules.className = "rules";
  const lines = RULES[pool.key];
  for (const line of lines) {
    const item = document.createElement("li");
    item.textContent = line;
    rules.append(item);
  }
  if (config.recipients === 0) {
    const item = document.createElement("li");
    item.textContent = "Nobody qualified for this pool: it allocates nothing.";
    rules.append(item);
  }
  fragment.append(heading, lead, rules);
  return fragment;
}

function selectTab(key) {
  for (const pool of POOLS) {
    const selected = pool.key === key;
    const tab = $(`tab-${pool.key}`);
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${pool.key}`).hidden = !selected;
  }
}

async function loadBoard(key, offset) {
  const { ok, body } = await getJson(`/page/api/leaderboards/${key}?offset=${offset}&limit=${PAGE_SIZE}`);
  const panel = $(`panel-${key}`);
  if (!ok) {
    const message = document.createElement("p");
    message.textContent = body.error ?? "This leaderboard could not be loaded.";
    panel.append(message);
    return;
  }
  const board = (state.boards[key] ??= { entries: [], count: body.count });
  board.entries.push(...body.entries);
  renderBoard(key);
}

function renderBoard(key) {
  const pool = POOLS.find((entry) => entry.key === key);
  const board = state.boards[key];
  const panel = $(`panel-${key}`);
  panel.querySelector(".table-wrap")?.remove();
  panel.querySelector(".more")?.remove();
  const decimals = state.season.decimals;
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", `${pool.title} leaderboard`);
  const table = document.createElement("table");
  const caption = document.createElement("caption");
  caption.textContent = `${pool.title}: ${groupThousands(String(board.count))} ranked, showing ${board.entries.length}`;
  const columns = [
    ["Rank", "num"],
    ["Name", ""],
    ["Address", ""],
    ...(pool.worker ? [["Hardware", "hide-narrow"]] : []),
    ["Days Active", "num hide-narrow"],
    [key === "stakers" ? "Staking Power" : key === "ambassadors" ? "Ambassador Points" : "Points", "num"],
    [state.season.projected ? "Projected reward (SOGNI)" : "Reward (SOGNI)", "num"],
  ];
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const [label, className] of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.className = className;
    th.textContent = label;
    headRow.append(th);
  }
  head.append(headRow);
  const body = document.createElement("tbody");
  for (const entry of board.entries) {
    const row = document.createElement("tr");
    const cells = [
      [String(entry.rank), "num"],
      [entry.name || "—", ""],
      [shortAddress(entry.address), "", entry.address],
      ...(pool.worker ? [[entry.hardware || "—", "hide-narrow"]] : []),
      [String(entry.daysActive), "num hide-narrow"],
      [groupThousands(entry.points), "num"],
      [entry.amount === "0" ? "—" : sogni(entry.amount, decimals, 2), "num", `${formatUnits(entry.amount, decimals)} SOGNI`],
    ];
    for (const [text, className, title] of cells) {
      const td = document.createElement("td");
      td.className = className;
      td.textContent = text;
      if (title) td.title = title;
      row.append(td);
    }
    body.append(row);
  }
  table.append(caption, head, body);
  wrap.append(table);
  panel.append(wrap);
  if (board.entries.length < board.count) {
    const more = document.createElement("button");
    more.type = "button";
    more.className = "button more";
    more.textContent = `Show ${Math.min(PAGE_SIZE, board.count - board.entries.length)} more`;
    more.addEventListener("click", () => loadBoard(key, board.entries.length));
    panel.append(more);
  }
}

// ---- the claim panel ----------------------------------------------------------

async function connect() {
  const provider = wallet();
  if (!provider) {
    setText("wallet-status", "No wallet found. Install a browser wallet (for example MetaMask) or open this page in a wallet's browser.");
    return;
  }
  try {
    const accounts = await provider.request({ method: "eth_requestAccounts" });
    const chainId = await provider.request({ method: "eth_chainId" });
    state.account = accounts[0]?.toLowerCase() ?? null;
    state.chainId = Number(BigInt(chainId));
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
  const { ok, status, body } = await getJson(`/page/api/recipients/${account}`);
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
    const { ok, body } = await getJson(`/claims/${season.season}/${state.account}`);
    if (ok) {
      const claimed = body.claimed === true || body.status === "claimed" || (Array.isArray(body.claims) && body.claims.length > 0);
      return { claimed, source: "indexer", body };
    }
  } catch {
    // fall through to the chain
  }
  if (!season.distributor || !wallet()) return { claimed: false, source: "none" };
  const result = await ethCall(season.distributor.address, `${SELECTORS.isClaimed}${uint(recipient.index)}`);
  return { claimed: BigInt(result) === 1n, source: "chain" };
}

async function refreshClaimed() {
  if (!state.recipient || !state.season.distributor) return;
  const { claimed } = await claimStatus();
  state.claimed = claimed;
  if (claimed) setClaimStatus(`Claimed: ${sogni(state.recipient.amount, state.season.decimals)} SOGNI went to ${shortAddress(state.account)}.`, "ok");
}

async function refreshBalance() {
  const season = state.season;
  if (!season.token || !wallet() || !state.account || (state.chainId !== null && season.chainId !== null && state.chainId !== season.chainId)) {
    setText("balance", "–");
    return undefined;
  }
  const result = await ethCall(season.token, `${SELECTORS.balanceOf}${address(state.account)}`);
  const balance = BigInt(result);
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

async function waitForReceipt(hash) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const receipt = await wallet().request({ method: "eth_getTransactionReceipt", params: [hash] });
    if (receipt) return receipt;
    await sleep(500);
  }
  throw new Error(`no receipt for ${hash} after 5 minutes`);
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
    const hash = await wallet().request({
      method: "eth_sendTransaction",
      params: [{ from: state.account, to: season.distributor.address, data: encodeClaim(recipient.index, recipient.address, recipient.amount, recipient.proof) }],
    });
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

async function start() {
  const { ok, body } = await getJson("/page/api/season");
  if (!ok) {
    setText("intro", body.error ?? "No season is published yet.");
    setText("season-status", "no season");
    return;
  }
  state.season = body;
  renderSeason();
  tickCountdown();
  setInterval(tickCountdown, 1000);
  $("connect").addEventListener("click", connect);
  $("claim-button").addEventListener("click", claim);
  const provider = wallet();
  if (provider?.on) {
    provider.on("accountsChanged", (accounts) => {
      state.account = accounts[0]?.toLowerCase() ?? null;
      state.claimed = false;
      setClaimStatus("");
      refreshAccount();
    });
    provider.on("chainChanged", (chainId) => {
      state.chainId = Number(BigInt(chainId));
      refreshAccount();
    });
  }
}

if (typeof document !== "undefined") {
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
}
