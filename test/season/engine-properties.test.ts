/**
 * Properties of SPEC section 3 over generated seasons (fast-check): every pool
 * sums to its amount exactly, row order never matters, more points never get
 * fewer tokens, nobody below the cut is paid.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocatePool, compareRank, rankEntries } from "../../season/allocation.js";
import { POOL_KEYS, type SeasonResult } from "../../season/types.js";
import { DAY, SeasonBuilder, START, WEEK, who } from "./season-builder.js";

const amount = fc.integer({ min: 0, max: 999_999 }).map((n) => `${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, "0")}`);
const offset = fc.integer({ min: -DAY, max: 15 * DAY }); // some rows fall outside the two-week window

interface Plan {
  users: number;
  referrers: number[];
  usage: { user: number; at: number; free: string; paid: string }[];
  cards: { user: number; at: number; spark: string }[];
  jobs: { worker: number; fast: boolean; at: number; value: string; boost: boolean; paid: boolean }[];
  locks: { account: number; sogni: number; weeks: number; from: number; chain: number }[];
  top: number;
  pool: string;
}

const plan: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 12 }).chain((users) =>
  fc.record({
    users: fc.constant(users),
    referrers: fc.array(fc.integer({ min: -1, max: users - 1 }), { minLength: users, maxLength: users }),
    usage: fc.array(fc.record({ user: fc.integer({ min: 0, max: users - 1 }), at: offset, free: amount, paid: amount }), { maxLength: 25 }),
    cards: fc.array(fc.record({ user: fc.integer({ min: 0, max: users - 1 }), at: offset, spark: amount }), { maxLength: 25 }),
    jobs: fc.array(
      fc.record({ worker: fc.integer({ min: 0, max: 8 }), fast: fc.boolean(), at: offset, value: amount, boost: fc.boolean(), paid: fc.boolean() }),
      { maxLength: 25 },
    ),
    locks: fc.array(
      fc.record({ account: fc.integer({ min: 0, max: 8 }), sogni: fc.integer({ min: 1, max: 10_000 }), weeks: fc.integer({ min: 1, max: 52 }), from: fc.integer({ min: -3, max: 2 }), chain: fc.constantFrom(31337, 31338) }),
      { maxLength: 8 },
    ),
    top: fc.integer({ min: 1, max: 5 }),
    pool: fc.constantFrom("1", "0.000000000000000007", "1234.567", "2000000"),
  }),
);

/** The season of a plan; `order` permutes the rows of every file (a permutation seed). */
function build(p: Plan, order: (rows: string[]) => string[] = (rows) => rows): SeasonResult {
  const pools = Object.fromEntries(POOL_KEYS.map((key) => [key, key === "ambassadors" || key === "stakers" ? { amount: p.pool } : { amount: p.pool, top: p.top }]));
  const s = new SeasonBuilder({ pools });
  // Referrers only point to earlier users: no cycles.
  for (let u = 0; u < p.users; u++) {
    const referrer = p.referrers[u]!;
    s.user(`u${u}`, who(1000 + u), referrer >= 0 && referrer < u ? `u${referrer}` : "");
  }
  p.usage.forEach((row, i) => s.usage(`u${row.user}`, START + row.at, { free: row.free, paid: row.paid }, `r${i}`));
  p.cards.forEach((row, i) => s.card(`u${row.user}`, START + row.at, row.spark, `p${i}`));
  p.jobs.forEach((row, i) => {
    s.job(who(2000 + row.worker), row.fast ? "fast" : "relaxed", START + row.at, row.value, row.boost ? "free_daily_boost" : "sogni", i, "GPU", `j${i}`);
    if (row.paid) s.paid(i, who(2000 + row.worker));
  });
  // Each wallet's states on a chain in chain order: effective times only grow.
  [...p.locks]
    .sort((a, b) => a.from - b.from)
    .forEach((lock) => s.lock(who(3000 + lock.account), BigInt(lock.sogni), lock.weeks, START + lock.from * WEEK, START + (lock.from + lock.weeks) * WEEK, lock.chain));
  const [header, ...users] = s.users;
  s.users = [header!, ...order(users)];
  for (const key of ["usageRows", "purchaseRows", "jobRows"] as const) {
    const [head, ...rows] = s[key];
    s[key] = [head!, ...order(rows)];
  }
  return s.compute();
}

describe("SPEC 3: each pool sums to its amount exactly (or to 0 with nobody eligible)", () => {
  it("for any generated season", () => {
    let paidPools = 0;
    fc.assert(
      fc.property(plan, (p) => {
        const result = build(p);
        paidPools += POOL_KEYS.filter((key) => result.pools[key].allocated > 0n).length;
        for (const key of POOL_KEYS) {
          const paid = result.leaderboards[key].entries.reduce((sum, e) => sum + e.amount, 0n);
          const pool = result.pools[key];
          expect(paid).toBe(pool.allocated);
          expect(pool.allocated === pool.amount || (pool.allocated === 0n && result.leaderboards[key].entries.length === 0)).toBe(true);
        }
        expect(result.recipients.reduce((sum, r) => sum + r.amount, 0n)).toBe(result.total);
      }),
      { numRuns: 150 },
    );
    expect(paidPools).toBeGreaterThan(150); // the generator does produce paying seasons (about 3 of 5 pools a run)
  });
});

describe("SPEC 6: the same rows in any order give the same season", () => {
  it("reversed and rotated exports give identical leaderboards, recipients and rejections", () => {
    fc.assert(
      fc.property(plan, fc.integer({ min: 0, max: 50 }), (p, shift) => {
        const base = build(p);
        const rotate = (rows: string[]) => (rows.length === 0 ? rows : [...rows.slice(shift % rows.length), ...rows.slice(0, shift % rows.length)]);
        for (const other of [build(p, (rows) => [...rows].reverse()), build(p, rotate)]) {
          expect(other.recipients).toEqual(base.recipients);
          expect(other.leaderboards).toEqual(base.leaderboards);
          expect(new Set(other.rejected.map((r) => `${r.file}:${r.rowId}`))).toEqual(new Set(base.rejected.map((r) => `${r.file}:${r.rowId}`)));
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("SPEC 3: more points never fewer tokens; nobody below the cut is paid", () => {
  it("within each pool, amounts never increase down the ranking, and entries past `top` get 0", () => {
    fc.assert(
      fc.property(plan, (p) => {
        const result = build(p);
        for (const key of POOL_KEYS) {
          const { entries } = result.leaderboards[key];
          const top = result.pools[key].top;
          entries.forEach((entry, i) => {
            if (i > 0) {
              expect(entries[i - 1]!.weight >= entry.weight).toBe(true); // ranked by points
              expect(entries[i - 1]!.amount >= entry.amount).toBe(true); // so paid in the same order
            }
            if (top !== undefined && i >= top) expect(entry.amount).toBe(0n);
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("allocatePool: exact sum, each share within one wei of the exact pro rata, more weight never less", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 27n }), fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 5n })), { minLength: 1, maxLength: 40 }), (pool, weights) => {
        const amounts = allocatePool(pool, weights);
        const total = weights.reduce((a, b) => a + b, 0n);
        if (total === 0n) {
          expect(amounts.every((a) => a === 0n)).toBe(true);
          return;
        }
        expect(amounts.reduce((a, b) => a + b, 0n)).toBe(pool);
        amounts.forEach((amount, i) => {
          const floor = (pool * weights[i]!) / total;
          expect(amount === floor || amount === floor + 1n).toBe(true);
        });
        for (let i = 0; i < weights.length; i++) {
          for (let j = 0; j < weights.length; j++) if (weights[i]! > weights[j]!) expect(amounts[i]! >= amounts[j]!).toBe(true);
        }
        // The leftover wei went to the largest remainders, ties by rank: the textbook sort gives the same.
        const remainder = (i: number) => (pool * weights[i]!) % total;
        const order = weights.map((_, i) => i).sort((a, b) => (remainder(a) === remainder(b) ? a - b : remainder(a) > remainder(b) ? -1 : 1));
        const left = Number(pool - weights.reduce((sum, w) => sum + (pool * w) / total, 0n));
        const reference = weights.map((w) => (pool * w) / total);
        for (const i of order.slice(0, left)) reference[i]! += 1n;
        expect(amounts).toEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  it("rankEntries gives the comparator's order: small weights, huge staking power, and huge weights one double cannot tell apart", () => {
    const entry = fc.record({ address: fc.integer({ min: 1, max: 30 }).map(who), first: fc.integer({ min: 0, max: 5 }) });
    const scales: ((w: bigint) => bigint)[] = [(w) => w, (w) => w * 10n ** 40n, (w) => 10n ** 40n + w];
    fc.assert(
      fc.property(fc.array(fc.tuple(entry, fc.bigInt({ min: 0n, max: 20n })), { maxLength: 60 }), fc.integer({ min: 0, max: 2 }), (rows, scale) => {
        const entries = rows.map(([e, w]) => ({ ...e, weight: scales[scale]!(w) }));
        expect(rankEntries([...entries])).toEqual([...entries].sort(compareRank));
      }),
      { numRuns: 200 },
    );
  });
});
