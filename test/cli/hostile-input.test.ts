/**
 * Issue 13 through the CLI, as a hostile or careless operator would try it:
 * input that would silently change a payout or hide where it is wrong exits
 * 1 with the file, line and column, and writes nothing; an empty path flag
 * is bad usage (exit 2) before any work; a FIFO never hangs a build; free
 * text reaches neither a spreadsheet as a formula nor a terminal raw.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArgs, editFile, fixtureCopy, runSeason } from "./support.js";

const ROOT = "0x99368967a51dbe34e9b8d6825d0c53ac24c529d02ea97dd452eb6bcc52b6e28d";

const replaceLine = (prefix: string, replacement: string) => (text: string) =>
  text
    .split("\n")
    .map((line) => (line.startsWith(prefix) ? replacement : line))
    .join("\n");

interface HostileCase {
  name: string;
  file: string;
  edit: (text: string) => string;
  /** What stderr must show: file, line, column and reason. */
  where: RegExp;
}

const cases: HostileCase[] = [
  {
    name: 'a second "season" key in season.json (the last one used to win: season 8)',
    file: "season.json",
    edit: (t) => t.replace('"season": 7,', '"season": 7,\n  "season": 8,'),
    where: /error: season\.json, line 3, column season: duplicate key "season" \(first on line 2, column 3\)/,
  },
  {
    name: "a second amount in a pool (the last one used to replace the pool's amount)",
    file: "season.json",
    edit: (t) => t.replace('{ "amount": "1000", "top": 2 }', '{ "amount": "1000", "top": 2, "amount": "1000000" }'),
    where: /error: season\.json, line 7, column pools\.artists\.amount: duplicate key "amount" \(first on line 7/,
  },
  {
    name: "a payout listed twice in onchain.json (the same chain, block and log index)",
    file: "onchain.json",
    edit: (t) => t.replace('"amount": "2000000000000000000" }', '"amount": "2000000000000000000" },\n    { "chainId": 31337, "block": 30, "logIndex": 2, "batchId": "2", "worker": "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "amount": "2000000000000000000" }'),
    where: /error: onchain\.json, line 13, column workerPaid\[5\]: workerPaid\[5\] and workerPaid\[4\] \(line 12\) are the same log: chain 31337, block 30, log index 2/,
  },
  {
    name: "an onchain.json of formatVersion 1 (facts without block and logIndex)",
    file: "onchain.json",
    edit: (t) => t.replace(/"block": \d+, "logIndex": \d+, (?=["a-z]+: "(0x|\d))/g, ""),
    where: /error: onchain\.json, line 4, column locks\[0\]\.block: missing field "block"/,
  },
  {
    name: "JSON nested 100,000 levels deep (used to overflow the stack)",
    file: "onchain.json",
    edit: (t) => t.replace('"deposits": [', `"deposits": [${"[".repeat(100_000)}${"]".repeat(100_000)},`),
    where: /error: onchain\.json, line 14, column deposits(\[0\]){63}: nested deeper than 64 levels/,
  },
  {
    name: 'a pool without "amount" (used to be blamed on the next pool\'s line)',
    file: "season.json",
    edit: (t) => t.replace('{ "amount": "1000", "top": 2 }', '{ "top": 2 }'),
    where: /error: season\.json, line 7, column pools\.artists: pool "artists" has no "amount"/,
  },
  {
    name: "a zero-width space in a purchase id (it made one purchase count twice)",
    file: "spark_purchases.csv",
    edit: (t) => `${t}p1\u200b,u3,2026-10-15T00:00:00Z,100,card,,\n`,
    where: /error: spark_purchases\.csv, line 5, column purchase_id: purchase_id "p1\\u\{200b\}" holds U\+200B/,
  },
  {
    name: "a bidi override in a user id",
    file: "users.csv",
    edit: (t) => `${t}u\u202e7,mallory,0x70997970C51812dc3A010C7d01b50e0d17dc79C8,\n`,
    where: /error: users\.csv, line 8, column user_id: user_id "u\\u\{202e\}7" holds U\+202E/,
  },
  {
    name: "a pool amount whose wei overflow uint256",
    file: "season.json",
    edit: (t) => t.replace('{ "amount": "1000", "top": 2 }', `{ "amount": "1${"0".repeat(60)}", "top": 2 }`),
    where: /error: season\.json, line 7, column pools\.artists\.amount: .*does not fit in uint256/,
  },
  {
    name: "the zero address as a user's address",
    file: "users.csv",
    edit: (t) => `${t}u7,zed,0x0000000000000000000000000000000000000000,\n`,
    where: /error: users\.csv, line 8, column address: address is the zero address/,
  },
  {
    name: "the zero address as a worker",
    file: "jobs.csv",
    edit: (t) => `${t}j8,0x0000000000000000000000000000000000000000,fast,GPU,2026-10-14T01:00:00Z,1,sogni,1\n`,
    where: /error: jobs\.csv, line 9, column worker_address: worker_address is the zero address/,
  },
];

describe("issue 13: hostile input exits 1 naming file, line and column, and writes nothing", () => {
  it.each(cases)("$name", async ({ file, edit, where }) => {
    const fixture = fixtureCopy();
    try {
      editFile(join(fixture.dir, "data", file), edit);
      const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
      expect(run.stderr).toMatch(where);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(existsSync(join(fixture.dir, "out"))).toBe(false);
    } finally {
      fixture.cleanup();
    }
  });

  it("invalid UTF-8 names its line and column (users.csv, line 3)", async () => {
    const fixture = fixtureCopy();
    try {
      const path = join(fixture.dir, "data", "users.csv");
      const bytes = readFileSync(path);
      const at = bytes.indexOf("bob");
      writeFileSync(path, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28]), bytes.subarray(at)]));
      const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
      expect(run.stderr).toMatch(/error: users\.csv, line 3, column 5: not valid UTF-8 \(byte 0xc3 at offset \d+\)/);
      expect(run.status).toBe(1);
      expect(existsSync(join(fixture.dir, "out"))).toBe(false);
    } finally {
      fixture.cleanup();
    }
  });
});

describe("issue 13: anything but a regular file is refused before reading, naming it (never a hang)", () => {
  const replace = (name: string, make: (path: string) => void) => (dir: string) => {
    const path = join(dir, "data", name);
    rmSync(path);
    make(path);
  };
  it.each([
    ["a directory as users.csv", replace("users.csv", (path) => mkdirSync(path)), /error: \S*users\.csv: users\.csv is a directory, not a regular file/],
    ["a FIFO as onchain.json (reading it would wait forever)", replace("onchain.json", (path) => execFileSync("mkfifo", [path])), /error: \S*onchain\.json: onchain\.json is a FIFO \(named pipe\), not a regular file/],
    ["a FIFO as season.json", replace("season.json", (path) => execFileSync("mkfifo", [path])), /error: \S*season\.json: season\.json is a FIFO/],
    ["a device as jobs.csv", replace("jobs.csv", (path) => symlinkSync("/dev/zero", path)), /error: \S*jobs\.csv: jobs\.csv is a character device, not a regular file/],
    [
      "a users.csv beyond the longest string V8 holds (600 MB, sparse)",
      (dir: string) => truncateSync(join(dir, "data", "users.csv"), 600 * 1024 * 1024),
      /error: \S*users\.csv: users\.csv is 629,145,600 bytes, over the [\d,]+-byte limit \(the longest string V8 can hold/,
    ],
  ] as const)("%s", async (_name, make, message) => {
    const fixture = fixtureCopy();
    try {
      make(fixture.dir);
      const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]), { timeoutMs: 20_000 });
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(1);
      expect(existsSync(join(fixture.dir, "out"))).toBe(false);
    } finally {
      fixture.cleanup();
    }
  });
});

describe("issue 13: an empty path flag is bad usage (exit 2) before any work", () => {
  it.each(["--out", "--config", "--data", "--onchain"])('%s ""', async (flag) => {
    const fixture = fixtureCopy();
    try {
      const args = buildArgs(fixture.dir, ["--quiet"]);
      args[args.indexOf(flag) + 1] = "";
      const run = await runSeason(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`${flag} needs a value, got an empty string`));
      expect(existsSync(join(fixture.dir, "out"))).toBe(false);
    } finally {
      fixture.cleanup();
    }
  });

  it("--out= (empty after =) too", async () => {
    const fixture = fixtureCopy();
    try {
      const args = buildArgs(fixture.dir, ["--quiet"]).filter((arg) => arg !== "--out" && !arg.endsWith("/out"));
      const run = await runSeason([...args, "--out="]);
      expect(run.status).toBe(2);
    } finally {
      fixture.cleanup();
    }
  });
});

describe("issue 13: the same file reads the same way in build and verify", () => {
  it.each([
    ["a UTF-8 BOM before season.json", (t: string) => `\uFEFF${t}`],
    ["times written …+00:00 instead of …Z (the same instants)", (t: string) => t.replaceAll('T00:00:00Z"', 'T00:00:00+00:00"')],
  ])("%s: built with the fixture's root, and `season verify` passes", async (_name, edit) => {
    const fixture = fixtureCopy();
    try {
      editFile(join(fixture.dir, "data", "season.json"), edit);
      const built = await runSeason(buildArgs(fixture.dir, ["--json"]));
      expect(built.status, built.stderr).toBe(0);
      expect(JSON.parse(built.stdout).merkleRoot).toBe(ROOT);
      const verified = await runSeason(["verify", join(fixture.dir, "out", "season-7"), "--quiet"]);
      expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    } finally {
      fixture.cleanup();
    }
  });
});

describe("issue 13: names and ids never execute in a spreadsheet or a terminal", () => {
  let fixture: ReturnType<typeof fixtureCopy>;
  let seasonDir: string;
  beforeAll(async () => {
    fixture = fixtureCopy();
    const data = join(fixture.dir, "data");
    // bob's name is a formula, cy's name reverses and clears a terminal, eve's hardware is a formula, p3's id starts with @.
    editFile(join(data, "users.csv"), (t) => t.replace('"bob, the builder"', '"=HYPERLINK(""http://evil"",""bob"")"').replace('"cy ""the eye"""', "\u202ecy\u001b[2J"));
    editFile(join(data, "jobs.csv"), (t) => t.replaceAll(",RTX 4090,", ",+cmd|' /C calc'!A0,"));
    editFile(join(data, "spark_purchases.csv"), (t) => t.replace("p3,u2,", "@p3,u2,"));
    const built = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
    expect(built.status, built.stderr).toBe(0);
    seasonDir = join(fixture.dir, "out", "season-7");
  });
  afterAll(() => fixture.cleanup());

  it("leaderboards/*.csv and rejected.csv: a cell that would start a formula starts with '", () => {
    const ambassadors = readFileSync(join(seasonDir, "leaderboards", "ambassadors.csv"), "utf8");
    expect(ambassadors).toContain(`,"'=HYPERLINK(""http://evil"",""bob"")",`);
    const fast = readFileSync(join(seasonDir, "leaderboards", "fastWorkers.csv"), "utf8");
    expect(fast).toMatch(/,'\+cmd\|' \/C calc'!A0,\d+,\n/); // the hardware cell, then work and nft (SPEC 6)
    expect(readFileSync(join(seasonDir, "rejected.csv"), "utf8")).toContain("spark_purchases.csv,'@p3,");
  });

  it("season leaderboard shows the names as written, control and bidi characters escaped", async () => {
    const run = await runSeason(["leaderboard", seasonDir, "ambassadors"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('=HYPERLINK("http://evil","bob")');
    expect(run.stdout).toContain("\\u{202e}cy\\u{1b}[2J");
    expect(run.stdout).not.toMatch(/[\u202e\u001b]/);
  });

  it("season leaderboard --json: the same names, the characters as \\u escapes", async () => {
    const run = await runSeason(["leaderboard", seasonDir, "ambassadors", "--json"]);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/[\u202e\u001b]/);
    const names = (JSON.parse(run.stdout) as { entries: { name: string }[] }).entries.map((entry) => entry.name);
    expect(names).toContain("\u202ecy\u001b[2J");
    expect(names).toContain('=HYPERLINK("http://evil","bob")');
  });

  it("season verify passes on it (the names read back as they were written)", async () => {
    const run = await runSeason(["verify", seasonDir, "--quiet"]);
    expect(run.status, run.stdout).toBe(0);
  });
});
