/**
 * `npm run docs:check` (scripts/docs-check.ts): a documented command that no
 * longer runs, or whose shown output no longer matches, fails the check; a
 * command block nobody marked fails it too. On small docs written here, and
 * on the real docs/cli.md with one shown number changed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkDoc, DocsCheckError, freshCopy, normalizeOutput, parseDocBlocks } from "../../scripts/docs-check.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const work = mkdtempSync(join(tmpdir(), "docs-check-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const doc = (output: string, command = "printf 'one\\ntwo\\n'"): string => `# A doc

<!-- docs-check: output -->
\`\`\`
$ ${command}
${output}
\`\`\`
`;

describe("docs:check on a small doc", () => {
  it("passes when the command runs and prints what the doc shows", async () => {
    expect(await checkDoc("a.md", doc("one\ntwo"), { cwd: work })).toEqual([]);
  });

  it("fails when the shown output is changed, naming the line and both texts", async () => {
    const [failure] = await checkDoc("a.md", doc("one\nthree"), { cwd: work });
    expect(failure).toMatchObject({ file: "a.md", line: 4, command: "printf 'one\\ntwo\\n'" });
    expect(failure!.reason).toContain('output differs at its line 2:\n  doc: "three"\n  run: "two"');
  });

  it("fails when the command is changed into one that fails, with its exit code", async () => {
    const [failure] = await checkDoc("a.md", doc("one\ntwo", "ls no-such-file"), { cwd: work });
    expect(failure!.reason).toMatch(/^exit 2; its output:\n.*no-such-file/);
  });

  it("refuses a command block without a marker, naming the file and line", () => {
    expect(() => parseDocBlocks("text\n\n```sh\nnpm run demo\n```\n", "b.md")).toThrow(DocsCheckError);
    expect(() => parseDocBlocks("text\n\n```sh\nnpm run demo\n```\n", "b.md")).toThrow(/^b\.md:3: a command block without a docs-check marker/);
    // A JSON example is not a command block: no marker needed.
    expect(parseDocBlocks('```json\n{ "a": 1 }\n```\n', "c.md")).toEqual([]);
  });

  it("a skip marker needs a reason, and the block is not run", async () => {
    expect(() => parseDocBlocks("<!-- docs-check: skip -->\n```sh\nfalse\n```\n", "d.md")).toThrow(/skip needs a reason/);
    expect(await checkDoc("d.md", "<!-- docs-check: skip a live chain -->\n```sh\nfalse\n```\n", { cwd: work })).toEqual([]);
  });

  it("--update writes the real output back, keeping the command's line breaks", async () => {
    const file = join(work, "u.md");
    const text = "<!-- docs-check: output -->\n```\n$ printf 'x\\n' \\\n    && printf 'y\\n'\nstale\n```\n";
    writeFileSync(file, text);
    expect(await checkDoc("u.md", text, { cwd: work, update: true, sourceOf: () => file })).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe("<!-- docs-check: output -->\n```\n$ printf 'x\\n' \\\n    && printf 'y\\n'\nx\ny\n```\n");
  });

  it("a background block runs until the doc's last block, and later blocks can use it", async () => {
    const text = [
      "<!-- docs-check: background ready -->",
      "```sh",
      "bash -c 'echo ready; echo up > bg-state; sleep 60'",
      "```",
      "<!-- docs-check: output -->",
      "```",
      "$ cat bg-state",
      "up",
      "```",
      "",
    ].join("\n");
    const started = Date.now();
    expect(await checkDoc("bg.md", text, { cwd: work })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(30_000); // stopped, not waited for
  });

  it("an output block followed by a JSON block compares the JSON as data, and --update rewrites it", async () => {
    const text = (json: string) => `<!-- docs-check: output -->\n\`\`\`sh\n$ echo '{"a": 1, "b": [2, 3]}'\n\`\`\`\n\`\`\`json\n${json}\n\`\`\`\n`;
    expect(await checkDoc("j.md", text('{ "a": 1,\n  "b": [2, 3] }'), { cwd: work })).toEqual([]);
    const [failure] = await checkDoc("j.md", text('{ "a": 1, "b": [2, 4] }'), { cwd: work });
    expect(failure!.reason).toContain("JSON output differs at its line 5");
    const file = join(work, "j.md");
    writeFileSync(file, text('{ "a": 0 }'));
    expect(await checkDoc("j.md", text('{ "a": 0 }'), { cwd: work, update: true, sourceOf: () => file })).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe(text('{\n  "a": 1,\n  "b": [\n    2,\n    3\n  ]\n}'));
  });

  it("a block that needs Postgres runs only with TEST_DATABASE_URL, and says so when it does not", async () => {
    const text = "<!-- docs-check(postgres): output -->\n```\n$ echo pg\npg\n```\n";
    const saved = process.env.TEST_DATABASE_URL;
    const logged: string[] = [];
    try {
      delete process.env.TEST_DATABASE_URL;
      expect(await checkDoc("p.md", text.replace("\npg\n```", "\nnot what it prints\n```"), { cwd: work, log: (line) => logged.push(line) })).toEqual([]);
      expect(logged).toEqual(["p.md:2: skipped: it needs postgres; set TEST_DATABASE_URL to run it (CI always does)"]);
      process.env.TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
      expect(await checkDoc("p.md", text, { cwd: work })).toEqual([]);
      expect(await checkDoc("p.md", text.replace("\npg\n```", "\nnot what it prints\n```"), { cwd: work })).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = saved;
    }
    expect(() => parseDocBlocks("<!-- docs-check(mysql): run -->\n```sh\ntrue\n```\n", "q.md")).toThrow(/unknown requirement; known: postgres/);
  });

  it("normalises what changes on every run: durations, temporary paths, ports", () => {
    expect(normalizeOutput(["done in 45 s (0.7 s) at http://127.0.0.1:36349 in /tmp/x-1/y, moving out/.season-7.partial-9-ab into place", ""])).toEqual([
      "done in <t> (<t>) at http://127.0.0.1:<port> in <tmp>, moving out/.season-7.partial-… into place",
    ]);
  });

  it("normalises the dataHash of a verify --rpc row (it follows the chain's block hashes), and nothing else of the row", () => {
    const row = (hash: string, result = "pass") => `contract dataHash      ${result}    ${hash} = sha256 of manifest.json`;
    const one = `0x${"ab".repeat(32)}`;
    const two = `0x${"cd".repeat(32)}`;
    expect(normalizeOutput([row(one)])).toEqual(normalizeOutput([row(two)]));
    expect(normalizeOutput([row(one, "FAIL")])).not.toEqual(normalizeOutput([row(two, "FAIL")]));
    expect(normalizeOutput([`merkle root ${one}`])).not.toEqual(normalizeOutput([`merkle root ${two}`]));
  });
});

describe("docs:check on the real docs/cli.md, each run in its own fresh copy of the repository", () => {
  const copies: string[] = [];
  const fresh = (): string => {
    copies.push(freshCopy(REPO));
    return copies[copies.length - 1]!;
  };
  afterAll(() => copies.forEach((copy) => rmSync(copy, { recursive: true, force: true })));
  const text = readFileSync(join(REPO, "docs", "cli.md"), "utf8");

  // That the doc holds as written is `npm test`'s docs:check step; here each change is its only failure,
  // so every other block of the doc holds too (a third full run of it, to see it pass, would add nothing).
  it("fails when one shown amount of `sogni-season proof` is changed, and on nothing else", async () => {
    const changed = text.replace("  amount       745.818856836676312297 SOGNI", "  amount       745.818856836676312296 SOGNI");
    expect(changed).not.toBe(text);
    const failures = await checkDoc("docs/cli.md", changed, { cwd: fresh() });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.command).toBe("npx sogni-season proof out/season-7 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(failures[0]!.reason).toContain("745.818856836676312296");
  });

  it("fails when a documented command is changed (a flag the CLI does not have)", async () => {
    const changed = text.replace("npx sogni-season leaderboard out/season-7 ambassadors", "npx sogni-season leaderboard out/season-7 ambassadors --colour");
    const failures = await checkDoc("docs/cli.md", changed, { cwd: fresh() });
    expect(failures.map((failure) => failure.reason.split(";")[0])).toEqual(["exit 2"]);
  });
}, 120_000);
