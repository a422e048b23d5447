/**
 * Exact decimal strings <-> scaled bigints. The one decimal parser of the
 * project: no floating point ever touches a quantity.
 */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Thrown by {@link parseDecimal}; callers wrap it into an InputError with a location. */
export class DecimalError extends Error {
  override name = "DecimalError";
}

/**
 * Parses a non-negative decimal string into an integer scaled by 10^decimals.
 * More fractional digits than `decimals` is an error, never a rounding.
 *
 * @example parseDecimal("1.5", 6) === 1_500_000n
 */
export function parseDecimal(text: string, decimals: number): bigint {
  const fast = parseSmallDecimal(text, decimals);
  if (fast !== undefined) return fast;
  const match = DECIMAL.exec(text);
  if (!match) {
    if (/^-/.test(text)) throw new DecimalError(`negative number "${text}"`);
    throw new DecimalError(`not a decimal number: "${text}"`);
  }
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) {
    throw new DecimalError(`"${text}" has ${fraction.length} fractional digits, at most ${decimals} allowed`);
  }
  return BigInt(whole + fraction.padEnd(decimals, "0"));
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * The common case without a regex or a string-to-BigInt conversion: plain
 * digits with an optional fraction, small enough that the scaled value is
 * an exact double (at most 15 digits in all). Undefined otherwise, and for
 * anything unusual, which then takes the strict path.
 */
function parseSmallDecimal(text: string, decimals: number): bigint | undefined {
  const length = text.length;
  if (length === 0 || length > 16 || decimals > 15) return undefined;
  let value = 0;
  let fractionDigits = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (fractionDigits !== -1 || i === 0 || i === length - 1) return undefined;
      fractionDigits = 0;
      continue;
    }
    const digit = code - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
    if (fractionDigits !== -1) fractionDigits += 1;
  }
  const fraction = fractionDigits === -1 ? 0 : fractionDigits;
  if (fraction > decimals) return undefined; // the strict path reports it
  const digits = length - (fractionDigits === -1 ? 0 : 1) + (decimals - fraction);
  if (digits > 15) return undefined;
  return BigInt(value * POWERS_OF_TEN[decimals - fraction]!);
}

/**
 * Formats an integer scaled by 10^decimals as an exact decimal string, with
 * trailing fractional zeros removed ("12.5", "3", "0.0000002").
 *
 * @example formatDecimal(1_500_000n, 6) === "1.5"
 */
export function formatDecimal(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
