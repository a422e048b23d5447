// The API client: our server's /page/api/* routes (docs/serve.md) and the indexer's /claims route.
// Imports nothing: only fetch; callers get { ok, status, body } and decide what to show.

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

/** `?season=7&offset=0…` from the parameters that are set. */
function query(params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== undefined && value !== null);
  return pairs.length === 0 ? "" : `?${pairs.map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join("&")}`;
}

/** Every season and publication served: { seasons, publications, latestSeason, latestPublication }. */
export const fetchCatalog = () => getJson("/page/api/catalog");

/** One season's summary (the latest without `season`): window, pools, stats, vesting, distributor, rewards, chainName. */
export const fetchSeason = (season) => getJson(`/page/api/season${query({ season })}`);

/** One page of a pool's ranked rows: { count, offset, columns, entries }. */
export const fetchLeaderboard = (pool, season, offset, limit) => getJson(`/page/api/leaderboards/${pool}${query({ season, offset, limit })}`);

/** The rows of a pool matching a full address or a name fragment: { matches: [{ rank, address, name }] }. */
export const searchLeaderboard = (pool, season, text, limit = 20) => getJson(`/page/api/leaderboards/${pool}/search${query({ q: text, season, limit })}`);

/** An address's amount in one season, breakdown by pool, index and proof; 404 when it has nothing. */
export const fetchRecipient = (account, season) => getJson(`/page/api/recipients/${account}${query({ season })}`);

/** What the SogniRewards panel needs for an address: per-season earned and vested, every publication's proof, the chain's state if known. */
export const fetchRewards = (account) => getJson(`/page/api/rewards/${account}`);

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
