// The season header view: title, status badge, intro, stats, footer, and the countdown to the window's end.
// May import format.js, dom.js and pools.js; no network, no wallet.
import { $, setText } from "./dom.js";
import { groupThousands, isoDate, sogni } from "./format.js";
import { POOLS } from "./pools.js";

/** Fills the header and footer from GET /page/api/season. */
export function renderSeasonHeader(season) {
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
}

/** What the header says when the server has no season to show. */
export function renderNoSeason(message) {
  setText("intro", message);
  setText("season-status", "no season");
}

/** Shows the countdown now and ticks it every second. */
export function startCountdown(season) {
  const tick = () => tickCountdown(season);
  tick();
  setInterval(tick, 1000);
}

function tickCountdown(season) {
  if (season.window.end === null) return;
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
