/**
 * Per-address running totals for one leaderboard while the exports are
 * read: exact weight, first counted activity, the set of active UTC days,
 * and (workers) the hardware and NFT of the most recent counted job.
 *
 * @example
 * const tally = new PoolTally(config.start);
 * tally.add("0xabc…", 30_000_000n, 1791936000);
 * tally.entries.get("0xabc…")?.weight === 30_000_000n;
 */
import { utcDay } from "./time.js";
import type { Address } from "./types.js";

export interface TallyEntry {
  address: Address;
  weight: bigint;
  /** Unix seconds of the first counted activity. */
  first: number;
  /** Bits 0..31 and 32..63 of the active days (day 0 = the window's first UTC day); later days in `moreDays`. */
  daysLow: number;
  daysHigh: number;
  moreDays: Set<number> | undefined;
  /** Workers: the hardware and nft_token_id ("" for none) of the most recent counted job, its time and job id. */
  hardware: string | undefined;
  nft: string | undefined;
  hardwareAt: number;
  hardwareJob: string;
}

export class PoolTally {
  readonly entries = new Map<Address, TallyEntry>();
  private readonly firstDay: number;

  constructor(windowStart: number) {
    this.firstDay = utcDay(windowStart);
  }

  /** Adds `weight` at time `at` (inside the window) to `address`. */
  add(address: Address, weight: bigint, at: number): TallyEntry {
    let entry = this.entries.get(address);
    if (entry === undefined) {
      entry = { address, weight: 0n, first: at, daysLow: 0, daysHigh: 0, moreDays: undefined, hardware: undefined, nft: undefined, hardwareAt: -1, hardwareJob: "" };
      this.entries.set(address, entry);
    }
    entry.weight += weight;
    if (at < entry.first) entry.first = at;
    this.markDay(entry, utcDay(at) - this.firstDay);
    return entry;
  }

  /** Marks every UTC day touched by `[from, to)` (to > from) as active. */
  markSpan(entry: TallyEntry, from: number, to: number): void {
    const last = utcDay(to - 1) - this.firstDay;
    for (let day = utcDay(from) - this.firstDay; day <= last; day++) this.markDay(entry, day);
  }

  /** Records a worker's job; the most recent job (then the greatest job id) gives the hardware and the NFT shown. */
  noteLatestJob(entry: TallyEntry, at: number, jobId: string, hardware: string, nft: string): void {
    if (at > entry.hardwareAt || (at === entry.hardwareAt && jobId > entry.hardwareJob)) {
      entry.hardware = hardware;
      entry.nft = nft;
      entry.hardwareAt = at;
      entry.hardwareJob = jobId;
    }
  }

  private markDay(entry: TallyEntry, day: number): void {
    if (day < 32) entry.daysLow |= 1 << day;
    else if (day < 64) entry.daysHigh |= 1 << (day - 32);
    else (entry.moreDays ??= new Set()).add(day);
  }
}

/** How many distinct UTC days the entry was active. */
export function daysActive(entry: TallyEntry): number {
  return popcount(entry.daysLow) + popcount(entry.daysHigh) + (entry.moreDays?.size ?? 0);
}

function popcount(bits: number): number {
  let v = bits >>> 0;
  let count = 0;
  while (v !== 0) {
    v &= v - 1;
    count += 1;
  }
  return count;
}
