// The leaderboard view: a tab per pool with its heading and rules, a "find yourself" search, the table a page at a time.
// May import format.js, dom.js, pools.js and api.js; no wallet.
import { fetchLeaderboard, searchLeaderboard } from "./api.js";
import { $, element } from "./dom.js";
import { formatUnits, groupThousands, shortAddress, sogni, visibleText } from "./format.js";
import { POOLS, RULES } from "./pools.js";

export const PAGE_SIZE = 100;

/** Per pool: the page shown (offset, entries, columns), the ranked count, and the address to highlight. */
const boards = /** @type {Record<string, {offset: number, count: number, entries: any[], columns: string[]|undefined, highlight: string|null}>} */ ({});

/** Builds the tabs and panels, the first tab selected, and loads each pool's first page. */
export function renderLeaderboards(season) {
  const tabs = $("pool-tabs");
  const panels = $("pool-panels");
  tabs.replaceChildren();
  panels.replaceChildren();
  POOLS.forEach((pool, position) => {
    const tab = element(
      "button",
      { type: "button", className: "tab", id: `tab-${pool.key}`, role: "tab", "aria-controls": `panel-${pool.key}`, "aria-selected": position === 0 ? "true" : "false", tabIndex: position === 0 ? 0 : -1 },
      pool.title,
    );
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

    const panel = element("section", { id: `panel-${pool.key}`, role: "tabpanel", "aria-labelledby": `tab-${pool.key}`, hidden: position !== 0 });
    panel.append(poolHeading(season, pool), searchForm(season, pool));
    panels.append(panel);
  });
  for (const pool of POOLS) loadPage(season, pool.key, 0);
}

function poolHeading(season, pool) {
  const config = season.pools[pool.key];
  const verb = season.projected ? "to be awarded" : "awarded";
  const rest =
    config.top !== null && config.top !== undefined
      ? ` ${verb} to the top ${config.top} ${pool.who}${pool.worker ? " relative to proportion of pool points" : ""}.`
      : ` ${verb} to ${pool.who} based on their share of the point pool.`;
  const rules = RULES[pool.key];
  const notes = [...rules.notes, ...(config.recipients === 0 ? ["Nobody qualified for this pool: it allocates nothing."] : [])];
  const fragment = document.createDocumentFragment();
  fragment.append(
    element("h3", {}, `${pool.title} · ${pool.motto}`),
    element("p", { className: "pool-lead" }, element("span", { className: "pool-amount" }, `${sogni(config.amount, season.decimals)} SOGNI`), rest),
    element("p", { className: "rules-lead" }, rules.lead),
  );
  if (rules.points.length > 0) fragment.append(element("ul", { className: "rules" }, ...rules.points.map((line) => element("li", {}, line))));
  for (const note of notes) fragment.append(element("p", { className: "rules-note" }, note));
  return fragment;
}

// ---- find yourself ---------------------------------------------------------------

function searchForm(season, pool) {
  const inputId = `search-${pool.key}`;
  const input = element("input", { id: inputId, type: "search", name: "q", autocomplete: "off", spellcheck: false, placeholder: "0x… address or name", maxLength: 100 });
  const results = element("div", { id: `search-results-${pool.key}`, className: "search-results", role: "status", "aria-live": "polite" });
  const form = element(
    "form",
    { className: "search", role: "search", "aria-label": `Find yourself among the ${pool.title}` },
    element("label", { htmlFor: inputId }, "Find yourself"),
    element("div", { className: "search-row" }, input, element("button", { type: "submit", className: "button" }, "Find")),
    results,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    findRow(season, pool, input.value.trim(), results);
  });
  return form;
}

async function findRow(season, pool, text, results) {
  results.replaceChildren();
  if (text.length < 2) {
    results.textContent = "Type a full 0x address, or at least 2 characters of a name.";
    return;
  }
  const { ok, body } = await searchLeaderboard(pool.key, season.season, text).catch((error) => ({ ok: false, body: { error: String(error?.message ?? error) } }));
  if (!ok) {
    results.textContent = body.error ?? "The search did not answer.";
    return;
  }
  const matches = body.matches ?? [];
  if (matches.length === 0) {
    results.textContent = `No one among the ${pool.title} matches “${visibleText(text)}”.`;
    return;
  }
  if (matches.length === 1) {
    results.textContent = `Rank ${groupThousands(String(matches[0].rank))}: ${rowLabel(matches[0])}.`;
    await jumpTo(season, pool.key, matches[0]);
    return;
  }
  results.append(
    element("p", {}, `${matches.length}${matches.length >= 20 ? "+" : ""} matches: pick one.`),
    element(
      "ul",
      { className: "match-list" },
      ...matches.map((match) => {
        const button = element("button", { type: "button", className: "link-button" }, `#${groupThousands(String(match.rank))} ${rowLabel(match)}`);
        button.addEventListener("click", () => jumpTo(season, pool.key, match));
        return element("li", {}, button);
      }),
    ),
  );
}

const rowLabel = (match) => `${match.name ? visibleText(match.name) : "(no name)"} · ${shortAddress(match.address)}`;

/** Opens the page holding `match`'s rank and highlights its row. */
async function jumpTo(season, key, match) {
  const offset = Math.floor((match.rank - 1) / PAGE_SIZE) * PAGE_SIZE;
  await loadPage(season, key, offset, match.address.toLowerCase());
  const row = $(`panel-${key}`).querySelector("tr.highlight");
  if (row) {
    row.scrollIntoView({ block: "center" });
    /** @type {HTMLElement} */ (row).focus({ preventScroll: true });
  }
}

// ---- the table ---------------------------------------------------------------------

function selectTab(key) {
  for (const pool of POOLS) {
    const selected = pool.key === key;
    const tab = $(`tab-${pool.key}`);
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${pool.key}`).hidden = !selected;
  }
}

async function loadPage(season, key, offset, highlight = null) {
  const { ok, body } = await fetchLeaderboard(key, season.season, offset, PAGE_SIZE);
  const panel = $(`panel-${key}`);
  panel.querySelector(".board-error")?.remove();
  if (!ok) {
    panel.append(element("p", { className: "board-error" }, body.error ?? "This leaderboard could not be loaded."));
    return;
  }
  boards[key] = { offset: body.offset ?? offset, count: body.count, entries: body.entries, columns: body.columns, highlight };
  renderBoard(season, key);
}

/** Whether the leaderboard has a column (a season built before format 3 has no `work` or `nft`). */
function hasColumn(board, name) {
  if (Array.isArray(board.columns)) return board.columns.includes(name);
  return board.entries.some((entry) => entry[name] !== undefined);
}

function renderBoard(season, key) {
  const pool = POOLS.find((entry) => entry.key === key);
  const board = boards[key];
  const panel = $(`panel-${key}`);
  panel.querySelector(".table-wrap")?.remove();
  panel.querySelector(".pager")?.remove();
  const decimals = season.decimals;
  const showNft = key === "fastWorkers" && hasColumn(board, "nft");
  const showWork = pool.worker && hasColumn(board, "work");
  // Sogni's order: Rank, NFT, Name, Address, WORK, Hardware, Days, Points; then the reward.
  const columns = [
    { label: "Rank", className: "num", cell: (entry) => [groupThousands(String(entry.rank))] },
    showNft && { label: "NFT", className: "", cell: (entry) => [entry.nft ? `#${visibleText(entry.nft)}` : "—"] },
    { label: "Name", className: "", cell: (entry) => [entry.name ? visibleText(entry.name) : "—"] },
    { label: "Address", className: "", cell: (entry) => [shortAddress(entry.address), entry.address] },
    showWork && { label: "Work (SOGNI)", className: "num", cell: (entry) => (entry.work ? [sogni(entry.work, decimals, 2), `${formatUnits(entry.work, decimals)} SOGNI paid for its jobs`] : ["—"]) },
    pool.worker && { label: "Hardware", className: "hide-narrow", cell: (entry) => [entry.hardware ? visibleText(entry.hardware) : "—"] },
    { label: "Days Active", className: "num hide-narrow", cell: (entry) => [String(entry.daysActive)] },
    { label: pool.points, className: "num", cell: (entry) => [groupThousands(entry.points)] },
    {
      label: season.projected ? "Projected reward (SOGNI)" : "Reward (SOGNI)",
      className: "num",
      cell: (entry) => [entry.amount === "0" ? "—" : sogni(entry.amount, decimals, 2), `${formatUnits(entry.amount, decimals)} SOGNI`],
    },
  ].filter(Boolean);

  const first = board.entries[0]?.rank ?? board.offset + 1;
  const last = board.entries.at(-1)?.rank ?? board.offset;
  const caption =
    board.count === 0
      ? `${pool.title}: nobody ranked`
      : `${pool.title}: ${groupThousands(String(board.count))} ranked, showing ${groupThousands(String(first))}–${groupThousands(String(last))}`;
  const table = element(
    "table",
    {},
    element("caption", {}, caption),
    element("thead", {}, element("tr", {}, ...columns.map((column) => element("th", { scope: "col", className: column.className }, column.label)))),
    element(
      "tbody",
      {},
      ...board.entries.map((entry) => {
        const mine = board.highlight !== null && entry.address.toLowerCase() === board.highlight;
        return element(
          "tr",
          mine ? { className: "highlight", tabIndex: -1, "aria-current": "true" } : {},
          ...columns.map((column) => {
            const [text, title] = column.cell(entry);
            return element("td", { className: column.className, title }, text);
          }),
        );
      }),
    ),
  );
  panel.append(element("div", { className: "table-wrap", tabIndex: 0, role: "region", "aria-label": `${pool.title} leaderboard` }, table));
  if (board.count > PAGE_SIZE) panel.append(pager(season, key, board));
}

/** Previous / next page and where this page is. */
function pager(season, key, board) {
  const pages = Math.ceil(board.count / PAGE_SIZE);
  const page = Math.floor(board.offset / PAGE_SIZE) + 1;
  const previous = element("button", { type: "button", className: "button", disabled: page <= 1 }, "Previous");
  const next = element("button", { type: "button", className: "button", disabled: page >= pages }, "Next");
  previous.addEventListener("click", () => loadPage(season, key, Math.max(0, board.offset - PAGE_SIZE)));
  next.addEventListener("click", () => loadPage(season, key, board.offset + PAGE_SIZE));
  return element("nav", { className: "pager", "aria-label": `${POOLS.find((pool) => pool.key === key).title} pages` }, previous, element("span", {}, `Page ${groupThousands(String(page))} of ${groupThousands(String(pages))}`), next);
}
