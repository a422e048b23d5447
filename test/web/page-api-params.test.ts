/**
 * Every parameter of every page route (web/server.ts), with random and
 * hostile values: a bad value gets a 400 with a JSON message, an unknown
 * address a 404 with one, a good one a 200; never a 500, never a hang.
 * In-process through Hono's `app.request()`, over a fixture season directory.
 *
 *   GET /page/api/catalog                     (no parameters: any query is ignored)
 *   GET /page/api/season                      ?season=
 *   GET /page/api/leaderboards/:pool          ?season=&offset=&limit=
 *   GET /page/api/leaderboards/:pool/search   ?q=&season=&limit=
 *   GET /page/api/recipients/:address         ?season=
 *   GET /page/api/rewards/:address
 * Other query parameters are ignored (a page may add a cache-buster).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageRoutes } from "../../web/server.js";
import { POOL_KEYS } from "../../season/types.js";
import { writeSeasonFixture } from "../e2e/support/season-fixture.js";

const ALICE = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const ALICE_CHECKSUM = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const RUNS = 300;
/** Far longer than any answer takes in-process: past it, the route hangs. */
const ANSWER_MS = 5_000;

let work: string;
let app: ReturnType<typeof pageRoutes>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "page-params-"));
  writeSeasonFixture(work, {
    season: 7,
    chainId: 31337,
    token: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
    allocations: [
      { account: ALICE, amount: 30n * 10n ** 18n, name: "alice", pools: { artists: 10n * 10n ** 18n, stakers: 20n * 10n ** 18n } },
      { account: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", amount: 5n * 10n ** 18n, name: "=HYPERLINK(\"x\")", pools: { artists: 3n * 10n ** 18n, fastWorkers: 2n * 10n ** 18n } },
    ],
  });
  app = pageRoutes({ outDir: work, now: () => 1_792_000_000 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Hostile text: traversal, encodings, control and bidi characters, numbers in every other notation, prototype keys, long runs. */
const HOSTILE = [
  "", " ", "..", "../manifest.json", "..%2f..%2fetc%2fpasswd", "%2e%2e", "%", "%%", "%zz", "%E0%A4%A", "%00", "\u0000", "\n", "\r\n", "\u202e", "\u200b", "\ud800",
  "constructor", "__proto__", "toString", "hasOwnProperty", "artists ", " artists", "ARTISTS", "artists%00", "artists/", "artists?x=1", "artists#",
  "-1", "-0", "+1", "1e3", "0x10", "0b1", "1.5", "1,000", "NaN", "Infinity", "9".repeat(40), "99999999999", "1000", "1001", "0", "00001",
  "0x", "0x0", ALICE.toUpperCase(), ALICE.replace("0x", "0X"), ALICE.slice(0, 41), `${ALICE}0`, ` ${ALICE}`, ALICE_CHECKSUM.replace("C", "c"), "0x" + "g".repeat(40),
  "=HYPERLINK(\"x\")", "<script>alert(1)</script>", "'; drop table x; --", "${x}", "{{x}}", "a".repeat(10_000),
];

/** A value as it may come in a URL: percent-encoded, raw, or hostile. */
const text = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
);
const urlText = fc.tuple(text, fc.boolean()).map(([value, encode]) => (encode ? encodeURIComponent(safeUnicode(value)) : value));

/** Lone surrogates cannot be percent-encoded: replace them, as a browser would. */
function safeUnicode(value: string): string {
  return value.replace(/[\ud800-\udfff]/g, (unit, at: number) => (value.codePointAt(at - 1)! > 0xffff || value.codePointAt(at)! > 0xffff ? unit : "\ufffd"));
}

/** GET in-process; the answer, or a failure when it does not come in time. */
async function get(path: string): Promise<{ status: number; body: unknown; raw: string }> {
  let request: Request;
  try {
    request = new Request(`http://page.test${path.startsWith("/") ? "" : "/"}${path}`);
  } catch {
    return { status: 400, body: { error: "not a URL a client can send" }, raw: "" }; // the client refuses it before any server sees it
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`GET ${path} did not answer in ${ANSWER_MS} ms`)), ANSWER_MS)));
  try {
    const response = await Promise.race([app.request(request), timeout]);
    const raw = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, raw };
  } finally {
    clearTimeout(timer);
  }
}

/** Never a 500; an error answer is JSON with a message. */
function expectAnswered(path: string, answer: { status: number; body: unknown; raw: string }, allowed: number[]): void {
  expect(allowed, `GET ${path} -> ${answer.status} ${answer.raw.slice(0, 300)}`).toContain(answer.status);
  if (answer.status >= 400) {
    expect(answer.body, `GET ${path}: an error answer is JSON`).toMatchObject({ error: expect.any(String) });
    expect((answer.body as { error: string }).error.length).toBeGreaterThan(0);
  }
}

/** A `season` value: hostile text, or a number near the seasons served (7 is; 6, 8, … are not). */
const seasonValue = fc.oneof(urlText, fc.nat({ max: 20 }).map(String), fc.constant("7"));

/** `?season=`'s value as the server saw it: the first one, after the client cut any "#…" fragment off. */
function seasonSeen(path: string): string | null {
  return new URL(`http://page.test${path}`).searchParams.get("season");
}

/** Which answers a `season` value allows: 7 or none, the season; another season number, 404; anything else, 400. */
function seasonAllows(path: string, ok: number[]): number[] {
  const season = seasonSeen(path);
  if (season === null || season === "7") return ok;
  return /^[1-9]\d{0,8}$/.test(season) ? [404] : [400];
}

describe("GET /page/api/catalog: any query string leaves the answer as it is", () => {
  it("200 with season 7, whatever the query", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(urlText, urlText), { maxLength: 4 }), async (pairs) => {
        const path = `/page/api/catalog?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`;
        const answer = await get(path);
        expectAnswered(path, answer, [200, 400]);
        if (answer.status === 200) expect(answer.body).toMatchObject({ latestSeason: 7, seasons: [{ season: 7 }], publications: [] });
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /page/api/season?season=: a season number (1, 2, …); other parameters are ignored", () => {
  it("200 with season 7 (asked for, or the latest), 404 for a season not served, 400 for anything else", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.oneof(urlText, fc.constant("season")), seasonValue), { maxLength: 4 }), async (pairs) => {
        const path = `/page/api/season?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`;
        const answer = await get(path);
        expectAnswered(path, answer, seasonAllows(path, [200]));
        if (answer.status === 200) expect(answer.body).toMatchObject({ season: 7, recipients: 2 });
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /page/api/leaderboards/:pool?offset=&limit=: a pool name, offset ≥ 0, 1 ≤ limit ≤ 1000", () => {
  it("any pool: 200 for the five pools, else 400 naming the pools", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(urlText, fc.constantFrom(...POOL_KEYS)), async (pool) => {
        const path = `/page/api/leaderboards/${pool}`;
        const answer = await get(path);
        expectAnswered(path, answer, [200, 400, 404]);
        if (answer.status === 200) expect(POOL_KEYS).toContain((answer.body as { pool: string }).pool);
      }),
      { numRuns: RUNS },
    );
  });

  it("any offset, limit and season (and repeated ones): 200 with at most limit entries, else 400 (404 for a season not served)", async () => {
    const number = fc.oneof(urlText, fc.nat({ max: 2000 }).map(String));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POOL_KEYS), fc.array(fc.oneof(fc.tuple(fc.constantFrom("offset", "limit", "offset[]", "Limit"), number), fc.tuple(fc.constant("season"), seasonValue)), { maxLength: 4 }), async (pool, params) => {
        const path = `/page/api/leaderboards/${pool}?${params.map(([key, value]) => `${key}=${value}`).join("&")}`;
        const answer = await get(path);
        expectAnswered(path, answer, [...seasonAllows(path, [200]), 400]);
        if (answer.status === 200) {
          // The limit as the server saw it: the first one, after the client cut any "#…" fragment off.
          const limit = new URL(`http://page.test${path}`).searchParams.get("limit");
          expect((answer.body as { entries: unknown[] }).entries.length).toBeLessThanOrEqual(limit === null ? 100 : Number(limit));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /page/api/leaderboards/:pool/search?q=&limit=: a full address or 2 … 64 characters of a name, 1 ≤ limit ≤ 50", () => {
  it("any q, limit and season: 200 with at most limit matches, else 400 (404 for a season not served)", async () => {
    const q = fc.oneof(urlText, fc.constantFrom(ALICE, ALICE_CHECKSUM, "alice", "ALI", "=HYPERLINK", "a", ""));
    const limit = fc.oneof(urlText, fc.nat({ max: 60 }).map(String));
    const pairs = fc.array(fc.oneof(fc.tuple(fc.constant("q"), q), fc.tuple(fc.constant("limit"), limit), fc.tuple(fc.constant("season"), seasonValue)), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POOL_KEYS), pairs, async (pool, params) => {
        const path = `/page/api/leaderboards/${pool}/search?${params.map(([key, value]) => `${key}=${value}`).join("&")}`;
        const answer = await get(path);
        expectAnswered(path, answer, [...seasonAllows(path, [200]), 400]);
        if (answer.status === 200) {
          const seen = new URL(`http://page.test${path}`).searchParams;
          const matches = (answer.body as { matches: { rank: number; address: string }[] }).matches;
          expect(matches.length).toBeLessThanOrEqual(seen.get("limit") === null ? 20 : Number(seen.get("limit")));
          if (seen.get("q")?.trim().toLowerCase() === ALICE) expect(matches.map((match) => match.address)).toEqual(pool === "artists" || pool === "stakers" ? [ALICE] : []);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /page/api/rewards/:address: a 0x address (any case, a mixed case must be its checksum)", () => {
  it("any address: 200 (alice has earned in season 7, anyone else 0), else 400", async () => {
    const address = fc.oneof(urlText, fc.constantFrom(ALICE, ALICE_CHECKSUM), fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `0x${Buffer.from(bytes).toString("hex")}`));
    await fc.assert(
      fc.asyncProperty(address, async (value) => {
        const path = `/page/api/rewards/${value}`;
        const answer = await get(path);
        expectAnswered(path, answer, [200, 400, 404]);
        if (answer.status === 200) {
          const body = answer.body as { address: string; seasons: { earned: string }[]; publications: unknown[] };
          expect(body.seasons[0]!.earned).toBe(body.address === ALICE ? (30n * 10n ** 18n).toString() : "0");
          expect(body.publications).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("GET /page/api/recipients/:address: a 0x address (any case, a mixed case must be its checksum)", () => {
  it("any address: 200 for alice in any valid spelling, 404 for an address with nothing, else 400", async () => {
    const address = fc.oneof(
      urlText,
      fc.constantFrom(ALICE, ALICE_CHECKSUM, ALICE.toUpperCase().replace("0X", "0x")),
      fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `0x${Buffer.from(bytes).toString("hex")}`),
    );
    await fc.assert(
      fc.asyncProperty(address, fc.option(seasonValue), async (value, season) => {
        const path = `/page/api/recipients/${value}${season === null ? "" : `?season=${season}`}`;
        const answer = await get(path);
        expectAnswered(path, answer, [200, 400, 404]);
        if (answer.status === 200) expect(answer.body).toMatchObject({ address: ALICE, recipient: true, season: 7 });
      }),
      { numRuns: RUNS },
    );
  });
});
