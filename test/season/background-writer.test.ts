/**
 * The output's second-thread writer: files land complete and in order, and a
 * failed write surfaces as an error from finish(), never as a silent gap.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BackgroundWriter } from "../../season/background-writer.js";

const dir = mkdtempSync(join(tmpdir(), "background-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("BackgroundWriter", () => {
  it("writes whole files and appends chunks in order; everything is on disk when finish() returns", () => {
    const writer = new BackgroundWriter();
    const big = "x".repeat(3_000_000);
    writer.write(join(dir, "a.txt"), "héllo\n");
    for (let i = 0; i < 100; i++) writer.write(join(dir, "b.txt"), `${i}\n`, i > 0);
    writer.write(join(dir, "big.txt"), big);
    writer.finish();
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("héllo\n");
    expect(readFileSync(join(dir, "b.txt"), "utf8")).toBe(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(""));
    expect(readFileSync(join(dir, "big.txt"), "utf8")).toBe(big);
  });

  it("a write that fails (no such directory) makes finish() throw with the reason", () => {
    const writer = new BackgroundWriter();
    writer.write(join(dir, "missing", "c.txt"), "c");
    expect(() => writer.finish()).toThrow(/writing the season failed: ENOENT/);
  });
});
