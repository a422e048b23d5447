/**
 * Surviving restarts and scaling out. A chain holds about 20,000 events
 * (80 worker payout batches of 125 workers: a WorkerPaid and a Transfer
 * per worker). The indexer is killed (SIGKILL, a crash) in the middle of its
 * backfill and started again on the same schema: it must end in exactly the state the
 * transactions imply. Then two `ponder serve` replicas over the
 * same Postgres schema must answer exactly like the indexer itself.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAll, saveDeployment } from "../../scripts/local/deploy.js";
import { mineBlock, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { chainActor, numberedAddress } from "./chain-actions.js";
import { freshPglite, freshPostgres, getJson, sleep, startPonder, tempDir, testDatabaseUrl, type Backend, type PonderProcess, describeOnBackends } from "./support.js";

const BATCHES = 80;
const WORKERS_PER_BATCH = 125;
const WORKERS = 500; // distinct addresses, each paid in several batches
const SOGNI = 10n ** 18n;
/** WorkerPaid + Transfer per worker paid, one transferFrom per batch, plus the mint. */
const EVENTS = BATCHES * WORKERS_PER_BATCH * 2 + BATCHES + 1;
/** Two blocks per eth_getLogs: the backfill advances in many small steps, so the crash lands inside it even on a busy machine. */
const SMALL_RANGES = { PONDER_GETLOGS_BLOCK_RANGE_31337: "2" };

const pgUrl = testDatabaseUrl();
const cleanups: (() => Promise<void> | void)[] = [];
let node: HardhatNode;
let deploymentsPath: string;
let head: number;
let firstBlock: number;
const paidTo = new Map<string, bigint>(); // worker -> total wei
const paidCount = new Map<string, number>();
let payer: string;

/** Amount of worker w in batch b: distinct, deterministic, not round. */
const amountFor = (b: number, w: number): bigint => SOGNI + BigInt(b) * 1_000_003n + BigInt(w) * 7n;

beforeAll(async () => {
  const dir = tempDir("indexer-restart-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  deploymentsPath = join(dir, "deployments.json");
  node = await startHardhatNode({ chainId: 31337 });
  cleanups.push(() => node.stop());
  const deployment = await deployAll({ rpcUrl: node.rpcUrl });
  saveDeployment(deploymentsPath, deployment);
  firstBlock = deployment.startBlock;
  const actor = chainActor(node.rpcUrl, deployment);
  payer = actor.owner.toLowerCase();
  await actor.mint(actor.owner, 1_000_000n * SOGNI);
  await actor.approvePayouts(1_000_000n * SOGNI);
  for (let b = 0; b < BATCHES; b++) {
    const workers = Array.from({ length: WORKERS_PER_BATCH }, (_, k) => numberedAddress((b * 37 + k) % WORKERS));
    const amounts = workers.map((_, k) => amountFor(b, k));
    await actor.payBatch(BigInt(b + 1), workers, amounts);
    workers.forEach((worker, k) => {
      paidTo.set(worker, (paidTo.get(worker) ?? 0n) + amounts[k]!);
      paidCount.set(worker, (paidCount.get(worker) ?? 0) + 1);
    });
  }
  // Push every event below Ponder's 30-block finality window: all of it is backfill.
  for (let k = 0; k < 35; k++) await mineBlock(actor.publicClient);
  head = (await actor.head()).number;
}, 240_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(error);
    }
  }
});

/** WorkerPaid + Transfer rows the API sees. */
async function eventRows(api: string): Promise<number> {
  const response = await fetch(`${api}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ workerPaids(limit: 1) { totalCount } transfers(limit: 1) { totalCount } }" }),
  });
  const { data } = (await response.json()) as { data: { workerPaids: { totalCount: number }; transfers: { totalCount: number } } };
  return data.workerPaids.totalCount + data.transfers.totalCount;
}

/** Every worker's payouts and balance as the API shows them, checked against what was sent. */
async function expectFinalState(api: string): Promise<void> {
  expect(await eventRows(api)).toBe(EVENTS);
  for (let w = 0; w < WORKERS; w += 25) {
    const worker = numberedAddress(w).toLowerCase();
    const { body } = await getJson<{ total: string; payouts: unknown[] }>(api, `/workers/${worker}/payouts`);
    expect(body.total).toBe((paidTo.get(worker) ?? 0n).toString());
    expect(body.payouts).toHaveLength(paidCount.get(worker) ?? 0);
    const account = await getJson<{ totalBalance: string }>(api, `/accounts/${worker}`);
    expect(account.body.totalBalance).toBe((paidTo.get(worker) ?? 0n).toString());
  }
  const total = [...paidTo.values()].reduce((a, b) => a + b, 0n);
  const payerAccount = await getJson<{ totalBalance: string }>(api, `/accounts/${payer}`);
  expect(payerAccount.body.totalBalance).toBe((1_000_000n * SOGNI - total).toString());
}

describeOnBackends("a restart in the middle of the backfill on %s gives the same final state", (backendName) => {
  let backend: Backend;
  let second: PonderProcess | undefined;
  let stoppedAt = "";
  let midway = false;

  beforeAll(async () => {
    if (backendName === "pglite") {
      // The crash has to land between the first checkpoint and the end of the backfill, a window
      // that a busy 2-core machine can shrink: try up to four times, each on a fresh directory.
      for (let attempt = 1; attempt <= 4 && !midway; attempt++) {
        await second?.stop();
        const pglite = freshPglite();
        cleanups.push(() => pglite.remove());
        backend = pglite.backend;
        await crashAndRestartPglite(attempt);
      }
      return;
    }
    const postgres = await freshPostgres(pgUrl!);
    cleanups.push(() => postgres.drop());
    backend = postgres.backend;
    const schema = `restart_${backendName}`;
    const first = await startPonder({ command: "start", deploymentsPath, schema, backend, env: SMALL_RANGES });
    cleanups.push(() => first.stop("SIGKILL"));
    // Crash (SIGKILL) once the API shows some rows but not all: Ponder's crash recovery must
    // resume from its last checkpoint.
    const until = Date.now() + 120_000;
    for (;;) {
      const rows = await eventRows(first.url).catch(() => 0);
      if (rows >= EVENTS) break; // too late: the test below fails and says so
      if (rows > 0) {
        await first.stop("SIGKILL");
        stoppedAt = `${rows} of ${EVENTS} rows`;
        midway = true;
        break;
      }
      if (Date.now() > until) throw new Error(`no backfill progress seen:\n${first.output()}`);
      await sleep(20);
    }
    second = await startPonder({ command: "start", deploymentsPath, schema, backend, env: SMALL_RANGES });
    cleanups.push(() => second?.stop());
    await second.waitForBlocks(new Map([[31337, head]]), 180_000);
  }, 600_000);

  async function crashAndRestartPglite(attempt: number): Promise<void> {
    const schema = `restart_${backendName}`;
    const first = await startPonder({ command: "start", deploymentsPath, schema, backend, env: SMALL_RANGES });
    cleanups.push(() => first.stop("SIGKILL"));
    // PGlite: one connection serves indexing and the API, so API reads during the backfill run
    // inside Ponder's open indexing transaction and a later crash cannot be recovered
    // (docs/indexer.md). So no database reads here: watch Ponder's in-memory /metrics until the
    // first indexed batch has written its checkpoint, then crash (SIGKILL); the restarted run's
    // log says where it resumed.
    const until = Date.now() + 120_000;
    for (;;) {
      // Under load Ponder's HTTP server can starve while it backfills, so its own progress log
      // (every 5 s, on stdout) is the first signal; /metrics (with a short timeout) the second.
      const progress = /Updated backfill indexing progress progress=([\d.]+)%/.exec(first.output());
      if (progress && Number(progress[1]) > 0) break;
      const metrics = await fetch(`${first.url}/metrics`, { signal: AbortSignal.timeout(250) }).then((r) => r.text()).catch(() => "");
      const finalize = /ponder_historical_transform_duration\{step="finalize"\} (\S+)/.exec(metrics);
      if (finalize && Number(finalize[1]) > 0) break;
      if (/Completed backfill indexing/.test(first.output())) break; // too late: the test below fails and says so
      if (Date.now() > until) throw new Error(`the backfill never indexed a batch:\n${first.output()}`);
      await sleep(5);
    }
    await sleep(10);
    await first.stop("SIGKILL");
    midway = !/Completed backfill indexing/.test(first.output());
    second = await startPonder({ command: "start", deploymentsPath, schema, backend, env: SMALL_RANGES });
    cleanups.push(() => second?.stop());
    await second.waitForBlocks(new Map([[31337, head]]), 180_000);
    const resumed = /Started backfill indexing chain=\S+ block_range=\[(\d+),/.exec(second.output());
    stoppedAt = `attempt ${attempt}: the restart resumed at block ${resumed?.[1]} of ${firstBlock}..${head}`;
    midway &&= resumed !== null && Number(resumed[1]) > firstBlock;
  }

  it("the first run was killed with part of the events indexed, not none and not all", () => {
    expect({ midway, stoppedAt }).toEqual({ midway: true, stoppedAt });
  });

  it("after the restart, every payout and balance matches the transactions sent", async () => {
    await expectFinalState(second!.url);
  });

  if (backendName === "postgres") {
    describe("two `ponder serve` replicas over the same Postgres schema", () => {
      let replicas: PonderProcess[] = [];
      beforeAll(async () => {
        replicas = await Promise.all([0, 1].map(() => startPonder({ command: "serve", deploymentsPath, schema: "restart_postgres", backend, env: SMALL_RANGES })));
        for (const replica of replicas) cleanups.push(() => replica.stop());
      }, 120_000);

      it("answer every route exactly like the indexer", async () => {
        const paths = [
          `/workers/${numberedAddress(3).toLowerCase()}/payouts`,
          `/accounts/${numberedAddress(7).toLowerCase()}?from=0&to=4000000000`,
          `/accounts/${payer}`,
          `/snapshot?deposit=${numberedAddress(11).toLowerCase()}&block=${head}`,
          "/accounts/nope",
        ];
        for (const path of paths) {
          const expected = await fetch(`${second!.url}${path}`).then(async (r) => [r.status, await r.text()]);
          for (const replica of replicas) {
            const got = await fetch(`${replica.url}${path}`).then(async (r) => [r.status, await r.text()]);
            expect(got).toEqual(expected);
          }
        }
        for (const replica of replicas) await expectFinalState(replica.url);
      });
    });
  }
});
