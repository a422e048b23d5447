/**
 * `season publish` and `season verify <publication dir>` as a user runs
 * them (SPEC 8.2), on two seasons built from different exports
 * (publish-support.ts): season 7 vests at its end, season 8 40 % on
 * 2026-11-01 and the rest on 2026-12-01. The expected amounts are
 * recomputed here from the two recipients.csv files, and the root and
 * tree.bin with merkletreejs over viem's leaves, independently of
 * season/publication.ts.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import keccak256 from "keccak256";
import { MerkleTree as ReferenceTree } from "merkletreejs";
import { encodeAbiParameters, keccak256 as viemKeccak256, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { balanceRow, findCumulativeProof } from "../../season-io/publication-dir.js";
import { listFiles } from "../../season-io/season-dir.js";
import { buildTwoSeasons } from "./publish-support.js";
import { runSeason } from "./support.js";

let work: string;
let season7: string;
let season8: string;
let out: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "season-publish-"));
  ({ season7, season8, out } = await buildTwoSeasons(work));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** address -> amount of a season's recipients.csv. */
function recipients(seasonDir: string): Map<string, bigint> {
  const rows = readFileSync(join(seasonDir, "recipients.csv"), "utf8").trim().split("\n").slice(1);
  return new Map(rows.map((row) => row.split(",")).map(([, address, amount]) => [address!, BigInt(amount!)]));
}

/** The expected balances: season 7 whole plus floor(share × season 8), sorted by address. */
function expectedBalances(share8Millionths: bigint): [string, bigint, bigint, bigint][] {
  const s7 = recipients(season7);
  const s8 = recipients(season8);
  const addresses = [...new Set([...s7.keys(), ...s8.keys()])].sort();
  return addresses.map((address) => {
    const a = s7.get(address) ?? 0n;
    const b = ((s8.get(address) ?? 0n) * share8Millionths) / 1_000_000n;
    return [address, a + b, a, b];
  });
}

/** merkletreejs over the cumulative-v1 leaves of `rows` (address, cumulative, …), and its leaves. */
function referenceTree(rows: readonly [string, bigint, ...unknown[]][]): { tree: ReferenceTree; leaves: Buffer[] } {
  const leaves = rows.map(([address, cumulative]) => viemKeccak256(viemKeccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [address as Address, cumulative]))));
  const buffers = leaves.map((leaf) => Buffer.from(leaf.slice(2), "hex"));
  return { tree: new ReferenceTree(buffers, keccak256, { sortPairs: true }), leaves: buffers };
}

function referenceRoot(rows: readonly [string, bigint, ...unknown[]][]): Hex {
  return referenceTree(rows).tree.getHexRoot() as Hex;
}

const sha256 = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

/** Every file of a directory as path -> sha256, to compare two directories byte for byte. */
function digest(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((path) => [path, sha256(readFileSync(join(dir, path)))]));
}

function publishArgs(at: string, target: string, extra: string[] = []): string[] {
  return ["publish", "--seasons", season7, season8, "--at", at, "--out", target, ...extra];
}

describe("season publish: cumulative amounts over two seasons, vested at --at (SPEC 8.1, 8.2)", () => {
  it("publication 1 at season 8's first tranche: each address has season 7 + floor(0.4 × season 8); the root is merkletreejs's", async () => {
    const run = await runSeason(publishArgs("2026-11-01T00:00:00Z", out));
    expect(run.status, run.stderr).toBe(0);
    const dir = join(out, "publication-1");
    expect(run.stdout).toContain(`publication 1 written to ${dir}`);
    const rows = expectedBalances(400_000n);
    expect(rows).toHaveLength(9); // 0x14dc… is only in season 7, bob in both
    expect(readFileSync(join(dir, "balances.csv"), "utf8")).toBe(["index,address,cumulative,season_7,season_8", ...rows.map((row, index) => [index, ...row].join(",")), ""].join("\n"));
    const manifest = manifestOf(dir);
    const total = rows.reduce((sum, [, cumulative]) => sum + cumulative, 0n);
    expect(manifest).toEqual({
      formatVersion: "2",
      id: 1,
      at: "2026-11-01T00:00:00Z",
      chainId: 31337,
      token: null,
      decimals: 18,
      seasons: [
        { season: 7, merkleRoot: manifestOf(season7).merkleRoot, manifestSha256: sha256(readFileSync(join(season7, "manifest.json"))), share: "1" },
        { season: 8, merkleRoot: manifestOf(season8).merkleRoot, manifestSha256: sha256(readFileSync(join(season8, "manifest.json"))), share: "0.4" },
      ],
      total: total.toString(),
      recipients: 9,
      merkleRoot: referenceRoot(rows),
      leafEncoding: "cumulative-v1",
      previous: null,
      generator: { name: "sogni-season-engine", version: expect.any(String) },
    });
    expect(total).toBe(2_999_999_999_999_999_999_998n); // 2200 + 0.4 × 2000, less 2 wei of flooring
    expect(run.stdout).toContain(`dataHash     0x${sha256(readFileSync(join(dir, "manifest.json")))} (sha256 of manifest.json)`);
    expect(readdirSync(dir).sort()).toEqual(["balances.csv", "manifest.json", "tree.bin"]);
    // tree.bin: merkletreejs's layers back to back, leaves first, the root last.
    const { tree, leaves } = referenceTree(rows);
    expect(readFileSync(join(dir, "tree.bin")).equals(Buffer.concat(tree.getLayers().flat()))).toBe(true);
    rows.forEach(([address, cumulative, seven, eight], index) => {
      expect(findCumulativeProof(dir, address.toUpperCase().replace("0X", "0x"))).toEqual({ amount: cumulative, proof: tree.getHexProof(leaves[index]!, index) });
      expect(balanceRow(dir, address)).toEqual({ address, cumulative, seasons: { 7: seven, 8: eight } });
    });
    expect(findCumulativeProof(dir, "0x0000000000000000000000000000000000000001")).toBeUndefined();
  });

  it("publication 2 at the last tranche, after publication 1: id 2, `previous` names publication 1 by root and sha256, no amount went down", async () => {
    const run = await runSeason(publishArgs("2026-12-01T00:00:00Z", out, ["--previous", join(out, "publication-1"), "--json"]));
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout);
    const dir = join(out, "publication-2");
    expect(printed.dir).toBe(dir);
    const first = manifestOf(join(out, "publication-1"));
    expect(manifestOf(dir).previous).toEqual({ id: 1, merkleRoot: first.merkleRoot, manifestSha256: sha256(readFileSync(join(out, "publication-1", "manifest.json"))) });
    expect(printed.dataHash).toBe(`0x${sha256(readFileSync(join(dir, "manifest.json")))}`);
    const rows = expectedBalances(1_000_000n);
    expect(manifestOf(dir).merkleRoot).toBe(referenceRoot(rows));
    expect(manifestOf(dir).total).toBe(4_200_000_000_000_000_000_000n.toString());
    const before = new Map(expectedBalances(400_000n).map(([address, cumulative]) => [address, cumulative]));
    for (const [address, cumulative] of rows) expect(cumulative).toBeGreaterThanOrEqual(before.get(address) ?? 0n);
  });

  it("same inputs, same bytes: again into another --out, with --force into the same one, on two threads, seasons in another order", async () => {
    const again = join(work, "again");
    const run = await runSeason(publishArgs("2026-11-01T00:00:00Z", again, ["--quiet"]));
    expect(run.status, run.stderr).toBe(0);
    expect(digest(join(again, "publication-1"))).toEqual(digest(join(out, "publication-1")));
    const before = digest(join(out, "publication-1"));
    const forced = await runSeason(publishArgs("2026-11-01T00:00:00Z", out, ["--quiet", "--force"]));
    expect(forced.status, forced.stderr).toBe(0);
    expect(digest(join(out, "publication-1"))).toEqual(before);
    // Nor do two threads (the tree on a second one) …
    const threaded = await runSeason(publishArgs("2026-11-01T00:00:00Z", join(work, "threaded"), ["--quiet", "--threads", "2"]));
    expect(threaded.status, threaded.stderr).toBe(0);
    expect(digest(join(work, "threaded", "publication-1"))).toEqual(before);
    // … nor the order of --seasons.
    const swapped = await runSeason(["publish", "--seasons", season8, "--seasons", season7, "--at", "2026-11-01", "--out", join(work, "swapped"), "--quiet"]);
    expect(swapped.status, swapped.stderr).toBe(0);
    expect(digest(join(work, "swapped", "publication-1"))).toEqual(before);
  });
});

describe("season publish refuses, naming the season or the address, and writes nothing", () => {
  /** Runs publish into a fresh --out; expects exit 1, the message, and no directory at all. */
  async function refusedInto(args: (target: string) => string[], message: string | RegExp): Promise<void> {
    const target = join(work, `refused-${Math.random().toString(36).slice(2)}`);
    const run = await runSeason(args(target));
    expect(run.status, run.stderr).toBe(1);
    if (typeof message === "string") expect(run.stderr).toContain(message);
    else expect(run.stderr).toMatch(message);
    expect(existsSync(target)).toBe(false);
  }

  it("a season that has not ended at --at", async () => {
    await refusedInto(
      (target) => publishArgs("2026-10-25T00:00:00Z", target),
      "error: the publication is refused (2 problems), nothing was written:\n  - season 7 has not ended at 2026-10-25T00:00:00Z: it ends at 2026-10-26T00:00:00Z\n  - season 8 has not ended",
    );
  });

  it("a season of the previous publication missing, and --at before the previous one's", async () => {
    await refusedInto(
      (target) => ["publish", "--seasons", season7, "--at", "2026-10-31T00:00:00Z", "--previous", join(out, "publication-1"), "--out", target],
      /at 2026-10-31T00:00:00Z is before publication 1's at 2026-11-01T00:00:00Z[^\n]*\n {2}- season 8 of publication 1 is not listed/,
    );
  });

  it("a season.json edited after the build (vesting must be in the season.json the season was built from)", async () => {
    const copy = join(work, "edited", "season-8");
    cpSync(season8, copy, { recursive: true });
    const path = join(copy, "inputs", "season.json");
    writeFileSync(path, readFileSync(path, "utf8").replace('"share": "0.4"', '"share": "0.9"'));
    await refusedInto(
      (target) => ["publish", "--seasons", season7, copy, "--at", "2026-11-01T00:00:00Z", "--out", target],
      `${path} is not the season.json the season was built from`,
    );
  });

  it("an existing publication without --force: exit 1, left exactly as it was", async () => {
    const before = digest(join(out, "publication-1"));
    const run = await runSeason(publishArgs("2026-11-01T00:00:00Z", out));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${join(out, "publication-1")} already exists: pass --force to replace it`);
    expect(digest(join(out, "publication-1"))).toEqual(before);
    expect(readdirSync(out).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("bad usage: no --at, or a --at that is not a time (exit 2)", async () => {
    const missing = await runSeason(["publish", "--seasons", season7, "--out", join(work, "x")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--at <time> is required");
    const bad = await runSeason(publishArgs("next tuesday", join(work, "x")));
    expect(bad.status).toBe(2);
    expect(existsSync(join(work, "x"))).toBe(false);
  });
});

describe("season verify <publication dir> --seasons …: seasons and publication rebuilt byte for byte, every proof", () => {
  it("passes for both publications (the second also against its previous one)", async () => {
    const first = await runSeason(["verify", join(out, "publication-1"), "--seasons", season7, season8, "--quiet"]);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/rebuild: byte-identical\s+pass\s+3 files identical/);
    expect(first.stdout).toMatch(/proofs against the root\s+pass\s+tree\.bin: its 9 leaves are balances\.csv's rows' own cumulative-v1 leaf \(address, cumulative\), .*every one of the 9 proofs read from it leads to the root/);
    expect(first.stdout).toMatch(/seasons listed\s+pass\s+seasons 7, 8/);
    expect(first.stdout).toMatch(/all 7 checks passed/);
    const second = await runSeason(["verify", join(out, "publication-2"), "--seasons", season7, season8, "--previous", join(out, "publication-1"), "--json"]);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).passed).toBe(true);
  });

  it("fails on one changed byte of balances.csv, naming the file and where", async () => {
    const copy = join(work, "tampered", "publication-1");
    cpSync(join(out, "publication-1"), copy, { recursive: true });
    const path = join(copy, "balances.csv");
    const text = readFileSync(path, "utf8");
    const line = text.split("\n")[1]!; // 0x14dc…: 80 SOGNI from season 7
    writeFileSync(path, text.replace(line, line.replace("80000000000000000000,80000000000000000000", "80000000000000000001,80000000000000000001")));
    const run = await runSeason(["verify", copy, "--seasons", season7, season8, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: balances\.csv \(line 2, column 65\)/);
    expect(run.stdout).toMatch(/balances\.csv\s+FAIL\s+.*9 rows summing to 2999999999999999999999 wei, the manifest says 9 recipients and 2999999999999999999998 wei/);
    expect(run.stdout).toMatch(/2 of 6 checks FAILED/); // no proof check without a sound balances.csv
  });

  it("fails on one changed byte of tree.bin, and when a season is missing from --seasons", async () => {
    const copy = join(work, "tampered-proof", "publication-1");
    cpSync(join(out, "publication-1"), copy, { recursive: true });
    const path = join(copy, "tree.bin");
    const bytes = readFileSync(path);
    bytes[5 * 32] = bytes[5 * 32]! ^ 1; // leaf 5
    writeFileSync(path, bytes);
    const run = await runSeason(["verify", copy, "--seasons", season7, season8, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: tree\.bin \(byte 160, level 0 node 5\)/);
    expect(run.stdout).toMatch(/proofs against the root\s+FAIL\s+tree\.bin's leaf 5 \(level 0 node 5, byte 160\) is not row 5's leaf/);

    const missing = await runSeason(["verify", join(out, "publication-1"), "--seasons", season7, "--quiet"]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/seasons listed\s+FAIL\s+season 8 \(manifest sha256 [0-9a-f]{16}…\) is not among --seasons/);
    // Season 7 alone publishes, but other bytes.
    expect(missing.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: balances\.csv \(line 1, column 34\), manifest\.json \(line \d+, column \d+\), tree\.bin \(byte 32, level 0 node 1\)/);
  });
});
