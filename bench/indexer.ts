/**
 * Benchmark (issue 3, item 5): backfill speed of the Ponder indexer on PGlite
 * and on Postgres, beside a same-run baseline that fetches the same logs with
 * plain eth_getLogs and sums them in memory (the floor set by the RPC).
 *
 *   npx tsx bench/indexer.ts [--events 100000] [--batch 200] [--per-block 10]
 *                            [--backends baseline,pglite,postgres] [--json] [--write [--out bench/results-indexer.md]]
 *
 * 1. Starts a Hardhat node on a free port, deploys the contracts and writes a
 *    deployments file under bench/.data/.
 * 2. Generates the load fast: WorkerPayouts.payWorkers batches of --batch
 *    workers (each tx = 1 + batch Transfer events and batch WorkerPaid
 *    events), --per-block transactions per block (automine off, one evm_mine
 *    per block), until at least --events indexed events exist.
 * 3. Baseline: viem getLogs over the same block range in chunks, decoding
 *    Transfer and WorkerPaid and summing balances and payouts in memory.
 * 4. Each Ponder backend: `ponder start` on a fresh database (PGlite in a fresh
 *    directory; on the Postgres server of DATABASE_URL or
 *    postgresql://postgres@127.0.0.1:5432/postgres, a new database per run),
 *    timed from spawn until /status shows the chain's head block, then the
 *    indexed totals are checked against the baseline's.
 *
 * Prints a table (backend, events, seconds, events/s, ratio to baseline); with
 * --write, also writes it with the machine's description into --out (default
 * bench/results-indexer.md, a tracked file: never rewritten unasked). No thresholds: the
 * machine is shared, ratios from the same run are what count.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseInteger, parseOptions, UsageError } from "../scripts/cli/cli.js";
import { startIndexer, type IndexerProcess } from "../scripts/local/indexer-process.js";
import { baseline, DATA, generateLoad, seconds, TRAILING_BLOCKS, type Load, type Totals } from "./indexer-load.js";
import { freshDatabase } from "./measure.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const USAGE = `Usage: npx tsx bench/indexer.ts [--events 100000] [--batch 200] [--per-block 10]
                            [--backends baseline,pglite,postgres] [--json] [--write [--out bench/results-indexer.md]]

  --write        write the table, machine and method to --out (default bench/results-indexer.md);
                 without it the results are only printed

Backfill benchmark: Ponder on PGlite and Postgres vs. a plain eth_getLogs baseline, same chain, same run.
Postgres: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server; each run
creates and drops a database of its own.`;

export interface Measurement {
  backend: string;
  events: number;
  seconds: number;
  /** Part of `seconds` spent starting up (Ponder: spawn to /health); 0 for the baseline. */
  startup: number;
  /** Checked against the baseline's totals (payouts and balances). */
  verified: boolean;
  note: string;
}

// ---- Ponder ----------------------------------------------------------------

/** A backend for the indexer: PGlite in a fresh directory, or Postgres on a fresh schema. */
interface PonderBackend {
  name: "pglite" | "postgres";
  schema: string;
  pgliteDir?: string;
  databaseUrl?: string;
  cleanup: () => Promise<void>;
}

/**
 * Times `ponder start` (through the project's startIndexer): from spawn to
 * /health (start-up), to /ready (backfill done) and to /status at the head
 * block (everything indexed; the number the table uses).
 */
async function runPonder(load: Load, backend: PonderBackend, expected: Totals): Promise<Measurement> {
  const began = process.hrtime.bigint();
  let indexer: IndexerProcess | undefined;
  try {
    indexer = await startIndexer({
      deploymentsPath: load.deploymentsPath,
      schema: backend.schema,
      ...(backend.pgliteDir ? { pgliteDir: backend.pgliteDir } : {}),
      ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}),
    });
    const startup = seconds(began);
    let ready: number | undefined;
    const url = indexer.url;
    const watchReady = (async () => {
      while (ready === undefined) {
        try {
          if ((await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200) ready = seconds(began);
        } catch {
          // not yet
        }
        if (ready === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await indexer.waitForBlocks(new Map([[load.deployment.chainId, Number(load.toBlock)]]), 1_800_000);
    const elapsed = seconds(began);
    ready ??= elapsed;
    await watchReady;
    await indexer.stop();
    const verified = await verifyFromDatabase(backend, expected).catch((error: Error) => {
      log(`  could not verify ${backend.name}: ${error.message}`);
      return false;
    });
    return {
      backend: `ponder (${backend.name})`,
      events: expected.events,
      seconds: elapsed,
      startup,
      verified,
      note: `/ready (backfill done) after ${ready.toFixed(1)} s`,
    };
  } finally {
    await indexer?.stop();
    await backend.cleanup();
  }
}

/**
 * Reads the indexed rows straight from the database once Ponder has stopped
 * and checks them against the baseline: the number of Transfer and
 * WorkerPaid rows, the total paid, and every holder's balance.
 */
async function verifyFromDatabase(backend: PonderBackend, expected: Totals): Promise<boolean> {
  const schema = `"${backend.schema}"`;
  const queries = {
    transfers: `SELECT count(*)::text AS n FROM ${schema}.transfer`,
    paid: `SELECT count(*)::text AS n, coalesce(sum(amount), 0)::text AS total FROM ${schema}.worker_paid`,
    balances: `SELECT holder, sum(delta)::text AS balance FROM (
        SELECT "to" AS holder, amount AS delta FROM ${schema}.transfer
        UNION ALL SELECT "from" AS holder, -amount AS delta FROM ${schema}.transfer
      ) moves WHERE holder <> '0x0000000000000000000000000000000000000000' GROUP BY holder`,
  };
  let rows: { transfers: { n: string }[]; paid: { n: string; total: string }[]; balances: { holder: string; balance: string }[] };
  if (backend.databaseUrl) {
    const { default: pg } = await import("pg");
    const db = new pg.Client({ connectionString: backend.databaseUrl });
    await db.connect();
    try {
      rows = {
        transfers: (await db.query(queries.transfers)).rows,
        paid: (await db.query(queries.paid)).rows,
        balances: (await db.query(queries.balances)).rows,
      };
    } finally {
      await db.end();
    }
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite(backend.pgliteDir!);
    try {
      rows = {
        transfers: (await db.query<{ n: string }>(queries.transfers)).rows,
        paid: (await db.query<{ n: string; total: string }>(queries.paid)).rows,
        balances: (await db.query<{ holder: string; balance: string }>(queries.balances)).rows,
      };
    } finally {
      await db.close();
    }
  }
  const problems: string[] = [];
  if (Number(rows.transfers[0]!.n) !== expected.transfers) problems.push(`${rows.transfers[0]!.n} transfers, expected ${expected.transfers}`);
  if (Number(rows.paid[0]!.n) !== expected.workerPaid) problems.push(`${rows.paid[0]!.n} payouts, expected ${expected.workerPaid}`);
  if (BigInt(rows.paid[0]!.total) !== expected.paid) problems.push(`paid ${rows.paid[0]!.total}, expected ${expected.paid}`);
  const balances = new Map(rows.balances.map((row) => [row.holder.toLowerCase(), BigInt(row.balance)]));
  for (const [holder, balance] of expected.balances) {
    if ((balances.get(holder.toLowerCase()) ?? 0n) !== balance) problems.push(`balance of ${holder}: ${balances.get(holder.toLowerCase())}, expected ${balance}`);
  }
  if (problems.length > 0) log(`  ${backend.name}: ${problems.slice(0, 5).join("; ")}`);
  return problems.length === 0;
}

// ---- report ----------------------------------------------------------------

function table(rows: Measurement[], baselineSeconds: number): string {
  const lines = [
    "| backend | events | seconds | events/s | time vs baseline | start-up s | events/s after start-up | totals checked | notes |",
    "|---|---:|---:|---:|---:|---:|---:|---|---|",
  ];
  const rate = (events: number, secs: number): string => (secs > 0 ? Math.round(events / secs).toLocaleString("en-US") : "-");
  for (const row of rows) {
    const failed = Number.isNaN(row.seconds);
    lines.push(
      [
        "",
        row.backend,
        row.events.toLocaleString("en-US"),
        failed ? "-" : row.seconds.toFixed(2),
        failed ? "-" : rate(row.events, row.seconds),
        failed ? "-" : `${(row.seconds / baselineSeconds).toFixed(1)}x`,
        failed ? "-" : row.startup.toFixed(2),
        failed ? "-" : rate(row.events, row.seconds - row.startup),
        row.verified ? "yes" : "no",
        row.note,
        "",
      ].join(" | ").trim(),
    );
  }
  return lines.join("\n");
}

/** The commit the indexer code was measured at, and whether it had local changes. */
function revision(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "ponder.config.ts", "ponder.schema.ts", "indexer"], { cwd: ROOT, encoding: "utf8" }).trim();
    return `commit ${commit}${dirty ? " with uncommitted indexer changes" : ""}`;
  } catch {
    return "unknown commit";
  }
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    events: { type: "string" },
    batch: { type: "string" },
    "per-block": { type: "string" },
    backends: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    write: { type: "boolean" },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const events = values.events === undefined ? 100_000 : parseInteger(values.events, "--events", 1);
  const batch = values.batch === undefined ? 200 : parseInteger(values.batch, "--batch", 1);
  const perBlock = values["per-block"] === undefined ? 10 : parseInteger(values["per-block"], "--per-block", 1);
  if (values.out !== undefined && !values.write) throw new UsageError("--out names the results file of --write: add --write");
  const backends = (values.backends ?? "baseline,pglite,postgres").split(",");
  for (const backend of backends) {
    if (!["baseline", "pglite", "postgres"].includes(backend)) throw new UsageError(`unknown backend "${backend}" (baseline, pglite, postgres)`);
  }

  log(`generating at least ${events} events (${batch} workers per payout, ${perBlock} payouts per block)`);
  const load = await generateLoad(events, batch, perBlock);
  const rows: Measurement[] = [];
  try {
    log(
      `chain ${load.deployment.chainId}: blocks ${load.fromBlock}..${load.toBlock}, ${load.transferEvents} Transfer + ${load.workerPaidEvents} WorkerPaid events in ${load.generateSeconds.toFixed(1)} s`,
    );
    // The baseline is short: take the median of three runs.
    const baselineRuns: number[] = [];
    let expected = await baseline(load);
    for (let i = 0; i < 3; i++) {
      const began = process.hrtime.bigint();
      expected = await baseline(load);
      baselineRuns.push(seconds(began));
    }
    const baselineSeconds = [...baselineRuns].sort((a, b) => a - b)[1]!;
    const baselineOk = expected.transfers === load.transferEvents && expected.workerPaid === load.workerPaidEvents;
    rows.push({ backend: "baseline: eth_getLogs + sum in memory", events: expected.events, seconds: baselineSeconds, startup: 0, verified: baselineOk, note: `median of 3 (after one warm-up): ${baselineRuns.map((run) => run.toFixed(2)).join(", ")} s` });
    log(`baseline: ${expected.events} events in ${baselineSeconds.toFixed(2)} s`);

    for (const name of backends.filter((backend) => backend !== "baseline") as ("pglite" | "postgres")[]) {
      const backend = name === "pglite" ? pgliteBackend() : await postgresBackend();
      log(`ponder on ${name}: backfilling…`);
      try {
        const row = await runPonder(load, backend, expected);
        rows.push(row);
        log(`ponder on ${name}: ${row.seconds.toFixed(2)} s`);
      } catch (error) {
        log(`ponder on ${name} failed: ${(error as Error).message}`);
        rows.push({ backend: `ponder (${name})`, events: expected.events, seconds: Number.NaN, startup: 0, verified: false, note: `failed: ${(error as Error).message.split("\n")[0]}` });
      }
    }

    const result = table(rows, baselineSeconds);
    console.log(result);
    if (values.json) console.log(JSON.stringify({ machine: machine(), rows }, null, 2));
    if (values.write) {
      const out = values.out ?? join(ROOT, "bench", "results-indexer.md");
      writeResults(out, rows, result, load, events, batch, perBlock);
      log(`wrote ${out}`);
    } else {
      log("results not written (add --write to write bench/results-indexer.md)");
    }
  } finally {
    await load.node.stop();
    rmSync(load.deploymentsPath, { force: true });
  }
  return 0;
}

function pgliteBackend(): PonderBackend {
  const directory = join(DATA, `pglite-${process.pid}`);
  rmSync(directory, { recursive: true, force: true });
  return {
    name: "pglite",
    schema: `bench_${process.pid}_pglite`,
    pgliteDir: directory,
    cleanup: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

/**
 * Postgres in a fresh database (not just a fresh schema): Ponder keeps its
 * RPC sync store in the database-wide `ponder_sync` schema, keyed by chain id
 * and block, so a rebuilt local chain with the same id would be mixed with an
 * older chain's logs even with the cache disabled (seen here).
 */
async function postgresBackend(): Promise<PonderBackend> {
  const schema = "bench";
  const database = await freshDatabase("bench");
  return {
    name: "postgres",
    schema,
    databaseUrl: database.url,
    cleanup: database.drop,
  };
}

function writeResults(out: string, rows: Measurement[], result: string, load: Load, events: number, batch: number, perBlock: number): void {
  const text = `# Indexer backfill benchmark

Generated by \`npx tsx bench/indexer.ts --events ${events} --batch ${batch} --per-block ${perBlock} --write\` on ${new Date().toISOString().slice(0, 10)}.

Machine: ${machine()}. Code: ${revision()}. The machine was shared with other work during the run: absolute
numbers vary, the ratios measured in the same run are what count.

Load: one local Hardhat node (chain ${load.deployment.chainId}), blocks ${load.fromBlock}..${load.toBlock};
${load.transferEvents.toLocaleString("en-US")} \`Transfer\` + ${load.workerPaidEvents.toLocaleString("en-US")} \`WorkerPaid\` events
(payout batches of ${batch} workers, ${perBlock} per block), generated in ${load.generateSeconds.toFixed(1)} s.

${result}

- **baseline**: viem \`getLogs\` over the same range in chunks of 2 blocks (about 4,000 logs per call; viem caps a
  response at 10 MB), both contracts, decoded and summed in memory (balances per holder, total paid).
  The floor set by the RPC.
- **ponder**: the project's indexer (\`ponder start\`, all four contracts, every handler, the same code the
  tests run) on a fresh database: PGlite in a fresh directory, or a new Postgres database (a fresh
  schema is not enough: Ponder's \`ponder_sync\` store is database-wide and would mix in an older
  local chain's logs with the same chain id). **seconds** runs from spawn
  until \`/status\` reports the head block; **start-up** is spawn to \`/health\` (Ponder builds its
  config and schema); the load sits under ${TRAILING_BLOCKS} empty blocks so all of it is a backfill (Ponder
  indexes the newest 30 blocks of an unknown chain one by one, in live mode).
- **totals checked**: after Ponder stops, its tables are read straight from the database and compared
  with the baseline: the count of \`Transfer\` and \`WorkerPaid\` rows, the total paid and every
  holder's balance.
- **time vs baseline**: seconds divided by the baseline's seconds (how many times the floor).
${rows.some((row) => row.note.startsWith("failed")) ? `\nFailures: ${rows.filter((row) => row.note.startsWith("failed")).map((row) => `${row.backend}: ${row.note}`).join("; ")}\n` : ""}`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, text);
  renameSync(`${out}.tmp`, out);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${(error as Error).message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
