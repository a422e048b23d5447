/**
 * Load bench of the HTTP APIs (issue 12 item 5): the page's routes
 * (web/server.ts pageRoutes) on a generated 1,000,000-recipient season and
 * its publication, beside a same-run baseline that serves the same answers
 * precomputed in a Map with the same framework (Hono on @hono/node-server);
 * then the indexer's routes on PGlite and on Postgres, one and two
 * `ponder serve` replicas, on the demo's chain.
 *
 * Load: autocannon (programmatic), --connections 32 for --duration 5 s per
 * run after --warmup 1 s; a page case loads the baseline and the page
 * server in turn, --rounds 3 times (both alive side by side, so a shared
 * machine's slower minutes fall on both), and states the round of the
 * median ratio; each request picks a random address from
 * --addresses sampled recipients (read from recipients.csv beforehand), or a
 * random leaderboard offset from --offsets drawn offsets. The baseline's
 * Map holds exactly those answers, fetched from a page server first (and a
 * sample of their proofs checked against the roots).
 *
 * Every server is a child process of its own: the page by default as
 * `sogni-season serve <out>` (what a person runs; --server routes: pageRoutes()
 * with OUT_DIR, as the indexer mounts it, bench/api-server.ts), the baseline
 * as bench/api-server.ts map; each with bench/api-eld.mjs preloaded, which
 * reports its max event-loop delay (perf_hooks.monitorEventLoopDelay) over
 * the IPC channel. Peak RSS is the process's VmRSS sampled every 100 ms from
 * the start of a case (warm-up included) to its end; the event loop is
 * watched over the same span. Each case gets a fresh process, so its RSS
 * and event loop are that route's alone, settled before the load (one
 * request per leaderboard: its index built; its season and publication held
 * in memory, as `serve` says on stderr) so the case is the steady state; the cold start is the first-answer rows. "First answer" is the time from
 * spawning a page server to its first 200, for a random address and for a
 * random leaderboard page, over --first-runs fresh processes each.
 *
 * Goals (issue 12): proofs ≥ 0.5× the baseline's req/s and p99 < 50 ms,
 * first answer < 1 s, RSS < 500 MB, leaderboard p99 < 20 ms, max event-loop
 * delay < 50 ms. The indexer's rows are stated, without goals.
 *
 * The season is cached (bench/api-season.ts): /tmp/m1/ for 1,000,000
 * recipients (taken with the lock /tmp/m1.lock for the preparation and the
 * page cases: one 1M run at a time), <tmpdir>/sogni-bench-api-<n>-seed<s>/
 * for --quick (20,000) or --recipients <n>.
 *
 * Usage: node_modules/.bin/tsx bench/api.ts [--quick] [--recipients 1000000] [--connections 32] [--duration 10] [--only page,indexer] [--write]
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Hex } from "../season/types.js";
import { indexerCases, type Backend, type IndexerBench } from "./api-indexer.js";
import { awaitHeld, checkAnswers, fetchAnswers, firstAnswerMs, largestLeaderboard, loadCase, settle, startServer, type CaseOptions, type CaseResult } from "./api-page.js";
import { prepareSeason, random, sampleAddresses, seasonRoot, SHARED_1M_LOCK, SHARED_1M_ROOT, takeLock, type PreparedSeason } from "./api-season.js";
import { DATA } from "./indexer-load.js";
import { machine, ROOT } from "./measure.js";

const GOALS = { proofRatio: 0.5, proofP99Ms: 50, firstAnswerMs: 1000, rssMb: 500, leaderboardP99Ms: 20, eventLoopMs: 50 };
const LEADERBOARD_LIMIT = 100;

const HELP = `bench/api.ts: load the page API (1,000,000-recipient season) and the indexer's API with autocannon

Usage: node_modules/.bin/tsx bench/api.ts [options]   (npm run bench:api -- [options])
  --recipients <n>        season size (default 1000000; cached in ${SHARED_1M_ROOT} under ${SHARED_1M_LOCK})
  --quick                 a 20,000-recipient season, 3 s per case, a 100-account indexer demo (for development)
  --seed <n>              generator seed and the seed of the random picks (default 1)
  --connections <n>       concurrent connections (default 32)
  --duration <s>          seconds per measured run (default 5; --quick 3)
  --rounds <n>            page cases: runs of the baseline and the page server in turn (default 3; the median ratio is shown)
  --warmup <s>            seconds of load before each measured case, not counted (default 1)
  --addresses <n>         recipients sampled for the random lookups (default 10000)
  --offsets <n>           leaderboard offsets drawn for the random pages (default 1000)
  --first-runs <n>        fresh page servers timed from spawn to first 200 (default 3)
  --only <parts>          page, indexer or both (default page,indexer)
  --server <kind>         the page server: serve (\`sogni-season serve <out>\`, default) or routes (pageRoutes()
                          with OUT_DIR on @hono/node-server, as the indexer mounts it)
  --backends <list>       indexer backends: pglite, postgres (default both; Postgres: DATABASE_URL or
                          postgresql://postgres@127.0.0.1:5432/postgres, a fresh database per run)
  --indexer-accounts <n>  simulated accounts of the indexer's demo chain (default 300; --quick 100)
  --write                 append the table (machine, date) to bench/results-api.md and replace the
                          bench:api section of BENCHMARKS.md with it
  --help                  this text
`;

interface Goal {
  text: string;
  met: boolean;
}

interface Row {
  name: string;
  result: CaseResult | null;
  ratio: number | null;
  goals: Goal[];
  note: string;
  /** First answer only: the runs, ms. */
  firstAnswers?: number[];
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function whole(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${flag} must be a whole number >= ${min}, got "${text}"`);
  return value;
}

const ms = (value: number): string => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const mark = (goal: Goal): string => `${goal.met ? "✓" : "✗"} ${goal.text}`;

function tableOf(rows: Row[]): string {
  const lines = [
    "| case | requests/s | p50 (ms) | p99 (ms) | errors / non-2xx | peak RSS (MB) | event-loop delay max (p99), ms | ratio to baseline (req/s) | goals | notes |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
  ];
  for (const row of rows) {
    if (row.firstAnswers !== undefined) {
      const sorted = [...row.firstAnswers].sort((a, b) => a - b);
      lines.push(`| ${row.name} | - | ${ms(sorted[Math.floor(sorted.length / 2)]!)} (median) | ${ms(sorted[sorted.length - 1]!)} (slowest) | - | - | - | - | ${row.goals.map(mark).join(", ")} | ${row.note} |`);
      continue;
    }
    const r = row.result;
    if (r === null) {
      lines.push(`| ${row.name} | - | - | - | - | - | - | - | ${row.goals.map(mark).join(", ") || "-"} | ${row.note} |`);
      continue;
    }
    const failures = `${r.load.errors} / ${r.load.non2xx}`;
    lines.push(
      `| ${row.name} | ${Math.round(r.load.requestsPerS).toLocaleString("en-US")} | ${ms(r.load.p50Ms)} | ${ms(r.load.p99Ms)} | ${failures} | ${r.peakRssMb.toFixed(0)} | ${r.eventLoop === null ? "-" : `${ms(r.eventLoop.maxMs)} (${ms(r.eventLoop.p99Ms)})`} | ${row.ratio === null ? "-" : `${row.ratio.toFixed(2)}×`} | ${row.goals.map(mark).join(", ") || "stated"} | ${row.note} |`,
    );
  }
  return lines.join("\n");
}

/** The statuses that were not 200, for a row's note: "404 × 12". */
function statuses(result: CaseResult): string {
  const other = Object.entries(result.load.statusCodes).filter(([code]) => code !== "200");
  return other.length === 0 ? "" : `; answers ${other.map(([code, count]) => `${code} × ${count.toLocaleString("en-US")}`).join(", ")}`;
}

async function pageCases(season: PreparedSeason, options: { server: "serve" | "routes"; addresses: number; offsets: number; firstRuns: number; seed: number; load: CaseOptions; rounds: number; work: string }): Promise<{ rows: Row[]; facts: string }> {
  const kind = options.server;
  log(`sampling ${options.addresses.toLocaleString("en-US")} addresses from ${season.seasonDir}/recipients.csv…`);
  const addresses = await sampleAddresses(season.seasonDir, options.addresses, options.seed);
  const next = random(options.seed + 1);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;

  const firstRows = async (what: string, path: () => string): Promise<Row> => {
    log(`first answer (${what}): ${options.firstRuns} fresh page servers, spawn to first 200…`);
    const runs: number[] = [];
    let failure: string | undefined;
    for (let i = 0; i < options.firstRuns && failure === undefined; i++) {
      try {
        runs.push(await firstAnswerMs(kind, season.outDir, path()));
        log(`  ${ms(runs[runs.length - 1]!)} ms`);
      } catch (error) {
        failure = (error as Error).message.split("\n")[0]!;
        log(`  failed: ${failure}`);
      }
    }
    return {
      name: `first answer: spawn of a page server → its first 200 for ${what} (${options.firstRuns} run${options.firstRuns === 1 ? "" : "s"})`,
      result: null,
      ratio: null,
      goals: [{ text: `< ${GOALS.firstAnswerMs / 1000} s`, met: failure === undefined && Math.max(...runs) < GOALS.firstAnswerMs }],
      note: failure === undefined ? `runs: ${runs.map((value) => `${ms(value)} ms`).join(", ")}` : `failed: ${failure}`,
      ...(failure === undefined ? { firstAnswers: runs } : {}),
    };
  };
  const rows: Row[] = [await firstRows("a random address (`/page/api/recipients/:address`)", () => `/page/api/recipients/${pick(addresses)}`)];

  log("fetching the baseline's answers from a page server…");
  const page = await startServer(kind, season.outDir);
  let leaderboard: { pool: string; count: number };
  let paths: string[];
  let fetched: Awaited<ReturnType<typeof fetchAnswers>>;
  try {
    leaderboard = await largestLeaderboard(page.url);
    const offsets = Array.from({ length: options.offsets }, () => Math.floor(next() * Math.max(1, leaderboard.count - LEADERBOARD_LIMIT + 1)));
    paths = [
      ...addresses.map((address) => `/page/api/recipients/${address}`),
      ...addresses.map((address) => `/page/api/rewards/${address}`),
      ...offsets.map((offset) => `/page/api/leaderboards/${leaderboard.pool}?offset=${offset}&limit=${LEADERBOARD_LIMIT}`),
    ];
    const began = performance.now();
    fetched = await fetchAnswers(page.url, paths);
    log(`  ${paths.length.toLocaleString("en-US")} answers in ${((performance.now() - began) / 1000).toFixed(1)} s${fetched.notOk.size === 0 ? "" : `; not 200: ${[...fetched.notOk].map(([code, n]) => `${code} × ${n}`).join(", ")}`}`);
  } finally {
    await page.stop();
  }
  const checked = checkAnswers(fetched.answers, season.merkleRoot as Hex);
  for (const problem of checked.problems.slice(0, 5)) log(`  check: ${problem}`);
  const answersFile = join(options.work, "answers.json");
  writeFileSync(answersFile, JSON.stringify(fetched.answers));

  const byPrefix = (prefix: string) => paths.filter((path) => path.startsWith(prefix));
  const cases = [
    { key: "recipients", title: "`GET /page/api/recipients/:address` (season proof)", paths: byPrefix("/page/api/recipients/"), proofs: true },
    { key: "rewards", title: "`GET /page/api/rewards/:address` (publication proofs)", paths: byPrefix("/page/api/rewards/"), proofs: true },
    { key: "leaderboard", title: `\`GET /page/api/leaderboards/${leaderboard.pool}?offset=<random>&limit=${LEADERBOARD_LIMIT}\` (${leaderboard.count.toLocaleString("en-US")} rows)`, paths: byPrefix("/page/api/leaderboards/"), proofs: false },
  ];
  rows.push(
    await firstRows(`a random page of the ${leaderboard.count.toLocaleString("en-US")}-row leaderboard`, () => pick(byPrefix("/page/api/leaderboards/"))),
  );
  for (const c of cases) {
    const request = () => ({ path: pick(c.paths) });
    // The baseline and the page server side by side, loaded in turn, round after round: a shared machine's
    // slower minutes then fall on both, and the ratio of the median round is the one stated.
    log(`${c.title}: the baseline (Map) and the page server in turn, ${options.rounds} round${options.rounds === 1 ? "" : "s"}…`);
    const map = await startServer("map", season.outDir, answersFile);
    const rounds: { baseline: CaseResult; page: CaseResult }[] = [];
    let settled: number;
    let held: number | undefined;
    try {
      const server = await startServer(kind, season.outDir);
      try {
        settled = await settle(server.url);
        // Its season and publication read into memory and checked (web/server.ts memoryMb): a server a few seconds after its start.
        held = await awaitHeld(server, 2);
        if (held === undefined) log("  the season and publication were not held in memory within 60 s: measured from the files");
        for (let round = 0; round < options.rounds; round++) {
          const baseline = await loadCase([map], options.load, request);
          const page = await loadCase([server], options.load, request);
          rounds.push({ baseline, page });
          log(`  round ${round + 1}: baseline ${Math.round(baseline.load.requestsPerS)} req/s, page ${Math.round(page.load.requestsPerS)} req/s (${(page.load.requestsPerS / baseline.load.requestsPerS).toFixed(2)}×), p99 ${page.load.p99Ms} ms, peak RSS ${page.peakRssMb.toFixed(0)} MB, event loop max ${page.eventLoop?.maxMs.toFixed(1)} ms`);
        }
      } finally {
        await server.stop();
      }
    } finally {
      await map.stop();
    }
    const ratios = rounds.map((round) => round.page.load.requestsPerS / round.baseline.load.requestsPerS);
    const median = rounds[ratios.indexOf([...ratios].sort((x, y) => x - y)[Math.floor((ratios.length - 1) / 2)]!)]!;
    const baseline = median.baseline;
    // The median round's load; memory and the event loop at their worst over every round.
    const measured: CaseResult = {
      load: median.page.load,
      peakRssMb: Math.max(...rounds.map((round) => round.page.peakRssMb)),
      eventLoop: rounds.some((round) => round.page.eventLoop === null) ? null : { maxMs: Math.max(...rounds.map((round) => round.page.eventLoop!.maxMs)), p99Ms: Math.max(...rounds.map((round) => round.page.eventLoop!.p99Ms)), meanMs: Math.max(...rounds.map((round) => round.page.eventLoop!.meanMs)) },
    };
    const ratio = measured.load.requestsPerS / baseline.load.requestsPerS;
    const goals: Goal[] = c.proofs
      ? [
          { text: `≥ ${GOALS.proofRatio}× baseline`, met: ratio >= GOALS.proofRatio },
          { text: `p99 < ${GOALS.proofP99Ms} ms`, met: measured.load.p99Ms < GOALS.proofP99Ms },
        ]
      : [{ text: `p99 < ${GOALS.leaderboardP99Ms} ms`, met: measured.load.p99Ms < GOALS.leaderboardP99Ms }];
    goals.push({ text: `RSS < ${GOALS.rssMb} MB`, met: measured.peakRssMb < GOALS.rssMb });
    goals.push({ text: `event loop < ${GOALS.eventLoopMs} ms`, met: measured.eventLoop !== null && measured.eventLoop.maxMs < GOALS.eventLoopMs });
    rows.push({ name: `baseline: ${c.title}, the same answers from a Map`, result: baseline, ratio: 1, goals: [], note: `${c.paths.length.toLocaleString("en-US")} precomputed answers${statuses(baseline)}` });
    rows.push({ name: `page routes: ${c.title}`, result: measured, ratio, goals, note: `random over ${c.paths.length.toLocaleString("en-US")} ${c.key === "leaderboard" ? "offsets" : "sampled addresses"}; ${rounds.length} rounds in turn with the baseline, ratios ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")} (the median's shown); settled in ${ms(settled)} ms, ${held === undefined ? "not held in memory within 60 s" : `held in memory ${ms(settled + held)} ms after start`}${statuses(measured)}` });
  }
  const facts =
    `Season: ${season.recipients.toLocaleString("en-US")} recipients (scripts/generate-season.ts, seed ${options.seed}), format ${season.formatVersion}, root ${season.merkleRoot}; ` +
    `publication-1 (format ${season.publicationFormatVersion}, everything vested); ${season.outDir} (${season.made.join(", ")}). ` +
    `Page server: ${kind === "serve" ? `\`bin/sogni-season.mjs serve ${season.outDir} --port <free> --json\` run as \`npx sogni-season\` runs it (its shebang: \`node --max-semi-space-size=16\`), with \`NODE_OPTIONS="--import ./bench/api-eld.mjs"\` (bench/api-eld.mjs only watches its event loop)` : "`node --import tsx bench/api-server.ts routes` (pageRoutes() with OUT_DIR, as the indexer mounts it)"}, a fresh process per case. ` +
    `Answers checked: ${checked.checked} proofs verified against their roots${checked.problems.length === 0 ? "" : `, ${checked.problems.length} problems: ${checked.problems.slice(0, 3).join("; ")}`}.`;
  return { rows, facts };
}

function indexerRows(bench: IndexerBench): Row[] {
  return bench.rows.map((row) => ({
    name: `indexer, ${row.server}: \`${row.route}\``,
    result: row.result,
    ratio: null,
    goals: [],
    note: `${row.note}${row.result === null ? "" : statuses(row.result)}`,
  }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recipients: { type: "string" },
      quick: { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      connections: { type: "string", default: "32" },
      duration: { type: "string" },
      warmup: { type: "string", default: "1" },
      addresses: { type: "string", default: "10000" },
      offsets: { type: "string", default: "1000" },
      "first-runs": { type: "string", default: "3" },
      rounds: { type: "string", default: "3" },
      server: { type: "string", default: "serve" },
      only: { type: "string", default: "page,indexer" },
      backends: { type: "string", default: "pglite,postgres" },
      "indexer-accounts": { type: "string" },
      write: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const recipients = whole(values.recipients ?? (values.quick ? "20000" : "1000000"), "--recipients", 10);
  const seed = whole(values.seed, "--seed", 0);
  const load: CaseOptions = {
    connections: whole(values.connections, "--connections", 1),
    durationS: whole(values.duration ?? (values.quick ? "3" : "5"), "--duration", 1),
    warmupS: whole(values.warmup, "--warmup", 0),
  };
  const parts = values.only.split(",");
  for (const part of parts) if (part !== "page" && part !== "indexer") throw new Error(`--only takes page and/or indexer, not "${part}"`);
  const backends = values.backends.split(",") as Backend[];
  for (const backend of backends) if (backend !== "pglite" && backend !== "postgres") throw new Error(`--backends takes pglite and/or postgres, not "${backend}"`);
  const server = values.server;
  if (server !== "serve" && server !== "routes") throw new Error(`--server takes serve or routes, not "${server}"`);
  const accounts = whole(values["indexer-accounts"] ?? (values.quick ? "100" : "300"), "--indexer-accounts", 10);

  const work = mkdtempSync(join(tmpdir(), "sogni-bench-api-run-"));
  const loadBefore = loadavg().map((x) => x.toFixed(2)).join(", ");
  const rows: Row[] = [];
  const facts: string[] = [];
  try {
    if (parts.includes("page")) {
      const release = seasonRoot(recipients, seed).shared ? await takeLock(SHARED_1M_LOCK, log) : () => {};
      try {
        const season = await prepareSeason({ recipients, seed }, log);
        const page = await pageCases(season, {
          addresses: whole(values.addresses, "--addresses", 1),
          offsets: whole(values.offsets, "--offsets", 1),
          firstRuns: whole(values["first-runs"], "--first-runs", 1),
          server,
          seed,
          load,
          rounds: whole(values.rounds, "--rounds", 1),
          work,
        });
        rows.push(...page.rows);
        facts.push(page.facts);
      } finally {
        release();
      }
    }
    if (parts.includes("indexer")) {
      const bench = await indexerCases({ accounts, backends, load, workDir: join(DATA, `api-demo-${process.pid}`) }, log);
      rows.push(...indexerRows(bench));
      facts.push(`Indexer data: ${bench.data}. Postgres rows: a \`ponder start\` on a fresh database keeps running beside the \`ponder serve\` replicas; RSS is the Ponder processes' (Postgres's not counted).`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const table = tableOf(rows);
  const method = `${load.connections} connections, ${load.durationS} s per run after ${load.warmupS} s of warm-up; page cases: ${values.rounds} runs of the baseline and the page server in turn, the median ratio shown (autocannon ${autocannonVersion()}); load average before: ${loadBefore} (1, 5, 15 min).`;
  process.stdout.write(`${table}\n\n${facts.join("\n\n")}\n${method}\n`);
  if (values.write) {
    const path = fileURLToPath(new URL("./results-api.md", import.meta.url));
    if (!existsSync(path)) {
      writeFileSync(
        path,
        "# API under load: the page's routes on a 1,000,000-recipient season, and the indexer's routes\n\n" +
          "Appended by `npm run bench:api -- --write` (one section per run; bench/api.ts says how). Baseline: the same\n" +
          "answers precomputed in a Map, served by the same framework (Hono on @hono/node-server), in the same run.\n" +
          `Goals: proofs ≥ ${GOALS.proofRatio}× the baseline's requests/s and p99 < ${GOALS.proofP99Ms} ms, first answer < ${GOALS.firstAnswerMs / 1000} s, RSS < ${GOALS.rssMb} MB,\n` +
          `leaderboard p99 < ${GOALS.leaderboardP99Ms} ms, max event-loop delay < ${GOALS.eventLoopMs} ms. The indexer's rows are stated, without goals.\n`,
      );
    }
    const when = new Date().toISOString();
    appendFileSync(path, `\n## ${when}\n\nMachine: ${machine()}. ${method}\n\n${table}\n\n${facts.join("\n\n")}\n`);
    log(`appended to ${path}`);
    const benchmarks = join(ROOT, "BENCHMARKS.md");
    writeBenchmarksSection(
      benchmarks,
      `Generated by \`npm run bench:api -- ${process.argv.slice(2).join(" ")}\` on ${when} (every run: bench/results-api.md).\n\n` +
        `Machine: ${machine()}. ${method}\n\n` +
        `Baseline: the same answers precomputed in a Map, served by the same framework (Hono on @hono/node-server) in a child\n` +
        `process of its own, loaded the same way in the same run. Page rows: the page server named under the table, a fresh\n` +
        `process per case, settled first (one request per leaderboard, so its index is built, and its season and publication\n` +
        `held in memory, as a server is a few seconds after its start: the first-answer rows show the cold start); peak RSS is that process's VmRSS sampled every 100 ms over the warm-up and the measured run; the\n` +
        `event-loop delay is its perf_hooks.monitorEventLoopDelay over the same span (10 ms resolution; bench/api-eld.mjs).\n` +
        `Latencies are autocannon's (whole milliseconds). Each request picks a random sampled address or leaderboard offset.\n\n` +
        `${table}\n\n${facts.join("\n\n")}\n`,
    );
    log(`wrote the bench:api section of ${benchmarks}`);
  }
}

const SECTION_BEGIN = "<!-- bench:api begin: written by `npm run bench:api -- --write`; what is between these lines is replaced -->";
const SECTION_END = "<!-- bench:api end -->";

/** Replaces (or appends) BENCHMARKS.md's "API under load" section, atomically (a temporary file renamed over it). */
function writeBenchmarksSection(path: string, body: string): void {
  const text = readFileSync(path, "utf8");
  const section = `${SECTION_BEGIN}\n${body}${SECTION_END}`;
  const begin = text.indexOf(SECTION_BEGIN);
  const end = text.indexOf(SECTION_END);
  const next =
    begin !== -1 && end > begin
      ? `${text.slice(0, begin)}${section}${text.slice(end + SECTION_END.length)}`
      : `${text.trimEnd()}\n\n## API under load: the page's routes on a 1,000,000-recipient season, the indexer's routes\n\n${section}\n`;
  writeFileSync(`${path}.tmp`, next);
  renameSync(`${path}.tmp`, path);
}

function autocannonVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", "autocannon", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    log(`bench/api.ts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
