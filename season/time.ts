/**
 * ISO-8601 UTC timestamps <-> unix seconds, and UTC day numbers. The one
 * timestamp parser of the core: no local time zone is ever consulted.
 */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]00:?00)$/;

/** Thrown by {@link parseUtcTimestamp}; callers wrap it into an InputError with a location. */
export class TimestampError extends Error {
  override name = "TimestampError";
}

/**
 * Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `+00:00`) into unix seconds,
 * rounded down. Other zones and impossible dates are errors.
 *
 * @example parseUtcTimestamp("2026-10-13T00:00:00Z") === 1791849600
 */
export function parseUtcTimestamp(text: string): number {
  const match = ISO_UTC.exec(text);
  if (!match) throw new TimestampError(`not an ISO-8601 UTC timestamp: "${text}" (expected e.g. 2026-10-13T08:30:00Z)`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new TimestampError(`not a valid date and time: "${text}"`);
  }
  return millis / 1000;
}

export const SECONDS_PER_DAY = 86_400;

/** The UTC day number (days since 1970-01-01) of a unix time. */
export function utcDay(unix: number): number {
  return Math.floor(unix / SECONDS_PER_DAY);
}
