/**
 * SPEC 4 and 6 (formatVersion 3): jobs.csv's optional `nft_token_id`, the
 * manifest's `stats`, and the worker leaderboards' `work` and `nft` columns,
 * with the numbers in sight. Amounts paid on-chain are small wei numbers so
 * every sum reads at a glance.
 */
import { describe, expect, it } from "vitest";
import { buildManifest, FORMAT_VERSION, manifestStats, ManifestError, parseManifest, READABLE_FORMAT_VERSIONS, serializeManifest } from "../../season/manifest.js";
import { leaderboardCsvChunks, leaderboardHeader, parseLeaderboardCsv, parseLeaderboardLine } from "../../season/season-files.js";
import type { SeasonResult } from "../../season/types.js";
import { DAY, END, SeasonBuilder, START, who, inputError } from "./season-builder.js";

const T = (offset: number) => START + offset;

/** worker -> [work, nft] on a board. */
function workers(result: SeasonResult, pool: "fastWorkers" | "relaxedWorkers"): Record<string, [bigint | undefined, string | undefined]> {
  return Object.fromEntries(result.leaderboards[pool].entries.map((e) => [e.address, [e.work, e.nft]]));
}

describe("SPEC 6 stats: users = rows of users.csv, workers = distinct addresses with a counted job, creations = counted jobs", () => {
  it("skipped and rejected jobs are left out, zero-point jobs are counted; users sharing an address are rows, not addresses", () => {
    const s = new SeasonBuilder().user("u1", who(1)).user("u2", who(1)).user("u3", who(2)); // 3 rows, 2 addresses
    s.job(who(10), "fast", T(DAY), "1", "sogni", 1).job(who(10), "relaxed", T(2 * DAY), "1", "sogni", 1).paid(1, who(10)); // 2 creations, 1 worker
    s.job(who(11), "fast", T(DAY), "0", "sogni", 2).paid(2, who(11)); // points 0: a creation and a worker, on no leaderboard
    s.job(who(12), "relaxed", T(DAY), "5", "sogni", 3).paid(3, who(99)); // batch 3 did not pay 0x…0c: rejected
    s.job(who(13), "fast", END, "5", "sogni", 4).paid(4, who(13)); // at the end of the window: skipped
    const result = s.compute();
    expect(result.stats).toEqual({ users: 3, workers: 2, creations: 3 });
    expect(result.rejected.map((r) => r.rowId)).toEqual(["j4"]);
    expect(result.skippedOutsideWindow).toEqual({ "jobs.csv": 1 });
    expect(result.leaderboards.fastWorkers.entries.map((e) => e.address)).toEqual([who(10)]);
  });

  it("an excluded worker is still a worker of the season: stats count the data, exclusion is the allocation's", () => {
    const s = new SeasonBuilder({ exclude: [who(10)] }).user("u1", who(1));
    s.job(who(10), "fast", T(DAY), "1", "sogni", 1).job(who(11), "fast", T(DAY), "1", "sogni", 1).paid(1, who(10)).paid(1, who(11));
    const result = s.compute();
    expect(result.stats).toEqual({ users: 1, workers: 2, creations: 2 });
    expect(result.leaderboards.fastWorkers.entries.map((e) => e.address)).toEqual([who(11)]);
  });

  it("a season without jobs or users: all zero", () => {
    expect(new SeasonBuilder().compute().stats).toEqual({ users: 0, workers: 0, creations: 0 });
  });
});

describe("SPEC 6 work: the wei paid on-chain to the worker in the batches of its counted jobs, each batch once", () => {
  it("two jobs in batch 1 (paid 5) and one in batch 2 (paid 3): 5 + 3 = 8, not 5 + 5 + 3", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1).job(who(1), "fast", T(2 * DAY), "1", "sogni", 1).paid(1, who(1), "5");
    s.job(who(1), "fast", T(3 * DAY), "1", "sogni", 2).paid(2, who(1), "3");
    expect(workers(s.compute(), "fastWorkers")[who(1)]![0]).toBe(8n);
  });

  it("a worker paid twice in one batch: both events count (4 + 6), the batch once, whatever its number of jobs", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "relaxed", T(DAY), "1", "sogni", 7).job(who(1), "relaxed", T(DAY + 60), "1", "sogni", 7);
    s.paid(7, who(1), "4").paid(7, who(1), "6").paid(7, who(2), "100"); // who(2)'s pay in the same batch is not who(1)'s
    expect(workers(s.compute(), "relaxedWorkers")[who(1)]![0]).toBe(10n);
  });

  it("only batches of counted jobs: a batch its skipped job cites, a batch no job cites and a rejected job add nothing", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1).paid(1, who(1), "5");
    s.job(who(1), "fast", START - 1, "1", "sogni", 2).paid(2, who(1), "1000"); // before the window: skipped
    s.paid(3, who(1), "2000"); // paid, but no job of the export cites batch 3
    s.job(who(1), "fast", T(DAY), "1", "sogni", 4).paid(4, who(2), "3000"); // batch 4 did not pay who(1): rejected
    expect(workers(s.compute(), "fastWorkers")[who(1)]![0]).toBe(5n);
  });

  it("both tiers: a node's earnings, the same on both boards (fast job in batch 1 paid 5, relaxed in batch 2 paid 3)", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1).paid(1, who(1), "5");
    s.job(who(1), "relaxed", T(DAY), "1", "sogni", 2).paid(2, who(1), "3");
    const result = s.compute();
    expect(workers(result, "fastWorkers")[who(1)]![0]).toBe(8n);
    expect(workers(result, "relaxedWorkers")[who(1)]![0]).toBe(8n);
  });

  it("a counted job with 0 points still brings its batch (batch 2's 3 wei)", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1).paid(1, who(1), "5");
    s.job(who(1), "fast", T(DAY), "0", "premium_spark", 2).paid(2, who(1), "3");
    expect(workers(s.compute(), "fastWorkers")[who(1)]![0]).toBe(8n);
  });

  it("batch ids compare as numbers: payout_batch 5 is WorkerPaid batch \"5\"; work is a wei amount beyond 2^64", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 5).paid(5, who(1), "123456789012345678901234567890");
    expect(workers(s.compute(), "fastWorkers")[who(1)]![0]).toBe(123_456_789_012_345_678_901_234_567_890n);
  });

  it("only worker boards carry work, only the fast board nft", () => {
    const s = new SeasonBuilder().user("u1", who(1));
    s.usage("u1", T(DAY), { free: "1" }).job(who(2), "relaxed", T(DAY), "1", "sogni", 1).paid(1, who(2), "5");
    const result = s.compute();
    expect(result.leaderboards.artists.entries[0]).not.toHaveProperty("work");
    expect(result.leaderboards.relaxedWorkers.entries[0]).toMatchObject({ hardware: "RTX 4090", work: 5n });
    expect(result.leaderboards.relaxedWorkers.entries[0]).not.toHaveProperty("nft");
  });
});

describe("SPEC 6 nft: the nft_token_id of the worker's most recent counted fast job (the rule that picks hardware)", () => {
  it("latest timestamp wins; at the same time the greatest job id; a later rejected or zero-point job does not count", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1, "A", "j1", "11");
    s.job(who(1), "fast", T(3 * DAY), "1", "sogni", 1, "B", "j2", "12");
    s.job(who(1), "fast", T(3 * DAY), "1", "sogni", 1, "C", "j3", "13"); // same time as j2, greater id: wins
    s.job(who(1), "fast", T(4 * DAY), "1", "sogni", 9, "D", "j4", "14"); // batch 9 did not pay who(1): rejected
    s.job(who(1), "fast", T(5 * DAY), "0", "sogni", 1, "E", "j5", "15"); // 0 points: no activity
    s.job(who(1), "relaxed", T(6 * DAY), "1", "sogni", 1, "F", "j6", "16"); // the relaxed tier: not the fast board's
    s.paid(1, who(1), "5").paid(9, who(2), "5");
    const [entry] = s.compute().leaderboards.fastWorkers.entries;
    expect([entry!.hardware, entry!.nft]).toEqual(["C", "13"]);
  });

  it("the most recent job without a token id gives an empty nft, even if an earlier job had one", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1, "GPU", "j1", "7").job(who(1), "fast", T(2 * DAY), "1", "sogni", 1, "GPU", "j2", "");
    s.paid(1, who(1));
    expect(workers(s.compute(), "fastWorkers")[who(1)]![1]).toBe("");
  });

  it("the column absent (SPEC 4's eight columns, unchanged): nft is empty", () => {
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1).paid(1, who(1));
    expect(s.files().jobs.split("\n")[0]).toBe("job_id,worker_address,tier,hardware,timestamp,spark_value,payment,payout_batch");
    expect(workers(s.compute(), "fastWorkers")[who(1)]).toEqual([1n, ""]);
  });

  it("the column present, with CRLF line ends and a token id of uint256's size", () => {
    const big = (2n ** 256n - 1n).toString();
    const s = new SeasonBuilder();
    s.job(who(1), "fast", T(DAY), "1", "sogni", 1, "GPU", "j1", big).paid(1, who(1));
    s.jobRows = s.jobRows.map((row) => `${row}\r`);
    expect(workers(s.compute(), "fastWorkers")[who(1)]).toEqual([1n, big]);
  });
});

describe("SPEC 4 jobs.csv nft_token_id: a whole number or empty, else an InputError at file, line, column", () => {
  const base = (): SeasonBuilder => new SeasonBuilder().job(who(1), "fast", T(DAY), "1", "sogni", 1, "GPU", "j1", "5").paid(1, who(1));

  it.each(["-1", "1.5", "abc", "01", "0x10", " 7"])("%j", (value) => {
    const s = base().job(who(1), "fast", T(DAY), "1", "sogni", 1, "GPU", "j2", value);
    const error = inputError(() => s.compute());
    expect([error.file, error.line, error.column]).toEqual(["jobs.csv", 3, "nft_token_id"]);
    expect(error.reason).toMatch(/^nft_token_id must be a non-negative integer or empty, found "/);
  });

  it("2^256 is one above the largest token id", () => {
    const s = base().job(who(1), "fast", T(DAY), "1", "sogni", 1, "GPU", "j2", (2n ** 256n).toString());
    const error = inputError(() => s.compute());
    expect([error.line, error.column]).toEqual([3, "nft_token_id"]);
    expect(error.reason).toMatch(/is above 2\^256 - 1/);
  });

  it("checked on every row: a relaxed job's and one outside the window too", () => {
    const relaxed = base().job(who(1), "relaxed", T(DAY), "1", "sogni", 1, "GPU", "j2", "x");
    expect(inputError(() => relaxed.compute()).line).toBe(3);
    const outside = base().job(who(1), "fast", END + DAY, "1", "sogni", 1, "GPU", "j2", "x");
    expect(inputError(() => outside.compute()).column).toBe("nft_token_id");
  });

  it("a ninth header column other than nft_token_id is named; a row without the ninth field is a field-count error", () => {
    const misnamed = base();
    misnamed.jobRows[0] = misnamed.jobRows[0]!.replace("nft_token_id", "nft");
    const header = inputError(() => misnamed.compute());
    expect([header.line, header.column]).toEqual([1, 9]);
    expect(header.reason).toMatch(/header: expected "nft_token_id", found "nft"/);
    const short = base();
    short.jobRows.push(`j2,${who(1)},fast,GPU,2026-10-13T00:00:00Z,1,sogni,1`);
    expect(inputError(() => short.compute()).reason).toMatch(/expected 9 fields/);
  });
});

describe("SPEC 6 leaderboards: workers append hardware and work, fast workers then nft; formatVersion 2's still read", () => {
  const NAME = '"bob, ""the builder"""';

  it("written and read back: relaxed hardware,work; fast hardware,work,nft", () => {
    const s = new SeasonBuilder().user("u1", who(1), "", NAME); // the builder writes rows as given: CSV-quoted
    s.job(who(1), "fast", T(DAY), "2", "sogni", 1, '"RTX 4090, 24GB"', "j1", "42").job(who(2), "fast", T(DAY), "1", "sogni", 1, "M3", "j2", "");
    s.job(who(1), "relaxed", T(DAY), "1", "sogni", 2, "GTX 1080", "j3").paid(1, who(1), "9").paid(1, who(2), "4").paid(2, who(1), "1");
    const result = s.compute();
    const fast = [...leaderboardCsvChunks(result.leaderboards.fastWorkers)].join("");
    expect(fast).toBe(
      [
        "rank,address,name,days_active,points,amount,hardware,work,nft",
        `1,${who(1)},${NAME},1,2,${(2000n * 10n ** 18n) / 3n + 1n},"RTX 4090, 24GB",10,42`,
        `2,${who(2)},,1,1,${(1000n * 10n ** 18n) / 3n},M3,4,`,
        "",
      ].join("\n"),
    );
    const relaxed = [...leaderboardCsvChunks(result.leaderboards.relaxedWorkers)].join("");
    expect(relaxed.split("\n").slice(0, 2)).toEqual(["rank,address,name,days_active,points,amount,hardware,work", `1,${who(1)},${NAME},1,1,${1000n * 10n ** 18n},GTX 1080,10`]);
    expect(parseLeaderboardCsv(fast, "fastWorkers.csv", "fastWorkers")).toEqual([
      { rank: 1, address: who(1), name: 'bob, "the builder"', daysActive: 1, points: "2", amount: (2000n * 10n ** 18n) / 3n + 1n, hardware: "RTX 4090, 24GB", work: 10n, nft: "42" },
      { rank: 2, address: who(2), name: "", daysActive: 1, points: "1", amount: (1000n * 10n ** 18n) / 3n, hardware: "M3", work: 4n, nft: "" },
    ]);
    expect(parseLeaderboardCsv(relaxed, "relaxedWorkers.csv", "relaxedWorkers")[0]).toEqual({
      rank: 1, address: who(1), name: 'bob, "the builder"', daysActive: 1, points: "1", amount: 1000n * 10n ** 18n, hardware: "GTX 1080", work: 10n,
    });
  });

  it("a formatVersion 2 file (workers: hardware only) reads without work and nft", () => {
    const v2 = `rank,address,name,days_active,points,amount,hardware\n1,${who(1)},${NAME},2,12,120,RTX 4090\n`;
    for (const pool of ["fastWorkers", "relaxedWorkers"] as const) {
      expect(parseLeaderboardCsv(v2, `${pool}.csv`, pool)).toEqual([{ rank: 1, address: who(1), name: 'bob, "the builder"', daysActive: 2, points: "12", amount: 120n, hardware: "RTX 4090" }]);
    }
    expect(parseLeaderboardCsv("rank,address,name,days_active,points,amount\n", "artists.csv", "artists")).toEqual([]);
  });

  it("a header of neither version, a bad work or nft: an InputError naming file and line", () => {
    const header = inputError(() => parseLeaderboardCsv("rank,address,name,days_active,points,amount,hardware,nft\n", "fastWorkers.csv", "fastWorkers"));
    expect([header.file, header.line]).toEqual(["fastWorkers.csv", 1]);
    expect(header.reason).toContain("rank,address,name,days_active,points,amount,hardware,work,nft");
    const work = inputError(() => parseLeaderboardCsv(`${leaderboardHeader("relaxedWorkers").join(",")}\n1,${who(1)},,1,1,5,GPU,-3\n`, "r.csv", "relaxedWorkers"));
    expect([work.line, work.column]).toEqual([2, "work"]);
    const nft = inputError(() => parseLeaderboardCsv(`${leaderboardHeader("fastWorkers").join(",")}\n1,${who(1)},,1,1,5,GPU,3,01\n`, "f.csv", "fastWorkers"));
    expect([nft.line, nft.column]).toEqual([2, "nft"]);
  });

  it("one line at a time (a reader that seeks): the same row as the whole file, errors at the line given", () => {
    const columns = leaderboardHeader("fastWorkers");
    const line = `3,${who(1)},${NAME},2,1.5,7,'@evil,11,5`;
    expect(parseLeaderboardLine(line, columns, "f.csv", 4)).toEqual(parseLeaderboardCsv(`${columns.join(",")}\n${line}\n`, "f.csv", "fastWorkers")[0]);
    expect(parseLeaderboardLine(line, columns, "f.csv", 4).hardware).toBe("@evil");
    expect(inputError(() => parseLeaderboardLine(`3,${who(1)},"bob,2,1.5,7,GPU,11,5`, columns, "f.csv", 40)).line).toBe(40);
    expect(inputError(() => parseLeaderboardLine(`3,${who(1)},bob,2,1.5,7,GPU,11`, columns, "f.csv", 41)).line).toBe(41);
  });
});

describe("SPEC 6 manifest.json formatVersion 3: stats after season; formatVersion 2 still read", () => {
  const manifestText = (): string => {
    const s = new SeasonBuilder().user("u1", who(1)).user("u2", who(2));
    s.usage("u1", T(DAY), { free: "1" }).job(who(3), "fast", T(DAY), "1", "sogni", 1).job(who(3), "fast", T(DAY), "1", "sogni", 1).paid(1, who(3));
    return serializeManifest(
      buildManifest({ result: s.compute(), merkleRoot: `0x${"12".repeat(32)}`, claim: { chainId: 31337, token: null }, snapshot: [], inputs: {}, generator: { name: "test", version: "0" } }),
    );
  };

  it("writes formatVersion 3 and stats { users 2, workers 1, creations 2 } right after season", () => {
    const manifest = JSON.parse(manifestText());
    expect(FORMAT_VERSION).toBe("3");
    expect(Object.keys(manifest).slice(0, 4)).toEqual(["formatVersion", "season", "stats", "chainId"]);
    expect(manifest.stats).toEqual({ users: 2, workers: 1, creations: 2 });
    expect(manifestStats(parseManifest(manifestText()))).toEqual({ users: 2, workers: 1, creations: 2 });
  });

  it("reads formatVersion 2 (no stats: null) and 3; refuses 1, 4 and a 3 without stats or with bad ones", () => {
    expect(READABLE_FORMAT_VERSIONS).toEqual(["2", "3"]);
    const { stats, ...v2 } = JSON.parse(manifestText());
    expect(stats).toBeDefined();
    const parsed = parseManifest(JSON.stringify({ ...v2, formatVersion: "2" }));
    expect(parsed.formatVersion).toBe("2");
    expect(manifestStats(parsed)).toBeNull();
    const refused = (edit: Record<string, unknown>): string => {
      try {
        parseManifest(JSON.stringify({ ...v2, stats, ...edit }));
      } catch (error) {
        if (error instanceof ManifestError) return error.message;
        throw error;
      }
      return "accepted";
    };
    expect(refused({ formatVersion: "1" })).toMatch(/formatVersion "1"; this season tool reads "2" and "3"/);
    expect(refused({ formatVersion: "4" })).toMatch(/formatVersion "4"/);
    expect(refused({ stats: undefined })).toMatch(/stats \(missing\) is not \{ users, workers, creations \}/);
    expect(refused({ stats: { users: 2, workers: -1, creations: 2 } })).toMatch(/stats.workers -1 is not a whole number/);
    expect(refused({ stats: { users: 2, workers: 1 } })).toMatch(/stats.creations \(missing\)/);
  });
});
