/**
 * Vesting (SPEC 8.1): what share of a season's amounts has vested at a time
 * `T`, and the vested amount of one recipient. Shares are exact: decimals of
 * at most {@link SHARE_DECIMALS} digits, held as bigints scaled by 10^6, so a
 * vested amount is `floor(amount × share / 10^6)` in integers, never a float.
 *
 * @example
 * const tranches = [{ at: parseIsoTime("2026-12-01T00:00:00Z"), share: 250_000n }, { at: parseIsoTime("2027-03-01T00:00:00Z"), share: SHARE_ONE }];
 * vestedShare(tranches, end, parseIsoTime("2027-01-01T00:00:00Z")) === 250_000n;
 * vestedAmount(1_000_000_000_000_000_003n, 250_000n) === 250_000_000_000_000_000n; // floored
 */
import { formatDecimal } from "./decimal.js";
import type { VestingTranche } from "./types.js";

/** A share has at most this many fractional digits ("0.333333"). */
export const SHARE_DECIMALS = 6;

/** The share `1`: everything vested. */
export const SHARE_ONE = 10n ** BigInt(SHARE_DECIMALS);

/**
 * s(T): the share of the last tranche with `at ≤ T`, 0 before the first.
 * Without tranches (no `vesting` in season.json) the whole amount vests at
 * the season's `end`.
 *
 * @example vestedShare(undefined, end, end) === SHARE_ONE; vestedShare(undefined, end, end - 1) === 0n
 */
export function vestedShare(tranches: readonly VestingTranche[] | undefined, end: number, at: number): bigint {
  if (tranches === undefined) return at >= end ? SHARE_ONE : 0n;
  let share = 0n;
  for (const tranche of tranches) {
    if (tranche.at > at) break; // tranches are in time order (season/config.ts checks it)
    share = tranche.share;
  }
  return share;
}

/**
 * floor(amount × share): the part of `amount` (wei) vested at `share`
 * (scaled by 10^6), rounded down to the wei.
 *
 * @example vestedAmount(10n, 333_333n) === 3n
 */
export function vestedAmount(amount: bigint, share: bigint): bigint {
  if (share === SHARE_ONE) return amount;
  if (share === 0n) return 0n;
  return (amount * share) / SHARE_ONE;
}

/** A share as the decimal the publication manifest shows: 250_000n -> "0.25", SHARE_ONE -> "1". */
export function formatShare(share: bigint): string {
  return formatDecimal(share, SHARE_DECIMALS);
}
