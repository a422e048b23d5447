// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SogniStaking} from "../SogniStaking.sol";
import {SogniToken} from "../SogniToken.sol";
import {TestBase} from "./TestKit.t.sol";

/// @notice SPEC 7 staking rules, fuzzed: changes take effect at the next epoch start, a live lock
/// never shortens and its weeks are the whole weeks left, an expired one is locked afresh, a stake of 0
/// only extends or re-locks, and nothing leaves before unlockAt.
contract SogniStakingFuzzTest is TestBase {
    uint256 internal constant WEEK = 1 weeks;
    uint256 internal constant E0 = 1_760_000_000; // epochZero, a Thursday in 2025
    SogniToken internal token;
    SogniStaking internal staking;

    function setUp() public {
        token = new SogniToken();
        staking = new SogniStaking(token, E0);
        token.mint(address(this), type(uint128).max);
        token.approve(address(staking), type(uint256).max);
    }

    struct Lock {
        uint256 amount;
        uint256 weeks_;
        uint256 from;
        uint256 unlockAt;
    }

    function _lock() internal view returns (Lock memory l) {
        (l.amount, l.weeks_, l.from, l.unlockAt) = staking.locks(address(this));
    }

    function _checkEpochStart(uint256 e, uint256 t) internal pure {
        assertTrue(e > t, "e is strictly after now");
        assertEq((e - E0) % WEEK, 0, "e is an epoch boundary");
        assertTrue(t < E0 ? e == E0 : e - t <= WEEK, "e is the first boundary after now");
    }

    /// hardhat-config: fuzz.runs = 256
    function testFuzz_secondStakeFollowsTheRules(
        uint256 t1,
        uint256 a1,
        uint256 w1,
        uint256 gap,
        uint256 a2,
        uint256 w2
    ) public {
        t1 = bound(t1, E0 - 30 days, E0 + 200 * WEEK);
        a1 = bound(a1, 1, 1e30);
        a2 = bound(a2, 0, 1e30); // 0: extend or re-lock only
        w1 = bound(w1, 1, 52);
        w2 = bound(w2, 1, 52);
        gap = bound(gap, 0, 60 * WEEK);

        vm.warp(t1);
        staking.stake(a1, w1);
        Lock memory first = _lock();
        _checkEpochStart(first.from, t1);
        assertEq(first.amount, a1, "first stake amount");
        assertEq(first.weeks_, w1, "first stake weeks");
        assertEq(first.unlockAt, first.from + w1 * WEEK, "first unlockAt = e + weeks");

        uint256 t2 = t1 + gap;
        vm.warp(t2);
        staking.stake(a2, w2);
        Lock memory second = _lock();
        _checkEpochStart(second.from, t2);
        assertEq(second.amount, a1 + a2, "the whole balance stays staked");
        uint256 fresh = second.from + w2 * WEEK;
        assertGe(second.unlockAt, fresh, "unlockAt >= effectiveFrom + new lockWeeks");
        if (first.unlockAt > t2) {
            // live lock: never shortens
            assertGe(second.unlockAt, first.unlockAt, "a live lock never shortens");
            assertEq(second.unlockAt, fresh > first.unlockAt ? fresh : first.unlockAt, "unlockAt = max");
            assertEq(second.weeks_, (second.unlockAt - second.from) / WEEK, "weeks = whole weeks left");
        } else {
            // expired: locked afresh
            assertEq(second.weeks_, w2, "fresh lock takes the new weeks");
            assertEq(second.unlockAt, fresh, "fresh lock from e");
        }
        assertEq(token.balanceOf(address(staking)), a1 + a2, "the contract holds the stakes");
    }

    /// @dev SPEC 7's motivating case, fuzzed: 1 wei locked for 52 weeks at any time from epochZero on,
    /// then exactly `k` weeks later a large top-up for `w` weeks. The top-up's e is k weeks after the
    /// first e, so 52 - k whole weeks are left: the lock gets max(52 - k, w) weeks, never the 52 the 1 wei
    /// was locked for (unless k = 0).
    /// hardhat-config: fuzz.runs = 256
    function testFuzz_lateTopUpGetsOnlyTheWeeksLeft(uint256 t1, uint256 k, uint256 w) public {
        t1 = bound(t1, E0, E0 + 200 * WEEK);
        k = bound(k, 0, 51);
        w = bound(w, 1, 52);
        vm.warp(t1);
        staking.stake(1, 52);
        Lock memory first = _lock();

        vm.warp(t1 + k * WEEK);
        staking.stake(1_000_000e18, w);
        Lock memory second = _lock();
        assertEq(second.from, first.from + k * WEEK, "e moves by k weeks");
        uint256 left = 52 - k;
        assertEq(second.weeks_, w > left ? w : left, "weeks = max(weeks left, new weeks)");
        assertEq(second.unlockAt, w > left ? second.from + w * WEEK : first.unlockAt, "unlockAt = max");
        assertEq(second.amount, 1_000_000e18 + 1, "both stakes are locked");
    }

    /// @dev stake(0, w): on a live lock it only extends (no tokens move); on an expired lock it re-locks the
    /// balance for w weeks from e; with nothing staked it reverts NothingToLock.
    /// hardhat-config: fuzz.runs = 256
    function testFuzz_stakeOfZeroExtendsOrRelocksButNeedsABalance(
        uint256 t1,
        uint256 a1,
        uint256 w1,
        uint256 gap,
        uint256 w2
    ) public {
        t1 = bound(t1, E0 - 30 days, E0 + 200 * WEEK);
        a1 = bound(a1, 1, 1e30);
        w1 = bound(w1, 1, 52);
        w2 = bound(w2, 1, 52);
        gap = bound(gap, 0, 60 * WEEK);

        vm.warp(t1);
        vm.expectRevert(abi.encodeWithSelector(SogniStaking.NothingToLock.selector));
        staking.stake(0, w1);
        staking.stake(a1, w1);
        Lock memory first = _lock();

        uint256 t2 = t1 + gap;
        vm.warp(t2);
        uint256 held = token.balanceOf(address(this));
        staking.stake(0, w2);
        Lock memory second = _lock();
        assertEq(token.balanceOf(address(this)), held, "a stake of 0 moves no tokens");
        assertEq(second.amount, a1, "the amount stays");
        assertEq(second.weeks_, (second.unlockAt - second.from) / WEEK, "weeks = whole weeks left");
        uint256 fresh = second.from + w2 * WEEK;
        if (first.unlockAt > t2) {
            assertEq(second.unlockAt, fresh > first.unlockAt ? fresh : first.unlockAt, "only extends");
        } else {
            assertEq(second.unlockAt, fresh, "re-locks the balance from e");
            assertEq(second.weeks_, w2, "for the new weeks");
        }

        // After an unstake there is nothing left to lock again.
        vm.warp(second.unlockAt);
        staking.unstake();
        vm.expectRevert(abi.encodeWithSelector(SogniStaking.NothingToLock.selector));
        staking.stake(0, w2);
    }

    /// @dev Any sequence of up to 12 stakes (amounts sometimes 0, any weeks, gaps up to 8 weeks): after
    /// each, lockWeeks == (unlockAt - effectiveFrom) / 1 week exactly, 1 <= lockWeeks <= 52, and unlockAt
    /// never decreases.
    /// hardhat-config: fuzz.runs = 256
    function testFuzz_anySequenceKeepsWeeksEqualToWeeksLeft(uint256 seed, uint256 t1, uint256 count) public {
        vm.warp(bound(t1, E0 - 30 days, E0 + 200 * WEEK));
        count = bound(count, 1, 12);
        uint256 lastUnlock;
        for (uint256 i; i < count; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 amount = i == 0 || r % 3 == 0 ? (r >> 8) % 1e24 + 1 : 0;
            staking.stake(amount, (r >> 128) % 52 + 1);
            Lock memory l = _lock();
            assertEq((l.unlockAt - l.from) % WEEK, 0, "unlockAt is whole weeks after effectiveFrom");
            assertEq(l.weeks_, (l.unlockAt - l.from) / WEEK, "weeks = (unlockAt - effectiveFrom) / 1 week");
            assertTrue(l.weeks_ >= 1 && l.weeks_ <= 52, "weeks in [1, 52]");
            assertGe(l.unlockAt, lastUnlock, "unlockAt never decreases");
            lastUnlock = l.unlockAt;
            vm.warp(block.timestamp + (r >> 64) % (8 * WEEK));
        }
    }

    /// hardhat-config: fuzz.runs = 256
    function testFuzz_noEarlyExit(uint256 t1, uint256 w, uint256 wait) public {
        t1 = bound(t1, E0 - 30 days, E0 + 200 * WEEK);
        w = bound(w, 1, 52);
        vm.warp(t1);
        staking.stake(1e18, w);
        uint256 unlockAt = _lock().unlockAt;
        wait = bound(wait, t1, unlockAt + 2 * WEEK);
        vm.warp(wait);
        if (wait < unlockAt) {
            vm.expectRevert(abi.encodeWithSelector(SogniStaking.StillLocked.selector, unlockAt));
            staking.unstake();
        } else {
            uint256 before = token.balanceOf(address(this));
            staking.unstake();
            assertEq(token.balanceOf(address(this)) - before, 1e18, "unstake returns everything");
        }
    }

    /// hardhat-config: fuzz.runs = 128
    function testFuzz_lockWeeksOutsideOneTo52Reverts(uint256 w) public {
        vm.assume(w == 0 || w > 52);
        vm.expectRevert(abi.encodeWithSelector(SogniStaking.InvalidLockWeeks.selector, w));
        staking.stake(1, w);
    }
}

/// @dev The invariant handler: three wallets stake (sometimes 0 tokens), unstake and wait in random
/// order; ghost bookkeeping records what each holds and flags any shortened lock, early exit, stake of
/// nothing accepted or valid stake refused.
contract StakingHandler is TestBase {
    SogniToken public immutable token;
    SogniStaking public immutable staking;
    address[3] public wallets = [address(0xA1), address(0xB2), address(0xC3)];
    mapping(address => uint256) public ghostStaked;
    uint256 public ghostTotal;
    bool public ghostShortened;
    bool public ghostEarlyExit;
    bool public ghostLockedNothing;
    bool public ghostRefused;
    uint256 public now_ = 1_760_000_000 - 3 days;

    constructor(SogniToken token_, SogniStaking staking_) {
        token = token_;
        staking = staking_;
        for (uint256 i; i < 3; ++i) {
            vm.prank(wallets[i]);
            token.approve(address(staking), type(uint256).max);
        }
    }

    function wait(uint256 seconds_) external {
        now_ += bound(seconds_, 0, 3 weeks);
        vm.warp(now_);
    }

    /// @dev One stake in four is of 0 tokens (extend or re-lock); with nothing staked it must revert.
    function stake(uint256 who, uint256 amount, uint256 lockWeeks) external {
        address wallet = wallets[who % 3];
        amount = amount % 4 == 0 ? 0 : bound(amount, 1, 1e24);
        lockWeeks = bound(lockWeeks, 1, 52);
        vm.warp(now_);
        (uint256 before,,, uint256 unlockBefore) = staking.locks(wallet);
        vm.prank(wallet);
        try staking.stake(amount, lockWeeks) {
            if (before == 0 && amount == 0) ghostLockedNothing = true;
        } catch {
            if (before != 0 || amount != 0) ghostRefused = true;
            return;
        }
        (,,, uint256 unlockAfter) = staking.locks(wallet);
        if (unlockAfter < unlockBefore) ghostShortened = true;
        ghostStaked[wallet] += amount;
        ghostTotal += amount;
    }

    function unstake(uint256 who) external {
        address wallet = wallets[who % 3];
        vm.warp(now_);
        (uint256 amount,,, uint256 unlockAt) = staking.locks(wallet);
        vm.prank(wallet);
        try staking.unstake() {
            if (now_ < unlockAt) ghostEarlyExit = true;
            ghostStaked[wallet] -= amount;
            ghostTotal -= amount;
        } catch {}
    }
}

contract SogniStakingInvariantTest is TestBase {
    StakingHandler internal handler;

    function setUp() public {
        SogniToken token = new SogniToken();
        SogniStaking staking = new SogniStaking(token, 1_760_000_000);
        token.mint(address(0xA1), 1e30);
        token.mint(address(0xB2), 1e30);
        token.mint(address(0xC3), 1e30);
        handler = new StakingHandler(token, staking);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 60
     */
    function invariant_locksHoldTheTokensNeverShortenAndNeverExitEarly() public view {
        SogniStaking staking = handler.staking();
        uint256 sum;
        for (uint256 i; i < 3; ++i) {
            address wallet = handler.wallets(i);
            (uint256 amount, uint256 weeks_, uint256 from, uint256 unlockAt) = staking.locks(wallet);
            assertEq(amount, handler.ghostStaked(wallet), "each lock holds what its wallet staked");
            if (amount != 0) {
                assertTrue(weeks_ >= 1 && weeks_ <= 52, "weeks in [1, 52]");
                assertEq((from - staking.epochZero()) % 1 weeks, 0, "effectiveFrom is an epoch start");
                assertTrue(unlockAt > from, "unlockAt after effectiveFrom");
                assertEq(weeks_, (unlockAt - from) / 1 weeks, "weeks = (unlockAt - effectiveFrom) / 1 week");
            }
            sum += amount;
        }
        assertEq(handler.token().balanceOf(address(staking)), sum, "the contract holds exactly the locks");
        assertEq(sum, handler.ghostTotal(), "ghost total");
        assertTrue(!handler.ghostShortened(), "no stake moved unlockAt earlier");
        assertTrue(!handler.ghostEarlyExit(), "nobody left before unlockAt");
        assertTrue(!handler.ghostLockedNothing(), "stake(0, w) with nothing staked was refused");
        assertTrue(!handler.ghostRefused(), "every stake with something to lock went through");
    }
}
