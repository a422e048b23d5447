// web/: the claim and leaderboard page (browser modules) and server.ts, its routes.
// Imports season/ and season-io/. See docs/architecture.md.
/**
 * The claim and leaderboard page's server, as a Hono sub-app: the page (its
 * HTML, its style, its script bundled by web/bundle.ts) and the
 * JSON it reads, all from season directories and publication directories
 * (SPEC 6, 8.2) through season-io's readers. The indexer mounts it
 * (src/api/index.ts, with its own SogniRewards tables for the chain part of
 * the rewards answer), and so does `sogni-season serve` (files only, or an
 * RPC). docs/serve.md describes every route and its answer.
 *
 * Sources: season directories, publication directories or directories
 * holding them (web/server/catalog.ts), looked at again at most every
 * `recheckMs` (250 ms: a few stats a second, however many requests), so a
 * fresh build shows within a second, without a restart. Default: env SEASON_DIR, else
 * env OUT_DIR, else `out`.
 *
 * Routes (`?season=N` picks a season, default the latest)
 *   GET /                                        the page (web/index.html)
 *   GET /page/app.js, /page/style.css, /page/<name>.png   (the images in the page's folder at start)
 *   GET /page/api/catalog                        every season and publication served
 *   GET /page/api/season                         one season's summary
 *   GET /page/api/leaderboards/:pool             ?offset=0&limit=100 (1 … 1000)
 *   GET /page/api/leaderboards/:pool/search      ?q=<address or name fragment>&limit=20 (1 … 50)
 *   GET /page/api/recipients/:address            amount, per-pool breakdown, index and proof
 *   GET /page/api/rewards/:address               SogniRewards: per season and publication, and the chain's state
 *
 * A bad parameter is a 400 {"error"}, an unknown season, address or path
 * under /page/api/ a 404 {"error"}; times are unix seconds, amounts wei as
 * decimal strings.
 *
 * @example
 * // src/api/index.ts
 * app.route("/", pageRoutes({ sources: ["out"], rewardsContracts: watch.rewards }));
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono, type Context } from "hono";
import type { BlankEnv } from "hono/types";
import { chainName } from "../season/chains.js";
import type { Address } from "../season/address.js";
import { POOL_KEYS, type PoolKey } from "../season/types.js";
import { formatShare } from "../season/vesting.js";
import { readDeploymentRecord } from "../season-io/deployment-record.js";
import { holdLookupsInMemory, recheckLookupsEvery, type InMemoryResult } from "../season-io/lookup-files.js";
import { holdPublicationInMemory, PublicationDirError } from "../season-io/publication-dir.js";
import { findRecipientText, holdSeasonInMemory, SeasonDirError, type LeaderboardRow } from "../season-io/season-dir.js";
import { bundlePage } from "./bundle.js";
import { Catalog, describeProblem, type CatalogState, type SeasonEntry } from "./server/catalog.js";
import { LeaderboardFiles, type LeaderboardFile } from "./server/leaderboard-index.js";
import { PageParamError, parseAddressParam, parsePageParams, parsePoolParam, parseSearchParams, parseSeasonParam } from "./server/params.js";
import { rewardsAnswer, rewardsJson, type RewardsAnswer, type RewardsChainProvider } from "./server/rewards.js";

export type { RewardsChainProvider, RewardsChainState } from "./server/rewards.js";
export { describeProblem, type CatalogProblem, type CatalogState } from "./server/catalog.js";

/** A chain's SogniRewards, as the deployments file names it. */
export interface RewardsContract {
  chainId: number;
  address: string;
}

export interface PageOptions {
  /** Season directories, publication directories, or directories holding them. Default: [seasonDir] or [outDir], else env SEASON_DIR, else env OUT_DIR, else "out". */
  sources?: readonly string[];
  /** One season directory (`…/season-7`). */
  seasonDir?: string;
  /** A directory holding `season-<n>/` (and `publication-<id>/`). */
  outDir?: string;
  /** The page's static files; default web/ (this module's folder). */
  webDir?: string;
  /** Unix seconds now (tests pin it). */
  now?: () => number;
  /** The SogniRewards of each chain (the deployments file): the season answer's `rewards`. Default: none. */
  rewardsContracts?: () => readonly RewardsContract[];
  /** The chain part of /page/api/rewards/:address; without one it is null (the page asks the wallet's chain). */
  rewardsChain?: RewardsChainProvider;
  /** Start indexing the latest season's leaderboards and reading lookup data into memory at once (`warm()`), rather than on first requests. */
  warm?: boolean;
  /**
   * How long the directories, open season files and leaderboards are trusted before they are stat'ed again, in ms
   * (default 250; 0: on every request). Sets season-io's lookups for the whole process (recheckLookupsEvery).
   */
  recheckMs?: number;
  /**
   * How many MB of lookup data (each directory's sorted CSV, compacted, and its tree.bin: about 134 MB for a
   * million-recipient season, 126 MB for its publication) may be held in memory, read in the background at
   * start (`warm`) and whenever a directory is opened; lookups read the files until then, and for what does
   * not fit. Default {@link DEFAULT_MEMORY_MB}; 0: always the files. Sets season-io's lookups for the whole
   * process (holdLookupsInMemory).
   */
  memoryMb?: number;
  /** Told how holding each directory in memory ended (`warm`): a server says it to its operator. */
  onHold?: (event: { dir: string; result: InMemoryResult; ms: number }) => void;
}

/** The page's routes and what a server running them can do besides. */
export interface PageApp {
  routes: Hono;
  /** The seasons and publications served, as the directories are now. */
  catalog(): CatalogState;
  /**
   * Resolves when the page's script is bundled (rejects with the reason it cannot be). Bundling starts at the
   * first request for /page/app.js, or in `warm()` once the latest season's boards are indexed: not at once,
   * where esbuild's threads would take the cores a server's first answers need.
   */
  bundled: Promise<void>;
  /**
   * Indexes the latest season's leaderboards and reads the lookup data of what is served into memory (latest
   * publication and season first, as far as memoryMb allows), each in the background, a chunk per turn.
   */
  warm(): Promise<void>;
  /** Closes the leaderboard files held open. */
  close(): void;
}

/** Everything from our own origin; wallets talk through the injected provider, not fetch. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const STATIC_HEADERS = { "cache-control": "no-cache", "content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff" };

/** The page's images: /page/<name>.png. */
const IMAGE_NAME = /^[a-z0-9][a-z0-9-]{0,63}\.png$/;

/** The images in the page's folder (`<name>.png`, lower case), as the server starts. */
function pageImages(webDir: string): string[] {
  try {
    return readdirSync(webDir).filter((name) => IMAGE_NAME.test(name));
  } catch {
    return [];
  }
}

/** A rebuild shows within this many ms; each watched file is stat'ed at most this often, not on every request. */
const RECHECK_MS = 250;
/** Lookup data held in memory by default: a million-recipient season and its publication (about 260 MB), with room for a smaller one. */
export const DEFAULT_MEMORY_MB = 384;

const ROUTES = "GET /page/api/catalog, /page/api/season, /page/api/leaderboards/<pool>[/search?q=], /page/api/recipients/<address>, /page/api/rewards/<address> (each with ?season=N)";

function defaultWebDir(): string {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return resolve(process.cwd(), "web");
  }
}

function defaultSources(options: PageOptions): string[] {
  if (options.sources !== undefined) return [...options.sources];
  const given = [options.seasonDir, options.outDir].filter((dir): dir is string => dir !== undefined);
  if (given.length > 0) return given;
  return [process.env.SEASON_DIR || process.env.OUT_DIR || "out"];
}

/** The page's script per web directory, bundled once per process (when the first server first needs it). */
const bundles = new Map<string, Promise<string>>();

function bundleOnce(webDir: string): Promise<string> {
  let script = bundles.get(webDir);
  if (script === undefined) {
    script = bundlePage(webDir);
    script.catch(() => {}); // answered on /page/app.js and through `bundled`
    bundles.set(webDir, script);
  }
  return script;
}

/** A season not served (404). */
class UnknownSeasonError extends Error {
  override name = "UnknownSeasonError";
}

/** JSON for an answer: bigints (amounts, work) as decimal strings; the row's fields in its order, those it lacks left out. */
function entryView(row: LeaderboardRow): Record<string, unknown> {
  const view: Record<string, unknown> = { rank: row.rank, address: row.address, name: row.name, daysActive: row.daysActive, points: row.points, amount: row.amount.toString() };
  if (row.hardware !== undefined) view.hardware = row.hardware;
  if (row.work !== undefined) view.work = row.work.toString();
  if (row.nft !== undefined) view.nft = row.nft;
  return view;
}

/** An error thrown by a route as its JSON answer: 400 a bad parameter, 404 a season not served, 500 a damaged directory or anything else. */
function errorAnswer(error: unknown, c: Context): Response {
  if (error instanceof PageParamError) return c.json({ error: error.message }, 400);
  if (error instanceof UnknownSeasonError) return c.json({ error: error.message }, 404);
  if (error instanceof SeasonDirError || error instanceof PublicationDirError) return c.json({ error: `a directory served is damaged: ${error.message}` }, 500);
  console.error(error);
  return c.json({ error: `internal error: ${(error as Error).message}` }, 500);
}

/**
 * The page's 404 for a path under /page/ that none of its routes answers (JSON: `no such route` under
 * /page/api/, `no such file` elsewhere), or undefined for a path outside /page/. A server mounting the
 * page's routes calls it from its own notFound handler (Hono does not carry a sub-app's over), rather than
 * with a catch-all route, which would match every request beside its route and cost each a promise.
 *
 * @example app.notFound((c) => pageNotFound(c) ?? c.json({ error: "no such route" }, 404));
 */
export function pageNotFound(c: Context): Response | undefined {
  const path = c.req.path;
  if (path === "/page/api" || path.startsWith("/page/api/")) return c.json({ error: `no such route: ${c.req.method} ${path} (${ROUTES})` }, 404);
  if (path.startsWith("/page/")) return c.json({ error: `no such file: ${path}` }, 404);
  return undefined;
}

/**
 * The page's routes as a Hono sub-app.
 *
 * @example app.route("/", pageRoutes({ outDir: "out/demo/out" }));
 */
export function pageRoutes(options: PageOptions = {}): Hono {
  return pageApp(options).routes;
}

/**
 * The page's routes and their catalog, bundle and leaderboard files.
 *
 * @example const page = pageApp({ sources: ["out"] }); serve({ fetch: page.routes.fetch, port: 42080 });
 */
export function pageApp(options: PageOptions = {}): PageApp {
  const app = new Hono();
  const webDir = options.webDir ?? defaultWebDir();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const recheckMs = options.recheckMs ?? RECHECK_MS;
  recheckLookupsEvery(recheckMs);
  holdLookupsInMemory((options.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024);
  const catalog = new Catalog(defaultSources(options), { recheckMs });
  const boards = new LeaderboardFiles({ recheckMs });
  // The page's script, bundled when first asked for (see PageApp.bundled).
  let bundling: Promise<string> | undefined;
  let reportBundle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const bundled = new Promise<void>((resolve, reject) => (reportBundle = { resolve, reject }));
  bundled.catch(() => {}); // answered on /page/app.js, and to whoever waits on `bundled`
  const script = (): Promise<string> => {
    if (bundling === undefined) {
      bundling = bundleOnce(webDir);
      bundling.then(() => reportBundle!.resolve(), (error: unknown) => reportBundle!.reject(error));
    }
    return bundling;
  };

  /**
   * A GET route whose errors its handler answers itself (errorAnswer), without app.onError: Hono wraps every
   * route of a sub-app with its own error handler in a promise when a server mounts it (app.route), and one
   * route matching a request (no catch-all beside it: pageNotFound) is called without a promise. An answer
   * made at once (a lookup held in memory) is then sent in the same turn as its request was read.
   */
  const get = <P extends string>(path: P, handler: (c: Context<BlankEnv, P>) => Response | Promise<Response>): void => {
    app.get(path, (c) => {
      try {
        const answer = handler(c);
        return answer instanceof Promise ? answer.catch((error: unknown) => errorAnswer(error, c)) : answer;
      } catch (error) {
        return errorAnswer(error, c);
      }
    });
  };

  /** The season asked for (`?season=N`), else the latest; UnknownSeasonError when it is not served. */
  const seasonOf = (state: CatalogState, asked: number | undefined): SeasonEntry => {
    const served = state.seasons.map((entry) => entry.season);
    if (asked === undefined) {
      const latest = state.seasons.at(-1);
      if (latest === undefined) {
        throw new UnknownSeasonError(
          `no season built yet: run \`season build … --out <dir>\` and serve that directory (OUT_DIR or SEASON_DIR for the indexer)${state.problems.length > 0 ? `; left out: ${state.problems.slice(0, 3).map(describeProblem).join("; ")}` : ""}`,
        );
      }
      return latest;
    }
    const found = state.seasons.find((entry) => entry.season === asked);
    if (found === undefined) throw new UnknownSeasonError(`season ${asked} is not served here: ${served.length === 0 ? "no season is" : `seasons ${served.join(", ")}`} (GET /page/api/catalog)`);
    return found;
  };
  const season = (c: Context): SeasonEntry => seasonOf(catalog.current(), parseSeasonParam(c.req.query("season")));

  /** The pool's board in `entry`, indexed (for a request: first, before the others being indexed); undefined when the season has no file for it. */
  const boardOf = async (entry: SeasonEntry, pool: PoolKey, forRequest = true): Promise<LeaderboardFile | undefined> => {
    const board = boards.open(join(entry.dir, "leaderboards", `${pool}.csv`), pool);
    if (board !== undefined) await (forRequest ? board.indexed() : board.ready);
    return board;
  };

  const staticFile = (route: string, file: string, type: string) =>
    get(route, async (c) => c.body(await readFile(join(webDir, file)), 200, { "content-type": type, ...STATIC_HEADERS }));
  staticFile("/", "index.html", "text/html; charset=utf-8");
  staticFile("/page/style.css", "style.css", "text/css; charset=utf-8");
  get("/page/app.js", async (c) => c.body(await script(), 200, { "content-type": "text/javascript; charset=utf-8", ...STATIC_HEADERS }));
  // The page's images, each a route of its own (a pattern for them, /page/:name, would cost every request the
  // slower of Hono's routers, and /page/* would match every request beside its route).
  for (const image of pageImages(webDir)) {
    get(`/page/${image}`, async (c) => {
      const bytes = await readFile(join(webDir, image)).catch(() => undefined); // removed since the start: gone
      if (bytes === undefined) return c.json({ error: `no such file: ${c.req.path}` }, 404);
      return c.body(new Uint8Array(bytes), 200, { "content-type": "image/png", ...STATIC_HEADERS });
    });
  }
  get("/page/api/catalog", (c) => {
    const state = catalog.current();
    const current = now();
    return c.json({
      seasons: state.seasons.map((entry) => ({
        season: entry.season,
        window: entry.view.window,
        recipients: entry.view.recipients,
        total: entry.view.total.toString(),
        merkleRoot: entry.view.merkleRoot,
        stats: entry.stats,
        projected: current < entry.view.window.end,
      })),
      publications: state.publications.map((entry) => ({
        id: entry.id,
        at: entry.view.at,
        merkleRoot: entry.view.merkleRoot,
        dataHash: entry.view.dataHash,
        recipients: entry.view.manifest.recipients,
        total: entry.view.total.toString(),
        seasons: entry.view.manifest.seasons.map((listed) => ({ season: listed.season, share: listed.share })),
      })),
      latestSeason: state.seasons.at(-1)?.season ?? null,
      latestPublication: state.publications.at(-1)?.id ?? null,
    });
  });

  get("/page/api/season", (c) => {
    const entry = season(c);
    const view = entry.view;
    const deployment = readDeploymentRecord(entry.dir) ?? null;
    const chainId = deployment?.chainId ?? view.chainId ?? null;
    const rewards = chainId === null ? undefined : options.rewardsContracts?.().find((contract) => contract.chainId === chainId);
    const current = now();
    return c.json({
      season: view.season,
      window: view.window,
      claimDeadline: view.claimDeadline ?? null,
      chainId,
      chainName: chainId === null ? null : chainName(chainId),
      token: deployment?.token ?? view.token ?? null,
      decimals: view.decimals,
      merkleRoot: view.merkleRoot,
      total: view.manifest.total,
      recipients: view.recipients,
      pools: view.manifest.pools,
      snapshot: view.manifest.snapshot,
      stats: entry.stats,
      vesting: entry.vesting === null ? null : entry.vesting.map((tranche) => ({ at: tranche.at, share: formatShare(tranche.share) })),
      // While the window is open the numbers come from the data so far: projections, not final rewards.
      projected: current < view.window.end,
      now: current,
      distributor: deployment === null ? null : { address: deployment.address, chainId: deployment.chainId, block: deployment.block, funded: deployment.funding != null },
      rewards: rewards === undefined ? null : { chainId: rewards.chainId, address: rewards.address.toLowerCase() },
    });
  });

  get("/page/api/leaderboards/:pool", async (c) => {
    const pool = parsePoolParam(c.req.param("pool"));
    const { offset, limit } = parsePageParams(c.req.query("offset"), c.req.query("limit"));
    const entry = season(c);
    const board = await boardOf(entry, pool);
    if (board === undefined) return c.json({ error: `no leaderboard for ${pool} in season ${entry.season} (${entry.dir}/leaderboards/${pool}.csv is missing)` }, 404);
    return c.json({
      pool,
      season: entry.season,
      count: board.count,
      offset,
      columns: board.columns,
      entries: board.rows(offset, offset + limit).map(entryView),
    });
  });

  get("/page/api/leaderboards/:pool/search", async (c) => {
    const pool = parsePoolParam(c.req.param("pool"));
    const { query, limit } = parseSearchParams(c.req.query("q"), c.req.query("limit"));
    const entry = season(c);
    const board = await boardOf(entry, pool);
    if (board === undefined) return c.json({ error: `no leaderboard for ${pool} in season ${entry.season} (${entry.dir}/leaderboards/${pool}.csv is missing)` }, 404);
    let positions: number[];
    if (query.kind === "address") {
      const position = await board.positionOf(query.address);
      positions = position === undefined ? [] : [position];
    } else {
      positions = await board.searchNames(query.fragment, limit);
    }
    const matches = positions.map((position) => {
      const [row] = board.rows(position, position + 1);
      return { rank: row!.rank, address: row!.address, name: row!.name };
    });
    return c.json({ pool, season: entry.season, query: query.text, matches });
  });

  get("/page/api/recipients/:address", (c) => {
    const address = parseAddressParam(c.req.param("address"));
    const entry = season(c);
    const found = findRecipientText(entry.dir, address);
    if (found === undefined) return c.json({ address, recipient: false, season: entry.season, error: `${address} has nothing in season ${entry.season}` }, 404);
    return c.json({ address, recipient: true, season: entry.season, index: found.index, amount: found.amount, proof: found.proof, pools: found.pools });
  });

  get("/page/api/rewards/:address", (c) => {
    const address: Address = parseAddressParam(c.req.param("address"));
    const answer = rewardsAnswer(catalog.current(), address, now(), options.rewardsChain);
    // Its JSON written out directly (rewardsJson); the headers a new object each time, as Hono keeps and changes them.
    const send = (whole: RewardsAnswer): Response => c.body(rewardsJson(whole), 200, { "content-type": "application/json" });
    return answer instanceof Promise ? answer.then(send) : send(answer);
  });

  // The same answers without the parameter; any other path is pageNotFound's.
  const whichPool = `which pool? /page/api/leaderboards/<pool>, one of ${POOL_KEYS.join(", ")}`;
  for (const path of ["/page/api/leaderboards", "/page/api/leaderboards/"]) get(path, (c) => c.json({ error: whichPool }, 400));
  for (const name of ["recipients", "rewards"]) {
    for (const path of [`/page/api/${name}`, `/page/api/${name}/`]) get(path, (c) => c.json({ error: `which address? /page/api/${name}/<0x address>` }, 400));
  }
  app.notFound((c) => pageNotFound(c) ?? c.json({ error: `no such route: ${c.req.method} ${c.req.path}: this app answers / and /page/*` }, 404));

  const warm = async (): Promise<void> => {
    const state = catalog.current();
    const latest = state.seasons.at(-1);
    // What a rush asks for first, first, while the memory allowed lasts: the latest publication's
    // proofs (claims), the latest season's, then older ones, newest first. A damaged directory is
    // answered when asked for.
    const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
    const hold = memoryMb === 0 ? [] : [
      ...state.publications.slice(-1).map((entry) => ({ dir: entry.dir, held: holdPublicationInMemory })),
      ...state.seasons.slice(-1).map((entry) => ({ dir: entry.dir, held: holdSeasonInMemory })),
      ...state.publications.slice(0, -1).reverse().map((entry) => ({ dir: entry.dir, held: holdPublicationInMemory })),
      ...state.seasons.slice(0, -1).reverse().map((entry) => ({ dir: entry.dir, held: holdSeasonInMemory })),
    ];
    // The boards first: the page shows one at once, and nothing answers it before its index is built; the
    // lookups answer from the files meanwhile, so holding them waits.
    if (latest !== undefined) for (const pool of POOL_KEYS) await boardOf(latest, pool, false).catch(() => undefined);
    // Then the page's script, before the lookups are read in (they answer from the files meanwhile).
    await script().catch(() => undefined);
    for (const { dir, held } of hold) {
      const started = performance.now();
      const result = await Promise.resolve()
        .then(() => held(dir))
        .catch(() => undefined);
      if (result !== undefined) options.onHold?.({ dir, result, ms: performance.now() - started });
    }
  };
  if (options.warm === true) setImmediate(() => void warm());

  return {
    routes: app,
    catalog: () => catalog.current(),
    bundled,
    warm,
    close: () => boards.keepOnly([]),
  };
}
