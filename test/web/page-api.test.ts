/**
 * The page API (web/server.ts, docs/serve.md) over real directories: seasons
 * 7 and 8 built by the CLI from test/fixtures/season-small(-8) (formatVersion
 * 3, tree.bin) and publication 1 of both written by `season publish`, served
 * from their holder and from each directory given alone; and a season
 * written by the fixture writer of test/e2e (formatVersion 2: proof shards,
 * worker boards without `work`), whose numbers are visible here. Each answer
 * is held to the files, read another way (the manifests as JSON, the CSVs
 * whole, proofs checked by OpenZeppelin's merkle-tree), on a real server on
 * 127.0.0.1.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsvRecords } from "../../season/csv.js";
import { parseIsoTime } from "../../season/time.js";
import { POOL_KEYS } from "../../season/types.js";
import { readLeaderboard } from "../../season-io/season-dir.js";
import { buildTwoSeasons } from "../cli/publish-support.js";
import { runSeason } from "../cli/support.js";
import { writeSeasonFixture, type SeasonFixture } from "../e2e/support/season-fixture.js";
import { pageApp, pageNotFound } from "../../web/server.js";
import { servePage, type PageServer } from "./support/page-server.js";

const SOGNI = (text: string): bigint => parseUnits(text, 18);
const token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const alice = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
const bob = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
/** In users.csv of both fixtures: ada (artists, ambassadors, stakers), "bob, the builder" and cy "the eye" (quoted names). */
const ADA = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const ADA_CHECKSUM = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const NOBODY = "0x000000000000000000000000000000000000dead";
/** Between season 8's tranches (40 % on 2026-11-01, the rest on 2026-12-01); both seasons ended 2026-10-26. */
const NOW = parseIsoTime("2026-11-15T00:00:00Z");
/** As the deployments file may spell it; answered in lower case. */
const REWARDS = { chainId: 31337, address: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9" };
const REWARDS_ANSWER = { chainId: 31337, address: REWARDS.address.toLowerCase() };

let work: string;
let out: string;
let season7: string;
let season8: string;
let publication1: string;
let fixture: SeasonFixture;
let server: PageServer;
let each: PageServer;
let old: PageServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "page-api-"));
  ({ out, season7, season8 } = await buildTwoSeasons(work));
  const run = await runSeason(["publish", "--seasons", season7, season8, "--at", "2026-11-01T00:00:00Z", "--out", out, "--quiet"]);
  expect(run.status, run.stderr).toBe(0);
  publication1 = join(out, "publication-1");
  server = await servePage({ sources: [out], now: () => NOW, rewardsContracts: () => [REWARDS] });
  each = await servePage({ sources: [season8, publication1, season7], now: () => NOW });

  const older = join(work, "older");
  mkdirSync(older);
  writeSeasonFixture(older, { season: 6, chainId: 31337, token: token as `0x${string}`, allocations: [{ account: bob as `0x${string}`, amount: SOGNI("1") }] });
  fixture = writeSeasonFixture(older, {
    season: 7,
    chainId: 31337,
    token: token as `0x${string}`,
    window: { start: "2026-10-13T00:00:00Z", end: "2026-11-24T00:00:00Z" },
    allocations: [
      { account: alice as `0x${string}`, amount: SOGNI("30.000000000000000001"), name: "alice", pools: { artists: SOGNI("10"), stakers: SOGNI("20.000000000000000001") } },
      { account: bob as `0x${string}`, amount: SOGNI("5"), name: "bob", pools: { artists: SOGNI("3"), fastWorkers: SOGNI("2") } },
    ],
  });
  mkdirSync(join(older, "season-x"), { recursive: true });
  old = await servePage({ outDir: older, now: () => parseIsoTime("2026-11-01T12:00:00Z") });
}, 240_000);

afterAll(async () => {
  await Promise.all([server?.close(), each?.close(), old?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

async function getFrom(target: PageServer, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${target.url}${path}`);
  expect(response.headers.get("content-type")).toContain("application/json");
  const text = await response.text();
  // JSON.stringify's own text, also where the server writes it out directly (web/server/rewards.ts rewardsJson).
  expect(JSON.stringify(JSON.parse(text)), path).toBe(text);
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
}
const get = (path: string) => getFrom(server, path);

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
const iso = (text: string): number => parseIsoTime(text);
/** SogniRewards' dataHash of a publication: the sha256 of its manifest.json bytes. */
const dataHashOf = (dir: string): string => `0x${createHash("sha256").update(readFileSync(join(dir, "manifest.json"))).digest("hex")}`;

describe("GET /page/api/catalog: every season and publication served, ascending", () => {
  it("seasons 7 and 8 with their windows, totals, roots and stats; publication 1 with its dataHash and shares", async () => {
    const { status, body } = await get("/page/api/catalog");
    expect(status).toBe(200);
    const seasonView = (dir: string) => {
      const manifest = manifestOf(dir);
      expect(manifest.stats).toEqual({ users: expect.any(Number), workers: expect.any(Number), creations: expect.any(Number) });
      return {
        season: manifest.season,
        window: { start: iso(manifest.window.start), end: iso(manifest.window.end) },
        recipients: manifest.recipients,
        total: manifest.total,
        merkleRoot: manifest.merkleRoot,
        stats: manifest.stats,
        projected: false,
      };
    };
    const manifest = manifestOf(publication1);
    expect(body).toEqual({
      seasons: [seasonView(season7), seasonView(season8)],
      publications: [
        {
          id: 1,
          at: iso("2026-11-01T00:00:00Z"),
          merkleRoot: manifest.merkleRoot,
          dataHash: dataHashOf(publication1),
          recipients: manifest.recipients,
          total: manifest.total,
          seasons: [
            { season: 7, share: "1" },
            { season: 8, share: "0.4" },
          ],
        },
      ],
      latestSeason: 8,
      latestPublication: 1,
    });
  });

  it("the same catalog from the three directories given one by one, in any order", async () => {
    expect((await getFrom(each, "/page/api/catalog")).body).toEqual((await get("/page/api/catalog")).body);
  });

  it("a season built or published while the server runs shows within a second", async () => {
    const live = join(work, "live");
    mkdirSync(live);
    const later = await servePage({ sources: [live], now: () => NOW });
    try {
      const before = await getFrom(later, "/page/api/season");
      expect(before.status).toBe(404);
      expect(before.body.error).toContain("no season built yet");
      expect((await getFrom(later, "/page/api/catalog")).body).toEqual({ seasons: [], publications: [], latestSeason: null, latestPublication: null });
      cpSync(season7, join(live, "season-7"), { recursive: true });
      // The directories are looked at again every 250 ms, not on every request.
      await expect.poll(async () => (await getFrom(later, "/page/api/season")).body, { timeout: 1000, interval: 50 }).toMatchObject({ season: 7 });
      const run = await runSeason(["publish", "--seasons", join(live, "season-7"), "--at", "2026-11-01T00:00:00Z", "--out", live, "--quiet"]);
      expect(run.status, run.stderr).toBe(0);
      await expect.poll(async () => (await getFrom(later, "/page/api/catalog")).body, { timeout: 1000, interval: 50 }).toMatchObject({ latestSeason: 7, latestPublication: 1, publications: [{ id: 1, seasons: [{ season: 7, share: "1" }] }] });
    } finally {
      await later.close();
    }
  });
});

describe("GET /page/api/season[?season=N]: one season's summary, the latest by default", () => {
  it("season 8 by default: its manifest, stats, vesting from its season.json, the chain's name and SogniRewards", async () => {
    const { status, body } = await get("/page/api/season");
    expect(status).toBe(200);
    const manifest = manifestOf(season8);
    expect(body).toEqual({
      season: 8,
      window: { start: iso("2026-10-12T00:00:00Z"), end: iso("2026-10-26T00:00:00Z") },
      claimDeadline: iso("2027-01-26T00:00:00Z"),
      chainId: 31337,
      chainName: "Hardhat (local)",
      token: null,
      decimals: 18,
      merkleRoot: manifest.merkleRoot,
      total: manifest.total,
      recipients: manifest.recipients,
      pools: manifest.pools,
      snapshot: manifest.snapshot,
      stats: manifest.stats,
      vesting: [
        { at: iso("2026-11-01T00:00:00Z"), share: "0.4" },
        { at: iso("2026-12-01T00:00:00Z"), share: "1" },
      ],
      projected: false,
      now: NOW,
      distributor: null,
      rewards: REWARDS_ANSWER,
    });
  });

  it("?season=7: season 7, without vesting; a server without a deployments file names no SogniRewards", async () => {
    expect((await get("/page/api/season?season=7")).body).toMatchObject({ season: 7, merkleRoot: manifestOf(season7).merkleRoot, vesting: null, rewards: REWARDS_ANSWER });
    expect((await getFrom(each, "/page/api/season?season=7")).body).toMatchObject({ season: 7, rewards: null });
  });

  it("a season not served is a 404 naming the ones that are; a malformed one a 400", async () => {
    expect(await get("/page/api/season?season=9")).toEqual({ status: 404, body: { error: "season 9 is not served here: seasons 7, 8 (GET /page/api/catalog)" } });
    for (const bad of ["0", "07", "x", "-1", "7.0", ""]) {
      const answer = await get(`/page/api/season?season=${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.error).toContain("season must be a season number");
    }
  });

  it("formatVersion 2 (the e2e fixture writer): projected while now < window.end; no stats, no vesting", async () => {
    const { status, body } = await getFrom(old, "/page/api/season");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      season: 7,
      projected: true,
      now: iso("2026-11-01T12:00:00Z"),
      window: { start: iso("2026-10-13T00:00:00Z"), end: iso("2026-11-24T00:00:00Z") },
      total: SOGNI("35.000000000000000001").toString(),
      recipients: 2,
      merkleRoot: fixture.root,
      distributor: null,
      stats: null,
      vesting: null,
      rewards: null,
    });
  });
});

describe("GET /page/api/leaderboards/:pool: ranked rows in pages, as the CSV holds them", () => {
  it("every pool of both seasons, in pages of 1, 2 and 1000: the rows leaderboards/<pool>.csv holds, amounts in wei", async () => {
    for (const [season, dir] of [[7, season7], [8, season8]] as const) {
      for (const pool of POOL_KEYS) {
        const rows = readLeaderboard(dir, pool).map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value])));
        const header = readFileSync(join(dir, "leaderboards", `${pool}.csv`), "utf8").split("\n")[0]!.split(",");
        for (const limit of [1, 2, 1000]) {
          const pages = [];
          for (let offset = 0; offset < rows.length; offset += limit) {
            const { status, body } = await get(`/page/api/leaderboards/${pool}?season=${season}&offset=${offset}&limit=${limit}`);
            expect(status).toBe(200);
            expect(body).toMatchObject({ pool, season, count: rows.length, offset, columns: header });
            pages.push(...(body.entries as unknown[]));
          }
          expect(pages, `${pool} of season ${season} in pages of ${limit}`).toEqual(rows);
        }
      }
    }
  });

  it("the edges: the last row alone, one past it and far past it are empty pages; the default is the first 100 of the latest season", async () => {
    const count = readLeaderboard(season8, "ambassadors").length;
    const last = await get(`/page/api/leaderboards/ambassadors?offset=${count - 1}&limit=1000`);
    expect((last.body.entries as { rank: number }[]).map((entry) => entry.rank)).toEqual([count]);
    for (const offset of [count, count + 1, 999_999_999]) {
      expect((await get(`/page/api/leaderboards/ambassadors?offset=${offset}`)).body).toMatchObject({ count, offset, entries: [] });
    }
    expect((await get("/page/api/leaderboards/ambassadors")).body).toMatchObject({ season: 8, offset: 0, count });
  });

  it("worker boards carry hardware and work (fast workers nft too); formatVersion 2 boards carry hardware only", async () => {
    const { body } = await get("/page/api/leaderboards/fastWorkers?season=7");
    expect(body.columns).toEqual(["rank", "address", "name", "days_active", "points", "amount", "hardware", "work", "nft"]);
    expect((body.entries as Record<string, unknown>[])[0]).toEqual({
      rank: 1,
      address: "0x976ea74026e726554db657fa54763abd0c3a0aa9",
      name: "eve",
      daysActive: 2,
      points: "12",
      amount: "120000000000000000000",
      hardware: "RTX 4090",
      work: "11000000000000000000",
      nft: "",
    });
    expect((await getFrom(old, "/page/api/leaderboards/fastWorkers")).body).toEqual({
      pool: "fastWorkers",
      season: 7,
      count: 1,
      offset: 0,
      columns: ["rank", "address", "name", "days_active", "points", "amount", "hardware"],
      entries: [{ rank: 1, address: bob, name: "bob", daysActive: 42, points: "2", amount: SOGNI("2").toString(), hardware: "RTX 4090" }],
    });
    expect((await getFrom(old, "/page/api/leaderboards/relaxedWorkers")).body).toMatchObject({ count: 0, entries: [] });
  });

  it("an unknown pool or a bad page is a 400 with a message", async () => {
    expect(await get("/page/api/leaderboards/whales")).toEqual({ status: 400, body: { error: 'unknown pool "whales": one of artists, ambassadors, stakers, relaxedWorkers, fastWorkers' } });
    expect(await get("/page/api/leaderboards/artists?limit=0")).toEqual({ status: 400, body: { error: 'limit must be a whole number from 1 to 1000, got "0"' } });
    expect((await get("/page/api/leaderboards/artists?limit=1001")).status).toBe(400);
    expect(await get("/page/api/leaderboards/artists?offset=-1")).toEqual({ status: 400, body: { error: 'offset must be a whole number from 0 (at most 9 digits), got "-1"' } });
    expect((await get("/page/api/leaderboards/artists?season=6")).status).toBe(404);
  });
});

describe("GET /page/api/leaderboards/:pool/search?q=: a full address or a part of a name", () => {
  it("ada by her address in any case: rank 1 of artists, rank 3 of season 7's ambassadors", async () => {
    for (const q of [ADA, ADA_CHECKSUM, ADA.toUpperCase().replace("0X", "0x")]) {
      expect((await get(`/page/api/leaderboards/artists/search?q=${q}`)).body).toEqual({ pool: "artists", season: 8, query: q, matches: [{ rank: 1, address: ADA, name: "ada" }] });
    }
    expect((await get(`/page/api/leaderboards/ambassadors/search?q=${ADA}&season=7`)).body).toMatchObject({ season: 7, matches: [{ rank: 3, address: ADA, name: "ada" }] });
    expect((await get(`/page/api/leaderboards/fastWorkers/search?q=${ADA}`)).body).toMatchObject({ matches: [] });
  });

  it("by name, case-insensitive, in rank order, quoted names included; limit caps the matches", async () => {
    const the = await get(`/page/api/leaderboards/ambassadors/search?q=${encodeURIComponent(" THE ")}&season=7`);
    expect(the.body).toEqual({
      pool: "ambassadors",
      season: 7,
      query: "THE",
      matches: [
        { rank: 1, address: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", name: "bob, the builder" },
        { rank: 2, address: "0x90f79bf6eb2c4f870365e785982e1f101e93b906", name: 'cy "the eye"' },
      ],
    });
    expect((await get(`/page/api/leaderboards/ambassadors/search?q=the&season=7&limit=1`)).body).toMatchObject({ matches: [{ rank: 1 }] });
    expect((await get(`/page/api/leaderboards/ambassadors/search?q=${encodeURIComponent('"the e')}&season=7`)).body).toMatchObject({ matches: [{ rank: 2, name: 'cy "the eye"' }] });
    expect((await get(`/page/api/leaderboards/ambassadors/search?q=${encodeURIComponent("b, t")}&season=7`)).body).toMatchObject({ matches: [{ rank: 1 }] });
    expect((await get("/page/api/leaderboards/artists/search?q=zz")).body).toMatchObject({ matches: [] });
  });

  it("q missing, shorter than 2 characters, longer than 64 or with a control character, a bad checksum or limit: 400", async () => {
    for (const query of ["", "?q=", "?q=a", `?q=${"a".repeat(65)}`, "?q=a%00b", `?q=${ADA_CHECKSUM.replace("C", "c")}`, "?q=ada&limit=51", "?q=ada&limit=0"]) {
      const answer = await get(`/page/api/leaderboards/artists/search${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
  });
});

describe("GET /page/api/recipients/:address[?season=N]: amount, breakdown by pool, index and proof", () => {
  it("ada in season 8 (default) and 7: the recipients.csv row and a proof of the season's root", async () => {
    for (const [season, dir, query] of [[8, season8, ""], [7, season7, "?season=7"]] as const) {
      const { status, body } = await get(`/page/api/recipients/${ADA_CHECKSUM}${query}`);
      expect(status).toBe(200);
      const row = readCsvRecords(readFileSync(join(dir, "recipients.csv"), "utf8"), "recipients.csv").find((record) => record.address === ADA)!;
      expect(body).toEqual({
        address: ADA,
        recipient: true,
        season,
        index: Number(row.index),
        amount: row.amount,
        proof: expect.any(Array),
        pools: Object.fromEntries(POOL_KEYS.map((pool) => [pool, row[pool]])),
      });
      expect(StandardMerkleTree.verify(manifestOf(dir).merkleRoot, ["uint256", "address", "uint256"], [row.index, ADA, row.amount], body.proof as string[])).toBe(true);
    }
  });

  it("formatVersion 2: alice, 30.000000000000000001 SOGNI = 10 artists + 20.000000000000000001 stakers, with her proof", async () => {
    const entry = fixture.recipients.find((r) => r.account === alice)!;
    expect((await getFrom(old, `/page/api/recipients/0x${alice.slice(2).toUpperCase()}`)).body).toEqual({
      address: alice,
      recipient: true,
      season: 7,
      index: entry.index,
      amount: SOGNI("30.000000000000000001").toString(),
      proof: entry.proof,
      pools: { artists: SOGNI("10").toString(), ambassadors: "0", stakers: SOGNI("20.000000000000000001").toString(), relaxedWorkers: "0", fastWorkers: "0" },
    });
  });

  it("an address with nothing is a 404 that says so; a malformed one is a 400", async () => {
    expect(await get(`/page/api/recipients/${NOBODY}`)).toEqual({ status: 404, body: { address: NOBODY, recipient: false, season: 8, error: `${NOBODY} has nothing in season 8` } });
    const bad = await get("/page/api/recipients/0x1234");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("not an address");
  });
});

describe("GET /page/api/rewards/:address: per season and publication, from the files", () => {
  it("ada: earned per season, vested and share from publication 1, the next tranche, her cumulative amount and its proof", async () => {
    const { status, body } = await get(`/page/api/rewards/${ADA_CHECKSUM}`);
    expect(status).toBe(200);
    const earned = (dir: string): string => readCsvRecords(readFileSync(join(dir, "recipients.csv"), "utf8"), "recipients.csv").find((record) => record.address === ADA)!.amount!;
    const balance = readCsvRecords(readFileSync(join(publication1, "balances.csv"), "utf8"), "balances.csv").find((record) => record.address === ADA)!;
    expect(body).toEqual({
      address: ADA,
      seasons: [
        { season: 7, earned: earned(season7), vesting: null, vested: balance.season_7, share: "1", nextTranche: null },
        {
          season: 8,
          earned: earned(season8),
          vesting: [
            { at: iso("2026-11-01T00:00:00Z"), share: "0.4" },
            { at: iso("2026-12-01T00:00:00Z"), share: "1" },
          ],
          vested: balance.season_8,
          share: "0.4",
          nextTranche: { at: iso("2026-12-01T00:00:00Z"), share: "1" },
        },
      ],
      publications: [
        {
          id: 1,
          at: iso("2026-11-01T00:00:00Z"),
          merkleRoot: manifestOf(publication1).merkleRoot,
          dataHash: dataHashOf(publication1),
          cumulative: balance.cumulative,
          proof: expect.any(Array),
        },
      ],
      latestPublication: 1,
      chain: null,
    });
    // 0.4 of season 8, floored, plus all of season 7.
    expect(BigInt(balance.season_8!)).toBe((BigInt(earned(season8)) * 400_000n) / 1_000_000n);
    expect(BigInt(balance.cumulative!)).toBe(BigInt(earned(season7)) + BigInt(balance.season_8!));
    const proof = ((body.publications as { proof: string[] }[])[0]!).proof;
    expect(StandardMerkleTree.verify(manifestOf(publication1).merkleRoot, ["address", "uint256"], [ADA, balance.cumulative], proof)).toBe(true);
  });

  it("an address in nothing: every season and publication at 0, no proof; a malformed address is a 400", async () => {
    const { body } = await get(`/page/api/rewards/${NOBODY}`);
    expect(body.seasons).toEqual([
      { season: 7, earned: "0", vesting: null, vested: "0", share: "1", nextTranche: null },
      expect.objectContaining({ season: 8, earned: "0", vested: "0", share: "0.4" }),
    ]);
    expect(body.publications).toEqual([expect.objectContaining({ id: 1, cumulative: "0", proof: [] })]);
    expect((await get("/page/api/rewards/0xnope")).status).toBe(400);
    expect((await get("/page/api/rewards/")).status).toBe(400);
  });

  it("without publications: vested and share are 0 and latestPublication null", async () => {
    const { body } = await getFrom(old, `/page/api/rewards/${alice}`);
    expect(body).toEqual({
      address: alice,
      seasons: [
        { season: 6, earned: "0", vesting: null, vested: "0", share: "0", nextTranche: { at: iso("2026-11-24T00:00:00Z"), share: "1" } },
        { season: 7, earned: SOGNI("30.000000000000000001").toString(), vesting: null, vested: "0", share: "0", nextTranche: { at: iso("2026-11-24T00:00:00Z"), share: "1" } },
      ],
      publications: [],
      latestPublication: null,
      chain: null,
    });
  });
});

describe("everything else under /page/api/ is a JSON 404; the static page has a strict Content-Security-Policy", () => {
  it("unknown routes and methods", async () => {
    for (const path of ["/page/api/nope", "/page/api/leaderboards/artists/x/y", "/page/api/catalog/1"]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error).toContain("no such route");
    }
    const post = await fetch(`${server.url}/page/api/season`, { method: "POST" });
    expect(post.status).toBe(404);
  });

  it("mounted as the servers mount it: each request one route of Hono's RegExpRouter, a lookup answered without a promise, other paths pageNotFound's", async () => {
    // A pattern RegExpRouter refuses, a catch-all route or an error handler on the page's routes would each
    // cost every request (Hono's slower router, or a promise per answer): the rush's requests per second.
    const page = pageApp({ sources: [out], now: () => NOW, memoryMb: 0 });
    try {
      const app = new Hono();
      app.route("/", page.routes);
      app.notFound((c) => pageNotFound(c) ?? c.json({ error: "outside the page" }, 404));
      const answer = app.fetch(new Request(`http://127.0.0.1/page/api/recipients/${ADA}`));
      expect(answer).toBeInstanceOf(Response);
      expect((answer as Response).status).toBe(200);
      expect(((await (answer as Response).json()) as { recipient: boolean }).recipient).toBe(true);
      expect((app.router as unknown as { activeRouter: { name: string } }).activeRouter.name).toBe("RegExpRouter");
      for (const [path, error] of [["/page/api/nope", "no such route: GET /page/api/nope"], ["/page/logo.png", "no such file: /page/logo.png"], ["/elsewhere", "outside the page"]]) {
        const response = await app.fetch(new Request(`http://127.0.0.1${path}`));
        expect(response.status, path).toBe(404);
        expect(((await response.json()) as { error: string }).error, path).toContain(error);
      }
    } finally {
      page.close();
    }
  });

  it("serves index.html, the bundled app.js and style.css with their types, nothing from another origin", async () => {
    for (const [path, type] of [
      ["/", "text/html"],
      ["/page/app.js", "text/javascript"],
      ["/page/style.css", "text/css"],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    }
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).not.toMatch(/https?:\/\//);
    const script = await (await fetch(`${server.url}/page/app.js`)).text();
    expect(script).not.toMatch(/^import\s|\bimport\s*\(\s*["']https?:/m); // one module, nothing left to fetch
    expect((await fetch(`${server.url}/page/nothing.png`)).status).toBe(404);
  });

  it("serves /page/<name>.png from the page's folder, and nothing else under /page/", async () => {
    const webDir = join(work, "web-with-image");
    cpSync(join(import.meta.dirname, "..", "..", "web"), webDir, { recursive: true });
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    writeFileSync(join(webDir, "logo-2.png"), png);
    const withImage = await servePage({ sources: [out], webDir, now: () => NOW });
    try {
      const image = await fetch(`${withImage.url}/page/logo-2.png`);
      expect(image.status).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await image.arrayBuffer())).toEqual(png);
      rmSync(join(webDir, "logo-2.png")); // removed while it runs: gone, not an error
      for (const path of ["/page/logo-2.png", "/page/Logo-2.png", "/page/logo-2.PNG", "/page/server.ts", "/page/x/logo-2.png", "/page/..%2Fpackage.json", "/page/"]) {
        const response = await fetch(`${withImage.url}${path}`);
        expect(response.status, path).toBe(404);
        expect((await response.json()).error, path).toMatch(/^no such file: \/page\//);
      }
    } finally {
      await withImage.close();
    }
  });
});

describe("a damaged directory: left out of the catalog; its own damage answered as a 500 naming the file", () => {
  it("a leaderboard whose row is not a row", async () => {
    const damaged = join(work, "damaged");
    cpSync(season7, join(damaged, "season-7"), { recursive: true });
    writeFileSync(join(damaged, "season-7", "leaderboards", "artists.csv"), "rank,address,name,days_active,points,amount\n1,0xab,ada,x,1,2\n");
    writeFileSync(join(damaged, "season-7", "leaderboards", "stakers.csv"), "not,a,header\n");
    mkdirSync(join(damaged, "season-9"));
    writeFileSync(join(damaged, "season-9", "manifest.json"), "{ not json");
    const broken = await servePage({ sources: [damaged], now: () => NOW });
    try {
      expect((await getFrom(broken, "/page/api/catalog")).body).toMatchObject({ seasons: [{ season: 7 }], latestSeason: 7 });
      const row = await getFrom(broken, "/page/api/leaderboards/artists");
      expect(row.status).toBe(500);
      expect(row.body.error).toContain("leaderboards/artists.csv");
      expect(row.body.error).toContain("rebuild");
      const header = await getFrom(broken, "/page/api/leaderboards/stakers");
      expect(header.status).toBe(500);
      expect(header.body.error).toContain("stakers.csv");
      expect((await getFrom(broken, "/page/api/leaderboards/ambassadors")).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});
