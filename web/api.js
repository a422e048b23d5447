// The API client: our server's /page/api/* routes and the indexer's /claims route.
// Imports nothing: only fetch; callers get { ok, status, body } and decide what to show.

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

/** The season summary: window, decimals, pools, distributor, projected. */
export const fetchSeason = () => getJson("/page/api/season");

/** One page of a pool's ranked rows: { count, entries }. */
export const fetchLeaderboard = (pool, offset, limit) => getJson(`/page/api/leaderboards/${pool}?offset=${offset}&limit=${limit}`);

/** An address's amount, breakdown by pool, index and proof; 404 when it has nothing. */
export const fetchRecipient = (account) => getJson(`/page/api/recipients/${account}`);

/**
 * The indexer's Claimed events for an address: { claimed, body }, or undefined
 * when the indexer has no answer (the caller then asks the chain). Throws when
 * the indexer cannot be reached at all.
 */
export async function fetchIndexerClaim(season, account) {
  const { ok, body } = await getJson(`/claims/${season}/${account}`);
  if (!ok) return undefined;
  const claimed = body.claimed === true || body.status === "claimed" || (Array.isArray(body.claims) && body.claims.length > 0);
  return { claimed, body };
}
