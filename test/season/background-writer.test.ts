/**
 * The output's second-thread writer: files land complete and in order, a
 * failed write surfaces as an error from finish(), never as a silent gap, and
 * once abort() has resolved nothing more lands on disk.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BackgroundWriter } from "../../season-io/background-writer.js";

const dir = mkdtempSync(join(tmpdir(), "background-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("BackgroundWriter", () => {
  it("writes whole files and appends chunks in order; everything is on disk when finish() returns", async () => {
    const writer = new BackgroundWriter();
    const big = "x".repeat(3_000_000);
    writer.write(join(dir, "a.txt"), "héllo\n");
    for (let i = 0; i < 100; i++) writer.write(join(dir, "b.txt"), `${i}\n`, i > 0);
    writer.write(join(dir, "big.txt"), big);
    await writer.finish();
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("héllo\n");
    expect(readFileSync(join(dir, "b.txt"), "utf8")).toBe(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(""));
    expect(readFileSync(join(dir, "big.txt"), "utf8")).toBe(big);
  });

  it("wraps around its 64 MB ring (120 MB of files) and splits a 40 MB write into pieces without cutting a character", async () => {
    const writer = new BackgroundWriter();
    const files = Array.from({ length: 40 }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(3_000_000 + i));
    files.forEach((text, i) => writer.write(join(dir, `ring-${i}.txt`), text));
    // 2-byte é and 4-byte emoji (a surrogate pair) everywhere, so piece boundaries fall inside both.
    const long = "é😀a".repeat(10_000_000);
    writer.write(join(dir, "long.txt"), long);
    const bytes = new Uint8Array(20_000_003).map((_, i) => i % 251);
    writer.write(join(dir, "bytes.bin"), bytes);
    await writer.finish();
    files.forEach((text, i) => expect(readFileSync(join(dir, `ring-${i}.txt`), "utf8") === text, `ring-${i}.txt`).toBe(true));
    expect(readFileSync(join(dir, "long.txt"), "utf8") === long).toBe(true);
    expect(Buffer.compare(readFileSync(join(dir, "bytes.bin")), bytes)).toBe(0);
  });

  it("a write that fails (no such directory) makes finish() throw with the reason", async () => {
    const writer = new BackgroundWriter();
    writer.write(join(dir, "missing", "c.txt"), "c");
    await expect(writer.finish()).rejects.toThrow(/writing the season failed: ENOENT/);
  });

  it("after abort() resolves, no queued write lands: the directory can be removed and stays empty", async () => {
    const target = join(dir, "aborted");
    mkdirSync(target);
    const writer = new BackgroundWriter();
    for (let i = 0; i < 200; i++) writer.write(join(target, `f-${i}.txt`), "y".repeat(200_000));
    await writer.abort();
    const landed = readdirSync(target).length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(target).length).toBe(landed);
  });
});
