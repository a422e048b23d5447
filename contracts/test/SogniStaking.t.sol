// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SogniStaking} from "../SogniStaking.sol";
import {SogniToken} from "../SogniToken.sol";
import {TestBase} from "./TestKit.t.sol";

/// @notice SPEC 7 staking rules, fuzzed: changes take effect at the next epoch start, a live lock
/// never shortens, an expired one is locked afresh, and nothing leaves before unlockAt.
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
        a2 = bound(a2, 1, 1e30);
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
            assertEq(second.weeks_, w1 > w2 ? w1 : w2, "weeks = max");
            assertEq(second.unlockAt, fresh > first.unlockAt ? fresh : first.unlockAt, "unlockAt = max");
        } else {
            // expired: locked afresh
            assertEq(second.weeks_, w2, "fresh lock takes the new weeks");
            assertEq(second.unlockAt, fresh, "fresh lock from e");
        }
        assertEq(token.balanceOf(address(staking)), a1 + a2, "the contract holds the stakes");
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

/// @dev The invariant handler: three wallets stake, unstake and wait in random order; ghost
/// bookkeeping records what each holds and flags any shortened lock or early exit.
contract StakingHandler is TestBase {
    SogniToken public immutable token;
    SogniStaking public immutable staking;
    address[3] public wallets = [address(0xA1), address(0xB2), address(0xC3)];
    mapping(address => uint256) public ghostStaked;
    uint256 public ghostTotal;
    bool public ghostShortened;
    bool public ghostEarlyExit;
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

    function stake(uint256 who, uint256 amount, uint256 lockWeeks) external {
        address wallet = wallets[who % 3];
        amount = bound(amount, 1, 1e24);
        lockWeeks = bound(lockWeeks, 1, 52);
        vm.warp(now_);
        (,,, uint256 unlockBefore) = staking.locks(wallet);
        vm.prank(wallet);
        staking.stake(amount, lockWeeks);
        (,,, uint256 unlockAfter) = staking.locks(wallet);
        if (unlockBefore > now_ && unlockAfter < unlockBefore) ghostShortened = true;
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
            }
            sum += amount;
        }
        assertEq(handler.token().balanceOf(address(staking)), sum, "the contract holds exactly the locks");
        assertEq(sum, handler.ghostTotal(), "ghost total");
        assertTrue(!handler.ghostShortened(), "a live lock never shortened");
        assertTrue(!handler.ghostEarlyExit(), "nobody left before unlockAt");
    }
}
