/**
 * ISO-8601 UTC timestamps <-> unix seconds, and UTC day numbers: the one
 * time parser of the project (exports, season.json, manifests, CLI flags,
 * the indexer's query parameters). SPEC section 4: times are UTC, written
 * `Z` or `+00:00` (the same instant); another zone is refused everywhere,
 * never converted; no local time zone is ever consulted.
 *
 * @example
 * parseIsoTime("2026-10-13T00:00:00Z") === 1791849600;
 * parseIsoTime("2026-10-13T00:00:00+00:00") === 1791849600; // the same instant
 * parseTimeInput("1791849600") === 1791849600; // unix seconds, for flags and query parameters
 * isoSeconds(1791849600) === "2026-10-13T00:00:00Z";
 */

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]00:?00)$/;

/** Thrown by {@link parseIsoTime} and {@link parseTimeInput}; callers wrap it into an error with a location. */
export class TimestampError extends Error {
  override name = "TimestampError";
}

/**
 * Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `+00:00`) into unix seconds,
 * rounded down. Other zones, a missing zone and impossible dates are errors.
 *
 * @example parseIsoTime("2026-10-13T00:00:00Z") === 1791849600
 */
export function parseIsoTime(text: string): number {
  if (text.length === 20) {
    const fast = parseCompact(text);
    if (fast !== undefined) return fast;
  }
  const match = ISO_TIME.exec(text);
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

const UNIX_SECONDS = /^\d{1,12}$/;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A time given by a person (a CLI flag, a query parameter): unix seconds,
 * an ISO-8601 UTC time as {@link parseIsoTime} reads it, or a bare date
 * meaning 00:00 UTC.
 *
 * @example parseTimeInput("2026-10-13") === parseTimeInput("1791849600")
 */
export function parseTimeInput(text: string): number {
  if (UNIX_SECONDS.test(text)) return Number(text);
  if (BARE_DATE.test(text)) return parseIsoTime(`${text}T00:00:00Z`);
  try {
    return parseIsoTime(text);
  } catch {
    throw new TimestampError(`"${text}" is not a time: give unix seconds (1791849600), a date (2026-10-13) or ISO-8601 UTC (2026-10-13T00:00:00Z)`);
  }
}

/** Unix seconds -> "2026-10-13T00:00:00Z" (no milliseconds: the config never has any). */
export function isoSeconds(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.000Z$/, "Z");
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

/**
 * A duration in whole seconds as people read it: "1 d 2 h 3 min 4 s" (units
 * at 0 left out; "0 s" for none or a negative one). The CLI's timelock and
 * validAt lines and the page's pending-root countdown both write it so.
 *
 * @example formatDuration(93_784) // "1 d 2 h 3 min 4 s"
 */
export function formatDuration(seconds: number): string {
  let left = Math.max(0, Math.floor(seconds));
  if (left === 0) return "0 s";
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["min", 60], ["s", 1]] as const) {
    const count = Math.floor(left / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    left -= count * size;
  }
  return parts.join(" ");
}
