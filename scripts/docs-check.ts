/**
 * `npm run docs:check`: every command block of README.md and docs/*.md that
 * is marked runnable is run, in order, each doc in its own fresh copy of the
 * repository (the files git tracks, plus node_modules), and fails on a non-zero exit or on
 * output that no longer matches what the doc shows. `npm run docs:update`
 * runs the same blocks and writes their real output back into the docs, so
 * "real output" is never edited by hand.
 *
 * A marker, an HTML comment on the line before a fenced block (a blank line
 * between is fine), says what to do with it:
 *
 *   <!-- docs-check: output -->            run; the output must match the block's output lines
 *   <!-- docs-check: run -->               run; every command must exit 0 (output not compared)
 *   <!-- docs-check: background <regex> --> start the one command and wait until its output matches
 *                                           <regex>; it is stopped when the file's blocks are done
 *   <!-- docs-check: skip <reason> -->     not run here (a live chain, a real key, the set-up itself)
 *
 * `docs-check(postgres): …` runs the block only where a Postgres is at hand
 * (TEST_DATABASE_URL set, as CI always has it, as the Postgres test suites
 * need it); elsewhere it is reported as skipped, never silently dropped.
 *
 * In a block, lines starting with `$ ` are commands (a trailing `\` continues
 * one onto the next line) and the lines after one, up to the next command,
 * are its output; a ```sh block without `$ ` runs each line. A block that
 * holds a command and carries no marker is an error: nothing runnable
 * slips in unchecked. Output is compared after normalising what differs on
 * every run (durations, temporary paths, ports, ISO times of now).
 *
 * @example
 * npm run docs:check                 # README.md, then docs/*.md
 * npm run docs:check -- docs/cli.md  # one file
 * npm run docs:update -- docs/cli.md # rewrite its output blocks from a real run
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EXIT, parseOptions, UsageError } from "./cli/cli.js";
import { processGroup, type ProcessGroup } from "./local/process-group.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type BlockMode = { kind: "output" } | { kind: "run" } | { kind: "background"; ready: RegExp } | { kind: "skip"; reason: string };

export interface DocCommand {
  /** The command as the shell runs it (continuations joined). */
  command: string;
  /** The output lines the doc shows after it (prompt mode only). */
  expected: string[];
}

export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  mode: BlockMode;
  /** What the block needs to run (`docs-check(postgres): …`), if anything. */
  needs?: Requirement;
  commands: DocCommand[];
  /** Line indexes (0-based, in the file) of the block's body: [first, end). */
  body: [number, number];
  /**
   * An `output` block whose one command shows no output lines but is followed
   * by a ```json block: that block is its output, compared as JSON data.
   */
  json?: { body: [number, number]; text: string };
}

/** A doc that cannot be checked as written: file, line and what to do. */
export class DocsCheckError extends Error {
  override name = "DocsCheckError";
}

const MARKER = /^<!--\s*docs-check(?:\((\w+)\))?:\s*(output|run|skip|background)\b\s*(.*?)\s*-->\s*$/;

/** What a block may need; each says whether this run has it, and how to give it. */
const REQUIREMENTS = {
  postgres: { met: () => Boolean(process.env.TEST_DATABASE_URL), hint: "set TEST_DATABASE_URL to run it (CI always does)" },
} as const;
export type Requirement = keyof typeof REQUIREMENTS;
const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;

/**
 * The fenced blocks of a markdown text with their markers. Throws a
 * DocsCheckError for a command block without a marker, or a marker without
 * a block.
 */
export function parseDocBlocks(text: string, file: string): DocBlock[] {
  const lines = text.split("\n");
  const blocks: DocBlock[] = [];
  let pending: { mode: BlockMode; line: number; needs?: Requirement } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line.trim());
    if (marker) {
      if (pending) throw new DocsCheckError(`${file}:${pending.line}: a docs-check marker with no code block after it`);
      const needs = marker[1];
      if (needs !== undefined && !Object.hasOwn(REQUIREMENTS, needs)) {
        throw new DocsCheckError(`${file}:${i + 1}: docs-check(${needs}): unknown requirement; known: ${Object.keys(REQUIREMENTS).join(", ")}`);
      }
      pending = { mode: parseMode(marker[2]!, marker[3]!, file, i + 1), line: i + 1, ...(needs === undefined ? {} : { needs: needs as Requirement }) };
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (pending && line.trim() !== "") throw new DocsCheckError(`${file}:${pending.line}: a docs-check marker must stand right before its code block`);
      continue;
    }
    let close = lines.findIndex((candidate, k) => k > i && candidate.startsWith(fence[1]!));
    if (close === -1) throw new DocsCheckError(`${file}:${i + 1}: a code block that is never closed`);
    const language = fence[2] ?? "";
    const commands = parseCommands(lines.slice(i + 1, close), language);
    if (pending === undefined && commands.length > 0) {
      throw new DocsCheckError(
        `${file}:${i + 1}: a command block without a docs-check marker: put <!-- docs-check: output|run|background <regex>|skip <reason> --> before it`,
      );
    }
    if (pending !== undefined) {
      if (commands.length === 0 && pending.mode.kind !== "skip") throw new DocsCheckError(`${file}:${i + 1}: a docs-check ${pending.mode.kind} block with no command in it`);
      if (pending.mode.kind === "background" && commands.length !== 1) throw new DocsCheckError(`${file}:${i + 1}: a background block holds exactly one command`);
      const block: DocBlock = { file, line: i + 1, mode: pending.mode, commands, body: [i + 1, close], ...(pending.needs === undefined ? {} : { needs: pending.needs }) };
      if (pending.mode.kind === "output" && commands.length === 1 && commands[0]!.expected.every((line) => line.trim() === "")) {
        let next = close + 1;
        while (next < lines.length && lines[next]!.trim() === "") next++;
        const jsonFence = /^(`{3,})json\s*$/.exec(lines[next] ?? "");
        if (jsonFence) {
          const end = lines.findIndex((candidate, k) => k > next && candidate.startsWith(jsonFence[1]!));
          if (end === -1) throw new DocsCheckError(`${file}:${next + 1}: a code block that is never closed`);
          block.json = { body: [next + 1, end], text: lines.slice(next + 1, end).join("\n") };
          close = end;
        }
      }
      blocks.push(block);
    }
    pending = undefined;
    i = close;
  }
  if (pending) throw new DocsCheckError(`${file}:${pending.line}: a docs-check marker with no code block after it`);
  return blocks;
}

function parseMode(kind: string, argument: string, file: string, line: number): BlockMode {
  switch (kind) {
    case "output":
    case "run":
      return { kind };
    case "skip":
      if (argument === "") throw new DocsCheckError(`${file}:${line}: docs-check: skip needs a reason (why can this block not run here?)`);
      return { kind, reason: argument };
    default:
      try {
        return { kind: "background", ready: new RegExp(argument === "" ? "." : argument) };
      } catch (error) {
        throw new DocsCheckError(`${file}:${line}: docs-check: background needs a regular expression: ${(error as Error).message}`);
      }
  }
}

/** `$ ` lines (with `\` continuations) and their output; a sh block without prompts: every line a command. */
function parseCommands(body: string[], language: string): DocCommand[] {
  const prompted = body.some((line) => line.startsWith("$ "));
  const commands: DocCommand[] = [];
  if (!prompted) {
    if (!["sh", "bash", "shell", "console"].includes(language)) return [];
    for (let k = 0; k < body.length; k++) {
      let text = body[k]!;
      if (text.trim() === "" || text.trim().startsWith("#")) continue;
      while (text.endsWith("\\") && k + 1 < body.length) text = `${text.slice(0, -1).trimEnd()} ${body[++k]!.trim()}`;
      commands.push({ command: text, expected: [] });
    }
    return commands;
  }
  for (let k = 0; k < body.length; k++) {
    const line = body[k]!;
    if (line.startsWith("$ ")) {
      let text = line.slice(2);
      while (text.endsWith("\\") && k + 1 < body.length) text = `${text.slice(0, -1).trimEnd()} ${body[++k]!.trim()}`;
      commands.push({ command: text, expected: [] });
    } else if (commands.length > 0) commands[commands.length - 1]!.expected.push(line);
  }
  return commands;
}

/**
 * What differs from run to run, made equal: durations, temporary paths, free
 * ports, today's timestamps, and the dataHash a `verify --rpc` row checks
 * against the contract (the sha256 of a publication manifest, which names
 * its seasons' manifests, which record the snapshot block's hash: a chain
 * whose clock follows the wall clock mints other block hashes each run;
 * the row itself says the value equals the manifest's sha256, and the
 * publication's root is still compared). Applied to both the doc and the run.
 *
 * @example normalizeOutput("done in 45 s on http://127.0.0.1:36349") === "done in <t> on http://127.0.0.1:<port>"
 */
export function normalizeOutput(lines: readonly string[]): string[] {
  const out = lines.map((line) =>
    line
      .replace(/\x1b\[[0-9;]*m/g, "")
      .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, "<t>")
      .replace(/(\/tmp|\/var\/folders)\/[^\s:,'"]*/g, "<tmp>")
      .replace(/(127\.0\.0\.1|localhost):\d+/g, "$1:<port>")
      .replace(/load average [\d., ]+/g, "load average <l>")
      .replace(/\.partial-[\w-]+/g, ".partial-…")
      .replace(/(contract dataHash +pass +)0x[0-9a-f]{64}(?= = sha256 of manifest\.json)/, "$1<sha256>")
      .trimEnd(),
  );
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

export interface RunOptions {
  /** Where the commands run (the fresh copy). */
  cwd: string;
  /** Rewrite output blocks in the source files instead of comparing. */
  update?: boolean;
  /** The source file of each doc (for --update), by its relative name. */
  sourceOf?: (file: string) => string;
  /** Seconds a command may take (default 600). */
  timeoutSeconds?: number;
  log?: (message: string) => void;
}

export interface CheckFailure {
  file: string;
  line: number;
  command: string;
  reason: string;
}

interface CommandResult {
  code: number | null;
  output: string;
}

function runShell(command: string, cwd: string, timeoutSeconds: number): Promise<CommandResult> {
  return new Promise((done) => {
    const child = spawn("bash", ["-c", `set -o pipefail; ${command}`], { cwd, env: commandEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
    const group = processGroup(child, command);
    const chunks: Buffer[] = [];
    child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr!.on("data", (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => {
      chunks.push(Buffer.from(`\n[docs-check: stopped after ${timeoutSeconds} s]\n`));
      void group.stop("SIGKILL");
    }, timeoutSeconds * 1000);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, output: Buffer.concat(chunks).toString("utf8") });
    });
  });
}

function commandEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", PONDER_TELEMETRY_DISABLED: "true", PATH: `${join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}` };
  delete env.FORCE_COLOR;
  // `npx -p node@24 -c` hands these down; nested npm calls would read them.
  delete env.npm_config_call;
  delete env.npm_config_package;
  return env;
}

function startBackground(command: string, cwd: string, ready: RegExp, timeoutSeconds: number): Promise<{ group: ProcessGroup; output: () => string }> {
  return new Promise((done, fail) => {
    // No `exec`: a command may start with VAR=value assignments; the whole process group is stopped anyway.
    const child = spawn("bash", ["-c", command], { cwd, env: commandEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
    const group = processGroup(child, command);
    let output = "";
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      void group.stop("SIGKILL");
      fail(new Error(`not ready after ${timeoutSeconds} s (waiting for /${ready.source}/); its output:\n${output.slice(-2000)}`));
    }, timeoutSeconds * 1000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (!settled && ready.test(output.replace(/\x1b\[[0-9;]*m/g, ""))) {
        settled = true;
        clearTimeout(timer);
        done({ group, output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fail(new Error(`exited (${code}) before it was ready; its output:\n${output.slice(-2000)}`));
    });
  });
}

/**
 * Runs one doc's blocks in order; returns the failures (empty: the doc holds).
 * With `update`, output blocks are rewritten from the real run instead.
 */
export async function checkDoc(file: string, text: string, options: RunOptions): Promise<CheckFailure[]> {
  const log = options.log ?? (() => {});
  const timeout = options.timeoutSeconds ?? 600;
  const blocks = parseDocBlocks(text, file);
  const failures: CheckFailure[] = [];
  const background: ProcessGroup[] = [];
  const replacements: { body: [number, number]; lines: string[] }[] = [];
  try {
    for (const block of blocks) {
      if (block.mode.kind === "skip") {
        log(`${file}:${block.line}: skipped (${block.mode.reason})`);
        continue;
      }
      if (block.needs !== undefined && !REQUIREMENTS[block.needs].met()) {
        log(`${file}:${block.line}: skipped: it needs ${block.needs}; ${REQUIREMENTS[block.needs].hint}`);
        continue;
      }
      if (block.mode.kind === "background") {
        const command = block.commands[0]!.command;
        log(`${file}:${block.line}: $ ${command} &`);
        try {
          background.push((await startBackground(command, options.cwd, block.mode.ready, timeout)).group);
        } catch (error) {
          failures.push({ file, line: block.line, command, reason: (error as Error).message });
          break; // what follows needs it
        }
        continue;
      }
      const newBody: string[] = [];
      let failed = false;
      for (const { command, expected } of block.commands) {
        log(`${file}:${block.line}: $ ${command}`);
        const result = await runShell(command, options.cwd, timeout);
        const actual = result.output === "" ? [] : result.output.replace(/\n$/, "").split("\n");
        if (result.code !== 0) {
          failures.push({ file, line: block.line, command, reason: `exit ${result.code}; its output:\n${result.output.slice(-3000)}` });
          failed = true;
          break;
        }
        if (block.json !== undefined) {
          const failure = compareJson(block.json.text, result.output);
          if (failure !== undefined && !options.update) {
            failures.push({ file, line: block.line, command, reason: `${failure}\n(\`npm run docs:update -- ${file}\` writes the real output back)` });
            failed = true;
            break;
          }
          if (options.update) replacements.push({ body: block.json.body, lines: JSON.stringify(JSON.parse(result.output), null, 2).split("\n") });
          continue;
        }
        if (block.mode.kind === "output") {
          newBody.push(`$ ${command}`, ...actual.map((line) => line.replace(/\x1b\[[0-9;]*m/g, "").trimEnd()));
          if (!options.update) {
            const want = normalizeOutput(expected);
            const got = normalizeOutput(actual);
            const at = firstDifference(want, got);
            if (at !== undefined) {
              failures.push({
                file,
                line: block.line,
                command,
                reason: `output differs at its line ${at + 1}:\n  doc: ${JSON.stringify(want[at] ?? "<end>")}\n  run: ${JSON.stringify(got[at] ?? "<end>")}\n(\`npm run docs:update -- ${file}\` writes the real output back)`,
              });
              failed = true;
              break;
            }
          }
        }
      }
      if (failed) break; // later blocks build on this one
      if (options.update && block.mode.kind === "output" && block.json === undefined) replacements.push({ body: block.body, lines: rewrapCommands(newBody, text.split("\n").slice(...block.body)) });
    }
  } finally {
    await Promise.all(background.map((group) => group.stop("SIGTERM", 10_000)));
  }
  if (options.update && replacements.length > 0 && failures.length === 0) {
    const lines = text.split("\n");
    replacements.sort((a, b) => b.body[0] - a.body[0]);
    for (const { body, lines: replacement } of replacements) lines.splice(body[0], body[1] - body[0], ...replacement);
    writeFileSync(options.sourceOf?.(file) ?? file, lines.join("\n"));
  }
  return failures;
}

/** Keeps the doc's own line breaks of a long command (`\` continuations) when its output is rewritten. */
function rewrapCommands(body: string[], original: string[]): string[] {
  const wrapped = new Map<string, string[]>();
  for (let k = 0; k < original.length; k++) {
    if (!original[k]!.startsWith("$ ")) continue;
    const lines = [original[k]!];
    let text = original[k]!.slice(2);
    while (text.endsWith("\\") && k + 1 < original.length) {
      lines.push(original[++k]!);
      text = `${text.slice(0, -1).trimEnd()} ${original[k]!.trim()}`;
    }
    wrapped.set(`$ ${text}`, lines);
  }
  return body.flatMap((line) => wrapped.get(line) ?? [line]);
}

/** The command's output against the doc's JSON block, as data; a message when they differ. */
function compareJson(expectedText: string, actualText: string): string | undefined {
  let expected: unknown;
  let actual: unknown;
  try {
    expected = JSON.parse(expectedText);
  } catch (error) {
    return `the doc's JSON block is not JSON: ${(error as Error).message}`;
  }
  try {
    actual = JSON.parse(actualText);
  } catch {
    return `the command printed no JSON:\n${actualText.slice(0, 2000)}`;
  }
  const want = normalizeOutput(JSON.stringify(expected, null, 2).split("\n"));
  const got = normalizeOutput(JSON.stringify(actual, null, 2).split("\n"));
  const at = firstDifference(want, got);
  return at === undefined ? undefined : `JSON output differs at its line ${at + 1} (2-space layout):\n  doc: ${JSON.stringify(want[at] ?? "<end>")}\n  run: ${JSON.stringify(got[at] ?? "<end>")}`;
}

function firstDifference(a: readonly string[], b: readonly string[]): number | undefined {
  for (let k = 0; k < Math.max(a.length, b.length); k++) if (a[k] !== b[k]) return k;
  return undefined;
}

/** The docs in the order a newcomer reads them: README.md, then docs/*.md by name. */
export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

/** A fresh copy of the repository: the files git tracks or would (not ignored), and a link to node_modules (no build output, no out/). */
export function freshCopy(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), "docs-check-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  return copy;
}

const HELP = `npm run docs:check [-- <file.md>…] [--update] [--keep]

Runs every command block of README.md and docs/*.md marked runnable, in order,
in a fresh copy of the repository, and fails on a non-zero exit or output that
no longer matches the doc. Markers: see scripts/docs-check.ts.

  --update   write the real output back into the output blocks (npm run docs:update)
  --keep     keep the fresh copy (its path is printed)
Exit codes: 0 every block holds, 1 a block failed, 2 bad usage.
`;

async function main(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseOptionsWithFiles(argv));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`docs:check: ${error.message}\n\n${HELP}`);
      return EXIT.usage;
    }
    throw error;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const files = positionals.length > 0 ? positionals.map((file) => relative(REPO_ROOT, resolve(file))) : docFiles(REPO_ROOT);
  for (const file of files) if (!existsSync(join(REPO_ROOT, file))) return usage(`no such doc: ${file}`);
  const failures: CheckFailure[] = [];
  let blocks = 0;
  for (const file of files) {
    // Each doc in its own fresh copy: a reader may start at any of them.
    const copy = freshCopy(REPO_ROOT);
    process.stderr.write(`docs:check: ${file} in a fresh copy at ${copy}\n`);
    try {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      blocks += parseDocBlocks(text, file).length;
      const started = Date.now();
      const found = await checkDoc(file, text, {
        cwd: copy,
        update: values.update === true,
        sourceOf: (name) => join(REPO_ROOT, name),
        log: (message) => process.stderr.write(`  ${message}\n`),
      });
      process.stderr.write(`docs:check: ${file} ${found.length === 0 ? "holds" : "FAILS"} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      failures.push(...found);
    } catch (error) {
      if (error instanceof DocsCheckError) {
        process.stderr.write(`docs:check: ${error.message}\n`);
        return EXIT.failure;
      }
      throw error;
    } finally {
      if (values.keep) process.stderr.write(`docs:check: kept ${copy}\n`);
      else rmSync(copy, { recursive: true, force: true });
    }
  }
  for (const failure of failures) process.stderr.write(`\n${failure.file}:${failure.line}: $ ${failure.command}\n${failure.reason}\n`);
  process.stdout.write(`${failures.length === 0 ? "docs:check: every runnable block holds" : `docs:check: ${failures.length} block(s) failed`} (${blocks} marked blocks in ${files.length} docs)\n`);
  return failures.length === 0 ? EXIT.ok : EXIT.failure;
}

function usage(message: string): number {
  process.stderr.write(`docs:check: ${message}\n\n${HELP}`);
  return EXIT.usage;
}

function parseOptionsWithFiles(argv: string[]) {
  const files = argv.filter((arg) => !arg.startsWith("-"));
  const flags = argv.filter((arg) => arg.startsWith("-"));
  const { values } = parseOptions(flags, { update: { type: "boolean" }, keep: { type: "boolean" } });
  return { values, positionals: files };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
