/**
 * SPEC section 4: bad input gets a clear error naming file, line, column and
 * reason, a non-zero exit, and no output at all (no season directory, no
 * temporary directory, not even the --out directory).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildArgs, editFile, fixtureCopy, runSeason } from "./support.js";

interface BadCase {
  name: string;
  file: string;
  edit: (text: string) => string;
  /** What stderr must show: file, line, column. */
  where: RegExp;
}

const replaceLine = (prefix: string, replacement: string) => (text: string) =>
  text
    .split("\n")
    .map((line) => (line.startsWith(prefix) ? replacement : line))
    .join("\n");

const cases: BadCase[] = [
  {
    name: "an address with a bad EIP-55 checksum",
    file: "users.csv",
    edit: (t) => t.replace("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"),
    where: /error: users\.csv, line 2, column \S+: .*checksum/i,
  },
  {
    name: "an unparseable address",
    file: "users.csv",
    edit: replaceLine("u3,", 'u3,"cy ""the eye""",0x1234,u2'),
    where: /error: users\.csv, line 4, column \S+: /,
  },
  {
    name: "a duplicate request id (a duplicated row must never count twice)",
    file: "spark_usage.csv",
    edit: (t) => `${t}r1,u1,2026-10-14T10:00:00Z,5,2,0,0\n`,
    where: /error: spark_usage\.csv, line 8, column \S+: .*duplicate/i,
  },
  {
    name: "a negative number",
    file: "spark_usage.csv",
    edit: replaceLine("r2,", "r2,u2,2026-10-15T12:00:00Z,0,-1.5,0,0"),
    where: /error: spark_usage\.csv, line 3, column \S+: .*negative/i,
  },
  {
    name: "an over-precise number (7 fractional digits)",
    file: "spark_usage.csv",
    edit: replaceLine("r2,", "r2,u2,2026-10-15T12:00:00Z,0,1.5000001,0,0"),
    where: /error: spark_usage\.csv, line 3, column \S+: .*fractional digits/,
  },
  {
    name: "an unknown user id",
    file: "spark_purchases.csv",
    edit: replaceLine("p1,", "p1,u99,2026-10-15T00:00:00Z,100,card,,"),
    where: /error: spark_purchases\.csv, line 2, column \S+: .*u99/,
  },
  {
    name: "an unknown referrer id",
    file: "users.csv",
    edit: replaceLine("u4,", "u4,dee,0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65,u42"),
    where: /error: users\.csv, line 5, column \S+: .*u42/,
  },
  {
    name: "a self-referral",
    file: "users.csv",
    edit: replaceLine("u4,", "u4,dee,0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65,u4"),
    where: /error: users\.csv, line 5, column \S+: /,
  },
  {
    name: "a referral cycle (ada -> cy -> bob -> ada)",
    file: "users.csv",
    edit: replaceLine("u1,", "u1,ada,0x70997970C51812dc3A010C7d01b50e0d17dc79C8,u3"),
    where: /error: users\.csv, line \d, column \S+: .*cycle/i,
  },
  {
    name: "an unknown tier",
    file: "jobs.csv",
    edit: (t) => t.replace(",fast,M3 Max,", ",turbo,M3 Max,"),
    where: /error: jobs\.csv, line 4, column \S+: .*turbo/,
  },
  {
    name: "an unknown payment kind",
    file: "jobs.csv",
    edit: (t) => t.replace(",8,premium_spark,1", ",8,paypal,1"),
    where: /error: jobs\.csv, line 4, column \S+: .*paypal/,
  },
  {
    name: "an unknown key in season.json",
    file: "season.json",
    edit: (t) => t.replace('"season": 7,', '"season": 7,\n  "bonus": "1",'),
    where: /error: season\.json.*bonus/,
  },
];

describe("SPEC 4: bad input exits non-zero with file, line, column and writes nothing", () => {
  it.each(cases)("$name", async ({ file, edit, where }) => {
    const fixture = fixtureCopy();
    try {
      editFile(join(fixture.dir, "data", file), edit);
      const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(where);
      expect(run.stderr).toMatch(/hint: fix /);
      expect(run.stdout).toBe("");
      expect(existsSync(join(fixture.dir, "out"))).toBe(false);
    } finally {
      fixture.cleanup();
    }
  });
});

describe("bad usage exits 2", () => {
  it.each([
    [["build"], /--config <season.json> is required/],
    [["build", "--config", "x", "--data", "y", "--out", "z"], /exactly one of --onchain <file> or --indexer <url>/],
    [["build", "--nope"], /Unknown option '--nope'/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["proof", "out/season-7"], /expected 2 arguments, got 1/],
  ])("season %j", async (args, message) => {
    const run = await runSeason(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
