// Formatting for the page: wei to exact SOGNI text, vesting shares, dates, countdowns, short addresses, visible text.
// Imports season/ only (the bundle compiles it): pure functions of their arguments (no DOM, no network, no clock).
import { formatDecimal, parseDecimal } from "../season/decimal.ts";
import { escapeInvisible } from "../season/text.ts";
import { formatDuration } from "../season/time.ts";
import { SHARE_DECIMALS } from "../season/vesting.ts";

/** Groups the integer part of a decimal string with commas: "1234567.5" -> "1,234,567.5". */
export function groupThousands(text) {
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/**
 * An amount from the API (a wei decimal string) as a bigint; anything else
 * is an error, never a NaN or a float.
 *
 * @example toWei("1234500000000000000000") === 1234500000000000000000n
 */
export function toWei(value) {
  if (typeof value === "bigint") return value;
  if (typeof value !== "string" || !/^-?\d{1,80}$/.test(value)) throw new Error(`not an amount in wei: ${JSON.stringify(value)}`);
  return BigInt(value);
}

/**
 * Wei (decimal string or bigint) to a SOGNI decimal string, exact unless
 * `maxFraction` asks to cut (rounds toward zero: a page never shows more than is paid).
 *
 * @example formatUnits("1019999999999999999", 18, 2) === "1.01"
 */
export function formatUnits(wei, decimals = 18, maxFraction = decimals) {
  const cut = 10n ** BigInt(decimals - maxFraction);
  return formatDecimal(toWei(wei) / cut, maxFraction);
}

/** Wei to grouped SOGNI text: sogni("1234500000000000000000", 18) -> "1,234.5". */
export const sogni = (wei, decimals, maxFraction) => groupThousands(formatUnits(wei, decimals, maxFraction));

/**
 * A vesting share (SPEC 8.1: a decimal with at most 6 digits, "0.4") as a
 * percentage, exactly: "0.4" -> "40%", "0.333333" -> "33.3333%", "1" -> "100%".
 */
export function sharePercent(share) {
  // share × 10^6 is the percentage × 10^4.
  return `${formatDecimal(parseDecimal(share, SHARE_DECIMALS), SHARE_DECIMALS - 2)}%`;
}

/** "0x1234…abcd": an address or transaction hash cut for running text. */
export function shortAddress(account) {
  return `${account.slice(0, 6)}…${account.slice(-4)}`;
}

/** Unix seconds to "2026-11-24 00:00" (the texts add "UTC"; seconds only when they matter). */
export function isoDate(unix) {
  const iso = new Date(unix * 1000).toISOString();
  return iso.slice(17, 19) === "00" ? iso.slice(0, 16).replace("T", " ") : iso.slice(0, 19).replace("T", " ");
}

/** Seconds left as the countdown's four two-digit fields (never negative). */
export function countdownParts(seconds) {
  const left = Math.max(0, Math.floor(seconds));
  const pad = (n) => String(n).padStart(2, "0");
  return { days: pad(Math.floor(left / 86_400)), hours: pad(Math.floor((left % 86_400) / 3600)), minutes: pad(Math.floor((left % 3600) / 60)), seconds: pad(left % 60) };
}

/** "1 d 2 h 3 min 4 s": season/time.ts's formatDuration, the CLI's own. */
export const durationText = formatDuration;

/**
 * Free text from the exports or a wallet (a name, a hardware string, a
 * wallet's name) as the page shows it: invisible and control characters
 * written as `\u{…}`, as the CLI prints them (season/text.ts's rule), so a
 * name cannot reverse or hide its neighbours' text. The page only ever puts
 * it in `textContent`, never in HTML.
 *
 * @example visibleText("ada\u202e") === "ada\\u{202e}"
 */
export function visibleText(text) {
  return escapeInvisible(String(text));
}
