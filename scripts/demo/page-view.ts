// scripts/: command-line entry points and what only they use (cli/, commands/, local/, sim/, keys/, demo/).
// May import every folder; nothing imports scripts/. See docs/architecture.md.
/**
 * What the claim page shows one address about SogniRewards, read from the
 * page's own API (`GET /page/api/rewards/:address`: the seasons it earned in
 * and their vesting, every publication's cumulative amount, and the chain's
 * live and pending roots), put in a few lines for the demo's output.
 *
 * @example
 * const view = await fetchPageRewards("http://127.0.0.1:42069/", "0xabc…");
 * for (const line of describePageRewards(view)) console.log(line);
 */
import { isoSeconds } from "../../season/time.js";
import { percent, sogni } from "./format.js";

/** The answer of GET /page/api/rewards/:address (amounts in wei, times in unix seconds). */
export interface PageRewards {
  address: string;
  seasons: { season: number; earned: string; vesting: { at: number; share: string }[] | null; vested: string; share: string; nextTranche: { at: number; share: string } | null }[];
  publications: { id: number; at: number; merkleRoot: string; dataHash: string; cumulative: string; proof: string[] }[];
  latestPublication: number | null;
  chain: null | {
    chainId: number;
    contract: string;
    root: string | null;
    dataHash: string | null;
    total: string;
    claimed: string;
    pending: null | { root: string; dataHash: string; total: string; validAt: number };
  };
}

/** GET /page/api/rewards/<address> from the page at `pageUrl`; an error names the status and the answer. */
export async function fetchPageRewards(pageUrl: string, address: string): Promise<PageRewards> {
  const url = new URL(`page/api/rewards/${address}`, pageUrl.endsWith("/") ? pageUrl : `${pageUrl}/`);
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url.pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as PageRewards;
}

/** The page's view of one address, in lines: seasons and vesting, the live root, the pending one. */
export function describePageRewards(view: PageRewards): string[] {
  const lines: string[] = [];
  const seasons = view.seasons.map((season) => {
    const next = season.nextTranche === null ? "" : `, next tranche ${isoSeconds(season.nextTranche.at)}: ${percent(season.nextTranche.share)}`;
    return `season ${season.season}: ${sogni(season.earned)} SOGNI earned, ${percent(season.share)} vested (${sogni(season.vested)} SOGNI)${next}`;
  });
  lines.push(`seasons      ${seasons.join("; ") || "none"}`);
  const byRoot = new Map(view.publications.map((publication) => [publication.merkleRoot, publication]));
  const chain = view.chain;
  if (chain === null) {
    lines.push("chain        not read by the server (the page reads it through the wallet)");
    return lines;
  }
  const claimed = BigInt(chain.claimed);
  const live = chain.root === null ? undefined : byRoot.get(chain.root);
  if (chain.root === null) lines.push("live root    none yet: nothing can be claimed");
  else if (live === undefined) lines.push(`live root    ${chain.root} (no publication served has it)`);
  else {
    const owed = BigInt(live.cumulative) - claimed;
    lines.push(`live root    publication ${live.id}: cumulative ${sogni(live.cumulative)} SOGNI, ${sogni(claimed)} SOGNI claimed, ${sogni(owed > 0n ? owed : 0n)} SOGNI to claim now`);
  }
  if (chain.pending === null) lines.push("pending root none");
  else {
    const pending = byRoot.get(chain.pending.root);
    const when = `live from ${isoSeconds(chain.pending.validAt)}`;
    if (pending === undefined) lines.push(`pending root ${chain.pending.root}, ${when} (no publication served has it)`);
    else {
      const more = BigInt(pending.cumulative) - claimed;
      lines.push(`pending root publication ${pending.id}, ${when}: cumulative ${sogni(pending.cumulative)} SOGNI, ${sogni(more > 0n ? more : 0n)} SOGNI more to claim then`);
    }
  }
  return lines;
}
