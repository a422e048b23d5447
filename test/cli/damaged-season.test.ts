/**
 * A damaged season directory is named, never a crash, a hang or a wrong
 * proof: `season verify` reports the file and what is wrong as a FAIL row of
 * its table (exit 1), `season proof` as an error naming the file (exit 1).
 * Damage: a non-numeric field (manifest, recipients.csv, a proof shard), an
 * amount past uint256, a changed byte or a cut of tree.bin, a truncated
 * recipients.csv, a symbolic link loop, a FIFO or a device where a file
 * belongs, a directory where a file belongs. Each case is a copy of the
 * fixture season built once (test/fixtures/season-small), or, for the proof
 * shards of formatVersion "2", of test/fixtures/format-v2/season-7.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proofNodeOffsets, treeFileLayout } from "../../season/tree-file.js";
import { buildArgs, fixtureCopy, REPO_ROOT, runSeason } from "./support.js";

const ADA = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"; // index 4, line 6 of recipients.csv (formatVersion 2: in proofs/70.json)
const ADA_AMOUNT = "745818856836676312297";
/** The CLI's entry, as package.json names it. */
const BIN = join(REPO_ROOT, Object.values(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).bin as Record<string, string>)[0]!);
/** Far longer than verify takes on the fixture: a run still going then is a hang. */
const HANG_MS = 30_000;
/** The same season written by the engine before tree.bin (formatVersion "2", proofs/<xx>.json). */
const V2_SEASON = join(REPO_ROOT, "test", "fixtures", "format-v2", "season-7");

let fixture: ReturnType<typeof fixtureCopy>;
let built: string;

beforeAll(async () => {
  fixture = fixtureCopy();
  const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
  expect(run.status, run.stderr).toBe(0);
  built = join(fixture.dir, "out", "season-7");
});
afterAll(() => fixture.cleanup());

/** A fresh copy of the built season (or of `from`), damaged by `damage`. */
function damaged(name: string, damage: (dir: string) => void, from = built): string {
  const dir = join(fixture.dir, "damaged", name);
  cpSync(from, dir, { recursive: true });
  damage(dir);
  return dir;
}

/** Flips one bit of `path` at `offset`. */
function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset]! ^ 1;
  writeFileSync(path, bytes);
}

function edit(path: string, change: (text: string) => string): void {
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

/** Replaces `path` with a FIFO that nobody ever writes to: reading it would wait forever. */
function fifo(path: string): void {
  rmSync(path);
  execFileSync("mkfifo", [path]);
}

/** `season <args>`, killed (and reported as hung) when it runs past HANG_MS. */
function season(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, HANG_MS);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, hung });
    });
  });
}

async function verify(dir: string): Promise<string> {
  const run = await season(["verify", dir, "--quiet"]);
  expect(run.hung, "verify hung").toBe(false);
  expect(run.stderr, "no internal error").toBe("");
  expect(run.status, run.stdout).toBe(1);
  expect(run.stdout).toMatch(/\d+ of \d+ checks FAILED/);
  return run.stdout;
}

async function proof(dir: string): Promise<string> {
  const run = await season(["proof", dir, ADA]);
  expect(run.hung, "proof hung").toBe(false);
  expect(run.status, run.stdout + run.stderr).toBe(1);
  return run.stderr;
}

const mkfifoAvailable = process.platform !== "win32";

describe("season verify on a damaged season directory: a FAIL row naming the file and what is wrong, exit 1", () => {
  it("a non-numeric manifest field (pools.artists.amount \"lots\")", async () => {
    const dir = damaged("manifest-field", (d) => edit(join(d, "manifest.json"), (t) => t.replace('"amount": "1000000000000000000000"', '"amount": "lots"')));
    expect(await verify(dir)).toMatch(/manifest\.json\s+FAIL\s+.*manifest\.json: pools\.artists\.amount "lots" is not a wei amount/);
  });

  it("a non-numeric amount in recipients.csv: the row is named, the other rows' proofs still check", async () => {
    const dir = damaged("recipients-field", (d) => edit(join(d, "recipients.csv"), (t) => t.replace(`4,${ADA},${ADA_AMOUNT},`, `4,${ADA},lots,`)));
    const out = await verify(dir);
    expect(out).toMatch(/recipients\.csv rows\s+FAIL\s+line 6: not "index,address,amount,<5 pool amounts>" with decimal numbers/);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+tree\.bin's leaf 4 \(level 0 node 4, byte 128\) is not row 4's leaf$/m);
  });

  it("recipients.csv truncated, at a row's end or in the middle of one", async () => {
    const rows = damaged("recipients-short", (d) => edit(join(d, "recipients.csv"), (t) => t.split("\n").slice(0, -2).join("\n") + "\n"));
    let out = await verify(rows);
    expect(out).toMatch(/recipients\.csv rows\s+FAIL\s+8 rows but the manifest says 9 recipients/);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+tree\.bin is 640 bytes; a tree of 8 leaves is 480 \(8 \+ 4 \+ 2 \+ 1 nodes of 32 bytes\)/);
    const cut = damaged("recipients-cut", (d) => edit(join(d, "recipients.csv"), (t) => t.slice(0, t.length - 30)));
    out = await verify(cut);
    expect(out).toMatch(/recipients\.csv rows\s+FAIL\s+line 10: not "index,address,amount,<5 pool amounts>"/);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+tree\.bin's leaf 8 \(level 0 node 8, byte 256\) is not row 8's leaf/);
  });

  it("tree.bin: one byte changed, cut short, a symbolic link loop, a directory", async () => {
    const flipped = damaged("tree-byte", (d) => flipByte(join(d, "tree.bin"), 600));
    let out = await verify(flipped);
    expect(out).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: tree\.bin \(byte 600, level 3 node 1\)/);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+tree\.bin's level 3 node 1, byte 576 is not node 2 carried up of level 2; tree\.bin's level 4 node 0, byte 608 is not the hash of nodes 0 and 1 of level 3/);

    const short = damaged("tree-short", (d) => writeFileSync(join(d, "tree.bin"), readFileSync(join(d, "tree.bin")).subarray(0, 100)));
    expect(await verify(short)).toMatch(/proofs against the root\s+FAIL\s+tree\.bin is 100 bytes; a tree of 9 leaves is 640/);

    const loop = damaged("tree-loop", (d) => {
      rmSync(join(d, "tree.bin"));
      symlinkSync("tree.bin", join(d, "tree.bin"));
    });
    expect(await verify(loop)).toMatch(/proofs against the root\s+FAIL\s+\S*tree\.bin is a symbolic link loop, not a file/);

    const directory = damaged("tree-directory", (d) => {
      rmSync(join(d, "tree.bin"));
      mkdirSync(join(d, "tree.bin"));
    });
    out = await verify(directory);
    expect(out).toMatch(/rebuild: same files\s+FAIL\s+missing: tree\.bin/);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+\S*tree\.bin is a directory, not a regular file/);
  });

  it.runIf(mkfifoAvailable)("tree.bin replaced by a FIFO: named, no waiting on it", async () => {
    const dir = damaged("tree-fifo", (d) => fifo(join(d, "tree.bin")));
    const out = await verify(dir);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+\S*tree\.bin is a FIFO \(named pipe\), not a regular file/);
    expect(out).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: tree\.bin \(\S* is a FIFO/);
  });

  it("formatVersion 2: a proof shard whose amount does not fit a uint256", async () => {
    const dir = damaged("shard-overflow", (d) => edit(join(d, "proofs", "70.json"), (t) => t.replace(`"amount": "${ADA_AMOUNT}"`, `"amount": "${"9".repeat(78)}"`)), V2_SEASON);
    expect(await verify(dir)).toMatch(/proofs against the root\s+FAIL\s+.*proofs\/70\.json/);
  });

  it("formatVersion 2: a proof shard that is a symbolic link to itself (a loop)", async () => {
    const dir = damaged(
      "shard-loop",
      (d) => {
        rmSync(join(d, "proofs", "70.json"));
        symlinkSync("70.json", join(d, "proofs", "70.json"));
      },
      V2_SEASON,
    );
    expect(await verify(dir)).toMatch(/proofs against the root\s+FAIL\s+\S*proofs\/70\.json is a symbolic link loop, not a file/);
  });

  it.runIf(mkfifoAvailable)("recipients.csv replaced by a FIFO: named, no waiting on it", async () => {
    const dir = damaged("recipients-fifo", (d) => fifo(join(d, "recipients.csv")));
    const out = await verify(dir);
    expect(out).toMatch(/recipients\.csv\s+FAIL\s+\S*recipients\.csv is a FIFO \(named pipe\), not a regular file/);
    expect(out).toMatch(/rebuild: byte-identical\s+FAIL\s+differ: recipients\.csv \(\S* is a FIFO/);
  });

  it.runIf(mkfifoAvailable)("an input (inputs/users.csv) replaced by a FIFO: its row FAILs and the rebuild is not attempted", async () => {
    const dir = damaged("input-fifo", (d) => fifo(join(d, "inputs", "users.csv")));
    const out = await verify(dir);
    expect(out).toMatch(/input users\.csv\s+FAIL\s+\S*inputs\/users\.csv is a FIFO/);
    expect(out).toMatch(/rebuild\s+FAIL\s+not attempted: \S*inputs\/users\.csv is a FIFO/);
  });

  it("a symbolic link to a parent directory (a loop to walk)", async () => {
    const dir = damaged("directories", (d) => {
      mkdirSync(join(d, "extra"));
      symlinkSync("..", join(d, "extra", "loop"));
    });
    expect(await verify(dir)).toMatch(/rebuild: same files\s+FAIL\s+unexpected: extra\/loop/);
  });

  it("formatVersion 2: a directory where a shard belongs", async () => {
    const dir = damaged(
      "shard-directory",
      (d) => {
        rmSync(join(d, "proofs", "71.json"));
        mkdirSync(join(d, "proofs", "71.json"));
      },
      V2_SEASON,
    );
    expect(await verify(dir)).toMatch(/proofs against the root\s+FAIL\s+\S*proofs\/71\.json is a directory, not a regular file/);
  });

  it.runIf(mkfifoAvailable)("manifest.json replaced by a FIFO: the one row says so", async () => {
    const dir = damaged("manifest-fifo", (d) => fifo(join(d, "manifest.json")));
    expect(await verify(dir)).toMatch(/manifest\.json\s+FAIL\s+\S*manifest\.json is a FIFO \(named pipe\), not a regular file/);
  });
});

describe("season proof on a damaged season directory: an error naming the file and what is wrong, exit 1", () => {
  it("one byte of a node of the address's proof in tree.bin: the proof is refused, never printed", async () => {
    const [firstNode] = proofNodeOffsets(treeFileLayout(9), 4);
    const dir = damaged("proof-node", (d) => flipByte(join(d, "tree.bin"), firstNode! + 7));
    expect(await proof(dir)).toMatch(/^error: \S*proof-node: the leaf of 0x70997970c51812dc3a010c7d01b50e0d17dc79c8's recipients\.csv row \(index 4, amount 745818856836676312297\) and its proof read from tree\.bin do not lead to the manifest's merkleRoot 0x[0-9a-f]{64}: recipients\.csv or tree\.bin is damaged/m);
  });

  it("another amount in the address's recipients.csv row: the leaf does not lead to the root", async () => {
    const dir = damaged("proof-amount", (d) => edit(join(d, "recipients.csv"), (t) => t.replace(`4,${ADA},${ADA_AMOUNT},`, `4,${ADA},745818856836676312298,`)));
    expect(await proof(dir)).toMatch(/recipients\.csv row \(index 4, amount 745818856836676312298\) and its proof read from tree\.bin do not lead to the manifest's merkleRoot/);
  });

  it("tree.bin's root changed, tree.bin cut short: refused when it is opened", async () => {
    const root = damaged("proof-root", (d) => flipByte(join(d, "tree.bin"), 639));
    expect(await proof(root)).toMatch(/^error: \S*tree\.bin: its last node \(the root\) is 0x[0-9a-f]{64}, the manifest's merkleRoot 0x[0-9a-f]{64}: the season directory is damaged/m);
    const short = damaged("proof-short-tree", (d) => writeFileSync(join(d, "tree.bin"), readFileSync(join(d, "tree.bin")).subarray(0, 608)));
    expect(await proof(short)).toMatch(/^error: \S*tree\.bin is 608 bytes; the tree of the manifest's 9 leaves is 640 bytes \(9 \+ 5 \+ 3 \+ 2 \+ 1 nodes\): the season directory is damaged/m);
  });

  it("recipients.csv truncated: named when it is opened, not \"not a recipient\"", async () => {
    const dir = damaged("proof-short-recipients", (d) => edit(join(d, "recipients.csv"), (t) => t.split("\n").slice(0, -3).join("\n") + "\n"));
    expect(await proof(dir)).toMatch(/^error: \S*recipients\.csv: its last row has index 6, the manifest says 9 recipients: the file is truncated or damaged/m);
    const cut = damaged("proof-cut-recipients", (d) => edit(join(d, "recipients.csv"), (t) => t.slice(0, -1)));
    expect(await proof(cut)).toMatch(/^error: \S*recipients\.csv: it does not end with a newline, the manifest says 9 recipients/m);
  });

  it("a non-numeric field in the address's recipients.csv row", async () => {
    const dir = damaged("proof-row", (d) => edit(join(d, "recipients.csv"), (t) => t.replace(`4,${ADA},${ADA_AMOUNT},`, `4,${ADA},lots,`)));
    expect(await proof(dir)).toMatch(/^error: \S*recipients\.csv, byte \d+: not a recipients\.csv row/m);
  });

  it("a non-numeric manifest field (decimals \"x\")", async () => {
    const dir = damaged("proof-manifest", (d) => edit(join(d, "manifest.json"), (t) => t.replace('"decimals": 18', '"decimals": "x"')));
    expect(await proof(dir)).toMatch(/^error: \S*manifest\.json: decimals "x" is not a whole number/m);
  });

  it.runIf(mkfifoAvailable)("tree.bin replaced by a FIFO, or a device", async () => {
    const fifoDir = damaged("proof-tree-fifo", (d) => fifo(join(d, "tree.bin")));
    expect(await proof(fifoDir)).toMatch(/^error: \S*tree\.bin is a FIFO \(named pipe\), not a regular file/m);
    const deviceDir = damaged("proof-tree-device", (d) => {
      rmSync(join(d, "tree.bin"));
      symlinkSync("/dev/zero", join(d, "tree.bin"));
    });
    expect(await proof(deviceDir)).toMatch(/^error: \S*tree\.bin is a character device, not a regular file/m);
  });

  it("formatVersion 2: a non-numeric amount in the address's shard", async () => {
    const dir = damaged("proof-lots", (d) => edit(join(d, "proofs", "70.json"), (t) => t.replace(`"amount": "${ADA_AMOUNT}"`, '"amount": "lots"')), V2_SEASON);
    expect(await proof(dir)).toMatch(/^error: \S*proofs\/70\.json: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8: amount "lots" is not a wei amount/m);
  });

  it("formatVersion 2: an amount past uint256 in the address's shard", async () => {
    const dir = damaged("proof-overflow", (d) => edit(join(d, "proofs", "70.json"), (t) => t.replace(`"amount": "${ADA_AMOUNT}"`, `"amount": "${"9".repeat(78)}"`)), V2_SEASON);
    expect(await proof(dir)).toMatch(/^error: \S*proofs\/70\.json: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8: amount 9{78} does not fit a uint256/m);
  });

  it.runIf(mkfifoAvailable)("formatVersion 2: the address's shard replaced by a FIFO, or a device", async () => {
    const fifoDir = damaged("proof-fifo", (d) => fifo(join(d, "proofs", "70.json")), V2_SEASON);
    expect(await proof(fifoDir)).toMatch(/^error: \S*proofs\/70\.json is a FIFO \(named pipe\), not a regular file/m);
    const deviceDir = damaged(
      "proof-device",
      (d) => {
        rmSync(join(d, "proofs", "70.json"));
        symlinkSync("/dev/zero", join(d, "proofs", "70.json"));
      },
      V2_SEASON,
    );
    expect(await proof(deviceDir)).toMatch(/^error: \S*proofs\/70\.json is a character device, not a regular file/m);
  });
});
