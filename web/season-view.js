// The season header view: the season picker, title, status badge, figures, intro, pillars, footer, and the snapshot countdown.
// May import format.js, dom.js, pools.js, chains.js and clock.js; no network, no wallet.
import { everySecond } from "./clock.js";
import { chainName } from "./chains.js";
import { $, element, setText } from "./dom.js";
import { countdownParts, groupThousands, isoDate, sogni } from "./format.js";
import { PILLARS, POOLS } from "./pools.js";

/**
 * The season a URL asks for: `?season=7`, `#season=7` or `#season-7`;
 * undefined when it names none (the page then shows the latest).
 */
export function seasonFromUrl(url) {
  const location = new URL(url);
  const text = location.searchParams.get("season") ?? /^#season[=-](.*)$/.exec(location.hash)?.[1];
  return text !== undefined && text !== null && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** The link that opens a season (the choice survives a reload and can be shared). */
export const seasonHref = (season) => `?season=${season}`;

/** Fills the season picker from GET /page/api/catalog; choosing a season opens it. */
export function renderSeasonPicker(catalog, current) {
  const seasons = [...(catalog?.seasons ?? [])].sort((a, b) => b.season - a.season);
  if (seasons.length < 2 && seasons.every((entry) => entry.season === current)) return;
  const picker = /** @type {HTMLSelectElement} */ ($("season-picker"));
  picker.replaceChildren(
    ...seasons.map((entry) => {
      const state = entry.projected ? " · running" : entry.season === catalog.latestSeason ? " · latest" : "";
      return element("option", { value: String(entry.season), selected: entry.season === current }, `Season ${entry.season}${state}`);
    }),
  );
  picker.addEventListener("change", () => window.location.assign(seasonHref(picker.value)));
  $("season-nav").hidden = false;
}

/** Fills the header, the pillars and the footer from GET /page/api/season (and the catalog, for "View Season 6"). */
export function renderSeasonHeader(season, catalog) {
  const decimals = season.decimals;
  document.title = `Sogni Supernet · Season ${season.season} leaderboard and claim`;
  setText("season-name", `Season ${season.season}`);
  const status = $("season-status");
  status.textContent = season.projected ? "active" : "ended";
  status.className = `badge ${season.projected ? "active" : "ended"}`;
  renderFigures(season.stats);

  const budget = POOLS.reduce((sum, pool) => sum + BigInt(season.pools[pool.key]?.amount ?? "0"), 0n);
  setText(
    "intro",
    season.projected
      ? `${sogni(budget, decimals)} SOGNI tokens up for grabs in Season ${season.season} for top Ambassadors, Artists, Workers & Stakers! ` +
          "Amounts shown are projected rewards from the latest build over the data so far; they change until the season ends."
      : `${sogni(budget, decimals)} SOGNI tokens awarded in Season ${season.season} to top Ambassadors, Artists, Workers & Stakers. The season has ended: these are the final rewards.`,
  );
  renderSeasonLinks(season, catalog);
  $("pillars").replaceChildren(
    ...PILLARS.map((pillar) => element("li", { className: "pillar" }, element("h2", {}, pillar.title), element("p", { className: "motto" }, pillar.motto), ...pillar.lines.map((line) => element("p", {}, line)))),
  );

  const snapshot = season.snapshot?.[0];
  setText(
    "footer-summary",
    `${groupThousands(String(season.recipients))} recipients · ${sogni(season.total, decimals)} SOGNI allocated` +
      (snapshot ? ` · snapshot at block ${groupThousands(String(snapshot.block))} on ${chainName(snapshot.chainId)}` : ""),
  );
  setText("footer-root", season.merkleRoot);
  const claimChain = season.chainName ?? chainName(season.rewards?.chainId ?? season.distributor?.chainId ?? season.chainId);
  setText(
    "footer-contract",
    season.rewards
      ? `Claims: SogniRewards ${season.rewards.address} on ${claimChain}`
      : season.distributor
        ? `Claims: distributor ${season.distributor.address} on ${claimChain}`
        : "The season's claim contract is not deployed yet.",
  );
  setText("amount-label", season.projected ? "Projected reward" : "Reward");
}

/** Users, GPUs (workers) and creations powered, as Sogni's header shows them; hidden for a season without stats. */
function renderFigures(stats) {
  $("figures").hidden = !stats;
  if (!stats) return;
  setText("stat-users", groupThousands(String(stats.users)));
  setText("stat-workers", groupThousands(String(stats.workers)));
  setText("stat-creations", groupThousands(String(stats.creations)));
}

/** "View Season 6." for the season before this one, and a way back to the latest. */
function renderSeasonLinks(season, catalog) {
  const numbers = (catalog?.seasons ?? []).map((entry) => entry.season);
  const earlier = numbers.filter((n) => n < season.season);
  const links = [];
  if (earlier.length > 0) links.push(element("a", { href: seasonHref(Math.max(...earlier)) }, `View Season ${Math.max(...earlier)}`), ". ");
  const latest = catalog?.latestSeason;
  if (latest !== undefined && latest !== null && latest !== season.season) links.push(element("a", { href: seasonHref(latest) }, `Back to Season ${latest}, the latest`), ".");
  $("season-links").replaceChildren(...links);
}

/** Says that the season the URL asked for is not served, and which one is shown instead. */
export function renderSeasonNotice(text) {
  const notice = $("season-notice");
  notice.textContent = text;
  notice.hidden = false;
}

/** What the header says when the server has no season to show. */
export function renderNoSeason(message) {
  setText("intro", message);
  setText("season-status", "no season");
}

/** Shows the countdown to the window's end (the snapshot) and ticks it every second on the page's clock. */
export function startCountdown(season, now) {
  everySecond(() => tickCountdown(season, now()));
}

function tickCountdown(season, now) {
  if (season.window.end === null) return;
  const left = season.window.end - now;
  const parts = countdownParts(left);
  setText("cd-days", parts.days);
  setText("cd-hours", parts.hours);
  setText("cd-minutes", parts.minutes);
  setText("cd-seconds", parts.seconds);
  setText("countdown-title", left > 0 ? "6-Week Snapshot Ends In" : "6-Week Snapshot Ended");
  setText(
    "window-text",
    left > 0
      ? `Season ${season.season} runs from ${isoDate(season.window.start)} to ${isoDate(season.window.end)} UTC.`
      : `Season ${season.season} ended on ${isoDate(season.window.end)} UTC.` +
          (season.claimDeadline && !season.rewards
            ? now <= season.claimDeadline
              ? ` Claims are open until ${isoDate(season.claimDeadline)} UTC.`
              : ` The claim window closed on ${isoDate(season.claimDeadline)} UTC.`
            : ""),
  );
}
