/**
 * GET /claims/:season/:address — whether `address` claimed in `season`, with
 * amount, transaction and block; GET /claims/:season?offset=&limit= — every
 * claim of the season and the counts. A season maps to its distributors
 * through the deployments file (re-read when it changes); only `Claimed`
 * rows those contracts emitted count.
 */
import { db } from "ponder:api";
import { claimed } from "ponder:schema";
import { and, asc, eq, or, sql } from "ponder";
import { Hono, type Context } from "hono";
import type { DistributorWatch, KnownDistributor } from "../../indexer/distributors.js";
import { parseAddressParam, parsePage, parseWholeParam } from "../../indexer/params.js";

function claimView(row: typeof claimed.$inferSelect) {
  return {
    chainId: row.chainId,
    distributor: row.distributor,
    index: row.index.toString(),
    account: row.account,
    amount: row.amount.toString(),
    block: Number(row.blockNumber),
    timestamp: Number(row.timestamp),
    txHash: row.txHash,
  };
}

/** Rows emitted by one of `distributors` (each on its own chain). */
function fromDistributors(distributors: KnownDistributor[]) {
  return or(...distributors.map((d) => and(eq(claimed.chainId, d.chainId), eq(claimed.distributor, d.address))));
}

export function claimRoutes(watch: DistributorWatch): Hono {
  const app = new Hono();

  const seasonDistributors = (c: Context): { season: number; distributors: KnownDistributor[] } => {
    const season = Number(parseWholeParam("season", c.req.param("season") ?? "", 1_000_000n));
    return { season, distributors: watch.forSeason(season) };
  };
  const unknownSeason = (c: Context, season: number) =>
    c.json({ error: `season ${season} has no distributor in the deployments file: deploy it (\`season deploy\`) or check the season number` }, 404);

  app.get("/claims/:season/:address", async (c) => {
    const { season, distributors } = seasonDistributors(c);
    const account = parseAddressParam("address", c.req.param("address"));
    if (distributors.length === 0) return unknownSeason(c, season);
    const rows = await db
      .select()
      .from(claimed)
      .where(and(eq(claimed.account, account), fromDistributors(distributors)))
      .orderBy(asc(claimed.chainId), asc(claimed.blockNumber), asc(claimed.logIndex));
    const amount = rows.reduce((sum, row) => sum + row.amount, 0n);
    return c.json({
      season,
      account,
      claimed: rows.length > 0,
      amount: amount.toString(),
      claims: rows.map(claimView),
      distributors: distributors.map(({ chainId, address, block }) => ({ chainId, address, block })),
    });
  });

  app.get("/claims/:season", async (c) => {
    const { season, distributors } = seasonDistributors(c);
    const page = parsePage(c.req.query("offset"), c.req.query("limit"));
    if (distributors.length === 0) return unknownSeason(c, season);
    const where = fromDistributors(distributors);
    const [totals] = await db
      .select({ count: sql<string>`count(*)::text`, amount: sql<string>`coalesce(sum(${claimed.amount}), 0)::text` })
      .from(claimed)
      .where(where);
    const rows = await db
      .select()
      .from(claimed)
      .where(where)
      .orderBy(asc(claimed.chainId), asc(claimed.blockNumber), asc(claimed.logIndex))
      .offset(page.offset)
      .limit(page.limit);
    return c.json({
      season,
      distributors: distributors.map(({ chainId, address, block }) => ({ chainId, address, block })),
      count: Number(totals?.count ?? 0),
      amount: totals?.amount ?? "0",
      offset: page.offset,
      limit: page.limit,
      claims: rows.map(claimView),
    });
  });

  return app;
}

