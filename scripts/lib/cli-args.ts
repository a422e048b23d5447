/**
 * Small argument helpers shared by the chain CLI's commands
 * (scripts/chain.ts). Usage mistakes are {@link UsageError}s: the CLI prints
 * them with a hint and exits with code 2.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A usage problem: printed with a hint, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** `parseArgs` in strict mode with `-h/--help` added; unknown flags are UsageErrors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Unix seconds from an ISO-8601 date or a plain integer.
 *
 * @example parseTime("2026-10-13T00:00:00Z", "--start") === 1791849600
 */
export function parseTime(text: string, flag: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} "${text}" is neither an ISO-8601 date nor unix seconds`);
  return Math.floor(ms / 1000);
}

/** A non-negative integer flag value of at least `min`. */
export function parseInteger(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`);
  return Number(text);
}
