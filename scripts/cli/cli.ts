/**
 * What every command-line entry shares (`season <command>`, `chain`, the
 * generator, the benchmarks): argument parsing (node:util parseArgs), --help,
 * exit codes, flag values (times, whole numbers), progress lines on stderr
 * and the way errors are printed. A season command is a function
 * `(argv) => Promise<exit code>`.
 *
 * @example
 * const args = parseCommandArgs(argv, { name: "proof", help: PROOF_HELP, options: { json: { type: "boolean" } } });
 * if (args.kind !== "run") return args.exitCode;
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../../season/errors.js";
import { escapeInvisible } from "../../season/text.js";
import { parseTimeInput, TimestampError } from "../../season/time.js";

/** Exit codes of every season command (docs/cli.md). */
export const EXIT = {
  /** Done; for verify: every check passed. */
  ok: 0,
  /** A failure: bad input, a verification mismatch, an address not in the season, an unreachable RPC. */
  failure: 1,
  /** Bad usage: unknown option, missing argument. Nothing was read or written. */
  usage: 2,
} as const;

/** Raised for bad usage; the dispatcher prints it with the command's help and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends Options> {
  /** Command name as typed after `season`. */
  name: string;
  help: string;
  options: O;
  /** How many positionals the command takes (exactly). */
  positionals?: number;
  /** Allow options parseArgs does not know (e.g. `--block.<chainId>`); they are returned raw. */
  allowUnknown?: boolean;
}

export type ParsedCommand<O extends Options> =
  | {
      kind: "run";
      values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"];
      positionals: string[];
    }
  | { kind: "exit"; exitCode: number };

/**
 * Parses `argv` for a command. `--help`/`-h` prints the help and exits 0;
 * bad usage prints the reason and the help on stderr and exits 2.
 */
export function parseCommandArgs<O extends Options>(argv: string[], spec: CommandSpec<O>): ParsedCommand<O> {
  const options = { ...spec.options, help: { type: "boolean", short: "h" } } as O;
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(spec.help);
    return { kind: "exit", exitCode: EXIT.ok };
  }
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    refuseEmptyValues(parsed.values);
    if (spec.positionals !== undefined && parsed.positionals.length !== spec.positionals) {
      throw new UsageError(
        `expected ${spec.positionals} argument${spec.positionals === 1 ? "" : "s"}, got ${parsed.positionals.length}${parsed.positionals.length ? ` (${parsed.positionals.join(" ")})` : ""}`,
      );
    }
    return { kind: "run", values: parsed.values as never, positionals: parsed.positionals };
  } catch (error) {
    printUsageError(spec.name, spec.help, (error as Error).message);
    return { kind: "exit", exitCode: EXIT.usage };
  }
}

/**
 * An option given an empty value (`--out ""`, `--config=`) is bad usage:
 * it names no file, no URL, no number, and must fail before any work.
 */
function refuseEmptyValues(values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((item) => item === "")) throw new UsageError(`--${name} needs a value, got an empty string`);
  }
}

export function printUsageError(command: string, help: string, message: string): void {
  process.stderr.write(`sogni-season ${command}: ${message}\n\n${help}`);
}

/**
 * Pulls options of the form `--<prefix>.<chainId> <value>` (or `=value`) out
 * of argv, which parseArgs cannot declare; returns the rest untouched.
 *
 * @example takeDotted(["--block.8453", "12", "--out", "x"], "block") // { dotted: Map { 8453 => "12" }, rest: ["--out", "x"] }
 */
export function takeDotted(argv: string[], prefix: string): { dotted: Map<number, string>; rest: string[] } {
  const dotted = new Map<number, string>();
  const rest: string[] = [];
  const pattern = new RegExp(`^--${prefix}\\.(\\d+)(?:=(.*))?$`);
  for (let i = 0; i < argv.length; i++) {
    const match = pattern.exec(argv[i]!);
    if (!match) {
      rest.push(argv[i]!);
      continue;
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${prefix}.${match[1]} needs a value`);
    dotted.set(Number(match[1]), value);
  }
  return { dotted, rest };
}

/**
 * Work a long-running command (`serve`) does when it is interrupted (SIGINT,
 * SIGTERM) before the process exits: close its port, say it stopped. The
 * hook's number, if any, is the exit code (a server stopped by Ctrl-C exits
 * 0); scripts/season.ts runs the hooks. Returns the function that removes it.
 *
 * @example const forget = onInterrupt(async () => { await server.close(); return EXIT.ok; });
 */
export function onInterrupt(hook: (signal: NodeJS.Signals) => Promise<number | void>): () => void {
  interruptHooks.add(hook);
  return () => interruptHooks.delete(hook);
}

const interruptHooks = new Set<(signal: NodeJS.Signals) => Promise<number | void>>();

/** Runs every {@link onInterrupt} hook; resolves to how many ran and the first exit code one gave. */
export async function runInterruptHooks(signal: NodeJS.Signals): Promise<{ ran: number; exitCode: number | undefined }> {
  const hooks = [...interruptHooks];
  interruptHooks.clear();
  const codes = await Promise.all(hooks.map((hook) => hook(signal).catch(() => undefined)));
  return { ran: hooks.length, exitCode: codes.find((code): code is number => typeof code === "number") };
}

/** A progress line writer on stderr, silent when `quiet`. */
export type Progress = (message: string) => void;

export function progressWriter(command: string, quiet: boolean): Progress {
  if (quiet) return () => {};
  return (message) => process.stderr.write(`${command}: ${message}\n`);
}

/**
 * Prints an error the way every command does and returns the exit code.
 * InputError: "error: <file>, line L, column C: <reason>" plus a hint.
 */
export function reportError(command: string, error: unknown): number {
  // Messages quote inputs (ids, file names): invisible and control characters are shown, never obeyed.
  if (error instanceof UsageError) {
    process.stderr.write(`sogni-season ${command}: ${escapeInvisible(error.message, "\n")} (see sogni-season ${command} --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof InputError) {
    process.stderr.write(`error: ${escapeInvisible(error.message, "\n")}\n`);
    process.stderr.write(`hint: fix ${error.file}${error.line !== undefined ? ` at line ${error.line}` : ""} and run the command again; nothing was written.\n`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${escapeInvisible(message, "\n")}\n`);
  if (process.env.SEASON_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}

/**
 * Prints `value` as pretty JSON on stdout; bigints become decimal strings.
 * Control, format and bidi characters inside strings are written as \u
 * escapes (the same JSON data, but a terminal shows them instead of obeying them).
 */
export function printJson(value: unknown): void {
  const text = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
  process.stdout.write(`${text.replace(JSON_UNSAFE, jsonEscape)}\n`);
}

/** What JSON.stringify leaves raw and a terminal may obey: DEL, C1 controls, format (bidi, zero-width…), line/paragraph separators, other ignorables. */
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** `\u202e`; a character beyond U+FFFF as its two UTF-16 escapes, as JSON writes it. */
function jsonEscape(char: string): string {
  let escaped = "";
  for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return escaped;
}

/**
 * Renders rows as an aligned text table; columns listed in `right` are
 * right-aligned (numbers).
 *
 * @example formatTable(["rank", "name"], [["1", "ada"]]) // "rank  name\n   1  ada\n"
 */
export function formatTable(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string {
  // Cells come from files (names, hardware): control and bidi characters are shown as \u{…}, never obeyed.
  rows = rows.map((row) => row.map((cell) => escapeInvisible(cell)));
  const widths = header.map((title, column) => rows.reduce((width, row) => Math.max(width, (row[column] ?? "").length), title.length));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (right.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** `parseArgs` in strict mode with `-h/--help` added; unknown flags are UsageErrors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: false, strict: true });
    refuseEmptyValues(parsed.values);
    return parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Unix seconds from a flag: unix seconds, a date or an ISO-8601 UTC time (season/time.ts).
 *
 * @example parseTime("2026-10-13T00:00:00Z", "--start") === 1791849600
 */
export function parseTime(text: string, flag: string): number {
  try {
    return parseTimeInput(text);
  } catch (error) {
    if (error instanceof TimestampError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** A non-negative integer flag value of at least `min`. */
export function parseInteger(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`);
  return Number(text);
}
