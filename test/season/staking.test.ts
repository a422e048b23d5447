/**
 * SPEC section 2, staking power, on the one implementation the engine and
 * the indexer's API both call: exact integers, states in force from
 * effectiveFrom until the next state takes effect or unlockAt, chains adding up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDecimal } from "../../season/decimal.js";
import { averageStakingPower, isqrt, lockMultiplier, STAKING_POWER_DECIMALS, stakingPower } from "../../season/staking.js";
import type { StakingState } from "../../season/types.js";

type LockStateInput = StakingState;
const walletChainPower = (states: StakingState[], from: number, to: number): bigint => stakingPower(states, from, to).total;

const SOGNI = 10n ** 18n;
const WEEK = 604_800;
const A = "0x00000000000000000000000000000000000000aa";

describe("SPEC 2: the lock multiplier m(w) = w × isqrt(w × 10^12), in micro units", () => {
  it("m(1) = 1.000000, m(2) = 2.828426, m(6) = 14.696934, m(52) = 374.977332", () => {
    expect(lockMultiplier(1)).toBe(1_000_000n);
    expect(lockMultiplier(2)).toBe(2_828_426n);
    expect(lockMultiplier(6)).toBe(14_696_934n);
    expect(lockMultiplier(52)).toBe(52n * 7_211_102n);
  });

  it("isqrt(n) is the largest r with r² ≤ n, for any n", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), (n) => {
        const r = isqrt(n);
        return r * r <= n && (r + 1n) * (r + 1n) > n;
      }),
    );
  });
});

describe("SPEC 2: power = amount × m(lockWeeks) × seconds in force inside [from, to)", () => {
  it("100 SOGNI locked 6 weeks for a whole 6-week window shows 1469.693400 on the leaderboard", () => {
    const lock: LockStateInput = { chainId: 8453, account: A, amount: 100n * SOGNI, lockWeeks: 6, effectiveFrom: 0, unlockAt: 6 * WEEK };
    const power = walletChainPower([lock], 0, 6 * WEEK);
    expect(power).toBe(100n * SOGNI * 14_696_934n * 6n * BigInt(WEEK));
    expect(averageStakingPower(power, 6 * WEEK, 18)).toBe(1_469_693_400n);
    expect(formatDecimal(averageStakingPower(power, 6 * WEEK, 18), STAKING_POWER_DECIMALS)).toBe("1469.6934");
    // The token's decimals come from season.json: the same lock of a 6-decimal token shows the same power.
    expect(averageStakingPower(100n * 10n ** 6n * 14_696_934n * BigInt(6 * WEEK), 6 * WEEK, 6)).toBe(1_469_693_400n);
  });

  it("a state counts only from effectiveFrom, only until unlockAt, and only inside the window", () => {
    const lock: LockStateInput = { chainId: 1, account: A, amount: 5n, lockWeeks: 2, effectiveFrom: 1_000, unlockAt: 5_000 };
    expect(walletChainPower([lock], 0, 10_000)).toBe(5n * 2_828_426n * 4_000n);
    expect(walletChainPower([lock], 2_000, 3_000)).toBe(5n * 2_828_426n * 1_000n);
    expect(walletChainPower([lock], 5_000, 9_000)).toBe(0n);
    expect(walletChainPower([lock], 0, 1_000)).toBe(0n);
  });

  it("a top-up ends the previous state when the new one takes effect (next epoch), not when it was sent", () => {
    const first: LockStateInput = { chainId: 1, account: A, amount: 10n, lockWeeks: 1, effectiveFrom: 0, unlockAt: 3_000 };
    const topUp: LockStateInput = { chainId: 1, account: A, amount: 30n, lockWeeks: 4, effectiveFrom: 1_000, unlockAt: 9_000 };
    expect(walletChainPower([first, topUp], 0, 10_000)).toBe(10n * 1_000_000n * 1_000n + 30n * 8_000_000n * 8_000n);
  });

  it("two stakes in the same epoch: the first state is never in force (it ends as it begins)", () => {
    const a: LockStateInput = { chainId: 1, account: A, amount: 10n, lockWeeks: 1, effectiveFrom: 1_000, unlockAt: 2_000 };
    const b: LockStateInput = { chainId: 1, account: A, amount: 20n, lockWeeks: 1, effectiveFrom: 1_000, unlockAt: 2_000 };
    expect(walletChainPower([a, b], 0, 5_000)).toBe(20n * 1_000_000n * 1_000n);
  });

  it("a lock that expired and is locked afresh counts nothing in the gap", () => {
    const old: LockStateInput = { chainId: 1, account: A, amount: 10n, lockWeeks: 1, effectiveFrom: 0, unlockAt: 1_000 };
    const fresh: LockStateInput = { chainId: 1, account: A, amount: 10n, lockWeeks: 1, effectiveFrom: 3_000, unlockAt: 4_000 };
    expect(walletChainPower([old, fresh], 0, 10_000)).toBe(10n * 1_000_000n * 2_000n);
  });

  it("stakes on every chain add up; each chain's states follow only each other", () => {
    const base: LockStateInput = { chainId: 8453, account: A, amount: 7n, lockWeeks: 1, effectiveFrom: 0, unlockAt: 100 };
    const etherlink: LockStateInput = { chainId: 42793, account: A, amount: 3n, lockWeeks: 1, effectiveFrom: 10, unlockAt: 60 };
    const { perChain, total } = stakingPower([etherlink, base], 0, 1_000);
    expect([...perChain]).toEqual([
      [8453, 7n * 1_000_000n * 100n],
      [42793, 3n * 1_000_000n * 50n],
    ]);
    expect(total).toBe(7n * 1_000_000n * 100n + 3n * 1_000_000n * 50n);
  });

  it("SPEC 8.4: a new lock in a new staking contract of the same chain does not end the old contract's lock", () => {
    const OLD = "0x00000000000000000000000000000000005a0001";
    const NEW = "0x00000000000000000000000000000000005a0002";
    const inOld: LockStateInput = { chainId: 8453, staking: OLD, account: A, amount: 7n, lockWeeks: 1, effectiveFrom: 0, unlockAt: 100 };
    const inNew: LockStateInput = { chainId: 8453, staking: NEW, account: A, amount: 3n, lockWeeks: 1, effectiveFrom: 10, unlockAt: 60 };
    // Both in force: 7 × 100 s in OLD plus 3 × 50 s in NEW, on the one chain.
    expect([...stakingPower([inOld, inNew], 0, 1_000).perChain]).toEqual([[8453, 7n * 1_000_000n * 100n + 3n * 1_000_000n * 50n]]);
    // The same state in OLD instead ends the first at 10: 7 × 10 s + 3 × 50 s.
    expect(stakingPower([inOld, { ...inNew, staking: OLD }], 0, 1_000).total).toBe(7n * 1_000_000n * 10n + 3n * 1_000_000n * 50n);
  });

  it("splitting the window never changes the total: power over [a, c) = [a, b) + [b, c)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.bigInt({ min: 1n, max: 10n ** 27n }), weeks: fc.integer({ min: 1, max: 52 }), start: fc.integer({ min: 0, max: 50 }), length: fc.integer({ min: 1, max: 60 }) }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (raw, x, y) => {
          let at = 0;
          const states: LockStateInput[] = raw.map((r) => {
            at += r.start;
            return { chainId: 1, account: A, amount: r.amount, lockWeeks: r.weeks, effectiveFrom: at * 1000, unlockAt: (at + r.length) * 1000 };
          });
          const [a, b] = [Math.min(x, y) * 1000, Math.max(x, y) * 1000];
          const c = 200_000;
          return walletChainPower(states, a, c) === walletChainPower(states, a, b) + walletChainPower(states, b, c);
        },
      ),
    );
  });
});
