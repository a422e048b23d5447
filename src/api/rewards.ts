/**
 * SogniRewards (SPEC 8.3) for people:
 *
 *   GET /rewards/:address  per chain's rewards contract: the live root and its
 *                          publication, what the address has claimed (its
 *                          `Claimed` events), what it can claim now by the live
 *                          publication (when that publication's directory is
 *                          at hand: PUBLICATIONS_DIR), and a pending root with
 *                          its `validAt` and what it would add.
 *   GET /publications      every root proposed on each rewards contract, with
 *                          its data hash, total, blocks and what became of it.
 *
 * Only the contracts the deployments file lists (`rewards` per chain, re-read
 * when it changes) count, whatever else emitted the same events. The page's
 * own rewards answer reads the same rows through {@link rewardsChainProvider}.
 */
import { db } from "ponder:api";
import { rewardsClaimed, rootAccepted, rootProposed, rootRevoked } from "ponder:schema";
import { and, asc, eq } from "ponder";
import { Hono } from "hono";
import type { DistributorWatch, KnownRewards } from "../../indexer/distributors.js";
import { parseAddressParam, parseWholeParam, refuseUnknownParams } from "../../indexer/params.js";
import { rootHistory, type RootEventOrigin, type RootHistory, type RootRecord } from "../../indexer/rewards.js";
import { isoSeconds } from "../../season/time.js";
import { indexedChains } from "./chains.js";
import type { RewardsChainProvider } from "../../web/server.js";
import type { PublicationDirs } from "./publication-dirs.js";

/** The contract's roots, replayed from its RootProposed, RootAccepted and RootRevoked rows. */
async function historyOf(contract: KnownRewards): Promise<RootHistory> {
  const [proposed, accepted, revoked] = await Promise.all([
    db.select().from(rootProposed).where(and(eq(rootProposed.chainId, contract.chainId), eq(rootProposed.rewards, contract.address))),
    db.select().from(rootAccepted).where(and(eq(rootAccepted.chainId, contract.chainId), eq(rootAccepted.rewards, contract.address))),
    db.select().from(rootRevoked).where(and(eq(rootRevoked.chainId, contract.chainId), eq(rootRevoked.rewards, contract.address))),
  ]);
  return rootHistory({ proposed, accepted, revoked });
}

/** The account's Claimed rows on the contract, in chain order. */
function claimsOf(contract: KnownRewards, account: `0x${string}`) {
  return db
    .select()
    .from(rewardsClaimed)
    .where(and(eq(rewardsClaimed.chainId, contract.chainId), eq(rewardsClaimed.rewards, contract.address), eq(rewardsClaimed.account, account)))
    .orderBy(asc(rewardsClaimed.blockNumber), asc(rewardsClaimed.logIndex));
}

const ZERO_HASH = `0x${"00".repeat(32)}`;

/**
 * The chain part of the page's `/page/api/rewards/:address` (web/server.ts)
 * from the indexer's own tables: the SogniRewards of the claim chain (the
 * deployments file's, or the only one when the files name no chain), its
 * live and pending roots as the contract's views show them (zero before the
 * first accept) and what the account has claimed.
 */
export function rewardsChainProvider(watch: Pick<DistributorWatch, "rewards">): RewardsChainProvider {
  return async ({ account, chainId }) => {
    const contracts = watch.rewards();
    const contract = chainId === null ? (contracts.length === 1 ? contracts[0] : undefined) : contracts.find((known) => known.chainId === chainId);
    if (contract === undefined) return null;
    await indexedChains();
    const [history, claims] = await Promise.all([historyOf(contract), claimsOf(contract, account)]);
    const { live, pending } = history;
    return {
      chainId: contract.chainId,
      contract: contract.address,
      root: live?.root ?? ZERO_HASH,
      dataHash: live?.dataHash ?? ZERO_HASH,
      total: (live?.total ?? 0n).toString(),
      claimed: claims.reduce((sum, claim) => sum + claim.amount, 0n).toString(),
      pending: pending === undefined ? null : { root: pending.root, dataHash: pending.dataHash, total: pending.total.toString(), validAt: Number(pending.validAt ?? 0n) },
    };
  };
}

const originView = (at: RootEventOrigin | null) => (at === null ? null : { block: Number(at.blockNumber), timestamp: Number(at.timestamp), txHash: at.txHash });

function rootView(record: RootRecord) {
  return {
    root: record.root,
    dataHash: record.dataHash,
    total: record.total.toString(),
    validAt: record.validAt === null ? null : Number(record.validAt),
    status: record.status,
    proposed: originView(record.proposed),
    accepted: originView(record.accepted),
    revoked: originView(record.revoked),
    endedBy: originView(record.endedBy),
  };
}

export function rewardsRoutes(watch: Pick<DistributorWatch, "rewards">, publications: PublicationDirs): Hono {
  const app = new Hono();

  const publicationOf = (record: RootRecord) => {
    const found = publications.byDataHash(record.dataHash);
    return { found, view: found.publication === undefined ? null : { id: found.publication.id, at: isoSeconds(found.publication.at) } };
  };

  app.get("/publications", async (c) => {
    const query = c.req.query();
    refuseUnknownParams("/publications", query, ["chainId"]);
    const chainId = query.chainId === undefined ? undefined : Number(parseWholeParam("chainId", query.chainId, BigInt(Number.MAX_SAFE_INTEGER)));
    await indexedChains();
    const contracts = watch.rewards().filter((contract) => chainId === undefined || contract.chainId === chainId);
    const answer = [];
    for (const contract of contracts) {
      const history = await historyOf(contract);
      answer.push({
        chainId: contract.chainId,
        contract: contract.address,
        block: contract.block,
        live: history.live?.root ?? null,
        pending: history.pending?.root ?? null,
        roots: history.roots.map((record) => ({ ...rootView(record), publication: publicationOf(record).view })),
      });
    }
    return c.json({ contracts: answer });
  });

  app.get("/rewards/:address", async (c) => {
    const account = parseAddressParam("address", c.req.param("address"));
    refuseUnknownParams("/rewards/<address>", c.req.query(), []);
    const chains = await indexedChains();
    let claimedTotal = 0n;
    let claimableTotal: bigint | null = 0n;
    const rewards = [];
    for (const contract of watch.rewards()) {
      const [history, claims] = await Promise.all([historyOf(contract), claimsOf(contract, account)]);
      const claimed = claims.reduce((sum, claim) => sum + claim.amount, 0n);
      const owed = (cumulative: bigint): bigint => (cumulative > claimed ? cumulative - claimed : 0n);
      claimedTotal += claimed;

      let live = null;
      let claimable: bigint | null = 0n;
      let note: string | undefined;
      if (history.live === undefined) {
        note = "no live root yet: nothing can be claimed before a root is accepted";
      } else {
        const { found, view } = publicationOf(history.live);
        let publication = null;
        const entry = found.publication === undefined ? { note: found.note ?? "publication unknown" } : publications.entry(found.publication, account);
        if ("cumulative" in entry && view !== null) {
          publication = { ...view, cumulative: entry.cumulative.toString(), proof: entry.proof };
          claimable = owed(entry.cumulative);
        } else {
          claimable = null;
          note = `claimable unknown: ${"note" in entry ? entry.note : "publication unknown"}`;
        }
        const { root, dataHash, total, validAt, accepted } = rootView(history.live);
        live = { root, dataHash, total, validAt, accepted, publication };
      }

      let pending = null;
      if (history.pending !== undefined) {
        const { found, view } = publicationOf(history.pending);
        const read = found.publication === undefined ? undefined : publications.entry(found.publication, account);
        const entry = read !== undefined && "cumulative" in read ? read : undefined;
        const { root, dataHash, total, validAt, proposed } = rootView(history.pending);
        pending = {
          root,
          dataHash,
          total,
          validAt,
          proposed,
          publication: view === null || entry === undefined ? null : { ...view, cumulative: entry.cumulative.toString() },
          // What the address could claim once this root is live (given its claims so far).
          claimable: entry === undefined ? null : owed(entry.cumulative).toString(),
        };
      }

      claimableTotal = claimable === null || claimableTotal === null ? null : claimableTotal + claimable;
      rewards.push({
        chainId: contract.chainId,
        contract: contract.address,
        live,
        pending,
        claimed: claimed.toString(),
        lastCumulative: (claims[claims.length - 1]?.cumulative ?? 0n).toString(),
        claimable: claimable === null ? null : claimable.toString(),
        ...(note === undefined ? {} : { note }),
        claims: claims.map((claim) => ({
          amount: claim.amount.toString(),
          cumulative: claim.cumulative.toString(),
          block: Number(claim.blockNumber),
          timestamp: Number(claim.timestamp),
          txHash: claim.txHash,
        })),
      });
    }
    return c.json({
      account,
      claimed: claimedTotal.toString(),
      claimable: claimableTotal === null ? null : claimableTotal.toString(),
      rewards,
      indexedTo: chains.map((chain) => ({ chainId: chain.chainId, block: Number(chain.block), timestamp: Number(chain.timestamp) })),
    });
  });

  return app;
}
