/**
 * An interrupted `season build` publishes nothing (SPEC section 6: the
 * directory appears complete or not at all). SIGINT or SIGTERM at any moment
 * of the build: exit 130 or 143, no `season-<n>` written, an existing one
 * (--force) left exactly as it was, no temporary directory left behind. The
 * build is the real CLI on a generated season of 100,000 recipients (a few
 * seconds of work); each signal is sent when a progress line shows where the
 * build is.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSeasonFiles } from "../../scripts/generate-season.js";
import { treeFileLayout } from "../../season/tree-file.js";
import { REPO_ROOT } from "./support.js";

const RECIPIENTS = 100_000;
/** The CLI's entry, as package.json names it. */
const BIN = join(REPO_ROOT, Object.values(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).bin as Record<string, string>)[0]!);
const PAUSE_BEFORE_PUBLISH = join(REPO_ROOT, "test", "cli", "pause-before-publish.mjs");

let work: string;
let data: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "season-interrupt-"));
  data = join(work, "data");
  mkdirSync(data);
  const files = new Map<string, number>();
  await generateSeasonFiles({ recipients: RECIPIENTS, seed: 3, checksum: true }, (file, text) => {
    let fd = files.get(file);
    if (fd === undefined) files.set(file, (fd = openSync(join(data, file), "w")));
    if (text !== "") writeSync(fd, text);
  });
  for (const fd of files.values()) closeSync(fd);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** The progress line after which the signal went. */
  sentAfter: string | undefined;
}

/** Runs `season build … --out <out>` and sends `signal` as soon as a stderr line matches `when`. */
function buildAndInterrupt(out: string, when: RegExp, signal: "SIGINT" | "SIGTERM", options: { force?: boolean; preload?: string } = {}): Promise<Interrupted> {
  const args = ["build", "--config", join(data, "season.json"), "--data", data, "--onchain", join(data, "onchain.json"), "--out", out, ...(options.force ? ["--force"] : [])];
  const child = spawn(process.execPath, [...(options.preload ? ["--import", options.preload] : []), BIN, ...args], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let sentAfter: string | undefined;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    if (sentAfter !== undefined) return;
    const line = stderr.split("\n").find((candidate) => when.test(candidate));
    if (line === undefined) return;
    sentAfter = line;
    child.kill(signal);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, exitSignal) => resolve({ code, signal: exitSignal, stderr, sentAfter }));
  });
}

/** A previous season-7 (only its files matter: the build never reads it). */
function oldSeason(out: string): Map<string, string> {
  const files = new Map([
    ["manifest.json", '{"season":7,"note":"the previous build"}\n'],
    ["recipients.csv", "index,address,amount\n0,0x0000000000000000000000000000000000000001,1\n"],
    ["proofs/00.json", "{}\n"],
  ]);
  for (const [path, text] of files) {
    mkdirSync(join(out, "season-7", path, ".."), { recursive: true });
    writeFileSync(join(out, "season-7", path), text);
  }
  return files;
}

function expectUntouched(out: string, files: Map<string, string>): void {
  expect(readdirSync(join(out, "season-7")).sort()).toEqual(["manifest.json", "proofs", "recipients.csv"]);
  for (const [path, text] of files) expect(readFileSync(join(out, "season-7", path), "utf8")).toBe(text);
}

/** Nothing but what was there before: no temporary `.season-7.partial-*`, no `.season-7.old-*`. */
function leftovers(out: string): string[] {
  return existsSync(out) ? readdirSync(out).filter((name) => name !== "season-7") : [];
}

describe("SPEC 6: an interrupted build publishes nothing, whenever the signal comes", () => {
  it("SIGINT while scoring: exit 130, no season-7, nothing left in --out", async () => {
    const out = join(work, "scoring");
    const run = await buildAndInterrupt(out, /^build: scoring \(/, "SIGINT");
    expect(run.sentAfter).toBeDefined();
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 130, signal: null });
    expect(existsSync(join(out, "season-7"))).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it("SIGTERM while recipients.csv is written: exit 143, no season-7, no temporary directory", async () => {
    const out = join(work, "recipients");
    mkdirSync(out);
    const run = await buildAndInterrupt(out, /^build: writing recipients\.csv/, "SIGTERM");
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 143, signal: null });
    expect(run.stderr).toContain("interrupted (SIGTERM)");
    expect(run.stderr).not.toContain("written to");
    expect(readdirSync(out)).toEqual([]);
  });

  it("SIGINT once the tree is hashed (tree.bin being written), with --force over season 7: exit 130, the previous season-7 untouched", async () => {
    const out = join(work, "tree");
    const before = oldSeason(out);
    const run = await buildAndInterrupt(out, /^build: root 0x[0-9a-f]{64}/, "SIGINT", { force: true });
    expect(run.sentAfter).toBeDefined();
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 130, signal: null });
    expectUntouched(out, before);
    expect(leftovers(out)).toEqual([]);
  });

  it("SIGTERM at the last moment, every file written and the rename next, with --force: exit 143, the previous season-7 untouched", async () => {
    const out = join(work, "last-moment");
    const before = oldSeason(out);
    const run = await buildAndInterrupt(out, /^test: manifest\.json written/, "SIGTERM", { force: true, preload: PAUSE_BEFORE_PUBLISH });
    expect(run.sentAfter).toBeDefined();
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 143, signal: null });
    expect(run.stderr).toContain("interrupted (SIGTERM)");
    expectUntouched(out, before);
    expect(leftovers(out)).toEqual([]);
  });

  it("the same build left alone publishes season 7 (the pause above changes nothing but the timing)", async () => {
    const out = join(work, "whole");
    const run = await buildAndInterrupt(out, /^never$/, "SIGINT", { preload: PAUSE_BEFORE_PUBLISH });
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 0, signal: null });
    expect(readdirSync(out)).toEqual(["season-7"]);
    const { recipients } = JSON.parse(readFileSync(join(out, "season-7", "manifest.json"), "utf8"));
    expect(statSync(join(out, "season-7", "tree.bin")).size).toBe(treeFileLayout(recipients).bytes);
  });
});
