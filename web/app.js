// The page's entry (bundled by web/bundle.ts into /page/app.js): picks the season from the URL, loads it and the
// catalog, then starts the header, leaderboards and claim panel. May import every web/*.js module; holds no logic of its own.

// One bundle from our own server (CSP script-src 'self'): viem, mipd and the generated ABIs are compiled in,
// nothing is fetched from elsewhere. Amounts are bigint wei end to end; no floating point touches a token amount.
import { fetchCatalog, fetchSeason } from "./api.js";
import { startClaimPanel } from "./claim-view.js";
import { pageClock } from "./clock.js";
import { renderLeaderboards } from "./leaderboard-view.js";
import { renderNoSeason, renderSeasonHeader, renderSeasonNotice, renderSeasonPicker, seasonFromUrl, startCountdown } from "./season-view.js";

async function start() {
  const wanted = seasonFromUrl(window.location.href);
  const [catalog, first] = await Promise.all([fetchCatalog(), fetchSeason(wanted)]);
  let response = first;
  if (!response.ok && wanted !== undefined && response.status === 404) {
    response = await fetchSeason(undefined);
    if (response.ok) renderSeasonNotice(`Season ${wanted} is not served here: showing Season ${response.body.season}, the latest.`);
  }
  if (!response.ok) {
    renderNoSeason(response.body.error ?? "No season is published yet.");
    return;
  }
  const season = response.body;
  const seasons = catalog.ok ? catalog.body : null;
  const now = pageClock(season.now);
  renderSeasonPicker(seasons, season.season);
  renderSeasonHeader(season, seasons);
  renderLeaderboards(season);
  startCountdown(season, now);
  startClaimPanel(season, seasons, now);
}

if (typeof document !== "undefined") {
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
}
