/**
 * `season proof` and `season leaderboard` on the fixture season (numbers as
 * in build.test.ts: ada gets 588.235294117647058824 from artists, 131.25 from
 * ambassadors and 26.333562719029253473 from stakers), and `season proof` on
 * the same season in formatVersion "2" (test/fixtures/format-v2: proof shards).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArgs, fixtureCopy, REPO_ROOT, runSeason } from "./support.js";

const V2_SEASON = join(REPO_ROOT, "test", "fixtures", "format-v2", "season-7");

const ADA = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const ADA_TOTAL = 588_235_294_117_647_058_824n + 131_250_000_000_000_000_000n + 26_333_562_719_029_253_473n;

let fixture: ReturnType<typeof fixtureCopy>;
let seasonDir: string;

beforeAll(async () => {
  fixture = fixtureCopy();
  const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
  expect(run.status, run.stderr).toBe(0);
  seasonDir = join(fixture.dir, "out", "season-7");
});
afterAll(() => fixture.cleanup());

describe("season proof <dir> <address>", () => {
  it("prints index, amount in SOGNI and wei, the per-pool breakdown and a proof that verifies", async () => {
    // Checksummed input is accepted; the season works in lower case.
    const run = await runSeason(["proof", seasonDir, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`season 7: ${ADA}`);
    expect(run.stdout).toMatch(/index\s+4\n/);
    expect(run.stdout).toContain(`amount       745.818856836676312297 SOGNI (${ADA_TOTAL} wei)`);
    expect(run.stdout).toMatch(/artists\s+588\.235294117647058824\s+588235294117647058824/);
    expect(run.stdout).toMatch(/ambassadors\s+131\.25\s+131250000000000000000/);
    expect(run.stdout).toMatch(/stakers\s+26\.333562719029253473\s+26333562719029253473/);
    expect(run.stdout).toMatch(/fastWorkers\s+0\s+0/);
    expect(run.stdout).toMatch(/proof \(4 hashes\) verifies against the root 0x[0-9a-f]{64}/);
  });

  it("--json gives the claim's arguments", async () => {
    const run = await runSeason(["proof", seasonDir, ADA, "--json"]);
    expect(run.status).toBe(0);
    const proof = JSON.parse(run.stdout);
    expect(proof).toMatchObject({ season: 7, address: ADA, found: true, index: 4, amount: ADA_TOTAL.toString(), verified: true });
    expect(proof.pools.ambassadors).toBe("131250000000000000000");
    expect(proof.proof).toHaveLength(4); // 9 leaves: depth 4
  });

  it("an address not in the season: a clear message and exit 1", async () => {
    const run = await runSeason(["proof", seasonDir, "0x0000000000000000000000000000000000000001"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("0x0000000000000000000000000000000000000001 is not a recipient of season 7 (9 recipients): nothing to claim");
  });

  it("the excluded treasury is not in the season either", async () => {
    const run = await runSeason(["proof", seasonDir, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]);
    expect(run.status).toBe(1);
  });

  it("formatVersion 2 (proofs/<xx>.json) and 3 (tree.bin) give every recipient the same answer", async () => {
    const addresses = ["0x14dc79964da2c08b23698b3d3cc7ca32193d9955", ADA, "0xa0ee7a142d267c1f36714e4a8f75612f20a79720"]; // first, middle, last
    for (const address of addresses) {
      const [v3, v2] = await Promise.all([runSeason(["proof", seasonDir, address, "--json"]), runSeason(["proof", V2_SEASON, address, "--json"])]);
      expect(v3.status, v3.stderr).toBe(0);
      expect(v2.status, v2.stderr).toBe(0);
      expect(JSON.parse(v3.stdout)).toEqual(JSON.parse(v2.stdout));
    }
    const absent = await runSeason(["proof", V2_SEASON, "0x0000000000000000000000000000000000000001"]);
    expect(absent.status).toBe(1);
    expect(absent.stderr).toContain("is not a recipient of season 7 (9 recipients)");
  });

  it("a malformed address is bad usage (exit 2)", async () => {
    const run = await runSeason(["proof", seasonDir, "0x1234"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not an address/);
  });
});

describe("season leaderboard <dir> <pool>", () => {
  it("prints an aligned table: rank, name, address, days, points, amount in SOGNI", async () => {
    const run = await runSeason(["leaderboard", seasonDir, "artists"]);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("season 7 artists: 1000 SOGNI to the top 2, pro rata of points (3 ranked)");
    expect(lines[2]).toMatch(/^rank\s+name\s+address\s+days\s+points\s+amount \(SOGNI\)$/);
    expect(lines[3]).toMatch(new RegExp(`^\\s+1\\s+ada\\s+${ADA}\\s+2\\s+30\\s+588\\.235294117647058824$`));
    expect(lines[4]).toMatch(/^\s+2\s+cy "the eye"\s+0x90f79bf6eb2c4f870365e785982e1f101e93b906\s+1\s+21\s+411\.764705882352941176$/);
    expect(lines[5]).toMatch(/^\s+3\s+bob, the builder\s+0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc\s+1\s+15\s+0$/);
    // Columns line up: every row's address starts where the header's does.
    const column = lines[2]!.indexOf("address");
    for (const line of lines.slice(3)) expect(line.indexOf("0x")).toBe(column);
  });

  it("--top 1 keeps the first rank; workers show hardware and work, fast workers their nft", async () => {
    const run = await runSeason(["leaderboard", seasonDir, "fastWorkers", "--top", "1"]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[2]).toMatch(/hardware\s+work \(SOGNI\)\s+nft$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^\s+1\s+eve\s+0x976ea74026e726554db657fa54763abd0c3a0aa9\s+2\s+12\s+120\s+RTX 4090\s+11$/);
  });

  it("--json gives exact strings for points and wei", async () => {
    const run = await runSeason(["leaderboard", seasonDir, "stakers", "--json"]);
    expect(run.status).toBe(0);
    const board = JSON.parse(run.stdout);
    expect(board).toMatchObject({ season: 7, pool: "stakers", amount: "300000000000000000000", top: null });
    expect(board.entries[0]).toEqual({
      rank: 1,
      address: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
      name: "",
      daysActive: 14,
      points: "1469.6934",
      amount: "273666437280970746527",
      amountSogni: "273.666437280970746527",
    });
  });

  it("an unknown pool is bad usage (exit 2) and lists the pools", async () => {
    const run = await runSeason(["leaderboard", seasonDir, "painters"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown pool \"painters\": one of artists, ambassadors, stakers, relaxedWorkers, fastWorkers");
  });
});
