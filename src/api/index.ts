// src/: Ponder's handlers (facts only) and src/api/, the HTTP API.
// Imports indexer/, web/, season/ and chain/. See docs/architecture.md.
/**
 * The indexer's HTTP API (Ponder's Hono app). Ponder itself serves /health,
 * /ready, /status and /metrics.
 *
 *   /graphql                      GraphQL over every fact table
 *   /sql/*                        SQL over HTTP for @ponder/client
 *   GET /accounts/:address        balances, lock, staking power over [from, to)
 *   GET /workers/:address/payouts payouts by batch
 *   GET /snapshot?deposit=…       onchain.json for a season build (SPEC section 6)
 *   GET /claims/:season[/:address] claim status (season distributors)
 *   GET /rewards/:address         SogniRewards: live and pending roots, claimed, claimable
 *   GET /publications             SogniRewards: every root proposed, accepted or revoked
 *   /, /page/*                    the claim and leaderboard page and its JSON (web/server.ts, docs/serve.md):
 *                                 the seasons and publications under OUT_DIR (and PUBLICATIONS_DIR),
 *                                 the chain part of /page/api/rewards/<address> from the tables here
 *
 * Bad parameters answer 400 {"error": "..."}; amounts are decimal strings in wei.
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { client, graphql } from "ponder";
import { Hono } from "hono";
import { resolve } from "node:path";
import { distributorWatch } from "../../indexer/distributors.js";
import { pageNotFound, pageRoutes } from "../../web/server.js";
import { ParamError } from "../../indexer/params.js";
import { DEFAULT_DEPLOYMENTS_PATH } from "../../chain/deployments.js";
import { accountRoutes } from "./accounts.js";
import { claimRoutes } from "./claims.js";
import { publicationDirs } from "./publication-dirs.js";
import { rewardsChainProvider, rewardsRoutes } from "./rewards.js";
import { snapshotRoutes } from "./snapshot.js";
import { workerRoutes } from "./workers.js";

/** PAGE_MEMORY_MB: a whole number of MB, else the indexer refuses to start (a typo is not a silent default). */
function pageMemoryMb(text: string): number {
  if (!/^\d{1,7}$/.test(text)) throw new Error(`PAGE_MEMORY_MB must be a whole number of MB (0: the page's lookups read the files only), got "${text}"`);
  return Number(text);
}

const app = new Hono();
const watch = distributorWatch(resolve(process.env.DEPLOYMENTS || DEFAULT_DEPLOYMENTS_PATH));

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));
app.route("/", accountRoutes(watch));
app.route("/", workerRoutes());
app.route("/", snapshotRoutes());
app.route("/", claimRoutes(watch));
app.route("/", rewardsRoutes(watch, publicationDirs()));
app.route(
  "/",
  pageRoutes({
    sources: [process.env.SEASON_DIR || process.env.OUT_DIR || "out", ...(process.env.PUBLICATIONS_DIR ? [process.env.PUBLICATIONS_DIR] : [])],
    rewardsContracts: watch.rewards,
    rewardsChain: rewardsChainProvider(watch),
    warm: true,
    // The page's lookups held in memory (web/server.ts memoryMb): PAGE_MEMORY_MB, else its default.
    ...(process.env.PAGE_MEMORY_MB ? { memoryMb: pageMemoryMb(process.env.PAGE_MEMORY_MB) } : {}),
  }),
);
// Last: any other path (an empty parameter included, "/accounts/", "/claims/7/") is a JSON 404 that lists the routes
// (under /page/, the page's). A route, not app.notFound: Ponder mounts this app in its own and keeps only its routes.
app.all("*", (c) =>
  pageNotFound(c) ??
  c.json(
    { error: `no such route: ${c.req.method} ${c.req.path}; this API answers GET /accounts/<address>[?from=&to=], /workers/<address>/payouts, /snapshot?deposit=<address>[&block=N][&block.<chainId>=N], /claims/<season>[/<address>], /rewards/<address>, /publications[?chainId=N], /graphql, /sql/*, and the page at / with its JSON under /page/api/ (docs/serve.md)` },
    404,
  ),
);

app.onError((error, c) => {
  if (error instanceof ParamError || error.name === "ParamError") return c.json({ error: error.message }, 400);
  if (error.name === "NotReadyError") return c.json({ error: error.message }, 503);
  console.error(error);
  return c.json({ error: `internal error: ${error.message}` }, 500);
});

export default app;
