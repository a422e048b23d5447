/**
 * Serves `pageRoutes` on its own (no Ponder) on a free loopback port, for the
 * page's API tests.
 *
 * @example const server = await servePage({ seasonDir }); await fetch(`${server.url}/page/api/season`);
 */
import { serve, type ServerType } from "@hono/node-server";
import { pageRoutes, type PageOptions } from "../../../web/server.js";
import { freePort } from "../../../scripts/local/ports.js";

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function servePage(options: PageOptions): Promise<PageServer> {
  const port = await freePort();
  const app = pageRoutes(options);
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(started));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
