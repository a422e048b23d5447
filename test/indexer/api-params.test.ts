/**
 * Every parameter of every REST route of the indexer (src/api), with random
 * and hostile values: a bad value gets a 400 with a JSON message, an unknown
 * season a 404 with one, a good one a 200; never a 500, never a hang. One
 * Hardhat chain with a little of everything (a transfer to the deposit
 * address, a payout batch, a season-7 distributor in the deployments file)
 * and one `ponder start` on PGlite serve the whole file.
 *
 *   GET /accounts/:address?from=&to=
 *   GET /workers/:address/payouts
 *   GET /snapshot?deposit=&block=&block.<chainId>=
 *   GET /claims/:season?offset=&limit=     GET /claims/:season/:address
 *   GET /rewards/:address                   GET /publications?chainId=
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDeployments, writeDeployments } from "../../chain/deployments.js";
import { deployAll, saveDeployment } from "../../scripts/local/deploy.js";
import { startHardhatNode } from "../../scripts/local/hardhat-node.js";
import { chainActor, numberedAddress } from "./chain-actions.js";
import { freshPglite, startPonder, tempDir, type PonderProcess } from "./support.js";

const CHAIN = 31337;
const DEPOSIT = numberedAddress(7);
const WORKER = numberedAddress(1);
const SOGNI = 10n ** 18n;
/** Per route; each run is one HTTP request to the indexer. */
const RUNS = 50;
/** Far longer than any of these answers takes: past it, the route hangs. */
const ANSWER_MS = 15_000;

const cleanups: (() => Promise<void> | void)[] = [];
let api: PonderProcess;
let head: number;

beforeAll(async () => {
  const dir = tempDir("indexer-params-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const deploymentsPath = join(dir, "deployments.json");
  const node = await startHardhatNode({ chainId: CHAIN });
  cleanups.push(() => node.stop());
  const deployment = await deployAll({ rpcUrl: node.rpcUrl });
  saveDeployment(deploymentsPath, deployment);
  const actor = chainActor(node.rpcUrl, deployment);
  await actor.mint(actor.owner, 1_000n * SOGNI);
  await actor.transfer(DEPOSIT, 40n * SOGNI);
  await actor.approvePayouts(100n * SOGNI);
  await actor.payBatch(1n, [WORKER, numberedAddress(2)], [9n * SOGNI, 1n * SOGNI]);
  // Season 7 has a distributor and the chain a SogniRewards (any addresses: their rows are none), so the claims and rewards routes reach the database.
  const file = readDeployments(deploymentsPath);
  writeDeployments(deploymentsPath, {
    chains: file.chains.map((chain) => ({
      ...chain,
      distributors: [{ season: 7, address: numberedAddress(99), block: deployment.startBlock }],
      rewards: { address: numberedAddress(98), block: deployment.startBlock },
    })),
  });
  head = (await actor.head()).number;
  const pglite = freshPglite();
  cleanups.push(() => pglite.remove());
  api = await startPonder({ command: "start", deploymentsPath, schema: "api_params", backend: pglite.backend });
  cleanups.push(() => api.stop());
  await api.waitForBlocks(new Map([[CHAIN, head]]));
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

const HOSTILE = [
  "", " ", "..", "%", "%%", "%zz", "%E0%A4%A", "%00", "%0A", "%2F", "%2e%2e", "\u202e", "\u200b", "constructor", "__proto__", "null", "undefined", "true",
  "-1", "-0", "+1", "1e3", "1E400", "0x10", "0b1", "0o7", "1.5", "1.0", ".5", "1,000", "1_000", "NaN", "Infinity", "-Infinity", "9".repeat(31), "9".repeat(400), "0", "00", "007",
  "2026-10-13", "2026-10-13T00:00:00Z", "2026-10-13T00:00:00+00:00", "2026-10-13T00:00:00+01:00", "2026-02-30T00:00:00Z", "2026-10-13T24:00:00Z", "2026-10-13T00:00:00.5Z",
  "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "275760-09-13T00:00:00Z", "999999999999", "1000000000000",
  "0x", "0x0", WORKER, WORKER.toUpperCase(), WORKER.replace("0x", "0X"), `${WORKER}0`, WORKER.slice(0, 41), "0x" + "g".repeat(40), "0x70997970C51812dc3A010C7d01b50e0d17dc79c8", "0x70997970c51812DC3A010C7D01B50E0D17DC79C8",
  "'; drop table transfer; --", "' or 1=1 --", "$1", "\\", "<script>", "a".repeat(5_000),
];

/** A value as it may come in a URL: percent-encoded, raw, or hostile. */
const text = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 35n), max: 10n ** 35n }).map(String),
  fc.double().map(String),
);
const urlText = fc.tuple(text, fc.boolean()).map(([value, encode]) => (encode ? encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd")) : value));
const address = fc.oneof(urlText, fc.constantFrom(WORKER, DEPOSIT), fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `0x${Buffer.from(bytes).toString("hex")}`));
const time = fc.oneof(urlText, fc.nat({ max: 4_000_000_000 }).map(String), fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d+Z$/, "Z")));
const block = (): fc.Arbitrary<string> => fc.oneof(urlText, fc.nat({ max: head + 5 }).map(String));
const query = (pairs: [string, string][]): string => (pairs.length === 0 ? "" : `?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`);

/** GET against the indexer; a request no client can send (an invalid URL) is skipped. */
async function get(path: string): Promise<{ status: number; body: unknown; raw: string; pathname: string } | undefined> {
  let url: URL;
  try {
    url = new URL(`${api.url}${path}`);
  } catch {
    return undefined;
  }
  const response = await fetch(url, { signal: AbortSignal.timeout(ANSWER_MS) });
  const raw = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, raw, pathname: url.pathname };
}

/**
 * 200, or 400 (a bad value) or 404 (no such route: an empty or extra path segment; a season without a
 * distributor) with a JSON message; never a 500 or a hang. `ok` checks a 200 of the route itself (a value
 * such as ".." or "a/b" makes the client ask for another path: that answer is only held to the rest).
 */
async function expectAnswer(path: string, route: RegExp, ok: (body: unknown) => void): Promise<void> {
  const answer = await get(path);
  if (answer === undefined) return;
  const what = `GET ${path} -> ${answer.status} ${answer.raw.slice(0, 300)}`;
  expect([200, 400, 404], what).toContain(answer.status);
  if (answer.status === 200) {
    if (route.test(answer.pathname)) ok(answer.body);
  } else {
    expect(answer.body, `${what}: an error answer is JSON`).toMatchObject({ error: expect.any(String) });
    expect((answer.body as { error: string }).error, what).not.toMatch(/^internal error/);
  }
}

describe("GET /accounts/:address?from=&to=", () => {
  it("any address and window: 200, or 400 with a message", async () => {
    await fc.assert(
      fc.asyncProperty(address, fc.option(time), fc.option(time), async (account, from, to) => {
        const pairs: [string, string][] = [];
        if (from !== null) pairs.push(["from", from]);
        if (to !== null) pairs.push(["to", to]);
        await expectAnswer(`/accounts/${account}${query(pairs)}`, /^\/accounts\/[^/]+$/, (body) => expect(body).toMatchObject({ address: expect.stringMatching(/^0x[0-9a-f]{40}$/) }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /workers/:address/payouts", () => {
  it("any address: 200, or 400 with a message", async () => {
    await fc.assert(
      fc.asyncProperty(address, async (worker) => {
        await expectAnswer(`/workers/${worker}/payouts`, /^\/workers\/[^/]+\/payouts$/, (body) => expect(body).toMatchObject({ worker: expect.stringMatching(/^0x[0-9a-f]{40}$/) }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /snapshot?deposit=&block=&block.<chainId>=", () => {
  it("any deposit, block and block.<chainId> (and unknown or repeated parameters): 200 onchain.json, or 400 with a message", async () => {
    const key = fc.oneof(
      fc.constantFrom("deposit", "block", `block.${CHAIN}`, "block.1", "block.", "block.x", "block.-1", `block.${"9".repeat(20)}`, "blocks", "Block", "deposit[]", "x"),
      fc.nat().map((id) => `block.${id}`),
      urlText,
    );
    await fc.assert(
      fc.asyncProperty(fc.option(address), fc.option(block()), fc.array(fc.tuple(key, fc.oneof(block(), address)), { maxLength: 3 }), async (deposit, all, extra) => {
        const pairs: [string, string][] = [];
        if (deposit !== null) pairs.push(["deposit", deposit]);
        if (all !== null) pairs.push(["block", all]);
        pairs.push(...extra);
        await expectAnswer(`/snapshot${query(pairs)}`, /^\/snapshot$/, (body) => expect(body).toMatchObject({ snapshot: [{ chainId: CHAIN }] }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /claims/:season[/:address]", () => {
  const season = fc.oneof(urlText, fc.constantFrom("7", "07", "8", "0"), fc.nat({ max: 2_000_000 }).map(String));
  it("any season, offset and limit: 200 (season 7), 404 for a season without a distributor, or 400 with a message", async () => {
    const page = fc.oneof(urlText, fc.nat({ max: 2000 }).map(String));
    await fc.assert(
      fc.asyncProperty(season, fc.array(fc.tuple(fc.constantFrom("offset", "limit", "Offset"), page), { maxLength: 3 }), async (n, pairs) => {
        await expectAnswer(`/claims/${n}${query(pairs)}`, /^\/claims\/[^/]+$/, (body) => expect(body).toMatchObject({ season: 7, count: 0 }));
      }),
      { numRuns: RUNS },
    );
  });

  it("any season and address: 200 (season 7), 404 for a season without a distributor, or 400 with a message", async () => {
    await fc.assert(
      fc.asyncProperty(season, address, async (n, account) => {
        await expectAnswer(`/claims/${n}/${account}`, /^\/claims\/[^/]+\/[^/]+$/, (body) => expect(body).toMatchObject({ season: 7, claimed: false }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /rewards/:address", () => {
  it("any address and any query: 200, or 400 with a message (it takes no parameters)", async () => {
    await fc.assert(
      fc.asyncProperty(address, fc.array(fc.tuple(fc.oneof(fc.constantFrom("chainId", "season", "x"), urlText), urlText), { maxLength: 2 }), async (account, pairs) => {
        await expectAnswer(`/rewards/${account}${query(pairs)}`, /^\/rewards\/[^/]+$/, (body) =>
          expect(body).toMatchObject({ account: expect.stringMatching(/^0x[0-9a-f]{40}$/), claimed: "0", rewards: [{ chainId: CHAIN, live: null, claimable: "0" }] }),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /publications?chainId=", () => {
  it("any chainId (and unknown parameters): 200, or 400 with a message", async () => {
    const key = fc.oneof(fc.constantFrom("chainId", "chain", "ChainId", "chainId[]"), urlText);
    const value = fc.oneof(urlText, fc.constantFrom(String(CHAIN), "0", "31338", "9".repeat(20)), fc.nat().map(String));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 2 }), async (pairs) => {
        await expectAnswer(`/publications${query(pairs)}`, /^\/publications$/, (body) => expect(body).toMatchObject({ contracts: expect.any(Array) }));
      }),
      { numRuns: RUNS },
    );
  });
});
