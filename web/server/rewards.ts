// web/: the claim and leaderboard page (browser modules) and server.ts, its routes.
// Imports season/ and season-io/. See docs/architecture.md.
/**
 * `GET /page/api/rewards/:address`: what the SogniRewards claim panel needs,
 * from the files served (each season's amount and vesting, each
 * publication's cumulative amount and proof) and, when the server has a
 * {@link RewardsChainProvider}, the contract's state for the address (the
 * indexer's tables, or an RPC with `sogni-season serve --rpc`). Every lookup
 * is season-io's (from memory once a server holds the directory, else a few
 * small reads per directory, never a whole file).
 *
 * @example
 * const answer = await rewardsAnswer(catalog.current(), "0xabc…", now, provider); // a promise only with a provider
 * answer.publications.at(-1)?.cumulative; // what the latest publication pays in all
 */
import type { Address } from "../../season/address.js";
import { formatShare, SHARE_ONE } from "../../season/vesting.js";
import type { VestingTranche } from "../../season/types.js";
import { findCumulativeText, type CumulativeText } from "../../season-io/publication-dir.js";
import { recipientAmount } from "../../season-io/season-dir.js";
import type { CatalogState, PublicationEntry, SeasonEntry } from "./catalog.js";

/** SogniRewards' state for one account, as the contract's views give it (amounts in wei, times in unix seconds). */
export interface RewardsChainState {
  chainId: number;
  /** The SogniRewards contract. */
  contract: string;
  /** The live root, data hash and total: zero hashes and "0" before the first accept (as the contract answers). */
  root: string;
  dataHash: string;
  total: string;
  /** What the account has claimed so far (cumulative). */
  claimed: string;
  pending: null | { root: string; dataHash: string; total: string; validAt: number };
}

/**
 * The chain part of the answer: the SogniRewards state for `account` on
 * `chainId` (the claim chain of the latest publication, else of the latest
 * season; null when neither names one), or null when this server does not
 * know that chain's contract.
 */
export type RewardsChainProvider = (request: { account: Address; chainId: number | null }) => Promise<RewardsChainState | null>;

interface Tranche {
  at: number;
  share: string;
}

const trancheView = (tranche: VestingTranche): Tranche => ({ at: tranche.at, share: formatShare(tranche.share) });

/** A season's tranches as the answer shows them: its vesting, or (without one) everything at its end. */
function tranchesOf(season: SeasonEntry): Tranche[] {
  return (season.vesting ?? [{ at: season.view.window.end, share: SHARE_ONE }]).map(trancheView);
}

/** The claim chain: the latest publication's, else the latest season's (its manifest's chainId); null when none names one. */
export function claimChainId(state: CatalogState): number | null {
  const publication = state.publications.at(-1);
  if (publication?.view.manifest.chainId != null) return publication.view.manifest.chainId;
  return state.seasons.at(-1)?.view.chainId ?? null;
}

/**
 * The answer of `GET /page/api/rewards/:address` (see docs/serve.md): from
 * the files, then the chain's part from `provider`. Without a provider the
 * answer is made at once (no promise to wait on: a server answers more per
 * second); with one it waits for the chain.
 */
export function rewardsAnswer(state: CatalogState, account: Address, now: number, provider: RewardsChainProvider | undefined): RewardsAnswer | Promise<RewardsAnswer> {
  const files = rewardsFromFiles(state, account, now);
  if (provider === undefined) return { ...files, chain: null };
  return Promise.resolve()
    .then(() => provider({ account, chainId: claimChainId(state) }))
    .then(
      (chain) => ({ ...files, chain }),
      // The files still answer; the page reads the chain through the wallet instead.
      (error: Error) => ({ ...files, chain: null, chainError: `the chain could not be read: ${error.message.split("\n")[0]}` }),
    );
}

export type RewardsAnswer = ReturnType<typeof rewardsFromFiles> & { chain: RewardsChainState | null; chainError?: string };

/** What the answer shows of a season besides the address's amounts, made once per catalog state: the latest publication listing it, its share there, its vesting and tranches. */
interface SeasonPlan {
  season: SeasonEntry;
  listing: PublicationEntry | undefined;
  share: string;
  vesting: Tranche[] | null;
  /** {@link tranchesOf}: the next after `now` is the answer's nextTranche (null once all has vested). */
  tranches: Tranche[];
}

const plans = new WeakMap<CatalogState, SeasonPlan[]>();

function seasonPlans(state: CatalogState): SeasonPlan[] {
  let planned = plans.get(state);
  if (planned === undefined) {
    planned = state.seasons.map((season) => {
      // The latest publication listing the season says how much of it has vested.
      const listing = state.publications.findLast((publication) => publication.view.manifest.seasons.some((listed) => listed.season === season.season));
      const share = listing?.view.manifest.seasons.find((listed) => listed.season === season.season)!.share ?? "0";
      return { season, listing, share, vesting: season.vesting === null ? null : season.vesting.map(trancheView), tranches: tranchesOf(season) };
    });
    plans.set(state, planned);
  }
  return planned;
}

/** The answer's part from the files: every season's amount and vesting, every publication's amount and proof. */
function rewardsFromFiles(state: CatalogState, account: Address, now: number) {
  // One lookup per publication: its row (what each season has vested) and its proof.
  const found = new Map<number, CumulativeText | undefined>();
  const publications = state.publications.map((publication) => {
    const entry = findCumulativeText(publication.dir, account);
    found.set(publication.id, entry);
    return {
      id: publication.id,
      at: publication.view.at,
      merkleRoot: publication.view.merkleRoot,
      dataHash: publication.view.dataHash,
      cumulative: entry?.cumulative ?? "0",
      proof: entry?.proof ?? [],
    };
  });
  const seasons = seasonPlans(state).map(({ season, listing, share, vesting, tranches }) => ({
    season: season.season,
    earned: recipientAmount(season.dir, account) ?? "0",
    vesting,
    vested: (listing === undefined ? undefined : found.get(listing.id)?.seasons[season.season]) ?? "0",
    share,
    nextTranche: tranches.find((tranche) => tranche.at > now) ?? null,
  }));
  return { address: account, seasons, publications, latestPublication: state.publications.at(-1)?.id ?? null };
}

const trancheJson = (tranche: Tranche): string => `{"at":${tranche.at},"share":"${tranche.share}"}`;

/**
 * The answer as JSON: what JSON.stringify(answer) gives (test/web/page-api.test.ts holds the two equal),
 * written out directly, in half the time, for a route a season-end rush asks thousands of times a second.
 * Every string in it but the chain's part is an address, a hash, decimal digits or a share ("0.4"), with
 * nothing to escape; the chain's part goes through JSON.stringify.
 *
 * @example c.body(rewardsJson(answer), 200, { "content-type": "application/json" })
 */
export function rewardsJson(answer: RewardsAnswer): string {
  const seasons = answer.seasons.map(
    (season) =>
      `{"season":${season.season},"earned":"${season.earned}","vesting":${season.vesting === null ? "null" : `[${season.vesting.map(trancheJson).join(",")}]`},` +
      `"vested":"${season.vested}","share":"${season.share}","nextTranche":${season.nextTranche === null ? "null" : trancheJson(season.nextTranche)}}`,
  );
  const publications = answer.publications.map(
    (publication) =>
      `{"id":${publication.id},"at":${publication.at},"merkleRoot":"${publication.merkleRoot}","dataHash":"${publication.dataHash}",` +
      `"cumulative":"${publication.cumulative}","proof":[${publication.proof.length === 0 ? "" : `"${publication.proof.join('","')}"`}]}`,
  );
  const chainError = answer.chainError === undefined ? "" : `,"chainError":${JSON.stringify(answer.chainError)}`;
  return `{"address":"${answer.address}","seasons":[${seasons.join(",")}],"publications":[${publications.join(",")}],"latestPublication":${answer.latestPublication},"chain":${JSON.stringify(answer.chain)}${chainError}}`;
}
