/**
 * The page's JSON routes (web/server.ts) over a season output directory:
 * the season summary (projected while the window is open), leaderboards in
 * pages, a recipient's amount with its per-pool breakdown, and 400/404
 * answers with a message for bad requests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestSeasonDir } from "../../season-io/season-dir.js";
import { readCsvRecords } from "../../season/csv.js";
import { writeSeasonFixture, type SeasonFixture } from "../e2e/support/season-fixture.js";
import { servePage, type PageServer } from "./support/page-server.js";

const SOGNI = (text: string): bigint => parseUnits(text, 18);
const token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const alice = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
const bob = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();

let work: string;
let season: SeasonFixture;
let server: PageServer;
const NOW = Date.parse("2026-11-01T12:00:00Z") / 1000;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "page-api-"));
  // Season 6 (older) and season 7 (newer) side by side: the newest is served.
  writeSeasonFixture(work, { season: 6, chainId: 31337, token: token as `0x${string}`, allocations: [{ account: bob as `0x${string}`, amount: SOGNI("1") }] });
  season = writeSeasonFixture(work, {
    season: 7,
    chainId: 31337,
    token: token as `0x${string}`,
    window: { start: "2026-10-13T00:00:00Z", end: "2026-11-24T00:00:00Z" },
    allocations: [
      { account: alice as `0x${string}`, amount: SOGNI("30.000000000000000001"), name: "alice", pools: { artists: SOGNI("10"), stakers: SOGNI("20.000000000000000001") } },
      { account: bob as `0x${string}`, amount: SOGNI("5"), name: "bob", pools: { artists: SOGNI("3"), fastWorkers: SOGNI("2") } },
    ],
  });
  mkdirSync(join(work, "season-x"), { recursive: true });
  server = await servePage({ outDir: work, now: () => NOW });
});

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("which season: the highest season-<n> under OUT_DIR", () => {
  it("serves season 7 over season 6 and ignores directories without a manifest", () => {
    expect(latestSeasonDir(work)).toBe(join(work, "season-7"));
    expect(latestSeasonDir(join(work, "missing"))).toBeUndefined();
  });
});

describe("GET /page/api/season: the manifest summary; projected while now < window.end", () => {
  it("on 2026-11-01 (inside 2026-10-13 … 2026-11-24) the rewards are projections", async () => {
    const { status, body } = await get("/page/api/season");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      season: 7,
      projected: true,
      now: NOW,
      window: { start: Date.parse("2026-10-13T00:00:00Z") / 1000, end: Date.parse("2026-11-24T00:00:00Z") / 1000 },
      total: SOGNI("35.000000000000000001").toString(),
      recipients: 2,
      merkleRoot: season.root,
      distributor: null,
    });
  });
});

describe("GET /page/api/leaderboards/:pool: ranked rows, in pages", () => {
  it("artists: alice (10) before bob (3), amounts in wei, points as exact decimals", async () => {
    const { status, body } = await get("/page/api/leaderboards/artists");
    expect(status).toBe(200);
    expect(body.count).toBe(2);
    expect(body.entries).toEqual([
      { rank: 1, address: alice, name: "alice", daysActive: 42, points: "10", amount: SOGNI("10").toString() },
      { rank: 2, address: bob, name: "bob", daysActive: 41, points: "3", amount: SOGNI("3").toString() },
    ]);
    const second = await get("/page/api/leaderboards/artists?offset=1&limit=1");
    expect((second.body.entries as { name: string }[]).map((entry) => entry.name)).toEqual(["bob"]);
  });

  it("workers carry hardware; a pool nobody qualified for is an empty list", async () => {
    const { body } = await get("/page/api/leaderboards/fastWorkers");
    expect(body).toEqual({
      pool: "fastWorkers",
      count: 1,
      offset: 0,
      entries: [{ rank: 1, address: bob, name: "bob", daysActive: 42, points: "2", amount: SOGNI("2").toString(), hardware: "RTX 4090" }],
    });
    expect((await get("/page/api/leaderboards/relaxedWorkers")).body).toEqual({ pool: "relaxedWorkers", count: 0, offset: 0, entries: [] });
  });

  it("an unknown pool or a bad page is a 400 with a message", async () => {
    expect(await get("/page/api/leaderboards/whales")).toEqual({ status: 400, body: { error: 'unknown pool "whales": one of artists, ambassadors, stakers, relaxedWorkers, fastWorkers' } });
    expect((await get("/page/api/leaderboards/artists?limit=0")).status).toBe(400);
    expect((await get("/page/api/leaderboards/artists?limit=1001")).status).toBe(400);
    expect((await get("/page/api/leaderboards/artists?offset=-1")).status).toBe(400);
  });
});

describe("GET /page/api/recipients/:address: amount, breakdown by pool, index and proof", () => {
  it("alice: 30.000000000000000001 SOGNI = 10 artists + 20.000000000000000001 stakers, with her proof", async () => {
    const upper = `0x${alice.slice(2).toUpperCase()}`;
    const { status, body } = await get(`/page/api/recipients/${upper}`);
    expect(status).toBe(200);
    const entry = season.recipients.find((r) => r.account === alice)!;
    expect(body).toEqual({
      address: alice,
      recipient: true,
      index: entry.index,
      amount: SOGNI("30.000000000000000001").toString(),
      proof: entry.proof,
      pools: { artists: SOGNI("10").toString(), ambassadors: "0", stakers: SOGNI("20.000000000000000001").toString(), relaxedWorkers: "0", fastWorkers: "0" },
    });
  });

  it("an address with nothing is a 404 that says so; a malformed one is a 400", async () => {
    const nobody = "0x000000000000000000000000000000000000dead";
    expect(await get(`/page/api/recipients/${nobody}`)).toEqual({ status: 404, body: { address: nobody, recipient: false, error: `${nobody} has nothing in this season` } });
    const bad = await get("/page/api/recipients/0x1234");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("not an address");
  });
});

describe("the static page: served with a strict Content-Security-Policy (nothing from outside our origin)", () => {
  it("serves index.html, app.js and its modules, and style.css with their types", async () => {
    for (const [path, type] of [
      ["/", "text/html"],
      ["/page/app.js", "text/javascript"],
      ...["format", "api", "wallet", "dom", "pools", "season-view", "leaderboard-view", "claim-view"].map((name) => [`/page/${name}.js`, "text/javascript"] as const),
      ["/page/style.css", "text/css"],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe("CSV fields as the season writer quotes them (RFC 4180)", () => {
  it('splits "a,b" and doubled quotes', () => {
    expect(readCsvRecords('rank,address,name,days,points,amount\n1,0xab,"artist, ""9""",3,,7\n', "x.csv")).toEqual([
      { rank: "1", address: "0xab", name: 'artist, "9"', days: "3", points: "", amount: "7" },
    ]);
  });
});

describe("no season yet", () => {
  it("answers 404 with what to do", async () => {
    const empty = mkdtempSync(join(tmpdir(), "page-empty-"));
    writeFileSync(join(empty, "README"), "nothing");
    const alone = await servePage({ outDir: empty });
    try {
      const response = await fetch(`${alone.url}/page/api/season`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toContain("no season built yet");
    } finally {
      await alone.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
