/**
 * scripts/generate-season.ts: the synthetic season the scale bench builds is
 * SPEC-valid, deterministic, and its build pays exactly the requested number
 * of addresses, with the cross-check rejections and skipped rows it plants.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateSeasonFiles, SEASON_FILES } from "../../scripts/generate-season.js";
import { readCsvRecords } from "../../season/csv.js";
import { parseDecimal } from "../../season/decimal.js";
import { parseLeaderboardCsv } from "../../season/season-files.js";
import { runSeason } from "../cli/support.js";

const scratch = mkdtempSync(join(tmpdir(), "generate-season-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function generate(name: string, recipients: number, seed: number, checksum = true): Promise<{ dir: string; counts: Record<string, number> }> {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const counts = await generateSeasonFiles({ recipients, seed, checksum }, (file, text) => appendFileSync(join(dir, file), text));
  return { dir, counts };
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(SEASON_FILES.map((file) => [file, readFileSync(join(dir, file), "utf8")]));
}

describe("generate-season: a deterministic, SPEC-valid season paying exactly N addresses", () => {
  it("the same recipients and seed give the same bytes; another seed gives other bytes", async () => {
    const a = await generate("a", 300, 7);
    const b = await generate("b", 300, 7);
    const c = await generate("c", 300, 8);
    expect(files(a.dir)).toEqual(files(b.dir));
    expect(files(c.dir)["users.csv"]).not.toBe(files(a.dir)["users.csv"]);
    expect(a.counts).toMatchObject({ recipients: 300, users: 302, purchasesRejected: 3, jobsRejected: 1, workers: 20, stakers: 10 });
    // Fast jobs (workers 0, 3, 6, …) mostly name their worker's NFT; relaxed jobs never do.
    const jobs = files(a.dir)["jobs.csv"]!.trim().split("\n");
    expect(jobs[0]).toBe("job_id,worker_address,tier,hardware,timestamp,spark_value,payment,payout_batch,nft_token_id");
    const nfts = jobs.slice(1).map((line) => [line.split(",")[2], line.slice(line.lastIndexOf(",") + 1)]);
    expect(nfts.filter(([tier, nft]) => tier === "relaxed" && nft !== "")).toEqual([]);
    expect(nfts.filter(([, nft]) => nft !== "")).toHaveLength(a.counts.nftJobs!);
    expect(a.counts.nftJobs).toBeGreaterThan(0);
    expect(nfts.filter(([tier, nft]) => tier === "fast" && nft === "").length).toBeGreaterThan(0);
  });

  it("2,000 recipients: the build pays exactly 2,000 addresses, rejects 4 rows and skips the planted ones", async () => {
    const { dir, counts } = await generate("build", 2000, 1);
    const out = join(scratch, "build-out");
    const run = await runSeason(["build", "--config", join(dir, "season.json"), "--data", dir, "--onchain", join(dir, "onchain.json"), "--out", out, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "season-7", "manifest.json"), "utf8")) as {
      stats: { users: number; workers: number; creations: number };
      recipients: number;
      total: string;
      pools: Record<string, { recipients: number; allocated: string }>;
    };
    expect(manifest.recipients).toBe(2000);
    expect(manifest.stats).toEqual({ users: counts.users, workers: counts.workers, creations: counts.jobs! - counts.jobsRejected! - counts.jobsSkipped! });
    // Each worker is paid per batch the sum of its jobs' spark_value there, so `work` is the spark_value of its counted
    // jobs, in wei; `nft` is its latest counted job's (then the greatest job id).
    const fast = parseLeaderboardCsv(readFileSync(join(out, "season-7", "leaderboards", "fastWorkers.csv"), "utf8"), "fastWorkers.csv", "fastWorkers");
    expect(fast.filter((entry) => entry.nft !== "").length).toBeGreaterThan(0);
    const top = fast[0];
    const rejectedJobs = new Set(readFileSync(join(out, "season-7", "rejected.csv"), "utf8").split("\n").filter((l) => l.startsWith("jobs.csv,")).map((l) => l.split(",")[1]));
    const window = [Date.parse("2026-10-13T00:00:00Z"), Date.parse("2026-11-24T00:00:00Z")];
    const counted = readCsvRecords(readFileSync(join(dir, "jobs.csv"), "utf8"), "jobs.csv").filter((job) => {
      const at = Date.parse(job.timestamp!);
      return job.worker_address!.toLowerCase() === top!.address && !rejectedJobs.has(job.job_id) && at >= window[0]! && at < window[1]!;
    });
    expect(counted.length).toBeGreaterThan(1);
    expect(top!.work).toBe(counted.reduce((sum, job) => sum + parseDecimal(job.spark_value!, 6) * 10n ** 12n, 0n));
    const latest = counted.reduce((a, b) => (b.timestamp! > a.timestamp! || (b.timestamp === a.timestamp && b.job_id! > a.job_id!) ? b : a));
    expect(top!.nft).toBe(latest.nft_token_id);
    expect(manifest.total).toBe("10000000000000000000000000");
    expect(manifest.pools.ambassadors!.recipients).toBe(2000);
    expect(manifest.pools.artists!.recipients).toBe(200);
    expect(readFileSync(join(out, "season-7", "recipients.csv"), "utf8").trim().split("\n")).toHaveLength(2001);
    const rejected = readFileSync(join(out, "season-7", "rejected.csv"), "utf8").trim().split("\n").slice(1);
    expect(rejected).toHaveLength(counts.purchasesRejected! + counts.jobsRejected!);
    expect(rejected.filter((line) => line.startsWith("spark_purchases.csv,"))).toHaveLength(3);
    // The excluded treasury has activity but is paid nothing.
    expect(readFileSync(join(out, "season-7", "recipients.csv"), "utf8")).not.toContain("0x7ea5000000000000000000000000000000000001");
  });

  it("lower-case addresses give the same Merkle root as EIP-55 checksum case", async () => {
    const checksum = await generate("case-checksum", 200, 3, true);
    const lower = await generate("case-lower", 200, 3, false);
    expect(files(checksum.dir)["users.csv"]).toMatch(/0x[0-9a-f]*[A-F][0-9a-fA-F]*/);
    expect(files(lower.dir)["users.csv"]).not.toMatch(/,0x[0-9a-f]*[A-F]/);
    const roots: string[] = [];
    for (const { dir } of [checksum, lower]) {
      const out = `${dir}-out`;
      const run = await runSeason(["build", "--config", join(dir, "season.json"), "--data", dir, "--onchain", join(dir, "onchain.json"), "--out", out, "--json"]);
      expect(run.status).toBe(0);
      roots.push((JSON.parse(readFileSync(join(out, "season-7", "manifest.json"), "utf8")) as { merkleRoot: string }).merkleRoot);
    }
    expect(roots[0]).toMatch(/^0x[0-9a-f]{64}$/);
    expect(roots[0]).toBe(roots[1]);
  });
});
