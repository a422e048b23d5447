/**
 * docs/architecture.md, checked: imports point one way, from the entry
 * points through the edges down to the pure core. Each folder may import only
 * the folders listed for it; a new upward import fails here with the file and
 * the line.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** folder -> the folders of ours its files may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  season: [],
  chain: ["season"],
  "season-io": ["season", "chain"],
  indexer: ["season", "chain"],
  web: ["season", "season-io", "chain"],
  src: ["indexer", "web", "season", "chain", "season-io"],
  "ponder.config.ts": ["chain", "indexer", "season"],
  "ponder.schema.ts": [],
};

function sourceFiles(path: string): string[] {
  if (statSync(path).isFile()) return /\.(ts|mjs|js)$/.test(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => sourceFiles(join(path, name)));
}

/** The top-level folder (or root file) a relative import from `file` lands in. */
function importedFolders(file: string): { line: number; target: string }[] {
  const found: { line: number; target: string }[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      for (const match of text.matchAll(/(?:from\s*|import\s*\(\s*|new URL\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = relative(ROOT, resolve(dirname(file), match[1]!)).split(/[\\/]/)[0]!;
        found.push({ line: i + 1, target });
      }
    });
  return found;
}

describe("docs/architecture.md: imports point one way", () => {
  for (const [folder, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${folder} imports only ${allowed.length === 0 ? "itself" : allowed.join(", ")}`, () => {
      const files = sourceFiles(join(ROOT, folder));
      expect(files.length).toBeGreaterThan(0);
      const wrong = files.flatMap((file) =>
        importedFolders(file)
          .filter(({ target }) => target !== folder && target !== "node_modules" && !allowed.includes(target))
          .map(({ line, target }) => `${relative(ROOT, file)}:${line} imports ${target}/`),
      );
      expect(wrong).toEqual([]);
    });
  }

  it("the check itself sees an upward import (a file of season/ reaching into scripts/)", () => {
    const probe = join(ROOT, "test", "architecture", "fixtures", "upward.ts");
    const targets = importedFolders(probe).map(({ target }) => target);
    expect(targets).toContain("scripts");
  });
});
