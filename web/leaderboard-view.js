// The leaderboard view: one tab and panel per pool, its heading and rules, and the ranked table loaded a page at a time.
// May import format.js, dom.js, pools.js and api.js; no wallet.
import { fetchLeaderboard } from "./api.js";
import { $ } from "./dom.js";
import { formatUnits, groupThousands, shortAddress, sogni, visibleText } from "./format.js";
import { POOLS, RULES } from "./pools.js";

const PAGE_SIZE = 100;

/** The rows loaded so far per pool, and the pool's ranked count. */
const boards = /** @type {Record<string, {entries: any[], count: number}>} */ ({});

/** Builds the tabs and panels, the first tab selected, and loads each pool's first page. */
export function renderLeaderboards(season) {
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
    panel.append(poolHeading(season, pool));
    panels.append(panel);
  });
  for (const pool of POOLS) loadBoard(season, pool.key, 0);
}

function poolHeading(season, pool) {
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

async function loadBoard(season, key, offset) {
  const { ok, body } = await fetchLeaderboard(key, offset, PAGE_SIZE);
  const panel = $(`panel-${key}`);
  if (!ok) {
    const message = document.createElement("p");
    message.textContent = body.error ?? "This leaderboard could not be loaded.";
    panel.append(message);
    return;
  }
  const board = (boards[key] ??= { entries: [], count: body.count });
  board.entries.push(...body.entries);
  renderBoard(season, key);
}

function renderBoard(season, key) {
  const pool = POOLS.find((entry) => entry.key === key);
  const board = boards[key];
  const panel = $(`panel-${key}`);
  panel.querySelector(".table-wrap")?.remove();
  panel.querySelector(".more")?.remove();
  const decimals = season.decimals;
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
    [season.projected ? "Projected reward (SOGNI)" : "Reward (SOGNI)", "num"],
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
      [entry.name ? visibleText(entry.name) : "—", ""],
      [shortAddress(entry.address), "", entry.address],
      ...(pool.worker ? [[entry.hardware ? visibleText(entry.hardware) : "—", "hide-narrow"]] : []),
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
    more.addEventListener("click", () => loadBoard(season, key, board.entries.length));
    panel.append(more);
  }
}
