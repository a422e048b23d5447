/**
 * The simulator's pure parts: the seeded generator, the staking model of
 * SPEC section 7 and the plan (no chain needed).
 */
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { planSimulation, type Action } from "../../scripts/sim/plan.js";
import { createRng } from "../../scripts/sim/rng.js";
import { applyStake, canUnstake, EMPTY_LOCK, nextEpochStart, WEEK } from "../../scripts/sim/staking-model.js";

// Monday 2026-10-05T00:00:00Z
const EPOCH_ZERO = 1_791_158_400;
const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

describe("createRng: same seed, same sequence, on every machine", () => {
  it("seed 7 always starts with the same three draws, and seed 8 differs", () => {
    const a = createRng(7);
    const b = createRng(7);
    const draws = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(draws);
    expect(createRng(8).next()).not.toBe(draws[0]);
  });

  it("between(1, 6) stays within 1..6 and reaches both ends", () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.between(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("bigint(10^18, 2*10^18) stays in range with full wei precision", () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) {
      const value = rng.bigint(10n ** 18n, 2n * 10n ** 18n);
      expect(value >= 10n ** 18n && value <= 2n * 10n ** 18n).toBe(true);
    }
  });

  it("forks are independent streams that depend only on the seed and the label", () => {
    expect(createRng(7).fork("staking").next()).toBe(createRng(7).fork("staking").next());
    expect(createRng(7).fork("staking").next()).not.toBe(createRng(7).fork("payouts").next());
  });
});

describe("SPEC 7 staking model: changes take effect at the next epoch start", () => {
  it("the next epoch start is strictly after t: Monday 00:00 itself moves to the following Monday", () => {
    expect(nextEpochStart(EPOCH_ZERO, EPOCH_ZERO)).toBe(EPOCH_ZERO + WEEK);
    expect(nextEpochStart(EPOCH_ZERO + 1, EPOCH_ZERO)).toBe(EPOCH_ZERO + WEEK);
    expect(nextEpochStart(EPOCH_ZERO - 1, EPOCH_ZERO)).toBe(EPOCH_ZERO);
  });

  it("a first stake of 100 for 6 weeks on Wednesday is in force from next Monday for 6 weeks", () => {
    const wednesday = EPOCH_ZERO + 2 * 86_400;
    const state = applyStake(EMPTY_LOCK, { amount: 100n, lockWeeks: 6, timestamp: wednesday, epochZero: EPOCH_ZERO });
    expect(state).toEqual({ amount: 100n, lockWeeks: 6, effectiveFrom: EPOCH_ZERO + WEEK, unlockAt: EPOCH_ZERO + 7 * WEEK });
  });

  it("a top-up of a live lock adds the amount, never shortens it, and counts the whole weeks really left (2 weeks on a 6-week lock: 5 left)", () => {
    const first = applyStake(EMPTY_LOCK, { amount: 100n, lockWeeks: 6, timestamp: EPOCH_ZERO + 1, epochZero: EPOCH_ZERO });
    const topUp = applyStake(first, { amount: 50n, lockWeeks: 2, timestamp: EPOCH_ZERO + WEEK + 1, epochZero: EPOCH_ZERO });
    // unlockAt stays E0 + 7W; from e = E0 + 2W that is (7W - 2W) / W = 5 whole weeks (SPEC 7, revised).
    expect(first.unlockAt).toBe(EPOCH_ZERO + 7 * WEEK);
    expect(topUp).toEqual({ amount: 150n, lockWeeks: 5, effectiveFrom: EPOCH_ZERO + 2 * WEEK, unlockAt: first.unlockAt });
  });

  it("an extension with more weeks moves unlockAt to e + new weeks and raises the weeks", () => {
    const first = applyStake(EMPTY_LOCK, { amount: 100n, lockWeeks: 2, timestamp: EPOCH_ZERO + 1, epochZero: EPOCH_ZERO });
    const extended = applyStake(first, { amount: 1n, lockWeeks: 8, timestamp: EPOCH_ZERO + WEEK + 1, epochZero: EPOCH_ZERO });
    expect(extended).toEqual({ amount: 101n, lockWeeks: 8, effectiveFrom: EPOCH_ZERO + 2 * WEEK, unlockAt: EPOCH_ZERO + 10 * WEEK });
  });

  it("after unlockAt, a stake relocks the whole balance afresh for the new weeks", () => {
    const first = applyStake(EMPTY_LOCK, { amount: 100n, lockWeeks: 4, timestamp: EPOCH_ZERO + 1, epochZero: EPOCH_ZERO });
    const after = first.unlockAt + 3_600;
    expect(canUnstake(first, first.unlockAt - 1)).toBe(false);
    expect(canUnstake(first, first.unlockAt)).toBe(true);
    const relocked = applyStake(first, { amount: 10n, lockWeeks: 1, timestamp: after, epochZero: EPOCH_ZERO });
    expect(relocked).toEqual({ amount: 110n, lockWeeks: 1, effectiveFrom: first.unlockAt + WEEK, unlockAt: first.unlockAt + 2 * WEEK });
  });
});

describe("planSimulation: a deterministic, valid plan", () => {
  const options = {
    seed: 7,
    accounts: 60,
    start: EPOCH_ZERO + WEEK,
    end: EPOCH_ZERO + 7 * WEEK,
    chains: [
      { chainId: 31337, epochZero: EPOCH_ZERO },
      { chainId: 31338, epochZero: EPOCH_ZERO },
    ],
    deployer: DEPLOYER as `0x${string}`,
  };

  it("is the same for the same options, and different for another seed", () => {
    const plan = planSimulation(options);
    expect(planSimulation(options)).toEqual(plan);
    expect(planSimulation({ ...options, seed: 8 }).accounts[0]!.address).not.toBe(plan.accounts[0]!.address);
  });

  it("uses checksummed addresses and strictly increasing block times starting two weeks before the window", () => {
    const plan = planSimulation(options);
    for (const account of plan.accounts) expect(getAddress(account.address)).toBe(account.address);
    for (const chain of plan.chains) {
      expect(chain.blocks[0]!.timestamp).toBe(options.start - 14 * 86_400);
      for (let i = 1; i < chain.blocks.length; i++) expect(chain.blocks[i]!.timestamp).toBeGreaterThan(chain.blocks[i - 1]!.timestamp);
    }
  });

  it("mints enough that no balance ever goes negative, and gives batch ids once across chains", () => {
    const plan = planSimulation(options);
    const batches: bigint[] = [];
    for (const chain of plan.chains) {
      const balance = new Map<string, bigint>();
      const add = (who: string, amount: bigint): void => {
        balance.set(who, (balance.get(who) ?? 0n) + amount);
        expect(balance.get(who)! >= 0n, `balance of ${who}`).toBe(true);
      };
      const actions: Action[] = chain.blocks.flatMap((block) => block.actions);
      for (const action of actions) {
        if (action.kind === "mint") add(action.to, action.amount);
        if (action.kind === "transfer" || action.kind === "deposit") add(action.from, -action.amount);
        if (action.kind === "stake") add(action.account, -action.amount);
        if (action.kind === "payWorkers") {
          batches.push(action.batchId);
          add(DEPLOYER, -action.amounts.reduce((sum, amount) => sum + amount, 0n));
        }
      }
    }
    expect(new Set(batches).size).toBe(batches.length);
    expect(batches.length).toBe(20);
  });

  it("numbers its 20 batches 1..20 in time order, or 31..50 from firstBatchId 31 (a season after others on its chain), all else the same", () => {
    const batchIds = (plan: ReturnType<typeof planSimulation>): bigint[] =>
      plan.chains
        .flatMap((chain) => chain.blocks.flatMap((block) => block.actions.map((action) => ({ timestamp: block.timestamp, action }))))
        .sort((a, b) => a.timestamp - b.timestamp)
        .flatMap(({ action }) => (action.kind === "payWorkers" ? [action.batchId] : []));
    const first = planSimulation(options);
    const later = planSimulation({ ...options, firstBatchId: 31n });
    expect(batchIds(first)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
    expect(batchIds(later)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 31)));
    const renumbered = (plan: ReturnType<typeof planSimulation>, by: bigint) =>
      plan.chains.map((chain) => chain.blocks.map((block) => block.actions.map((action) => (action.kind === "payWorkers" ? { ...action, batchId: action.batchId - by } : action))));
    expect(renumbered(later, 30n)).toEqual(renumbered(first, 0n));
  });

  it("keeps every amount a whole number of micro-SOGNI (the exports have at most 6 decimals)", () => {
    const plan = planSimulation(options);
    const amounts = plan.chains.flatMap((chain) =>
      chain.blocks.flatMap((block) =>
        block.actions.flatMap((action) =>
          action.kind === "payWorkers" ? action.amounts : "amount" in action ? [action.amount] : [],
        ),
      ),
    );
    expect(amounts.length).toBeGreaterThan(100);
    for (const amount of amounts) expect(amount % 10n ** 12n).toBe(0n);
  });

  it("refuses fewer than 10 accounts, an empty window and a batch id 0", () => {
    expect(() => planSimulation({ ...options, accounts: 5 })).toThrow(/at least 10 accounts/);
    expect(() => planSimulation({ ...options, end: options.start })).toThrow(/window is empty/);
    expect(() => planSimulation({ ...options, firstBatchId: 0n })).toThrow(/batch ids start at 1/);
  });
});
