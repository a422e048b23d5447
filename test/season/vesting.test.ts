/**
 * SPEC 8.1 vesting: season.json's `vesting` is validated like every other
 * key (errors name the key path and its line), and the vested amount at a
 * time T is floor(amount × s(T)) in exact integers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSeasonConfig } from "../../season/config.js";
import { InputError } from "../../season/errors.js";
import { parseIsoTime } from "../../season/time.js";
import { formatShare, SHARE_ONE, vestedAmount, vestedShare } from "../../season/vesting.js";

const FIXTURE = readFileSync(join(__dirname, "..", "fixtures", "season-small", "season.json"), "utf8");
const END = parseIsoTime("2026-10-26T00:00:00Z");
const t = parseIsoTime;

/** The fixture's season.json with `vesting` (as JSON text, one tranche per line) added before its closing brace. */
function withVesting(vesting: string): string {
  return FIXTURE.replace(/\n}\s*$/, `,\n  "vesting": ${vesting}\n}\n`);
}

function inputError(text: string): InputError {
  try {
    parseSeasonConfig(text, "season.json");
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError, got none");
}

/** The line of `text` that the error points at. */
const lineOf = (text: string, error: InputError): string => text.split("\n")[error.line! - 1]!.trim();

const TWO_TRANCHES = `[
    { "at": "2026-12-01T00:00:00Z", "share": "0.25" },
    { "at": "2027-03-01T00:00:00Z", "share": "1" }
  ]`;

describe("SPEC 8.1 season.json `vesting`: validated like every key, errors name the key path and line", () => {
  it("reads tranches as unix seconds and shares scaled by 10^6", () => {
    const config = parseSeasonConfig(withVesting(TWO_TRANCHES));
    expect(config.vesting).toEqual([
      { at: t("2026-12-01T00:00:00Z"), share: 250_000n },
      { at: t("2027-03-01T00:00:00Z"), share: 1_000_000n },
    ]);
  });

  it("is optional: without it the config has no `vesting` at all", () => {
    expect("vesting" in parseSeasonConfig(FIXTURE)).toBe(false);
  });

  const cases: { name: string; vesting: string; column: string; line: string; reason: RegExp }[] = [
    { name: "not an array", vesting: `"0.5"`, column: "vesting", line: `"vesting": "0.5"`, reason: /"vesting" must be a non-empty array of tranches/ },
    { name: "an empty array", vesting: "[]", column: "vesting", line: `"vesting": []`, reason: /non-empty array/ },
    {
      name: "an unknown key in a tranche",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "1", "cliff": "x" }\n  ]`,
      column: "vesting[0].cliff",
      line: `{ "at": "2026-12-01T00:00:00Z", "share": "1", "cliff": "x" }`,
      reason: /unknown key "cliff" in vesting\[0\] \(allowed: at, share\)/,
    },
    {
      name: "a tranche without share",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z" }\n  ]`,
      column: "vesting[0]",
      line: `{ "at": "2026-12-01T00:00:00Z" }`,
      reason: /vesting\[0\] has no "share"/,
    },
    {
      name: "a time in another zone",
      vesting: `[\n    { "at": "2026-12-01T00:00:00+02:00", "share": "1" }\n  ]`,
      column: "vesting[0].at",
      line: `{ "at": "2026-12-01T00:00:00+02:00", "share": "1" }`,
      reason: /vesting\[0\]\.at: not an ISO-8601 UTC timestamp/,
    },
    {
      name: "a tranche before the season's end",
      vesting: `[\n    { "at": "2026-10-25T23:59:59Z", "share": "1" }\n  ]`,
      column: "vesting[0].at",
      line: `{ "at": "2026-10-25T23:59:59Z", "share": "1" }`,
      reason: /vesting\[0\]\.at 2026-10-25T23:59:59Z is before the season's "end" \(2026-10-26T00:00:00Z\)/,
    },
    {
      name: "times not strictly increasing",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "0.5" },\n    { "at": "2026-12-01T00:00:00Z", "share": "1" }\n  ]`,
      column: "vesting[1].at",
      line: `{ "at": "2026-12-01T00:00:00Z", "share": "1" }`,
      reason: /vesting\[1\]\.at 2026-12-01T00:00:00Z is not after the tranche before it \(2026-12-01T00:00:00Z\)/,
    },
    {
      name: "more than 6 decimals",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "0.3333333" },\n    { "at": "2027-01-01T00:00:00Z", "share": "1" }\n  ]`,
      column: "vesting[0].share",
      line: `{ "at": "2026-12-01T00:00:00Z", "share": "0.3333333" },`,
      reason: /vesting\[0\]\.share: "0\.3333333" has 7 fractional digits, at most 6 allowed/,
    },
    {
      name: "a share as a JSON number",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": 1 }\n  ]`,
      column: "vesting[0].share",
      line: `{ "at": "2026-12-01T00:00:00Z", "share": 1 }`,
      reason: /vesting\[0\]\.share must be a decimal string like "0\.25"/,
    },
    {
      name: "a share of 0",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "0" },\n    { "at": "2027-01-01T00:00:00Z", "share": "1" }\n  ]`,
      column: "vesting[0].share",
      line: `{ "at": "2026-12-01T00:00:00Z", "share": "0" },`,
      reason: /vesting\[0\]\.share is 0: a tranche must vest something/,
    },
    {
      name: "shares not strictly increasing",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "0.5" },\n    { "at": "2027-01-01T00:00:00Z", "share": "0.5" },\n    { "at": "2027-02-01T00:00:00Z", "share": "1" }\n  ]`,
      column: "vesting[1].share",
      line: `{ "at": "2027-01-01T00:00:00Z", "share": "0.5" },`,
      reason: /vesting\[1\]\.share 0\.5 is not above the tranche before it/,
    },
    {
      name: "a share above 1",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "1.5" }\n  ]`,
      column: "vesting[0].share",
      line: `{ "at": "2026-12-01T00:00:00Z", "share": "1.5" }`,
      reason: /vesting\[0\]\.share 1\.5 is above 1/,
    },
    {
      name: "a last share below 1",
      vesting: `[\n    { "at": "2026-12-01T00:00:00Z", "share": "0.25" },\n    { "at": "2027-03-01T00:00:00Z", "share": "0.999999" }\n  ]`,
      column: "vesting[1].share",
      line: `{ "at": "2027-03-01T00:00:00Z", "share": "0.999999" }`,
      reason: /the last tranche's share must be exactly 1/,
    },
  ];
  for (const { name, vesting, column, line, reason } of cases) {
    it(`${name}: season.json, the tranche's line, column ${column}`, () => {
      const text = withVesting(vesting);
      const error = inputError(text);
      expect(error.file).toBe("season.json");
      expect(error.column).toBe(column);
      expect(lineOf(text, error)).toBe(line);
      expect(error.reason).toMatch(reason);
    });
  }

  it("\"1.000000\" is exactly 1, and a tranche exactly at `end` is allowed", () => {
    const config = parseSeasonConfig(withVesting(`[{ "at": "2026-10-26T00:00:00Z", "share": "1.000000" }]`));
    expect(config.vesting).toEqual([{ at: END, share: SHARE_ONE }]);
  });
});

describe("SPEC 8.1 s(T): the share of the last tranche with at <= T, 0 before the first", () => {
  const tranches = [
    { at: t("2026-12-01T00:00:00Z"), share: 250_000n },
    { at: t("2027-03-01T00:00:00Z"), share: SHARE_ONE },
  ];
  it.each([
    ["2026-11-30T23:59:59Z", 0n],
    ["2026-12-01T00:00:00Z", 250_000n],
    ["2027-02-28T23:59:59Z", 250_000n],
    ["2027-03-01T00:00:00Z", SHARE_ONE],
    ["2030-01-01T00:00:00Z", SHARE_ONE],
  ])("at %s the share is %s (millionths)", (at, share) => {
    expect(vestedShare(tranches, END, t(at))).toBe(share);
  });

  it("without vesting, all of it at `end` and nothing before", () => {
    expect(vestedShare(undefined, END, END - 1)).toBe(0n);
    expect(vestedShare(undefined, END, END)).toBe(SHARE_ONE);
  });
});

describe("SPEC 8.1 vested amount: floor(amount × s(T)), exact in wei", () => {
  it.each([
    [1_000_000_000_000_000_003n, 250_000n, 250_000_000_000_000_000n], // 250000000000000000.75 -> floored
    [10n, 333_333n, 3n], // 3.33333
    [3n, 333_334n, 1n], // 1.000002
    [1n, 999_999n, 0n], // 0.999999 of one wei is nothing
    [745_818_856_836_676_312_297n, 400_000n, 298_327_542_734_670_524_918n], // 298327542734670524918.8 -> floored
    [2n ** 256n - 1n, SHARE_ONE, 2n ** 256n - 1n],
    [2n ** 256n - 1n, 500_000n, (2n ** 256n - 1n) / 2n], // no overflow: bigints
    [12_345n, 0n, 0n],
  ])("floor(%s × %s / 10^6) = %s", (amount, share, vested) => {
    expect(vestedAmount(amount, share)).toBe(vested);
  });

  it("formats shares as the manifest shows them", () => {
    expect([0n, 250_000n, 333_333n, SHARE_ONE].map(formatShare)).toEqual(["0", "0.25", "0.333333", "1"]);
  });
});
