// The page's entry (/page/app.js): loads the season, then starts the header, leaderboards and claim panel.
// May import every web/*.js module; holds no logic of its own. Re-exports the pure helpers test/web/claim-page.test.ts checks.

// No dependencies, no build step: every module comes from our own server (CSP
// script-src 'self'). Amounts are bigint wei end to end; no floating point
// touches a token amount.
import { fetchSeason } from "./api.js";
import { startClaimPanel } from "./claim-view.js";
import { renderLeaderboards } from "./leaderboard-view.js";
import { renderNoSeason, renderSeasonHeader, startCountdown } from "./season-view.js";

export { formatUnits, groupThousands } from "./format.js";
export { encodeClaim, SELECTORS } from "./wallet.js";

async function start() {
  const { ok, body } = await fetchSeason();
  if (!ok) {
    renderNoSeason(body.error ?? "No season is published yet.");
    return;
  }
  renderSeasonHeader(body);
  renderLeaderboards(body);
  startCountdown(body);
  startClaimPanel(body);
}

if (typeof document !== "undefined") {
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
}
