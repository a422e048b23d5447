/**
 * `season verify` offline: a fresh build passes every check; one changed
 * byte in recipients.csv or in tree.bin fails it (exit 1), naming the file
 * and the spot. A formatVersion "2" directory (test/fixtures/format-v2,
 * written by the engine before tree.bin) still has every proof of its
 * shards checked, and says why it is not rebuilt.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { treeFileLayout } from "../../season/tree-file.js";
import { buildArgs, fixtureCopy, REPO_ROOT, runSeason } from "./support.js";

const V2_SEASON = join(REPO_ROOT, "test", "fixtures", "format-v2", "season-7");

let fixture: ReturnType<typeof fixtureCopy>;
let seasonDir: string;

beforeAll(async () => {
  fixture = fixtureCopy();
  const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
  expect(run.status, run.stderr).toBe(0);
  seasonDir = join(fixture.dir, "out", "season-7");
});
afterAll(() => fixture.cleanup());

/** A copy of the built season directory to tamper with. */
function seasonCopy(name: string): string {
  const copy = join(fixture.dir, name);
  cpSync(seasonDir, copy, { recursive: true });
  return copy;
}

describe("season verify", () => {
  it("passes on a fresh build: same bytes, input hashes, pool sums, every proof", async () => {
    const run = await runSeason(["verify", seasonDir]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^check\s+result\s+detail/);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+pass\s+\d+ files identical/);
    expect(run.stdout).toMatch(/input users\.csv\s+pass/);
    expect(run.stdout).toMatch(/pool artists sums exactly\s+pass\s+1000000000000000000000 wei = the pool amount/);
    expect(run.stdout).toMatch(
      /proofs against the root\s+pass\s+tree\.bin: its 9 leaves are recipients\.csv's rows' own leaf \(index, address, amount\), every node above is the hash of its two children .*its last node is the root 0x[0-9a-f]{64}: every one of the 9 proofs read from it leads to the root/,
    );
    expect(run.stdout).toMatch(/all \d+ checks passed/);
    expect(run.stdout).not.toContain("FAIL");
  });

  it("--json reports every check", async () => {
    const run = await runSeason(["verify", seasonDir, "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.passed).toBe(true);
    expect(report.checks.length).toBeGreaterThan(10);
    expect(report.checks.every((check: { ok: boolean }) => check.ok)).toBe(true);
  });

  it("fails when one byte of recipients.csv changes, naming the file and where", async () => {
    const copy = seasonCopy("tampered-recipients");
    const path = join(copy, "recipients.csv");
    const text = readFileSync(path, "utf8");
    // One digit of the last row's amount: 16666666666666666667 -> …668.
    writeFileSync(path, text.replace(",16666666666666666667,0,0,0,", ",16666666666666666668,0,0,0,"));
    const run = await runSeason(["verify", copy, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: recipients\.csv \(line 10, column \d+\)/);
    expect(run.stdout).toMatch(/recipients\.csv rows\s+FAIL\s+line 10: amount 16666666666666666668 is not the sum of its pools/);
    expect(run.stdout).toMatch(/checks FAILED/);
  });

  it("fails when one byte of a leaf in tree.bin changes: the rebuild names the byte, level and node, the proof check the leaf", async () => {
    const copy = seasonCopy("tampered-leaf");
    const path = join(copy, "tree.bin");
    const bytes = readFileSync(path);
    bytes[3 * 32 + 5] = bytes[3 * 32 + 5]! ^ 1; // leaf 3
    writeFileSync(path, bytes);
    const run = await runSeason(["verify", copy, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: tree\.bin \(byte 101, level 0 node 3\)/);
    expect(run.stdout).toMatch(/proofs against the root\s+FAIL\s+tree\.bin's leaf 3 \(level 0 node 3, byte 96\) is not row 3's leaf; tree\.bin's level 1 node 1, byte 320 is not the hash of nodes 2 and 3 of level 0/);
  });

  it("fails when one byte of an inner node of tree.bin changes, and when tree.bin is cut short", async () => {
    const layout = treeFileLayout(9); // levels of 9, 5, 3, 2, 1 nodes
    const inner = seasonCopy("tampered-node");
    const path = join(inner, "tree.bin");
    const bytes = readFileSync(path);
    const at = layout.levelOffsets[2]! + 32 + 31; // the last byte of level 2 node 1
    bytes[at] = bytes[at]! ^ 0x80;
    writeFileSync(path, bytes);
    let run = await runSeason(["verify", inner, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: tree\.bin \(byte 511, level 2 node 1\)/);
    expect(run.stdout).toMatch(/proofs against the root\s+FAIL\s+tree\.bin's level 2 node 1, byte 480 is not the hash of nodes 2 and 3 of level 1; tree\.bin's level 3 node 0, byte 544 is not the hash of nodes 0 and 1 of level 2/);

    const short = seasonCopy("short-tree");
    writeFileSync(join(short, "tree.bin"), readFileSync(join(short, "tree.bin")).subarray(0, 600));
    run = await runSeason(["verify", short, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/proofs against the root\s+FAIL\s+tree\.bin is 600 bytes; a tree of 9 leaves is 640 \(9 \+ 5 \+ 3 \+ 2 \+ 1 nodes of 32 bytes\)/);
  });

  it("a formatVersion 2 directory: every proof in its 256 shards checked, the rebuild not attempted (and why)", async () => {
    const run = await runSeason(["verify", V2_SEASON, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/rebuild\s+FAIL\s+not attempted: the directory is formatVersion "2", this engine writes "3"/);
    expect(run.stdout).toMatch(/recipients\.csv rows\s+pass/);
    expect(run.stdout).toMatch(/proofs against the root\s+pass\s+9 proofs in 256 shards verify against 0x99368967a51dbe34e9b8d6825d0c53ac24c529d02ea97dd452eb6bcc52b6e28d/);
    expect(run.stdout).toMatch(/1 of 15 checks FAILED/);
  });

  it("a formatVersion 2 directory: one changed byte of a proof fails, naming the shard and the address", async () => {
    const copy = join(fixture.dir, "tampered-v2-proof");
    cpSync(V2_SEASON, copy, { recursive: true });
    const path = join(copy, "proofs", "14.json");
    const shard = JSON.parse(readFileSync(path, "utf8"));
    const address = Object.keys(shard)[0]!;
    const original = shard[address].proof[0] as string;
    const flipped = original.slice(0, -1) + (original.endsWith("0") ? "1" : "0");
    writeFileSync(path, readFileSync(path, "utf8").replace(original, flipped));
    const run = await runSeason(["verify", copy, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`proofs/14.json ${address}: the proof does not verify against the root`);
  });

  it("fails when --data holds other exports than the ones recorded", async () => {
    const data = join(fixture.dir, "other-data");
    cpSync(join(fixture.dir, "data"), data, { recursive: true });
    writeFileSync(join(data, "spark_usage.csv"), readFileSync(join(data, "spark_usage.csv"), "utf8").replace("r2,u2,2026-10-15T12:00:00Z,0,1.5", "r2,u2,2026-10-15T12:00:00Z,0,2.5"));
    const run = await runSeason(["verify", seasonDir, "--data", data, "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/input spark_usage\.csv\s+FAIL\s+sha256 [0-9a-f]{64} but the manifest records/);
    expect(run.stdout).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: .*leaderboards\/artists\.csv/);
  });
});
