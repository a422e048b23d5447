/**
 * What bench/api.ts measures with: autocannon's programmatic API behind a
 * typed function (the package ships no types), a sampler of child processes'
 * resident memory (/proc/<pid>/status VmRSS), and the pids of a server found
 * by the port on its command line (for processes another module started).
 *
 * @example
 * const rss = sampleRss(() => [server.pid]);
 * const result = await runLoad({ urls: [server.url], connections: 32, durationS: 10, request: () => ({ path: `/page/api/recipients/${pick()}` }) });
 * const peakMb = rss.stop();
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** One request autocannon sends: a path (with its query), and for POST a body. */
export interface LoadRequest {
  method?: "GET" | "POST";
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  /** Servers to spread the connections over (autocannon gives connection i the URL i mod n). */
  urls: string[];
  connections: number;
  durationS: number;
  /** Called for every request: the one to send next (a random address, a random offset). */
  request: () => LoadRequest;
}

export interface LoadResult {
  /** Completed requests (any status) per second of the run. */
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  completed: number;
  non2xx: number;
  /** Connection errors and timeouts (requests that got no answer). */
  errors: number;
  timeouts: number;
  /** Status code -> count, for the table's note when something is not 2xx. */
  statusCodes: Record<string, number>;
}

/** The part of autocannon's API and result this bench uses (autocannon 9, lib/run.js and lib/aggregateResult.js). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (request: AutocannonRequest, context: unknown) => AutocannonRequest;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number; max: number };
  requests: { total: number };
}
type Autocannon = (
  options: { url: string | string[]; connections: number; duration: number; requests: AutocannonRequest[]; timeout?: number },
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/**
 * Runs autocannon for `durationS` seconds with `connections` connections;
 * each request comes from `request()`. Latencies are autocannon's (whole
 * milliseconds, its histogram's resolution), over every answer.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.urls.length === 1 ? options.urls[0]! : options.urls,
        connections: options.connections,
        duration: options.durationS,
        timeout: 30,
        requests: [
          {
            method: "GET",
            path: "/",
            setupRequest: (request) => {
              const next = options.request();
              return { ...request, method: next.method ?? "GET", path: next.path, ...(next.body === undefined ? {} : { body: next.body }), ...(next.headers === undefined ? {} : { headers: { ...request.headers, ...next.headers } }) };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
        resolve({
          requestsPerS: result.requests.total / result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max,
          completed: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
        });
      },
    );
  });
}

/** Resident memory of a process in MB, or undefined once it has exited. */
export function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Samples the summed VmRSS of `pids()` every `intervalMs` until stop(),
 * which returns the highest sum seen (MB).
 */
export function sampleRss(pids: () => number[], intervalMs = 100): { stop: () => number } {
  let peak = 0;
  const sample = (): void => {
    const total = pids().reduce((sum, pid) => sum + (rssMb(pid) ?? 0), 0);
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/**
 * Pids of the processes whose command line holds `word` and `--port <port>`
 * (a `ponder start` another module spawned, found by its port).
 */
export function pidsByPort(word: string, port: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
      const at = argv.indexOf("--port");
      if (at !== -1 && argv[at + 1] === String(port) && argv.some((arg) => arg.includes(word))) found.push(Number(name));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return found;
}
