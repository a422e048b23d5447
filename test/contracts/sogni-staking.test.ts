/**
 * SPEC sections 2 and 7: SogniStaking. Times are written relative to the
 * contract's epochZero E0 (set 10 days after the fixture's block) in weeks W
 * of 604,800 s; amounts in whole SOGNI.
 */
import { describe, expect, it } from "vitest";
import { network } from "hardhat";
import { getAddress, maxUint256, parseEther, zeroAddress } from "viem";
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

describe("SPEC 7: 1 <= lockWeeks <= 52, amount > 0", () => {
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

  it("a stake of 0 SOGNI reverts ZeroAmount", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await expectRevert(stakeAt(f, f.E0 + DAY, alice, 0n, 4n), "ZeroAmount");
  });

  it("the staked tokens move: alice 1000 -> 900 SOGNI, the contract holds 100", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 4n);
    expect(await f.token.read.balanceOf([alice.account.address])).toBe(sogni("900"));
    expect(await f.token.read.balanceOf([f.staking.address])).toBe(sogni("100"));
  });
});

describe("SPEC 7: a top-up of a live lock adds the amount, weeks = max, unlockAt = max (never shortens)", () => {
  it("100 @ 4w at E0 + 1d (unlock E0 + 5W), then 50 @ 2w at E0 + 2W + 1h: 150 @ 4w from E0 + 3W, unlock stays E0 + 5W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 4n);
    const staked = await stakeAt(f, f.E0 + 2n * W + HOUR, alice, sogni("50"), 2n);
    expect(staked).toEqual({
      account: getAddress(alice.account.address),
      added: sogni("50"),
      amount: sogni("150"),
      lockWeeks: 4n,
      effectiveFrom: f.E0 + 3n * W,
      unlockAt: f.E0 + 5n * W,
    });
    expect(await lockOf(f, alice)).toEqual({ amount: sogni("150"), lockWeeks: 4n, effectiveFrom: f.E0 + 3n * W, unlockAt: f.E0 + 5n * W });
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

  it("shorter top-up: 100 @ 10w (unlock E0 + 11W), then 1 @ 3w at E0 + 5W + 1s (e + 3W = E0 + 9W): weeks stay 10, unlock stays E0 + 11W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 5n * W + 1n, alice, sogni("1"), 3n);
    expect([staked.amount, staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([
      sogni("101"),
      10n,
      f.E0 + 6n * W,
      f.E0 + 11n * W,
    ]);
  });

  it("longer top-up late in a lock: 100 @ 10w (unlock E0 + 11W), then 1 @ 8w at E0 + 9W + 1s: weeks max(10, 8) = 10, unlock E0 + 10W + 8W = E0 + 18W", async () => {
    const f = await networkHelpers.loadFixture(stakingFixture);
    await stakeAt(f, f.E0 + DAY, alice, sogni("100"), 10n);
    const staked = await stakeAt(f, f.E0 + 9n * W + 1n, alice, sogni("1"), 8n);
    expect([staked.lockWeeks, staked.effectiveFrom, staked.unlockAt]).toEqual([10n, f.E0 + 10n * W, f.E0 + 18n * W]);
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

  it("a top-up before the first state takes effect: 100 @ 4w at E0 - 2d, then 50 @ 2w at E0 - 1d: 150 @ 4w from E0, unlock E0 + 4W", async () => {
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
