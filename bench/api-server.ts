/**
 * A server bench/api.ts loads beside `sogni-season serve`: Hono on
 * @hono/node-server on 127.0.0.1, in one of two modes, with its event loop
 * watched by bench/api-eld.mjs. Once listening it prints {"url": …} as one
 * JSON line, as `sogni-season serve --json` does.
 *
 *   map     the baseline: the same answers, fetched from a page server
 *           beforehand, precomputed in a Map (path -> status and JSON text), on
 *           the same route patterns (so the same Hono routing per request).
 *   routes  web/server.ts's pageRoutes() as the indexer mounts it (env OUT_DIR
 *           names the directory holding season-<n>/ and publication-<id>/), warm:
 *           it says on stderr as each directory's lookups are held in memory.
 *
 * Usage (bench/api.ts spawns it): node --import tsx bench/api-server.ts map|routes [--port <n>] [--answers <file.json>]
 */
import "./api-eld.mjs";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { HOLD_MESSAGES } from "../scripts/commands/serve.js";
import { pageApp } from "../web/server.js";

/** The baseline's answers file: path with query -> answer, as bench/api.ts fetched them from the page server. */
export interface Answers {
  [path: string]: { status: number; body: string };
}

/** The baseline app: each route answers from the Map, as precomputed JSON text. */
function mapRoutes(answers: Map<string, { status: number; body: string }>): Hono {
  const app = new Hono();
  const answer = (c: Context, key: string) => {
    const hit = answers.get(key);
    if (hit === undefined) return c.json({ error: `not precomputed: ${key}` }, 404);
    return c.body(hit.body, hit.status as 200, { "content-type": "application/json; charset=utf-8" });
  };
  app.get("/page/api/recipients/:address", (c) => answer(c, `/page/api/recipients/${c.req.param("address")}`));
  app.get("/page/api/rewards/:address", (c) => answer(c, `/page/api/rewards/${c.req.param("address")}`));
  app.get("/page/api/leaderboards/:pool", (c) => answer(c, `/page/api/leaderboards/${c.req.param("pool")}?offset=${c.req.query("offset")}&limit=${c.req.query("limit")}`));
  return app;
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { answers: { type: "string" }, port: { type: "string", default: "0" } }, allowPositionals: true, strict: true });
  const mode = positionals[0];
  let app: Hono;
  if (mode === "routes") {
    // As the indexer mounts it (warm: the latest season's boards indexed and the lookups held in memory at start).
    const page = pageApp({ warm: true, onHold: ({ dir, result }) => process.stderr.write(`${dir}: ${HOLD_MESSAGES[result]}\n`) });
    app = page.routes;
  }
  else if (mode === "map") {
    if (values.answers === undefined) throw new Error("map mode needs --answers <file.json>");
    app = mapRoutes(new Map(Object.entries(JSON.parse(readFileSync(values.answers, "utf8")) as Answers)));
  } else throw new Error(`mode must be map or routes, not ${JSON.stringify(mode)}`);
  serve({ fetch: app.fetch, port: Number(values.port), hostname: "127.0.0.1" }, (info) => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}/` })}\n`));
}

main();
