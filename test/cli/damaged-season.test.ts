/**
 * A damaged season directory is named, never a crash or a hang: `season
 * verify` reports the file and what is wrong as a FAIL row of its table
 * (exit 1), `season proof` as an error naming the file (exit 1). Damage: a
 * non-numeric field (manifest, recipients.csv, a proof shard), an amount past
 * uint256, a symbolic link loop, a FIFO or a device where a file belongs, a
 * directory where a file belongs. Each case is a copy of the fixture season
 * built once (test/fixtures/season-small).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArgs, fixtureCopy, REPO_ROOT, runSeason } from "./support.js";

const ADA = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"; // index 4, in proofs/70.json, line 6 of recipients.csv
const ADA_AMOUNT = "745818856836676312297";
/** The CLI's entry, as package.json names it. */
const BIN = join(REPO_ROOT, Object.values(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).bin as Record<string, string>)[0]!);
/** Far longer than verify takes on the fixture: a run still going then is a hang. */
const HANG_MS = 30_000;

let fixture: ReturnType<typeof fixtureCopy>;
let built: string;

beforeAll(async () => {
  fixture = fixtureCopy();
  const run = await runSeason(buildArgs(fixture.dir, ["--quiet"]));
  expect(run.status, run.stderr).toBe(0);
  built = join(fixture.dir, "out", "season-7");
});
afterAll(() => fixture.cleanup());

/** A fresh copy of the built season, damaged by `damage`. */
function damaged(name: string, damage: (dir: string) => void): string {
  const dir = join(fixture.dir, "damaged", name);
  cpSync(built, dir, { recursive: true });
  damage(dir);
  return dir;
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
    expect(out).toMatch(/proofs against the root\s+FAIL\s+proofs\/70\.json 0x70997970c51812dc3a010c7d01b50e0d17dc79c8: not in recipients\.csv/);
  });

  it("a proof shard whose amount does not fit a uint256", async () => {
    const dir = damaged("shard-overflow", (d) => edit(join(d, "proofs", "70.json"), (t) => t.replace(`"amount": "${ADA_AMOUNT}"`, `"amount": "${"9".repeat(78)}"`)));
    expect(await verify(dir)).toMatch(/proofs against the root\s+FAIL\s+.*proofs\/70\.json/);
  });

  it("a proof shard that is a symbolic link to itself (a loop)", async () => {
    const dir = damaged("shard-loop", (d) => {
      rmSync(join(d, "proofs", "70.json"));
      symlinkSync("70.json", join(d, "proofs", "70.json"));
    });
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

  it("a directory where a shard belongs, and a symbolic link to a parent directory (a loop to walk)", async () => {
    const dir = damaged("directories", (d) => {
      rmSync(join(d, "proofs", "71.json"));
      mkdirSync(join(d, "proofs", "71.json"));
      symlinkSync("..", join(d, "proofs", "loop"));
    });
    const out = await verify(dir);
    expect(out).toMatch(/rebuild: same files\s+FAIL\s+missing: proofs\/71\.json; unexpected: proofs\/loop/);
    expect(out).toMatch(/proofs against the root\s+FAIL\s+\S*proofs\/71\.json is a directory, not a regular file/);
  });

  it.runIf(mkfifoAvailable)("manifest.json replaced by a FIFO: the one row says so", async () => {
    const dir = damaged("manifest-fifo", (d) => fifo(join(d, "manifest.json")));
    expect(await verify(dir)).toMatch(/manifest\.json\s+FAIL\s+\S*manifest\.json is a FIFO \(named pipe\), not a regular file/);
  });
});

describe("season proof on a damaged season directory: an error naming the file and what is wrong, exit 1", () => {
  it("a non-numeric amount in the address's shard", async () => {
    const dir = damaged("proof-lots", (d) => edit(join(d, "proofs", "70.json"), (t) => t.replace(`"amount": "${ADA_AMOUNT}"`, '"amount": "lots"')));
    expect(await proof(dir)).toMatch(/^error: \S*proofs\/70\.json: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8: amount "lots" is not a wei amount/m);
  });

  it("an amount past uint256 in the address's shard", async () => {
    const dir = damaged("proof-overflow", (d) => edit(join(d, "proofs", "70.json"), (t) => t.replace(`"amount": "${ADA_AMOUNT}"`, `"amount": "${"9".repeat(78)}"`)));
    expect(await proof(dir)).toMatch(/^error: \S*proofs\/70\.json: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8: amount 9{78} does not fit a uint256/m);
  });

  it("a non-numeric field in the address's recipients.csv row", async () => {
    const dir = damaged("proof-row", (d) => edit(join(d, "recipients.csv"), (t) => t.replace(`4,${ADA},${ADA_AMOUNT},`, `4,${ADA},lots,`)));
    expect(await proof(dir)).toMatch(/^error: \S*recipients\.csv, line 6: not a recipients\.csv row/m);
  });

  it("a non-numeric manifest field (decimals \"x\")", async () => {
    const dir = damaged("proof-manifest", (d) => edit(join(d, "manifest.json"), (t) => t.replace('"decimals": 18', '"decimals": "x"')));
    expect(await proof(dir)).toMatch(/^error: \S*manifest\.json: decimals "x" is not a whole number/m);
  });

  it.runIf(mkfifoAvailable)("the address's shard replaced by a FIFO, or a device", async () => {
    const fifoDir = damaged("proof-fifo", (d) => fifo(join(d, "proofs", "70.json")));
    expect(await proof(fifoDir)).toMatch(/^error: \S*proofs\/70\.json is a FIFO \(named pipe\), not a regular file/m);
    const deviceDir = damaged("proof-device", (d) => {
      rmSync(join(d, "proofs", "70.json"));
      symlinkSync("/dev/zero", join(d, "proofs", "70.json"));
    });
    expect(await proof(deviceDir)).toMatch(/^error: \S*proofs\/70\.json is a character device, not a regular file/m);
  });
});
