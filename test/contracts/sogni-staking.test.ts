/**
 * SPEC sections 2 and 7: SogniStaking. Times are written relative to the
 * contract's epochZero E0 (set 10 days after the fixture's block) in weeks W
 * of 604,800 s; amounts in whole SOGNI.
 */
import { describe, expect, it } from "vitest";
import { network } from "hardhat";
import { getAddress, maxUint256, parseEther, zeroAddress } from "viem";
import { applyStake, EMPTY_LOCK } from "../../scripts/sim/staking-model.js";
import { WEEK as W, eventsOf, expectRevert } from "./helpers.js";

const { viem, networkHelpers } = await network.connect();
const publicClient = await viem.getPublicClient();
const [deployer, alice, bob] = await viem.getWalletClients();
if (!deployer || !alice || !bob) throw new Error("Hardhat must provide 3 accounts");

const DAY = 86_400n;
const HOUR = 3_600n;
const sogni = (n: string) => parseEther(n);

async function stakingFixture() {
  const now = BigInt(await networkHelpers.time.latest());
  const E0 = now + 10n * DAY;
  const token = await viem.deployContract("SogniToken");
  const staking = await viem.deployContract("SogniStaking", [token.address, E0]);
  for (const wallet of [alice!, bob!]) {
    await token.write.mint([wallet.account.address, sogni("1000")]);
    await token.write.approve([staking.address, maxUint256], { account: wallet.account });
  }
  return { token, staking, E0 };
}

type Fixture = Awaited<ReturnType<typeof stakingFixture>>;

/** Sends `stake(amount, lockWeeks)` from `wallet` in a block stamped exactly `t`. */
async function stakeAt(f: Fixture, t: bigint, wallet: typeof alice, amount: bigint, lockWeeks: bigint) {
  await networkHelpers.time.setNextBlockTimestamp(t);
  const hash = await f.staking.write.stake([amount, lockWeeks], { account: wallet!.account });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const [staked] = eventsOf(f.staking.abi, receipt, "Staked");
  return staked as { account: string; added: bigint; amount: bigint; lockWeeks: bigint; effectiveFrom: bigint; unlockAt: bigint };
}

async function unstakeAt(f: Fixture, t: bigint, wallet: typeof alice) {
  await networkHelpers.time.setNextBlockTimestamp(t);
  const hash = await f.staking.write.unstake({ account: wallet!.account });
  return publicClient.waitForTransactionReceipt({ hash });
}

/** The stored lock as { amount, lockWeeks, effectiveFrom, unlockAt }. */
async function lockOf(f: Fixture, wallet: typeof alice) {
  const [amount, lockWeeks, effectiveFrom, unlockAt] = await f.staking.read.locks([wallet!.account.address]);
  return { amount, lockWeeks: BigInt(lockWeeks), effectiveFrom: BigInt(effectiveFrom), unlockAt: BigInt(unlockAt) };
}

describe("SPEC 7: a stake takes effect at the next epoch start e (weekly epochs from epochZero)", () => {
  it("before epochZero (E0 - 1 day), e = E0: 100 SOGNI for 4 weeks is in force [E0, E0 + 4W)", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const staked = await stakeAt(f, f.E0 - DAY, alice, sogni("100"), 4n);
    expect(staked).toEqual({
      account: getAddress(alice.account.address),
      added: sogni("100"),
      amount: sogni("100"),
      lockWeeks: 4n,
      effectiveFrom: f.E0,
      unlockAt: f.E0 + 4n * W,
    });
    expect(await lockOf(f, alice)).toEqual({ amount: sogni("100"), lockWeeks: 4n, effectiveFrom: f.E0, unlockAt: f.E0 + 4n * W });
  });

  it("one second before epochZero (E0 - 1), e = E0", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const staked = await stakeAt(f, f.E0 - 1n, alice, sogni("1"), 1n);
    expect([staked.effectiveFrom, staked.unlockAt]).toEqual([f.E0, f.E0 + W]);
  });

  it("exactly at epochZero (a boundary), e is the next boundary E0 + W (strictly after now)", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const staked = await stakeAt(f, f.E0, alice, sogni("1"), 2n);
    expect([staked.effectiveFrom, staked.unlockAt]).toEqual([f.E0 + W, f.E0 + 3n * W]);
  });

  it("one second before a boundary (E0 + W - 1), e = E0 + W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const staked = await stakeAt(f, f.E0 + W - 1n, alice, sogni("1"), 1n);
    expect([staked.effectiveFrom, staked.unlockAt]).toEqual([f.E0 + W, f.E0 + 2n * W]);
  });

  it("exactly at the boundary E0 + W, e = E0 + 2W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const staked = await stakeAt(f, f.E0 + W, alice, sogni("1"), 1n);
    expect([staked.effectiveFrom, staked.unlockAt]).toEqual([f.E0 + 2n * W, f.E0 + 3n * W]);
  });

  it("nextEpochStart() reads E0 before E0, and E0 + 6W at E0 + 5W + 3 days", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    expect(await f.staking.read.nextEpochStart()).toBe(f.E0);
    await networkHelpers.time.increaseTo(f.E0 + 5n * W + 3n * DAY);
    expect(await f.staking.read.nextEpochStart()).toBe(f.E0 + 6n * W);
    expect(await f.staking.read.epochZero()).toBe(f.E0);
  });
});

describe("SPEC 7: 1 <= lockWeeks <= 52", () => {
  it("lockWeeks 0 reverts InvalidLockWeeks(0); 53 reverts InvalidLockWeeks(53)", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await expectRevert(stakeAt(f, f.E0 + DAY, alice, sogni("10"), 0n), "InvalidLockWeeks", [0n]);
    await expectRevert(stakeAt(f, f.E0 + 2n * DAY, alice, sogni("10"), 53n), "InvalidLockWeeks", [53n]);
    expect((await lockOf(f, alice)).amount).toBe(0n);
  });

  it("lockWeeks 52 is accepted: staked at E0 + 1 day, unlockAt = E0 + W + 52W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const staked = await stakeAt(f, f.E0 + DAY, alice, sogni("10"), 52n);
    expect([staked.lockWeeks, staked.unlockAt]).toEqual([52n, f.E0 + 53n * W]);
  });

  it("the staked tokens move: alice 1000 -> 900 SOGNI, the contract holds 100", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 4n);
    expect(await f.token.read.balanceOf([alice.account.address])).toBe(sogni("900"));
    expect(await f.token.read.balanceOf([f.staking.address])).toBe(sogni("100"));
  });
});

describe("SPEC 7: a top-up of a live lock adds the amount, unlockAt = max (never shortens), weeks = the whole weeks left (unlockAt - e) / W", () => {
  it("100 @ 4w at E0 + 1d (unlock E0 + 5W), then 50 @ 2w at E0 + 2W + 1h: 150 from e = E0 + 3W, unlock stays E0 + 5W, weeks (5W - 3W) / W = 2", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 4n);
    const staked = await stakeAt(f, f.E0 + 2n * W + HOUR, alice, sogni("50"), 2n);
    expect(staked).toEqual({
      account: getAddress(alice.account.address),
      added: sogni("50"),
      amount: sogni("150"),
      lockWeeks: 2n,
      effectiveFrom: f.E0 + 3n * W,
      unlockAt: f.E0 + 5n * W,
    });
    expect(await lockOf(f, alice)).toEqual({ amount: sogni("150"), lockWeeks: 2n, effectiveFrom: f.E0 + 3n * W, unlockAt: f.E0 + 5n * W });
  });

  it("extension: 100 @ 2w at E0 + 1d (unlock E0 + 3W), then 10 @ 6w at E0 + 2W + 1s: 110 @ 6w, unlock E0 + 3W + 6W = E0 + 9W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 2n);
    const staked = await stakeAt(f, f.E0 + 2n * W + 1n, alice, sogni("10"), 6n);
    expect([staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      sogni("110"),
      6n,
      f.E0 + 3n * W,
      f.E0 + 9n * W,
    ]);
  });

  it("shorter top-up: 100 @ 10w (unlock E0 + 11W), then 1 @ 3w at E0 + 5W + 1s (e = E0 + 6W, e + 3W = E0 + 9W): unlock stays E0 + 11W, weeks (11W - 6W) / W = 5", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 5n * W + 1n, alice, sogni("1"), 3n);
    expect([staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      sogni("101"),
      5n,
      f.E0 + 6n * W,
      f.E0 + 11n * W,
    ]);
  });

  it("longer top-up late in a lock: 100 @ 10w (unlock E0 + 11W), then 1 @ 8w at E0 + 9W + 1s: unlock E0 + 10W + 8W = E0 + 18W, weeks 8 (not the first lock's 10)", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 9n * W + 1n, alice, sogni("1"), 8n);
    expect([staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([8n, f.E0 + 10n * W, f.E0 + 18n * W]);
  });

  it("a lock one second from its end is still live: 100 @ 1w (unlock E0 + 2W), then 5 @ 1w at E0 + 2W - 1: 105 SOGNI, unlock E0 + 3W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 1n);
    const staked = await stakeAt(f, f.E0 + 2n * W - 1n, alice, sogni("5"), 1n);
    expect([staked.added, staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      sogni("5"),
      sogni("105"),
      1n,
      f.E0 + 2n * W,
      f.E0 + 3n * W,
    ]);
  });

  it("a top-up before the first state takes effect: 100 @ 4w at E0 - 2d, then 50 @ 2w at E0 - 1d: 150 @ 4w from E0 (all 4 weeks still left), unlock E0 + 4W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 - 2n * DAY, alice, sogni("100"), 4n);
    const staked = await stakeAt(f, f.E0 - DAY, alice, sogni("50"), 2n);
    expect([staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      sogni("150"),
      4n,
      f.E0,
      f.E0 + 4n * W,
    ]);
  });

  it("two wallets keep separate locks: alice 100 @ 4w, bob 7 @ 1w", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 4n);
    await stakeAt(f, f.E0 + 2n * DAY, bob, sogni("7"), 1n);
    expect(await lockOf(f, alice)).toEqual({ amount: sogni("100"), lockWeeks: 4n, effectiveFrom: f.E0 + W, unlockAt: f.E0 + 5n * W });
    expect(await lockOf(f, bob)).toEqual({ amount: sogni("7"), lockWeeks: 1n, effectiveFrom: f.E0 + W, unlockAt: f.E0 + 2n * W });
  });
});

describe("SPEC 7 (revised): a late top-up gets the weeks that are left, not the lock's original multiplier", () => {
  it("1 wei @ 52w at E0 + 1d (e = E0 + W, unlock E0 + 53W); 40 weeks later, at E0 + 40W + 1d, 1,000,000 SOGNI @ 1w: e = E0 + 41W, weeks (53W - 41W) / W = 12, not 52", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await f.token.write.mint([alice.account.address, sogni("1000000")]);
    const first = await stakeAt(f, f.E0 + DAY, alice, 1n, 52n);
    expect([first.lockWeeks, first.effectiveFrom, first.unlockAt]).toEqual([52n, f.E0 + W, f.E0 + 53n * W]);

    const topUp = await stakeAt(f, f.E0 + DAY + 40n * W, alice, sogni("1000000"), 1n);
    expect(topUp).toEqual({
      account: getAddress(alice.account.address),
      added: sogni("1000000"),
      amount: sogni("1000000") + 1n,
      lockWeeks: 12n, // (E0 + 53W - (E0 + 41W)) / W; the earlier rule, max(52, 1), said 52
      effectiveFrom: f.E0 + 41n * W,
      unlockAt: f.E0 + 53n * W, // max(E0 + 53W, e + 1W = E0 + 42W): the lock does not move
    });
    expect(await lockOf(f, alice)).toEqual({ amount: sogni("1000000") + 1n, lockWeeks: 12n, effectiveFrom: f.E0 + 41n * W, unlockAt: f.E0 + 53n * W });
  });

  it("in the lock's last epoch (100 @ 2w, unlock E0 + 3W; 5 @ 1w at E0 + 2W + 1h, e = E0 + 3W = unlockAt): unlock E0 + 4W, weeks 1", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 2n);
    const staked = await stakeAt(f, f.E0 + 2n * W + HOUR, alice, sogni("5"), 1n);
    expect([staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([sogni("105"), 1n, f.E0 + 3n * W, f.E0 + 4n * W]);
  });
});

describe("SPEC 7: amount may be 0 (extend a live lock, re-lock an expired balance); with nothing to lock it is refused", () => {
  it("stake(0, 20) on 100 @ 10w (unlock E0 + 11W) at E0 + 3W + 1h: e = E0 + 4W, unlock E0 + 24W, weeks 20, still 100 SOGNI, no tokens move", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 3n * W + HOUR, alice, 0n, 20n);
    expect(staked).toEqual({
      account: getAddress(alice.account.address),
      added: 0n,
      amount: sogni("100"),
      lockWeeks: 20n,
      effectiveFrom: f.E0 + 4n * W,
      unlockAt: f.E0 + 24n * W,
    });
    expect(await f.token.read.balanceOf([alice.account.address])).toBe(sogni("900"));
    expect(await f.token.read.balanceOf([f.staking.address])).toBe(sogni("100"));
  });

  it("stake(0, 2) on 100 @ 10w at E0 + 3W + 1h only restates it: unlock stays E0 + 11W, weeks (11W - 4W) / W = 7", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 3n * W + HOUR, alice, 0n, 2n);
    expect([staked.added, staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      0n,
      sogni("100"),
      7n,
      f.E0 + 4n * W,
      f.E0 + 11n * W,
    ]);
  });

  it("stake(0, 3) on an expired 100 @ 1w (unlock E0 + 2W) at E0 + 5W + 1d re-locks the 100 SOGNI: from E0 + 6W, 3 weeks, unlock E0 + 9W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 1n);
    const staked = await stakeAt(f, f.E0 + 5n * W + DAY, alice, 0n, 3n);
    expect([staked.added, staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      0n,
      sogni("100"),
      3n,
      f.E0 + 6n * W,
      f.E0 + 9n * W,
    ]);
    await expectRevert(unstakeAt(f, f.E0 + 9n * W - 1n, alice), "StillLocked", [f.E0 + 9n * W]);
  });

  it("stake(0, 4) with nothing staked reverts NothingToLock; so it does after an unstake", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await expectRevert(stakeAt(f, f.E0 + DAY, alice, 0n, 4n), "NothingToLock");
    await stakeAt(f, f.E0 + 2n * DAY, alice, sogni("100"), 1n);
    await unstakeAt(f, f.E0 + 2n * W, alice);
    await expectRevert(stakeAt(f, f.E0 + 2n * W + 1n, alice, 0n, 4n), "NothingToLock");
    expect(await lockOf(f, alice)).toEqual({ amount: 0n, lockWeeks: 0n, effectiveFrom: 0n, unlockAt: 0n });
  });
});

describe("the simulator's staking model (applyStake) matches the contract", () => {
  it("the same 8 stakes (top-ups, stake(0) extensions, a re-lock after expiry) give the same lock after each, and both refuse stake(0) with nothing staked", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    const epochZero = Number(f.E0);
    const steps: [at: bigint, amount: bigint, lockWeeks: number][] = [
      [f.E0 - 3n * DAY, sogni("10"), 52],
      [f.E0 + 40n * W + HOUR, sogni("500"), 1],
      [f.E0 + 45n * W, 0n, 30],
      [f.E0 + 46n * W - 1n, sogni("1"), 2],
      [f.E0 + 76n * W + 5n * DAY, 0n, 3],
      [f.E0 + 80n * W + DAY, 0n, 1],
      [f.E0 + 80n * W + 2n * DAY, sogni("7"), 52],
      [f.E0 + 131n * W, sogni("2"), 1],
    ];
    let model = EMPTY_LOCK;
    expect(() => applyStake(model, { amount: 0n, lockWeeks: 1, timestamp: epochZero, epochZero })).toThrow(/NothingToLock/);
    for (const [at, amount, lockWeeks] of steps) {
      const staked = await stakeAt(f, at, alice, amount, BigInt(lockWeeks));
      model = applyStake(model, { amount, lockWeeks, timestamp: Number(at), epochZero });
      const chain = { amount: staked.amount, lockWeeks: Number(staked.lockWeeks), effectiveFrom: Number(staked.effectiveFrom), unlockAt: Number(staked.unlockAt) };
      expect(chain, `stake(${amount}, ${lockWeeks}) at E0 + ${at - f.E0} s`).toEqual(model);
    }
  });
});

describe("SPEC 7: after unlockAt the whole balance is locked afresh", () => {
  it("100 @ 1w (unlock E0 + 2W), then 30 @ 3w exactly at E0 + 2W: 130 @ 3w from E0 + 3W, unlock E0 + 6W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 1n);
    const staked = await stakeAt(f, f.E0 + 2n * W, alice, sogni("30"), 3n);
    expect(staked).toEqual({
      account: getAddress(alice.account.address),
      added: sogni("30"),
      amount: sogni("130"),
      lockWeeks: 3n,
      effectiveFrom: f.E0 + 3n * W,
      unlockAt: f.E0 + 6n * W,
    });
  });

  it("a fresh lock takes the new weeks, not the max: 100 @ 10w expired, then 1 @ 2w at E0 + 20W + 3d: 101 @ 2w, unlock E0 + 23W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 20n * W + 3n * DAY, alice, sogni("1"), 2n);
    expect([staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      sogni("101"),
      2n,
      f.E0 + 21n * W,
      f.E0 + 23n * W,
    ]);
  });
});

describe("SPEC 7: unstake returns everything once unlockAt has passed; no early exit", () => {
  it("100 @ 2w (unlock E0 + 3W): unstake at E0 + 3W - 1 reverts StillLocked(E0 + 3W)", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 2n);
    await expectRevert(unstakeAt(f, f.E0 + 3n * W - 1n, alice), "StillLocked", [f.E0 + 3n * W]);
  });

  it("a top-up (50 @ 1w) and a later unstake: 150 SOGNI back at unlockAt E0 + 3W, Unstaked(alice, 150), lock cleared", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 2n);
    await stakeAt(f, f.E0 + 2n * DAY, alice, sogni("50"), 1n);
    const receipt = await unstakeAt(f, f.E0 + 3n * W, alice);
    expect(eventsOf(f.staking.abi, receipt, "Unstaked")).toEqual([
      { account: getAddress(alice.account.address), amount: sogni("150") },
    ]);
    expect(await f.token.read.balanceOf([alice.account.address])).toBe(sogni("1000"));
    expect(await f.token.read.balanceOf([f.staking.address])).toBe(0n);
    expect(await lockOf(f, alice)).toEqual({ amount: 0n, lockWeeks: 0n, effectiveFrom: 0n, unlockAt: 0n });
  });

  it("a second unstake reverts NothingStaked; so does bob's, who never staked", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 1n);
    await unstakeAt(f, f.E0 + 2n * W, alice);
    await expectRevert(unstakeAt(f, f.E0 + 2n * W + 1n, alice), "NothingStaked");
    await expectRevert(unstakeAt(f, f.E0 + 2n * W + 2n, bob), "NothingStaked");
  });

  it("after an unstake, a new stake of 20 @ 1w locks 20 SOGNI only", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 1n);
    await unstakeAt(f, f.E0 + 2n * W, alice);
    const staked = await stakeAt(f, f.E0 + 2n * W + HOUR, alice, sogni("20"), 1n);
    expect([staked.amount, staked.effectiveFrom, staked.unlockAt]).toEqual([sogni("20"), f.E0 + 3n * W, f.E0 + 4n * W]);
  });

  it("bob's unlocked lock does not free alice's live one: bob withdraws 7 at E0 + 2W, alice still StillLocked until E0 + 5W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 4n);
    await stakeAt(f, f.E0 + 2n * DAY, bob, sogni("7"), 1n);
    await unstakeAt(f, f.E0 + 2n * W, bob);
    expect(await f.token.read.balanceOf([bob.account.address])).toBe(sogni("1000"));
    await expectRevert(unstakeAt(f, f.E0 + 2n * W + 1n, alice), "StillLocked", [f.E0 + 5n * W]);
  });

  it("a staking contract for the zero token address cannot be deployed (ZeroAddress)", async () => {
    await expectRevert(viem.deployContract("SogniStaking", [zeroAddress, 0n]), "ZeroAddress");
  });
});
