/**
 * The page's formatting (web/format.js) and its rewards arithmetic
 * (web/rewards.js), the functions the bundle runs in the browser: amounts
 * are bigint wei end to end and shown exactly (rounded toward zero only when
 * asked), vesting shares as exact percentages and by season/vesting.ts's
 * rule, and free text with invisible and control characters shown as the
 * CLI shows them (season/text.ts's rule, imported, not copied).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeInvisible } from "../../season/text.js";
// @ts-expect-error: plain browser JavaScript without type declarations
import * as format from "../../web/format.js";
// @ts-expect-error: plain browser JavaScript without type declarations
import * as rewards from "../../web/rewards.js";

const { claimableNow, vestedNow } = rewards as {
  claimableNow: (cumulative: string | bigint, claimed: string | bigint) => bigint;
  vestedNow: (earned: string, tranches: { at: number; share: string }[] | null, end: number, now: number) => { amount: bigint; share: string };
};
const { countdownParts, durationText, formatUnits, groupThousands, sharePercent, sogni, toWei, visibleText } = format as {
  countdownParts: (seconds: number) => { days: string; hours: string; minutes: string; seconds: string };
  durationText: (seconds: number) => string;
  formatUnits: (wei: string | bigint, decimals?: number, maxFraction?: number) => string;
  groupThousands: (text: string) => string;
  sharePercent: (share: string) => string;
  sogni: (wei: string | bigint, decimals: number, maxFraction?: number) => string;
  toWei: (value: unknown) => bigint;
  visibleText: (text: string) => string;
};

describe("amounts: wei as bigint, shown exactly", () => {
  it("1000000000000000001 wei is 1.000000000000000001 SOGNI; cut to 2 digits it rounds toward zero (1.009… -> 1, 1.019… -> 1.01)", () => {
    expect(formatUnits("1000000000000000001", 18)).toBe("1.000000000000000001");
    expect(formatUnits("1009999999999999999", 18, 2)).toBe("1");
    expect(formatUnits("1019999999999999999", 18, 2)).toBe("1.01");
    expect(formatUnits(0n, 18)).toBe("0");
    expect(formatUnits("1234", 0)).toBe("1234");
  });

  it("groups thousands: 10,000,000.5 SOGNI, and amounts past 2^53 keep every digit", () => {
    expect(groupThousands("10000000.5")).toBe("10,000,000.5");
    expect(sogni("1234500000000000000000", 18)).toBe("1,234.5");
    expect(sogni("2999999999999999999998", 18)).toBe("2,999.999999999999999998");
    expect(sogni(123456789012345678901234567890n, 18)).toBe("123,456,789,012.34567890123456789");
  });

  it("claimable now is cumulative − claimed, never below 0", () => {
    expect(claimableNow("1000", "400")).toBe(600n);
    expect(claimableNow("1000", "1000")).toBe(0n);
    expect(claimableNow(5n, 7n)).toBe(0n);
  });

  it("refuses anything that is not a wei decimal string: a float, an exponent, a number, text", () => {
    for (const bad of ["1.5", "1e18", 1e18, "", "0x10", " 1", null]) expect(() => toWei(bad)).toThrow(/not an amount in wei/);
    expect(toWei("-3")).toBe(-3n);
  });
});

describe("vesting shares (SPEC 8.1: ≤ 6 decimals) as exact percentages", () => {
  it("0.4 -> 40%, 0.25 -> 25%, 1 -> 100%, 0.333333 -> 33.3333%, 0 -> 0%", () => {
    expect(sharePercent("0.4")).toBe("40%");
    expect(sharePercent("0.25")).toBe("25%");
    expect(sharePercent("1")).toBe("100%");
    expect(sharePercent("0.333333")).toBe("33.3333%");
    expect(sharePercent("0")).toBe("0%");
    expect(() => sharePercent("0.1234567")).toThrow(/7 fractional digits/);
  });
});

describe("vested now by the season's schedule (SPEC 8.1, season/vesting.ts): floor(earned × share of the last tranche at or before now)", () => {
  const tranches = [
    { at: 1_000, share: "0.4" },
    { at: 2_000, share: "1" },
  ];
  it("0 before the first tranche, 40 % from it (floored: 10 wei -> 4, 3 wei -> 1), all from the last", () => {
    expect(vestedNow("10", tranches, 500, 999)).toEqual({ amount: 0n, share: "0" });
    expect(vestedNow("10", tranches, 500, 1_000)).toEqual({ amount: 4n, share: "0.4" });
    expect(vestedNow("3", tranches, 500, 1_999)).toEqual({ amount: 1n, share: "0.4" });
    expect(vestedNow("517326209777852782885", tranches, 500, 2_000)).toEqual({ amount: 517326209777852782885n, share: "1" });
  });

  it("without vesting, everything at the window's end", () => {
    expect(vestedNow("7", null, 500, 499)).toEqual({ amount: 0n, share: "0" });
    expect(vestedNow("7", null, 500, 500)).toEqual({ amount: 7n, share: "1" });
  });
});

describe("countdowns", () => {
  it("93784 s is 01 d 02 h 03 min 04 s; a time past is all zeros", () => {
    expect(countdownParts(93_784)).toEqual({ days: "01", hours: "02", minutes: "03", seconds: "04" });
    expect(countdownParts(-5)).toEqual({ days: "00", hours: "00", minutes: "00", seconds: "00" });
    expect(countdownParts(120 * 86_400)).toMatchObject({ days: "120" });
  });

  it("as running text, as `season rewards status` writes it: 1 d 2 h 3 min 4 s, 23 h 59 min, 0 s", () => {
    expect(durationText(93_784)).toBe("1 d 2 h 3 min 4 s");
    expect(durationText(86_340)).toBe("23 h 59 min");
    expect(durationText(0)).toBe("0 s");
  });
});

describe("the page shows a name as the CLI does: control and bidi characters visible, never obeyed", () => {
  it("a right-to-left override, a zero-width space and an escape sequence", () => {
    expect(visibleText("ada\u202e")).toBe("ada\\u{202e}");
    expect(visibleText("bo\u200bb")).toBe("bo\\u{200b}b");
    expect(visibleText("\u001b[2Jcy")).toBe("\\u{1b}[2Jcy");
    expect(visibleText("bob, the builder")).toBe("bob, the builder");
  });

  it("gives exactly season/text.ts's escapeInvisible for any text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => visibleText(text) === escapeInvisible(text)), { numRuns: 2000 });
  });
});
