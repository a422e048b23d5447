/**
 * The claim and leaderboard page, as a Hono sub-app the indexer's API mounts:
 * the static files of web/ and the JSON the page reads from a season output
 * directory (SPEC section 6). The claim status itself comes from the
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
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono, type Context } from "hono";
import { AddressError, normalizeAddress } from "../season/address.js";
import { readCsvRecords } from "../season/csv.js";
import { POOL_KEYS, type PoolKey } from "../season/types.js";

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
  "/page/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/page/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/** Everything from our own origin; wallets talk through the injected provider, not fetch. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function defaultWebDir(): string {
  try {
    return resolve(dirname(fileURLToPath(import.meta.url)), "..", "web");
  } catch {
    return resolve(process.cwd(), "web");
  }
}

/**
 * The season directory to serve, or undefined when there is none yet.
 *
 * @example latestSeasonDir("out") // "out/season-7"
 */
export function latestSeasonDir(outDir: string): string | undefined {
  if (!existsSync(outDir)) return undefined;
  let best: { n: number; dir: string } | undefined;
  for (const name of readdirSync(outDir)) {
    const match = /^season-(\d+)$/.exec(name);
    if (!match) continue;
    const dir = join(outDir, name);
    if (!existsSync(join(dir, "manifest.json"))) continue;
    const n = Number(match[1]);
    if (best === undefined || n > best.n) best = { n, dir };
  }
  return best?.dir;
}

function readCsvRows(path: string): Record<string, string>[] {
  return readCsvRecords(readFileSync(path, "utf8"), path);
}

export interface LeaderboardRow {
  rank: number;
  address: string;
  name: string;
  daysActive: number;
  /** Exact decimal string. */
  points: string;
  /** Wei, decimal string. */
  amount: string;
  hardware?: string;
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

function unixSeconds(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value === "") return null;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
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
  const breakdowns = new FileCache<Map<string, Record<string, string>>>();
  const manifests = new FileCache<Record<string, unknown>>();

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
    const manifest = manifests.get(join(dir, "manifest.json"), () => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
    const window = manifest.window as { start: string; end: string };
    const deploymentFile = join(dir, "deployment.json");
    const deployment = existsSync(deploymentFile) ? (JSON.parse(readFileSync(deploymentFile, "utf8")) as Record<string, unknown>) : null;
    const snapshot = (manifest.snapshot as { chainId: number; block: string; timestamp: number }[] | undefined) ?? [];
    const end = unixSeconds(window?.end);
    const current = now();
    return c.json({
      season: manifest.season,
      window: { start: unixSeconds(window?.start), end },
      claimDeadline: unixSeconds(manifest.claimDeadline),
      chainId: deployment?.chainId ?? manifest.chainId ?? null,
      token: deployment?.token ?? manifest.token ?? null,
      decimals: manifest.decimals ?? 18,
      merkleRoot: manifest.merkleRoot,
      total: manifest.total,
      recipients: manifest.recipients,
      pools: manifest.pools,
      snapshot,
      // While the window is open the numbers come from the data so far: projections, not final rewards.
      projected: end !== null && current < end,
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
    const rows = leaderboards.get(path, () =>
      readCsvRows(path).map((row) => ({
        rank: Number(row.rank),
        address: row.address!,
        name: row.name ?? "",
        daysActive: Number(row.days_active),
        points: row.points!,
        amount: row.amount!,
        ...(row.hardware !== undefined ? { hardware: row.hardware } : {}),
      })),
    );
    const offset = Number(offsetText);
    return c.json({ pool: pool as PoolKey, count: rows.length, offset, entries: rows.slice(offset, offset + Number(limitText)) });
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
    const shard = join(dir, "proofs", `${address.slice(2, 4)}.json`);
    const entry = existsSync(shard)
      ? (JSON.parse(readFileSync(shard, "utf8")) as Record<string, { index: number; amount: string; proof: string[] }>)[address]
      : undefined;
    if (entry === undefined) return c.json({ address, recipient: false, error: `${address} has nothing in this season` }, 404);
    const csv = join(dir, "recipients.csv");
    const pools = existsSync(csv)
      ? breakdowns.get(csv, () => new Map(readCsvRows(csv).map((row) => [row.address!.toLowerCase(), row]))).get(address)
      : undefined;
    return c.json({
      address,
      recipient: true,
      index: entry.index,
      amount: entry.amount,
      proof: entry.proof,
      pools: Object.fromEntries(POOL_KEYS.map((pool) => [pool, pools?.[pool] ?? "0"])),
    });
  });

  return app;
}
