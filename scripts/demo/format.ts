// scripts/: command-line entry points and what only they use (cli/, commands/, local/, sim/, keys/, demo/).
// May import every folder; nothing imports scripts/. See docs/architecture.md.
/**
 * How the demo writes amounts for people: SOGNI with thousands grouped and
 * every wei kept (the summary and the progress lines share it).
 *
 * @example sogni(1234567n * 10n ** 18n + 5n) === "1,234,567.000000000000000005"
 */
import { formatDecimal, parseDecimal } from "../../season/decimal.js";

/** Wei as SOGNI (18 decimals), the whole part grouped by thousands, no trailing zeros. */
export function sogni(wei: bigint | string): string {
  const [whole, fraction] = formatDecimal(BigInt(wei), 18).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** A vesting share (SPEC 8.1: at most 6 decimals) as a percentage: "0.25" -> "25 %", "1" -> "100 %". */
export function percent(share: string): string {
  return `${formatDecimal(parseDecimal(share, 6), 4)} %`;
}
