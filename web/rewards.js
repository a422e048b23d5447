// What the SogniRewards panel works out from the API's answer: the part of a season vested now by its schedule
// (season/vesting.ts, the one implementation of SPEC 8.1) and what a cumulative claim pays. Pure functions.
import { parseDecimal } from "../season/decimal.ts";
import { formatShare, SHARE_DECIMALS, vestedAmount, vestedShare } from "../season/vesting.ts";
import { toWei } from "./format.js";

/**
 * A season's amount vested at `now` by its schedule: `{ amount, share }`
 * (wei as bigint, the share as SPEC 8.1's decimal). `tranches` are the
 * API's `[{ at, share: "0.4" }]`, or null for a season without vesting
 * (all of it at the window's `end`).
 *
 * @example vestedNow("1000", [{ at: 100, share: "0.4" }, { at: 200, share: "1" }], 50, 150) // { amount: 400n, share: "0.4" }
 */
export function vestedNow(earned, tranches, end, now) {
  const schedule = tranches === null || tranches === undefined ? undefined : tranches.map((tranche) => ({ at: tranche.at, share: parseDecimal(tranche.share, SHARE_DECIMALS) }));
  const share = vestedShare(schedule, end, now);
  return { amount: vestedAmount(toWei(earned), share), share: formatShare(share) };
}

/** What SogniRewards pays on a claim now: the live publication's cumulative amount − claimed, never below 0. */
export function claimableNow(cumulative, claimed) {
  const left = toWei(cumulative) - toWei(claimed);
  return left > 0n ? left : 0n;
}
