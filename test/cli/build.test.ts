/**
 * `season build` run as a user runs it, on the small fixture season
 * (test/fixtures/season-small). The expected numbers are worked out by hand:
 *
 * artists (1000 SOGNI, top 2): ada 5 free + 10×(2+0.5) paid = 30, cy 1 free + 10×2 sogni_spark = 21,
 *   bob 10×1.5 = 15 (cut); treasury's 1000 points are excluded.
 *   ada floor(1000e18×30/51) = …823 rem 27/51, cy …176 rem 24/51: the last wei goes to ada.
 * ambassadors (600): p1 (cy, 100 card): cy 100, bob 100, ada 0.2×100 = 20; p2 (dee, 50 sogni, backed
 *   by a deposit): dee 50, ada 50; p3 (bob, no deposit) rejected. 70+100+100+50 = 320 ->
 *   ada 131.25, bob 187.5, cy 187.5, dee 93.75. bob and cy tie at 100 with the same first activity: lower address first.
 * stakers (300): 0x9965… 100 SOGNI × m(6)=14.696934 for the whole 2-week window (1469.6934 average),
 *   ada 100 × m(2)=2.828426 for 1 of the 2 weeks (141.4213).
 * fastWorkers (200): 0x976e… (eve) 10 sogni + 0.1×20 free boost = 12, 0x14dc… 8 -> 120 and 80.
 * relaxedWorkers (100, top 2): 0x2361… 5, 0xa0ee… 1 (its job in unpaid batch 3 is rejected) ->
 *   83.333…333 and 16.666…667 (the remainder wei goes to the larger fraction, .67 > .33).
 * work (SOGNI paid on-chain in the batches of counted jobs): eve 9 (batch 1) + 2 (batch 2) = 11, 0x14dc… 8,
 *   0x2361… 5, 0xa0ee… 1 (batch 3 paid it nothing). jobs.csv has no nft_token_id column: nft is empty.
 * stats: 6 users.csv rows; 5 counted jobs (j5 rejected, j7 at the window's end skipped) by 4 workers.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles } from "../../season-io/season-dir.js";
import { buildArgs, editFile, fixtureCopy, runSeason, type CliRun } from "./support.js";

const E18 = 10n ** 18n;
const ADA = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const BOB = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const CY = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const DEE = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
const STAKER = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
const EVE = "0x976ea74026e726554db657fa54763abd0c3a0aa9";
const FAST2 = "0x14dc79964da2c08b23698b3d3cc7ca32193d9955";
const RELAXED1 = "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f";
const RELAXED2 = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720";

const ADA_ARTISTS = 588_235_294_117_647_058_824n; // floor 1000e18×30/51 = …823, +1 remainder wei
const CY_ARTISTS = 411_764_705_882_352_941_176n;
const STAKER_STAKERS = 273_666_437_280_970_746_527n; // 300e18 × 29393868 / 32222294, floored
const ADA_STAKERS = 26_333_562_719_029_253_473n; // floored …472, +1: its remainder is the larger

let fixture: ReturnType<typeof fixtureCopy>;
let built: CliRun;
let seasonDir: string;

beforeAll(async () => {
  fixture = fixtureCopy();
  built = await runSeason(buildArgs(fixture.dir));
  seasonDir = join(fixture.dir, "out", "season-7");
});
afterAll(() => fixture.cleanup());

const read = (path: string): string => readFileSync(join(seasonDir, path), "utf8");

describe("season build on the fixture", () => {
  it("gives the hand-checked root 0x9936…e28d and, file for file, the bytes every earlier version wrote (pinned digest)", () => {
    expect(JSON.parse(read("manifest.json")).merkleRoot).toBe("0x99368967a51dbe34e9b8d6825d0c53ac24c529d02ea97dd452eb6bcc52b6e28d");
    // sha256 over "<sha256 of the file>  <relative path>\n" for every file, in listFiles order. A change here is a
    // change of an output format: bump formatVersion, say so in the README, then update this digest.
    const lines = listFiles(seasonDir).map((path) => `${createHash("sha256").update(readFileSync(join(seasonDir, path))).digest("hex")}  ${path}\n`);
    expect(createHash("sha256").update(lines.join("")).digest("hex")).toBe("ec86b35bef0e82fbcb0168c1e1ec3933bc1410de8329cde2b1048d90b3e309d1");
  });

  it("exits 0 and prints the summary (recipients, total, root, per-pool table)", () => {
    expect(built.stderr).toContain("build: ");
    expect(built.status).toBe(0);
    expect(built.stdout).toContain(`season 7 written to ${seasonDir}`);
    expect(built.stdout).toMatch(/recipients\s+9\n/);
    expect(built.stdout).toContain("total        2200 SOGNI (2200000000000000000000 wei)");
    expect(built.stdout).toMatch(/merkle root\s+0x[0-9a-f]{64}/);
    expect(built.stdout).toMatch(/rejected\s+2 rows/);
    expect(built.stdout).toMatch(/skipped\s+2 rows outside the window \(jobs\.csv 1, spark_usage\.csv 1\)/);
    expect(built.stdout).toMatch(/artists\s+1000\s+2\s+2\s+1000/);
  });

  it("recipients.csv: one leaf per address, sorted by address, each pool in wei", () => {
    const rows = [
      [FAST2, 0n, 0n, 0n, 0n, 80n * E18],
      [DEE, 0n, 9375n * E18 / 100n, 0n, 0n, 0n],
      [RELAXED1, 0n, 0n, 0n, 83_333_333_333_333_333_333n, 0n],
      [BOB, 0n, 1875n * E18 / 10n, 0n, 0n, 0n],
      [ADA, ADA_ARTISTS, 13125n * E18 / 100n, ADA_STAKERS, 0n, 0n],
      [CY, CY_ARTISTS, 1875n * E18 / 10n, 0n, 0n, 0n],
      [EVE, 0n, 0n, 0n, 0n, 120n * E18],
      [STAKER, 0n, 0n, STAKER_STAKERS, 0n, 0n],
      [RELAXED2, 0n, 0n, 0n, 16_666_666_666_666_666_667n, 0n],
    ] as const;
    const expected = [
      "index,address,amount,artists,ambassadors,stakers,relaxedWorkers,fastWorkers",
      ...rows.map(([address, ...pools], index) => [index, address, pools.reduce((a, b) => a + b, 0n), ...pools].join(",")),
      "",
    ].join("\n");
    expect(read("recipients.csv")).toBe(expected);
  });

  it("every pool sums to its amount exactly: 1000 + 600 + 300 + 100 + 200 = 2200 SOGNI", () => {
    const manifest = JSON.parse(read("manifest.json"));
    expect(manifest.total).toBe((2200n * E18).toString());
    expect(manifest.pools.artists).toEqual({ amount: (1000n * E18).toString(), top: 2, recipients: 2, allocated: (1000n * E18).toString() });
    expect(manifest.pools.relaxedWorkers).toEqual({ amount: (100n * E18).toString(), top: 2, recipients: 2, allocated: (100n * E18).toString() });
    expect(manifest.recipients).toBe(9);
    expect(manifest.rejected).toBe(2);
    expect(manifest.skippedOutsideWindow).toEqual({ "jobs.csv": 1, "spark_usage.csv": 1 });
    expect(manifest.window).toEqual({ start: "2026-10-12T00:00:00Z", end: "2026-10-26T00:00:00Z" });
    expect(manifest.claimDeadline).toBe("2027-01-26T00:00:00Z");
    expect(manifest.chainId).toBe(31337); // the first snapshot chain; no token in season.json
    expect(manifest.token).toBeNull();
    expect(Object.keys(manifest.inputs)).toEqual(["season.json", "users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv", "onchain.json"]);
    expect(manifest.formatVersion).toBe("3");
    expect(manifest.stats).toEqual({ users: 6, workers: 4, creations: 5 });
  });

  it("artists: top 2 paid, bob ranked 3rd with 0, the excluded treasury not listed; names quoted", () => {
    expect(read("leaderboards/artists.csv")).toBe(
      [
        "rank,address,name,days_active,points,amount",
        `1,${ADA},ada,2,30,${ADA_ARTISTS}`,
        `2,${CY},"cy ""the eye""",1,21,${CY_ARTISTS}`,
        `3,${BOB},"bob, the builder",1,15,0`,
        "",
      ].join("\n"),
    );
  });

  it("ambassadors: 0.2 second-level referral; the 100-point tie goes to the lower address (bob)", () => {
    const lines = read("leaderboards/ambassadors.csv").trim().split("\n");
    expect(lines.slice(1)).toEqual([
      `1,${BOB},"bob, the builder",1,100,${1875n * E18 / 10n}`,
      `2,${CY},"cy ""the eye""",1,100,${1875n * E18 / 10n}`,
      `3,${ADA},ada,2,70,${13125n * E18 / 100n}`,
      `4,${DEE},dee,1,50,${9375n * E18 / 100n}`,
    ]);
  });

  it("stakers show the average staking power: 1469.6934 (6 weeks, whole window) and 141.4213 (2 weeks, half)", () => {
    const lines = read("leaderboards/stakers.csv").trim().split("\n");
    expect(lines[1]).toBe(`1,${STAKER},,14,1469.6934,${STAKER_STAKERS}`);
    expect(lines[2]).toBe(`2,${ADA},ada,7,141.4213,${ADA_STAKERS}`);
  });

  it("workers: free daily boost counts 1/10; hardware (most recent counted job), work (SOGNI paid on-chain), fast: nft", () => {
    expect(read("leaderboards/fastWorkers.csv")).toBe(
      [
        "rank,address,name,days_active,points,amount,hardware,work,nft",
        `1,${EVE},eve,2,12,${120n * E18},RTX 4090,${11n * E18},`,
        `2,${FAST2},,1,8,${80n * E18},M3 Max,${8n * E18},`,
        "",
      ].join("\n"),
    );
    expect(read("leaderboards/relaxedWorkers.csv").trim().split("\n")).toEqual([
      "rank,address,name,days_active,points,amount,hardware,work",
      `1,${RELAXED1},,1,5,83333333333333333333,RTX 3060,${5n * E18}`,
      `2,${RELAXED2},,1,1,16666666666666666667,GTX 1080,${1n * E18}`,
    ]);
  });

  it("rejected.csv lists the unbacked sogni purchase and the job of an unpaid batch", () => {
    const lines = read("rejected.csv").trim().split("\n");
    expect(lines[0]).toBe("file,row_id,reason");
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 2).join(","))).toEqual(
      expect.arrayContaining(["spark_purchases.csv,p3", "jobs.csv,j5"]),
    );
    expect(lines).toHaveLength(3);
  });

  it("tree.bin holds the whole tree (9 leaves: 9 + 5 + 3 + 2 + 1 nodes of 32 bytes, the root last), and the inputs are copied for `season verify`", () => {
    const tree = readFileSync(join(seasonDir, "tree.bin"));
    expect(tree.length).toBe(20 * 32);
    expect(`0x${tree.subarray(-32).toString("hex")}`).toBe(JSON.parse(read("manifest.json")).merkleRoot);
    expect(readdirSync(seasonDir)).not.toContain("proofs");
    expect(readdirSync(join(seasonDir, "inputs")).sort()).toEqual(["jobs.csv", "season.json", "spark_purchases.csv", "spark_usage.csv", "users.csv"]);
    expect(read("inputs/users.csv")).toBe(readFileSync(join(fixture.dir, "data", "users.csv"), "utf8"));
  });

  it("--json prints the manifest and the directory on stdout, no progress", async () => {
    const run = await runSeason(buildArgs(fixture.dir, ["--force", "--json"]));
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const summary = JSON.parse(run.stdout);
    expect(summary.dir).toBe(seasonDir);
    expect(summary.recipients).toBe(9);
  });
});

describe("SPEC 6: same inputs, same bytes", () => {
  it("two builds (two threads, and `--threads 1`) are byte-identical; shuffled CSV rows change only the recorded inputs", async () => {
    const other = fixtureCopy();
    try {
      // Reverse the data rows of every CSV (header stays first).
      for (const name of ["users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv"]) {
        editFile(join(other.dir, "data", name), (text) => {
          const [header, ...rows] = text.trimEnd().split("\n");
          return `${[header, ...rows.reverse()].join("\n")}\n`;
        });
      }
      const same = fixtureCopy();
      try {
        expect((await runSeason(buildArgs(same.dir, ["--quiet", "--threads", "1"]))).status).toBe(0);
        expect((await runSeason(buildArgs(other.dir, ["--quiet"]))).status).toBe(0);
        const files = (dir: string) => listFiles(join(dir, "out", "season-7"));
        const base = files(fixture.dir);
        expect(files(same.dir)).toEqual(base);
        for (const path of base) {
          const original = readFileSync(join(seasonDir, path));
          expect(readFileSync(join(same.dir, "out", "season-7", path)).equals(original), `rebuild ${path}`).toBe(true);
          if (path.startsWith("inputs/") || path === "manifest.json") continue;
          expect(readFileSync(join(other.dir, "out", "season-7", path)).equals(original), `shuffled ${path}`).toBe(true);
        }
        const a = JSON.parse(read("manifest.json"));
        const b = JSON.parse(readFileSync(join(other.dir, "out", "season-7", "manifest.json"), "utf8"));
        expect({ ...b, inputs: undefined }).toEqual({ ...a, inputs: undefined });
        expect(b.inputs["onchain.json"]).toBe(a.inputs["onchain.json"]);
      } finally {
        same.cleanup();
      }
    } finally {
      other.cleanup();
    }
  });
});

describe("--threads", () => {
  it("is 1 or 2: anything else is a usage error (exit 2) and nothing is written", async () => {
    const other = fixtureCopy();
    try {
      const run = await runSeason(buildArgs(other.dir, ["--threads", "4"]));
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('--threads is 1 or 2, got "4"');
      expect(readdirSync(other.dir)).not.toContain("out");
    } finally {
      other.cleanup();
    }
  });
});

describe("an existing season directory", () => {
  it("is refused without --force (exit 1, untouched) and replaced with it", async () => {
    const before = read("manifest.json");
    const refused = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/already exists: pass --force/);
    expect(read("manifest.json")).toBe(before);
    const forced = await runSeason(buildArgs(fixture.dir, ["--quiet", "--force"]));
    expect(forced.status).toBe(0);
    expect(readdirSync(join(fixture.dir, "out"))).toEqual(["season-7"]);
  });
});
