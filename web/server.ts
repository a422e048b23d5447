// web/: the claim and leaderboard page (browser modules) and server.ts, its routes.
// Imports season/ and season-io/. See docs/architecture.md.
/**
 * The claim and leaderboard page's server, as a Hono sub-app the indexer's
 * API mounts: the static files of web/ and the JSON the page reads from a
 * season output directory (SPEC section 6), through season-io/season-dir.ts.
 * The claim status itself comes from the
 * indexer's own `GET /claims/:season/:address`.
 *
 * Which season: env SEASON_DIR (one `season-<n>` directory), else the highest
 * `season-<n>` under env OUT_DIR (default `out`), looked up on every request so
 * a fresh `season build` shows without a restart.
 *
 * Routes
 *   GET /                                  the page (web/index.html)
 *   GET /page/app.js, /page/style.css      its script and style
 *   GET /page/api/season                   manifest summary, deployment, projected?
 *   GET /page/api/leaderboards/:pool       ?offset=0&limit=100 (limit ≤ 1000)
 *   GET /page/api/recipients/:address      amount, per-pool breakdown, index, proof
 *
 * @example
 * // src/api/index.ts
 * app.route("/", pageRoutes());
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono, type Context } from "hono";
import { AddressError, normalizeAddress } from "../season/address.js";
import { POOL_KEYS, type PoolKey } from "../season/types.js";
import { readDeploymentRecord } from "../season-io/deployment-record.js";
import { findProof, latestSeasonDir, readLeaderboard, readSeason, recipientRow, type LeaderboardRow, type SeasonView } from "../season-io/season-dir.js";

export interface PageOptions {
  /** A season output directory (`…/season-7`); default env SEASON_DIR. */
  seasonDir?: string;
  /** Where `season-<n>` directories are; the highest n is served. Default env OUT_DIR, else `out`. */
  outDir?: string;
  /** The page's static files; default `web/` next to this module's parent. */
  webDir?: string;
  /** Unix seconds now (tests pin it). */
  now?: () => number;
}

const STATIC_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  // The page's ES modules: app.js is the entry index.html loads; it imports the rest by relative URL.
  "/page/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/page/format.js": { file: "format.js", type: "text/javascript; charset=utf-8" },
  "/page/api.js": { file: "api.js", type: "text/javascript; charset=utf-8" },
  "/page/wallet.js": { file: "wallet.js", type: "text/javascript; charset=utf-8" },
  "/page/dom.js": { file: "dom.js", type: "text/javascript; charset=utf-8" },
  "/page/pools.js": { file: "pools.js", type: "text/javascript; charset=utf-8" },
  "/page/season-view.js": { file: "season-view.js", type: "text/javascript; charset=utf-8" },
  "/page/leaderboard-view.js": { file: "leaderboard-view.js", type: "text/javascript; charset=utf-8" },
  "/page/claim-view.js": { file: "claim-view.js", type: "text/javascript; charset=utf-8" },
  "/page/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/** Everything from our own origin; wallets talk through the injected provider, not fetch. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function defaultWebDir(): string {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return resolve(process.cwd(), "web");
  }
}

/** Parsed files, cached until the file changes (same path, same mtime and size). */
class FileCache<T> {
  private entries = new Map<string, { stamp: string; value: T }>();
  get(path: string, load: () => T): T {
    const stat = statSync(path);
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    const hit = this.entries.get(path);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = load();
    this.entries.set(path, { stamp, value });
    return value;
  }
}

/**
 * The page's routes as a Hono sub-app.
 *
 * @example app.route("/", pageRoutes({ outDir: "out/demo/out" }));
 */
export function pageRoutes(options: PageOptions = {}): Hono {
  const app = new Hono();
  const webDir = options.webDir ?? defaultWebDir();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const leaderboards = new FileCache<LeaderboardRow[]>();
  const seasons = new FileCache<SeasonView>();

  const seasonDir = (): string | undefined => {
    const fixed = options.seasonDir ?? process.env.SEASON_DIR;
    if (fixed) return existsSync(join(fixed, "manifest.json")) ? fixed : undefined;
    return latestSeasonDir(options.outDir ?? process.env.OUT_DIR ?? "out");
  };
  const noSeason = (c: Context) =>
    c.json({ error: "no season built yet: run `season build … --out <dir>` and point OUT_DIR (or SEASON_DIR) at it" }, 404);

  for (const [route, { file, type }] of Object.entries(STATIC_FILES)) {
    app.get(route, async (c) => {
      const body = await readFile(join(webDir, file), "utf8");
      return c.body(body, 200, { "content-type": type, "cache-control": "no-cache", "content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff" });
    });
  }

  app.get("/page/api/season", (c) => {
    const dir = seasonDir();
    if (dir === undefined) return noSeason(c);
    const season = seasons.get(join(dir, "manifest.json"), () => readSeason(dir));
    const manifest = season.manifest;
    const deployment = readDeploymentRecord(dir) ?? null;
    const current = now();
    return c.json({
      season: season.season,
      window: season.window,
      claimDeadline: season.claimDeadline ?? null,
      chainId: deployment?.chainId ?? season.chainId ?? null,
      token: deployment?.token ?? season.token ?? null,
      decimals: season.decimals,
      merkleRoot: season.merkleRoot,
      total: manifest.total,
      recipients: season.recipients,
      pools: manifest.pools,
      snapshot: manifest.snapshot,
      // While the window is open the numbers come from the data so far: projections, not final rewards.
      projected: current < season.window.end,
      now: current,
      distributor: deployment === null ? null : { address: deployment.address, chainId: deployment.chainId, block: deployment.block, funded: deployment.funding != null },
    });
  });

  app.get("/page/api/leaderboards/:pool", (c) => {
    const pool = c.req.param("pool");
    if (!(POOL_KEYS as readonly string[]).includes(pool)) {
      return c.json({ error: `unknown pool "${pool}": one of ${POOL_KEYS.join(", ")}` }, 400);
    }
    const offsetText = c.req.query("offset") ?? "0";
    const limitText = c.req.query("limit") ?? "100";
    if (!/^\d{1,9}$/.test(offsetText) || !/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) {
      return c.json({ error: "offset must be a non-negative integer and limit an integer from 1 to 1000" }, 400);
    }
    const dir = seasonDir();
    if (dir === undefined) return noSeason(c);
    const path = join(dir, "leaderboards", `${pool}.csv`);
    if (!existsSync(path)) return c.json({ error: `no leaderboard for ${pool} in ${dir}` }, 404);
    const rows = leaderboards.get(path, () => readLeaderboard(dir, pool as PoolKey));
    const offset = Number(offsetText);
    const entries = rows.slice(offset, offset + Number(limitText)).map((row) => ({ ...row, amount: row.amount.toString() }));
    return c.json({ pool: pool as PoolKey, count: rows.length, offset, entries });
  });

  app.get("/page/api/recipients/:address", (c) => {
    let address: string;
    try {
      address = normalizeAddress(c.req.param("address"));
    } catch (error) {
      if (error instanceof AddressError) return c.json({ error: error.message }, 400);
      throw error;
    }
    const dir = seasonDir();
    if (dir === undefined) return noSeason(c);
    const entry = findProof(dir, address);
    if (entry === undefined) return c.json({ address, recipient: false, error: `${address} has nothing in this season` }, 404);
    const row = recipientRow(dir, entry.index);
    return c.json({
      address,
      recipient: true,
      index: entry.index,
      amount: entry.amount.toString(),
      proof: entry.proof,
      pools: Object.fromEntries(POOL_KEYS.map((pool) => [pool, (row?.address === address ? row.pools[pool] : 0n).toString()])),
    });
  });

  // The same answers without the parameter, and a JSON 404 for any other path under /page/api/.
  app.get("/page/api/leaderboards/", (c) => c.json({ error: `which pool? /page/api/leaderboards/<pool>, one of ${POOL_KEYS.join(", ")}` }, 400));
  app.get("/page/api/leaderboards", (c) => c.json({ error: `which pool? /page/api/leaderboards/<pool>, one of ${POOL_KEYS.join(", ")}` }, 400));
  app.get("/page/api/recipients/", (c) => c.json({ error: "which address? /page/api/recipients/<0x address>" }, 400));
  app.get("/page/api/recipients", (c) => c.json({ error: "which address? /page/api/recipients/<0x address>" }, 400));
  app.all("/page/api/*", (c) =>
    c.json({ error: `no such route: ${c.req.method} ${c.req.path} (GET /page/api/season, /page/api/leaderboards/<pool>, /page/api/recipients/<address>)` }, 404),
  );

  return app;
}
