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
  if (text.length === 20) {
    const fast = parseCompact(text);
    if (fast !== undefined) return fast;
  }
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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the exports' usual form, without a regex or a Date; undefined when it does not fit. */
function parseCompact(text: string): number | undefined {
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":" || text[16] !== ":" || text[19] !== "Z") return undefined;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  const hour = digitAt(text, 11) * 10 + digitAt(text, 12);
  const minute = digitAt(text, 14) * 10 + digitAt(text, 15);
  const second = digitAt(text, 17) * 10 + digitAt(text, 18);
  if (Number.isNaN(year + month + day + hour + minute + second)) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return undefined;
  // Days since 1970-01-01 (proleptic Gregorian), Howard Hinnant's days_from_civil.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  return days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
}

export const SECONDS_PER_DAY = 86_400;

/** The UTC day number (days since 1970-01-01) of a unix time. */
export function utcDay(unix: number): number {
  return Math.floor(unix / SECONDS_PER_DAY);
}
