// Formatting for the page: wei to exact SOGNI text, dates, short addresses.
// Imports nothing: pure functions of their arguments (no DOM, no network).

/** Groups the integer part of a decimal string with commas: "1234567.5" -> "1,234,567.5". */
export function groupThousands(text) {
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/**
 * Wei (decimal string or bigint) to a SOGNI decimal string, exact unless
 * `maxFraction` asks to cut (rounds down: a page never shows more than is paid).
 */
export function formatUnits(wei, decimals = 18, maxFraction = decimals) {
  const value = BigInt(wei);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals, digits.length - decimals + maxFraction).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Wei to grouped SOGNI text: sogni("1234500000000000000000", 18) -> "1,234.5". */
export const sogni = (wei, decimals, maxFraction) => groupThousands(formatUnits(wei, decimals, maxFraction));

/** "0x1234…abcd": an address or transaction hash cut for running text. */
export function shortAddress(account) {
  return `${account.slice(0, 6)}…${account.slice(-4)}`;
}

/** Unix seconds to "2026-11-24 00:00" (the texts add "UTC"; seconds only when they matter). */
export function isoDate(unix) {
  const iso = new Date(unix * 1000).toISOString();
  return iso.slice(17, 19) === "00" ? iso.slice(0, 16).replace("T", " ") : iso.slice(0, 19).replace("T", " ");
}

// The same characters as season/text.ts's INVISIBLE (the page is plain browser JavaScript and
// cannot import it): control, format (bidi overrides, zero-width), separators, default-ignorables.
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Free text from the exports (a name, a hardware string) as the page shows it:
 * invisible and control characters written as `\u{…}`, as the CLI prints them,
 * so a name cannot reverse or hide its neighbours' text.
 *
 * @example visibleText("ada\u202e") === "ada\\u{202e}"
 */
export function visibleText(text) {
  return text.replace(INVISIBLE_ALL, (char) => `\\u{${char.codePointAt(0).toString(16)}}`);
}
