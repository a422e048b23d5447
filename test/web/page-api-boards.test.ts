/**
 * Leaderboard pages and searches (web/server/leaderboard-index.ts) over a
 * board larger than one indexing chunk (half a megabyte), written by the
 * engine's own renderer (season/season-files.ts): names with commas, quotes,
 * line breaks, formula characters and non-ASCII letters, so rows cross chunk
 * boundaries inside quoted fields. Every page at the edges of those chunks
 * is the rows the whole-file reader (season-io's readLeaderboard) gives;
 * every address is found at its rank; a name fragment finds exactly the rows
 * whose names hold it, in rank order. A board replaced on disk is indexed
 * again.
 */
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderboardCsvChunks } from "../../season/season-files.js";
import type { Address, LeaderboardEntry } from "../../season/types.js";
import { readLeaderboard, type LeaderboardRow } from "../../season-io/season-dir.js";
import { writeSeasonFixture } from "../e2e/support/season-fixture.js";
import { servePage, type PageServer } from "./support/page-server.js";

const ROWS = 12_000;
/** Deterministic addresses: a multiplicative hash of the row, 40 hex digits. */
const addressOf = (i: number): Address => `0x${((BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n) % 2n ** 160n).toString(16).padStart(40, "0")}` as Address;
/** Every 97th name is awkward for a CSV reader; the rest are long enough to make the board a few megabytes. */
function nameOf(i: number): string {
  if (i % 97 === 5) return `Bob, "the builder" ${i}\nsecond line`;
  if (i % 97 === 6) return `=SUM(A${i})`;
  if (i % 97 === 7) return `Zoë Ünïcode ${i} 🎨`;
  return `user ${i} ${"x".repeat(i % 200)}`;
}

let work: string;
let dir: string;
let rows: LeaderboardRow[];
let server: PageServer;

function writeBoard(entries: number): void {
  const board = {
    pool: "fastWorkers" as const,
    pointDecimals: 2,
    entries: Array.from({ length: entries }, (_, i): LeaderboardEntry => ({
      rank: i + 1,
      address: addressOf(i),
      name: nameOf(i),
      daysActive: i % 43,
      points: BigInt((entries - i) * 100 + 7),
      weight: 0n,
      firstActivity: 0,
      amount: BigInt(entries - i) * 10n ** 15n,
      hardware: i % 2 === 0 ? "RTX 4090" : 'GPU "x", 8GB',
      work: BigInt(i) * 10n ** 12n,
      nft: i % 3 === 0 ? String(i) : "",
    })),
  };
  const path = join(dir, "leaderboards", "fastWorkers.csv");
  writeFileSync(`${path}.tmp`, [...leaderboardCsvChunks(board)].join(""));
  renameSync(`${path}.tmp`, path);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "page-boards-"));
  dir = writeSeasonFixture(work, { season: 7, chainId: 31337, token: "0x5fbdb2315678afecb367f032d93f642f64180aa3", allocations: [{ account: addressOf(0), amount: 1n }] }).dir;
  writeBoard(ROWS);
  expect(statSync(join(dir, "leaderboards", "fastWorkers.csv")).size).toBeGreaterThan(3 * 512 * 1024);
  rows = readLeaderboard(dir, "fastWorkers");
  expect(rows.length).toBe(ROWS);
  server = await servePage({ seasonDir: dir });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function get(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const json = (row: LeaderboardRow) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]));

describe("pages: the rows the whole-file reader gives, wherever the page starts", () => {
  it("the whole board in pages of 1000, then pages of 7 around every 1000th row", async () => {
    const all: unknown[] = [];
    for (let offset = 0; offset < ROWS; offset += 1000) {
      const page = await get(`/page/api/leaderboards/fastWorkers?offset=${offset}&limit=1000`);
      expect(page.count).toBe(ROWS);
      all.push(...(page.entries as unknown[]));
    }
    expect(all).toEqual(rows.map(json));
    for (let offset = 997; offset < ROWS; offset += 1000) {
      expect((await get(`/page/api/leaderboards/fastWorkers?offset=${offset}&limit=7`)).entries).toEqual(rows.slice(offset, offset + 7).map(json));
    }
  });

  it("the awkward names come back as written: quotes, commas, line breaks, a formula's leading quote dropped, non-ASCII", async () => {
    const page = await get("/page/api/leaderboards/fastWorkers?offset=5&limit=3");
    expect((page.entries as { name: string }[]).map((entry) => entry.name)).toEqual([nameOf(5), nameOf(6), nameOf(7)]);
  });
});

describe("search: by address at its rank, by name fragment in rank order", () => {
  it("every 101st address is found at its rank; an address not on the board is not", async () => {
    for (let i = 0; i < ROWS; i += 101) {
      const found = await get(`/page/api/leaderboards/fastWorkers/search?q=${addressOf(i).toUpperCase().replace("0X", "0x")}`);
      expect(found.matches, `row ${i}`).toEqual([{ rank: i + 1, address: addressOf(i), name: nameOf(i) }]);
    }
    expect((await get(`/page/api/leaderboards/fastWorkers/search?q=${addressOf(ROWS)}`)).matches).toEqual([]);
  });

  it("a fragment finds exactly the names holding it (any case), best rank first, at most limit", async () => {
    const expected = (fragment: string) => rows.filter((row) => row.name.toLowerCase().includes(fragment.toLowerCase())).map((row) => ({ rank: row.rank, address: row.address, name: row.name }));
    for (const fragment of ['"THE BUILDER"', "zoë ünï", "7 🎨", "=sum(a10", "\u00fcn", "builder\" 1"]) {
      const found = await get(`/page/api/leaderboards/fastWorkers/search?q=${encodeURIComponent(fragment)}&limit=50`);
      expect(found.matches, fragment).toEqual(expected(fragment).slice(0, 50));
      expect(expected(fragment).length, fragment).toBeGreaterThan(0);
    }
    const capped = await get("/page/api/leaderboards/fastWorkers/search?q=user%201");
    expect(capped.matches).toEqual(expected("user 1").slice(0, 20));
    // The end of one name and the start of the next are not one text; a line break cannot be searched for.
    expect(expected("xx user")).toEqual([]);
    expect((await get(`/page/api/leaderboards/fastWorkers/search?q=${encodeURIComponent("xx user")}`)).matches).toEqual([]);
    expect((await fetch(`${server.url}/page/api/leaderboards/fastWorkers/search?q=${encodeURIComponent("line\nuser")}`)).status).toBe(400);
  });
});

describe("a board replaced on disk (a rebuild) is indexed again", () => {
  it("fewer rows after the rename: the count, the pages and the searches follow", async () => {
    writeBoard(10);
    // The board is looked at again every 250 ms, not on every request.
    await expect.poll(async () => (await get("/page/api/leaderboards/fastWorkers?offset=0&limit=1")).count, { timeout: 1000, interval: 50 }).toBe(10);
    const page = await get("/page/api/leaderboards/fastWorkers?offset=0&limit=1000");
    expect(page.count).toBe(10);
    expect(page.entries).toEqual(readLeaderboard(dir, "fastWorkers").map(json));
    expect((await get(`/page/api/leaderboards/fastWorkers/search?q=${addressOf(100)}`)).matches).toEqual([]);
    expect((await get("/page/api/leaderboards/fastWorkers/search?q=user%209")).matches).toEqual([{ rank: 10, address: addressOf(9), name: nameOf(9) }]);
  });
});
