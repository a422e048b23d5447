/**
 * SPEC sections 2 and 3, rule by rule, with the numbers in sight. The default
 * window is two weeks from Monday 2026-10-12; every pool is 1000 SOGNI unless a
 * test says otherwise.
 */
import { describe, expect, it } from "vitest";
import { allocatePool } from "../../season/allocation.js";
import { isqrt, lockMultiplier } from "../../season/staking.js";
import { board, CHAIN, DAY, E18, END, SeasonBuilder, START, WEEK, who } from "./season-builder.js";

const T = (offset: number) => START + offset; // a time inside the window

describe("SPEC 2 artist points: 1 × free_spark + 10 × paid_spark + 10 × sogni_spark", () => {
  it("5 free + 2 paid + 0.5 sogni_spark = 5 + 20 + 5 = 30 points; the sogni column itself adds nothing", () => {
    const s = new SeasonBuilder().user("a", who(1));
    s.usage("a", T(DAY), { free: "5", paid: "2", sogni: "40", sogniSpark: "0.5" });
    expect(board(s.compute(), "artists")).toEqual([[who(1), 30_000_000n, 1000n * E18]]);
  });

  it("exact to 6 decimals: 0.000001 free Spark is 0.000001 points, never rounded to 0", () => {
    const s = new SeasonBuilder().user("a", who(1)).user("b", who(2));
    s.usage("a", T(DAY), { free: "0.000001" }).usage("b", T(DAY), { free: "0.000003" });
    const result = s.compute();
    expect(board(result, "artists")).toEqual([
      [who(2), 3n, 750n * E18],
      [who(1), 1n, 250n * E18],
    ]);
  });

  it("a request with zero points is no activity: not on the leaderboard, no day active", () => {
    const s = new SeasonBuilder().user("a", who(1)).user("b", who(2));
    s.usage("a", T(DAY), { free: "0" }).usage("b", T(DAY), { free: "1" });
    expect(board(s.compute(), "artists").map(([address]) => address)).toEqual([who(2)]);
  });
});

describe("SPEC 2 ambassador points: buyer 1 × s, referrer 1 × s, referrer's referrer 0.2 × s", () => {
  it("c (referred by b, referred by a) buys 100 Spark: c 100, b 100, a 20; a fourth level gets nothing", () => {
    const s = new SeasonBuilder().user("z", who(9)).user("a", who(1), "z").user("b", who(2), "a").user("c", who(3), "b");
    s.card("c", T(DAY), "100");
    const points = Object.fromEntries(s.compute().leaderboards.ambassadors.entries.map((e) => [e.address, e.points]));
    // scale 10^7: 100 points = 1_000_000_000
    expect(points).toEqual({ [who(3)]: 1_000_000_000n, [who(2)]: 1_000_000_000n, [who(1)]: 200_000_000n });
  });

  it("0.2 × 0.000001 Spark is 0.0000002 points, not 0", () => {
    const s = new SeasonBuilder().user("a", who(1)).user("b", who(2), "a").user("c", who(3), "b");
    s.card("c", T(DAY), "0.000001");
    const a = s.compute().leaderboards.ambassadors.entries.find((e) => e.address === who(1))!;
    expect(a.points).toBe(2n);
    expect(s.compute().leaderboards.ambassadors.pointDecimals).toBe(7); // 2 × 10^-7 = 0.0000002
  });

  it("users sharing one address add up on it: one leaderboard line, one leaf", () => {
    const s = new SeasonBuilder().user("a", who(1), "", "first").user("a2", who(1), "", "second").user("b", who(2));
    s.card("a", T(DAY), "30").card("a2", T(2 * DAY), "10").card("b", T(DAY), "60");
    const result = s.compute();
    expect(board(result, "ambassadors")).toEqual([
      [who(2), 600_000_000n, 600n * E18],
      [who(1), 400_000_000n, 400n * E18],
    ]);
    expect(result.leaderboards.ambassadors.entries[1]!.name).toBe("first"); // the first users.csv row with the address
    expect(result.recipients.map((r) => r.address)).toEqual([who(1), who(2)]);
  });
});

describe("SPEC 4 cross-checks: a SOGNI purchase needs its on-chain deposit", () => {
  const tx = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

  it("backed purchases count; missing, too small, wrong sender and re-used transactions go to rejected.csv", () => {
    const s = new SeasonBuilder().user("a", who(1)).user("b", who(2));
    s.sogniPurchase("a", T(DAY), "10", "5", tx(1)).deposit(tx(1), who(1), 5n * E18); // exactly enough: counts
    s.sogniPurchase("a", T(DAY + 1), "10", "5", tx(2)).deposit(tx(2), who(1), 5n * E18 - 1n); // 1 wei short
    s.sogniPurchase("b", T(DAY), "10", "5", tx(3)).deposit(tx(3), who(1), 5n * E18); // sent by a, not b
    s.sogniPurchase("b", T(DAY + 2), "10", "1", tx(4)); // no such transfer
    s.sogniPurchase("b", T(3 * DAY), "10", "5", tx(1)); // tx(1) already backs an earlier purchase
    s.sogniPurchase("b", T(DAY), "10", "5", tx(5)).deposit(tx(5), who(2), 5n * E18, who(7)); // sent elsewhere
    const result = s.compute();
    expect(result.rejected.map((r) => [r.rowId, r.reason.split(" ").slice(0, 3).join(" ")])).toEqual([
      ["p3", "no on-chain SOGNI"],
      ["p6", "no on-chain SOGNI"],
      ["p2", "transaction 0x0000000000000000000000000000000000000000000000000000000000000002 transferred"],
      ["p4", "no on-chain SOGNI"],
      ["p5", "transaction 0x0000000000000000000000000000000000000000000000000000000000000001 already"],
    ]);
    expect(board(result, "ambassadors")).toEqual([[who(1), 100_000_000n, 1000n * E18]]);
  });

  it("one transaction backs one purchase: the earliest wins, whatever the row order", () => {
    const late = new SeasonBuilder().user("a", who(1));
    late.sogniPurchase("a", T(2 * DAY), "99", "1", tx(1), "late").sogniPurchase("a", T(DAY), "1", "1", tx(1), "early").deposit(tx(1), who(1), E18);
    expect(late.compute().rejected.map((r) => r.rowId)).toEqual(["late"]);
  });
});

describe("SPEC 2 worker points: spark_value × weight(payment), tier picks the pool, paid batches only", () => {
  it("Free Daily Boost counts 1/10: 10 sogni + 20 boost = 12 points; the other worker 8 premium", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "10", "sogni", 1).job(who(1), "fast", T(2 * DAY), "20", "free_daily_boost", 1).paid(1, who(1));
    s.job(who(2), "fast", T(DAY), "8", "premium_spark", 1).paid(1, who(2));
    expect(board(s.compute(), "fastWorkers")).toEqual([
      [who(1), 12n * 10n ** 12n, 600n * E18],
      [who(2), 8n * 10n ** 12n, 400n * E18],
    ]);
  });

  it("a relaxed job goes to relaxedWorkers; a job of a batch that did not pay that worker is rejected", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "relaxed", T(DAY), "5", "sogni", 1, "GTX 1080").paid(1, who(1));
    s.job(who(1), "relaxed", T(DAY), "5", "sogni", 2).paid(2, who(2)); // batch 2 paid someone else
    const result = s.compute();
    expect(board(result, "relaxedWorkers")).toEqual([[who(1), 5n * 10n ** 12n, 1000n * E18]]);
    expect(board(result, "fastWorkers")).toEqual([]);
    expect(result.rejected).toEqual([{ file: "jobs.csv", rowId: "j2", reason: `worker ${who(1)} was not paid on-chain in payout batch 2` }]);
    expect(result.leaderboards.relaxedWorkers.entries[0]!.hardware).toBe("GTX 1080");
  });

  it("weights come from season.json: with free_daily_boost 0.5 the same jobs give 10 + 10 = 20", () => {
    const s = new SeasonBuilder({ workerPaymentWeights: { sogni: "1", free_daily_boost: "0.5" } });
    s.job(who(1), "fast", T(DAY), "10", "sogni", 1).job(who(1), "fast", T(DAY), "20", "free_daily_boost", 1).paid(1, who(1));
    expect(board(s.compute(), "fastWorkers")[0]![1]).toBe(20n * 10n ** 12n);
  });

  it("hardware is that of the most recent counted job", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(3 * DAY), "1", "sogni", 1, "RTX 4090").job(who(1), "fast", T(DAY), "1", "sogni", 1, "RTX 3060").paid(1, who(1));
    expect(s.compute().leaderboards.fastWorkers.entries[0]!.hardware).toBe("RTX 4090");
  });
});

describe("SPEC 2 staking power: amount × m(lockWeeks) × seconds in force inside [start, end)", () => {
  it("m(w) = w × isqrt(w × 10^12): m(1) = 1, m(2) = 2.828426, m(6) = 14.696934, m(52) = 374.977304", () => {
    expect([1, 2, 6, 52].map(lockMultiplier)).toEqual([1_000_000n, 2_828_426n, 14_696_934n, 374_977_304n]);
    expect(isqrt(10n ** 30n)).toBe(10n ** 15n);
    expect(isqrt(10n ** 30n - 1n)).toBe(10n ** 15n - 1n);
  });

  it("100 SOGNI locked 6 weeks for the whole window shows 1469.6934 average Staking Power", () => {
    const s = new SeasonBuilder().lock(who(1), 100n, 6, START - WEEK, START + 5 * WEEK);
    const entry = s.compute().leaderboards.stakers.entries[0]!;
    expect(entry.points).toBe(1_469_693_400n); // 6 decimals
    expect(entry.weight).toBe(100n * E18 * 14_696_934n * BigInt(2 * WEEK));
    expect(entry.daysActive).toBe(14);
  });

  it("clipped to the window: a lock from the second week counts 1 of 2 weeks (141.4213 for 100 SOGNI × m(2))", () => {
    const s = new SeasonBuilder().lock(who(1), 100n, 2, START + WEEK, START + 3 * WEEK);
    const entry = s.compute().leaderboards.stakers.entries[0]!;
    expect(entry.points).toBe(141_421_300n);
    expect(entry.daysActive).toBe(7);
    expect(entry.firstActivity).toBe(START + WEEK);
  });

  it("expiry mid-window: in force until unlockAt only", () => {
    const s = new SeasonBuilder().lock(who(1), 10n, 1, START - WEEK / 2, START + 3 * DAY);
    expect(s.compute().leaderboards.stakers.entries[0]!.weight).toBe(10n * E18 * 1_000_000n * BigInt(3 * DAY));
  });

  it("a top-up takes effect at the next epoch: the old state until then, the new one after", () => {
    // 10 SOGNI for 2 weeks from START; topped up to 30 SOGNI, 4 weeks, effective START + 1 week.
    const s = new SeasonBuilder().lock(who(1), 10n, 2, START, START + 2 * WEEK).lock(who(1), 30n, 4, START + WEEK, START + 5 * WEEK);
    const expected = 10n * E18 * lockMultiplier(2) * BigInt(WEEK) + 30n * E18 * lockMultiplier(4) * BigInt(WEEK);
    expect(s.compute().leaderboards.stakers.entries[0]!.weight).toBe(expected);
  });

  it("re-lock after expiry: nothing counts in the gap", () => {
    const s = new SeasonBuilder().lock(who(1), 10n, 1, START - WEEK, START + 2 * DAY).lock(who(1), 10n, 1, START + WEEK, START + 2 * WEEK);
    const entry = s.compute().leaderboards.stakers.entries[0]!;
    expect(entry.weight).toBe(10n * E18 * 1_000_000n * BigInt(2 * DAY + WEEK));
    expect(entry.daysActive).toBe(2 + 7);
  });

  it("locks before the window's start or from its end count nothing", () => {
    const s = new SeasonBuilder().lock(who(1), 10n, 1, START - 2 * WEEK, START).lock(who(2), 10n, 1, END, END + WEEK);
    expect(s.compute().leaderboards.stakers.entries).toEqual([]);
  });

  it("two chains add up: the same wallet's locks on 31337 and 31338 sum, each state followed on its own chain", () => {
    const s = new SeasonBuilder().lock(who(1), 10n, 1, START, START + WEEK, 31337).lock(who(1), 20n, 1, START, START + WEEK, 31338);
    expect(s.compute().leaderboards.stakers.entries[0]!.weight).toBe(30n * E18 * 1_000_000n * BigInt(WEEK));
  });
});

describe("SPEC 8.4 several staking contracts: a lock is keyed by chain, staking contract and account", () => {
  const OLD = "0x00000000000000000000000000000000005a0001"; // season 6's staking contract
  const NEW = "0x00000000000000000000000000000000005a0002"; // season 7's, opened mid-window

  it("a new lock in a new staking contract does not end the lock in the old one: both count, and add up", () => {
    // 100 SOGNI for 6 weeks in OLD from before the window (the whole 2-week window in force);
    // then 50 SOGNI for 2 weeks in NEW, effective START + 1 week.
    const s = new SeasonBuilder()
      .lock(who(1), 100n, 6, START - WEEK, START + 5 * WEEK, CHAIN, OLD)
      .lock(who(1), 50n, 2, START + WEEK, START + 3 * WEEK, CHAIN, NEW);
    const entry = s.compute().leaderboards.stakers.entries[0]!;
    const old = 100n * E18 * lockMultiplier(6) * BigInt(2 * WEEK); // both weeks: NEW's lock did not end it
    const added = 50n * E18 * lockMultiplier(2) * BigInt(WEEK); // the second week
    expect(entry.weight).toBe(old + added);
    expect(entry.points).toBe((old + added) / (E18 * BigInt(2 * WEEK))); // 1469.6934 + 70.71065 = 1540.40405
    expect(entry.points).toBe(1_540_404_050n);
    expect(entry.daysActive).toBe(14);
  });

  it("the same two states in one staking contract are one lock: the second ends the first when it takes effect", () => {
    const s = new SeasonBuilder()
      .lock(who(1), 100n, 6, START - WEEK, START + 5 * WEEK, CHAIN, OLD)
      .lock(who(1), 50n, 2, START + WEEK, START + 3 * WEEK, CHAIN, OLD);
    const entry = s.compute().leaderboards.stakers.entries[0]!;
    expect(entry.weight).toBe(100n * E18 * lockMultiplier(6) * BigInt(WEEK) + 50n * E18 * lockMultiplier(2) * BigInt(WEEK));
  });

  it("each contract's states follow only each other: a top-up in OLD after a lock in NEW replaces OLD's state, never NEW's", () => {
    // OLD: 10 SOGNI 1 week from START, topped up to 40 SOGNI for 1 week from START + 1 week; NEW: 20 SOGNI 2 weeks from START.
    const s = new SeasonBuilder()
      .lock(who(1), 10n, 1, START, START + WEEK, CHAIN, OLD)
      .lock(who(1), 20n, 2, START, START + 2 * WEEK, CHAIN, NEW)
      .lock(who(1), 40n, 1, START + WEEK, START + 2 * WEEK, CHAIN, OLD);
    const m1 = lockMultiplier(1);
    const m2 = lockMultiplier(2);
    expect(s.compute().leaderboards.stakers.entries[0]!.weight).toBe(E18 * BigInt(WEEK) * (10n * m1 + 20n * m2 * 2n + 40n * m1));
  });
});

describe("SPEC 4 the window: [start, end), rows outside skipped and counted", () => {
  it("a row at start counts, one at end and one a second before start are skipped", () => {
    const s = new SeasonBuilder().user("a", who(1));
    s.usage("a", START, { free: "1" }).usage("a", END, { free: "100" }).usage("a", START - 1, { free: "100" });
    s.job(who(2), "fast", END - 1, "1", "sogni", 1).job(who(2), "fast", END, "1", "sogni", 1).paid(1, who(2));
    const result = s.compute();
    expect(board(result, "artists")[0]![1]).toBe(1_000_000n);
    expect(result.skippedOutsideWindow).toEqual({ "spark_usage.csv": 2, "jobs.csv": 1 });
  });

  it("days active are distinct UTC dates: two requests the same day count once", () => {
    const s = new SeasonBuilder().user("a", who(1));
    s.usage("a", T(DAY + 10), { free: "1" }).usage("a", T(DAY + 20), { free: "1" }).usage("a", T(5 * DAY), { free: "1" });
    expect(s.compute().leaderboards.artists.entries[0]!.daysActive).toBe(2);
  });
});

describe("SPEC 2 ranking and SPEC 3 the cut: points, then first activity, then address", () => {
  it("equal points: the earlier first activity ranks higher; same time too: the lower address", () => {
    const s = new SeasonBuilder().user("a", who(3)).user("b", who(2)).user("c", who(1));
    s.usage("a", T(DAY), { free: "1" }).usage("b", T(2 * DAY), { free: "1" }).usage("c", T(2 * DAY), { free: "1" });
    expect(board(s.compute(), "artists").map(([address]) => address)).toEqual([who(3), who(1), who(2)]);
  });

  it("top 200 with a tie at the boundary: rank 200 is paid, rank 201 (same points, later) gets 0", () => {
    const s = new SeasonBuilder();
    for (let i = 1; i <= 202; i++) {
      s.user(`u${i}`, who(i));
      // 199 artists with 10 points, then three with 1 point at later times
      s.usage(`u${i}`, T(i * 60), { free: i <= 199 ? "10" : "1" });
    }
    const entries = s.compute().leaderboards.artists.entries;
    expect(entries).toHaveLength(202);
    expect(entries.filter((e) => e.amount > 0n)).toHaveLength(200);
    expect(entries[199]!.address).toBe(who(200));
    expect(entries[200]!.address).toBe(who(201));
    expect(entries[199]!.points).toBe(entries[200]!.points);
    expect(entries[200]!.amount).toBe(0n);
    expect(entries.reduce((sum, e) => sum + e.amount, 0n)).toBe(1000n * E18);
  });

  it("excluded addresses are off the leaderboard and their share goes to the others", () => {
    const s = new SeasonBuilder({ exclude: [who(1)] }).user("a", who(1)).user("b", who(2));
    s.usage("a", T(DAY), { free: "1000" }).usage("b", T(DAY), { free: "1" });
    expect(board(s.compute(), "artists")).toEqual([[who(2), 1_000_000n, 1000n * E18]]);
  });
});

describe("SPEC 3 allocation: floor, then one wei each to the largest remainders", () => {
  it("1000 wei over 30 : 21 → floors 588 and 411, remainders 12/51 and 39/51: the last wei to the second", () => {
    expect(allocatePool(1000n, [30n, 21n])).toEqual([588n, 412n]);
  });

  it("equal remainders: by rank (the first entries)", () => {
    expect(allocatePool(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
  });

  it("the fixture's artist pool: 1000 SOGNI over 30 : 21 is …823 + 1 and …176", () => {
    const [ada, cy] = allocatePool(1000n * E18, [30n, 21n]);
    expect([ada, cy]).toEqual([588_235_294_117_647_058_824n, 411_764_705_882_352_941_176n]);
  });

  it("a pool with no eligible entry allocates nothing and says so", () => {
    const s = new SeasonBuilder().user("a", who(1));
    s.usage("a", T(DAY), { free: "1" });
    const result = s.compute();
    expect(result.pools.stakers).toEqual({ amount: 1000n * E18, top: undefined, recipients: 0, allocated: 0n });
    expect(result.total).toBe(1000n * E18);
  });

  it("a recipient's amount is the sum of its pools: one address, one leaf", () => {
    const s = new SeasonBuilder().user("a", who(1));
    s.usage("a", T(DAY), { free: "1" }).card("a", T(DAY), "1").lock(who(1), 1n, 1, START, START + WEEK);
    const [recipient] = s.compute().recipients;
    expect(recipient).toEqual({
      index: 0,
      address: who(1),
      amount: 3000n * E18,
      pools: { artists: 1000n * E18, ambassadors: 1000n * E18, stakers: 1000n * E18, relaxedWorkers: 0n, fastWorkers: 0n },
    });
  });
});

describe("SPEC 1: season 8 is a config change, not a code change", () => {
  it("other amounts, cuts, weights and dates: the same code pays them exactly", () => {
    const s = new SeasonBuilder({
      season: 8,
      start: "2026-11-24T00:00:00Z",
      end: "2027-01-05T00:00:00Z",
      pools: { artists: { amount: "2500000", top: 2 }, ambassadors: { amount: "0.000000000000000003" }, fastWorkers: { amount: "7", top: 1 } },
      workerPaymentWeights: { sogni: "2", premium_spark: "1", free_daily_boost: "0.25", referral_bonus: "3" },
    });
    const t = Date.parse("2026-12-01T00:00:00Z") / 1000;
    s.user("a", who(1)).user("b", who(2)).user("c", who(3));
    s.usage("a", t, { free: "3" }).usage("b", t, { free: "2" }).usage("c", t, { free: "1" });
    s.card("a", t, "1").card("b", t, "1");
    s.job(who(4), "fast", t, "1", "referral_bonus", 9).job(who(5), "fast", t, "1", "sogni", 9).paid(9, who(4)).paid(9, who(5));
    const result = s.compute();
    expect(result.config.season).toBe(8);
    expect(board(result, "artists")).toEqual([
      [who(1), 3_000_000n, 1_500_000n * E18],
      [who(2), 2_000_000n, 1_000_000n * E18],
      [who(3), 1_000_000n, 0n],
    ]);
    expect(board(result, "ambassadors").map(([, , amount]) => amount)).toEqual([2n, 1n]); // 3 wei: 1.5 each, the remainder by rank
    expect(board(result, "fastWorkers")).toEqual([
      [who(4), 3n * 10n ** 12n, 7n * E18],
      [who(5), 2n * 10n ** 12n, 0n],
    ]);
  });
});
