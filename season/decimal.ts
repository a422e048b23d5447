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
