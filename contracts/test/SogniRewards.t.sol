// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SogniRewards, RewardsLedger} from "../SogniRewards.sol";
import {SogniToken} from "../SogniToken.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {TestBase, TestMerkle} from "./TestKit.t.sol";

/// @dev The SPEC 8.2 leaf: keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative)))).
/// The tree itself is TestKit's (sorted pairs, odd node carried up); leaf order does not matter on-chain.
library CumulativeLeaf {
    function hash(address account, uint256 cumulative) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
    }

    function leaves(address[] memory accounts, uint256[] memory cumulative) internal pure returns (bytes32[] memory out) {
        out = new bytes32[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) out[i] = hash(accounts[i], cumulative[i]);
    }
}

/// @notice SPEC 8.3, fuzzed: cumulative roots in series pay each account exactly its latest cumulative
/// amount, accept refuses exactly the roots it cannot pay, withdrawSurplus never reaches what is owed,
/// the timelock holds to the second, and only the named roles propose, revoke and withdraw.
contract SogniRewardsFuzzTest is TestBase {
    uint256 internal constant TIMELOCK = 2 days;
    bytes32 internal constant DATA = keccak256("publication manifest");

    SogniToken internal token;
    SogniRewards internal rewards;

    function setUp() public {
        token = new SogniToken();
        rewards = new SogniRewards(token, address(this), TIMELOCK);
    }

    function _accounts(uint256 seed, uint256 size) internal pure returns (address[] memory accounts) {
        accounts = new address[](size);
        for (uint256 i; i < size; ++i) {
            accounts[i] = address(uint160(uint256(keccak256(abi.encode("account", seed, i)))));
        }
    }

    function _sum(uint256[] memory values) internal pure returns (uint256 total) {
        for (uint256 i; i < values.length; ++i) total += values[i];
    }

    /// @dev Proposes, funds what is missing (balance + totalClaimed up to `total`), waits, accepts.
    function _publish(bytes32 root, uint256 total) internal {
        rewards.propose(root, DATA, total);
        uint256 available = token.balanceOf(address(rewards)) + rewards.totalClaimed();
        if (available < total) token.mint(address(rewards), total - available);
        vm.warp(block.timestamp + TIMELOCK);
        rewards.accept();
    }

    /// @dev 2..10 accounts, 1..4 publications, each raising some cumulative amounts (never lowering one);
    /// after each publication a seed-chosen subset claims, and every claim pays exactly the cumulative
    /// amount minus what that account had claimed. At the end everyone claims: each holds its last
    /// cumulative amount and the exactly funded contract is empty.
    /// hardhat-config: fuzz.runs = 96
    function testFuzz_everyAccountEndsWithItsLastCumulativeAmount(uint256 seed, uint256 sizeSeed, uint256 roundsSeed) public {
        uint256 size = bound(sizeSeed, 2, 10);
        uint256 rounds = bound(roundsSeed, 1, 4);
        address[] memory accounts = _accounts(seed, size);
        uint256[] memory cumulative = new uint256[](size);
        bytes32[] memory leaves;

        for (uint256 round; round < rounds; ++round) {
            for (uint256 i; i < size; ++i) {
                uint256 r = uint256(keccak256(abi.encode("raise", seed, round, i)));
                if (r % 3 != 0) cumulative[i] += r % 1e24;
            }
            leaves = CumulativeLeaf.leaves(accounts, cumulative);
            _publish(TestMerkle.root(leaves), _sum(cumulative));
            for (uint256 i; i < size; ++i) {
                if (uint256(keccak256(abi.encode("claims now", seed, round, i))) % 2 == 0) continue;
                uint256 before = rewards.claimed(accounts[i]);
                if (cumulative[i] <= before) continue;
                rewards.claim(accounts[i], cumulative[i], TestMerkle.proof(leaves, i));
                assertEq(token.balanceOf(accounts[i]), cumulative[i], "an account holds its cumulative amount");
                assertEq(rewards.claimed(accounts[i]), cumulative[i], "claimed = the cumulative amount");
            }
        }
        for (uint256 i; i < size; ++i) {
            bytes32[] memory proof = TestMerkle.proof(leaves, i);
            if (rewards.claimed(accounts[i]) < cumulative[i]) rewards.claim(accounts[i], cumulative[i], proof);
            assertEq(token.balanceOf(accounts[i]), cumulative[i], "in the end every account holds its amount");
            vm.expectRevert(
                abi.encodeWithSelector(SogniRewards.NothingToClaim.selector, accounts[i], cumulative[i], cumulative[i])
            );
            rewards.claim(accounts[i], cumulative[i], proof);
        }
        assertEq(rewards.totalClaimed(), _sum(cumulative), "totalClaimed = the sum of the last cumulative amounts");
        assertEq(token.balanceOf(address(rewards)), 0, "exactly funded: nothing left");
    }

    /// @dev After a first root and some claims, a second root of any larger total goes live iff the
    /// contract's balance plus what was already claimed covers it; otherwise NotFunded(total, available).
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_acceptRefusesExactlyTheRootsItCannotPay(uint256 firstTotal, uint256 paid, uint256 raise, uint256 funding) public {
        firstTotal = bound(firstTotal, 1, 1e27);
        paid = bound(paid, 0, firstTotal);
        address account = address(0xA11CE);
        bytes32 firstRoot = CumulativeLeaf.hash(account, paid); // a one-leaf tree: the root is the leaf
        _publish(firstRoot, firstTotal);
        if (paid != 0) rewards.claim(account, paid, new bytes32[](0));

        uint256 secondTotal = firstTotal + bound(raise, 0, 1e27);
        funding = bound(funding, 0, secondTotal);
        rewards.propose(keccak256(abi.encode("second", secondTotal)), DATA, secondTotal);
        token.mint(address(rewards), funding);
        vm.warp(block.timestamp + TIMELOCK);
        uint256 available = token.balanceOf(address(rewards)) + paid;
        if (available < secondTotal) {
            vm.expectRevert(abi.encodeWithSelector(SogniRewards.NotFunded.selector, secondTotal, available));
            rewards.accept();
            assertTrue(rewards.root() == firstRoot, "the first root stays live");
        } else {
            rewards.accept();
            assertEq(rewards.total(), secondTotal, "the second root is live");
            assertGe(token.balanceOf(address(rewards)), secondTotal - rewards.totalClaimed(), "and fully covered");
        }
    }

    /// @dev With a root live and part of it claimed, withdrawSurplus(amount) succeeds iff amount is at most
    /// balance - (total - totalClaimed); afterwards the contract still holds at least what it owes.
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_withdrawSurplusNeverTouchesWhatIsOwed(uint256 total, uint256 paid, uint256 extra, uint256 amount) public {
        total = bound(total, 1, 1e27);
        paid = bound(paid, 0, total);
        extra = bound(extra, 0, 1e24);
        address account = address(0xB0B);
        _publish(CumulativeLeaf.hash(account, paid), total);
        token.mint(address(rewards), extra);
        if (paid != 0) rewards.claim(account, paid, new bytes32[](0));

        uint256 owed = total - paid;
        uint256 balance = token.balanceOf(address(rewards));
        assertEq(balance, owed + extra, "held = owed + the extra");
        amount = bound(amount, 0, balance + 1);
        if (amount > extra) {
            vm.expectRevert(abi.encodeWithSelector(SogniRewards.InsufficientSurplus.selector, amount, extra));
            rewards.withdrawSurplus(address(0x7EA), amount);
        } else {
            rewards.withdrawSurplus(address(0x7EA), amount);
            assertEq(token.balanceOf(address(0x7EA)), amount, "the surplus went out");
        }
        assertGe(token.balanceOf(address(rewards)), owed, "what is owed never leaves");
    }

    /// @dev For any timelock up to 365 days and any wait, accept succeeds iff block.timestamp >= validAt.
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_acceptWaitsForTheTimelockToTheSecond(uint256 timelock, uint256 wait) public {
        timelock = bound(timelock, 0, 365 days);
        wait = bound(wait, 0, timelock + 1 days);
        SogniRewards timed = new SogniRewards(token, address(this), timelock);
        uint256 validAt = block.timestamp + timelock;
        timed.propose(keccak256("root"), DATA, 0);
        (,,, uint256 pendingValidAt) = timed.pending();
        assertEq(pendingValidAt, validAt, "validAt = now + timelock");
        vm.warp(block.timestamp + wait);
        if (block.timestamp < validAt) {
            vm.expectRevert(abi.encodeWithSelector(SogniRewards.TimelockNotExpired.selector, validAt, block.timestamp));
            timed.accept();
        } else {
            timed.accept();
            assertTrue(timed.root() == keccak256("root"), "accepted at or after validAt");
        }
    }

    /// @dev A timelock longer than 365 days is refused at deployment.
    /// hardhat-config: fuzz.runs = 64
    function testFuzz_aTimelockOverAYearIsRefused(uint256 timelock) public {
        timelock = bound(timelock, 365 days + 1, type(uint256).max - 1);
        vm.expectRevert(abi.encodeWithSelector(RewardsLedger.TimelockTooLong.selector, timelock, 365 days));
        new SogniRewards(token, address(this), timelock);
    }

    /// @dev Any leaf not in the live root (another cumulative amount, or another account) is InvalidProof.
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_aLeafWithAnyOtherAmountOrAccountIsRejected(uint256 seed, uint256 sizeSeed, uint256 pick, uint256 delta, address other) public {
        uint256 size = bound(sizeSeed, 2, 12);
        address[] memory accounts = _accounts(seed, size);
        uint256[] memory cumulative = new uint256[](size);
        for (uint256 k; k < size; ++k) cumulative[k] = uint256(keccak256(abi.encode("amount", seed, k))) % 1e27 + 1;
        bytes32[] memory leaves = CumulativeLeaf.leaves(accounts, cumulative);
        _publish(TestMerkle.root(leaves), _sum(cumulative));
        uint256 i = pick % size;
        bytes32[] memory proof = TestMerkle.proof(leaves, i);
        vm.assume(delta != 0 && other != accounts[i]);
        uint256 wrong;
        unchecked {
            wrong = cumulative[i] + delta;
        }
        vm.expectRevert(abi.encodeWithSelector(SogniRewards.InvalidProof.selector));
        rewards.claim(accounts[i], wrong, proof);
        vm.expectRevert(abi.encodeWithSelector(SogniRewards.InvalidProof.selector));
        rewards.claim(other, cumulative[i], proof);
        assertEq(rewards.totalClaimed(), 0, "a rejected claim pays nothing");
    }

    /// @dev Only the owner or a proposer proposes, only the owner or the guardian revokes, only the owner
    /// withdraws, names roles or hands over ownership, and nobody renounces it.
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_onlyTheNamedRolesActAndOwnershipIsNeverRenounced(address stranger, address proposer, address guardian) public {
        vm.assume(stranger != address(this) && proposer != address(this) && guardian != address(this));
        vm.assume(stranger != proposer && stranger != guardian && proposer != address(0) && guardian != address(0));
        rewards.setProposer(proposer, true);
        rewards.setGuardian(guardian);

        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(SogniRewards.NotOwnerOrProposer.selector, stranger));
        rewards.propose(keccak256("root"), DATA, 1);
        vm.prank(proposer);
        rewards.propose(keccak256("root"), DATA, 1);

        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(SogniRewards.NotOwnerOrGuardian.selector, stranger));
        rewards.revoke();
        if (proposer != guardian) {
            vm.prank(proposer);
            vm.expectRevert(abi.encodeWithSelector(SogniRewards.NotOwnerOrGuardian.selector, proposer));
            rewards.revoke();
        }
        vm.prank(guardian);
        rewards.revoke();

        for (uint256 k; k < 3; ++k) {
            address caller = k == 0 ? stranger : k == 1 ? proposer : guardian;
            vm.prank(caller);
            vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
            rewards.withdrawSurplus(caller, 0);
            vm.prank(caller);
            vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
            rewards.setGuardian(caller);
            vm.prank(caller);
            vm.expectRevert(abi.encodeWithSelector(SogniRewards.RenounceOwnershipDisabled.selector));
            rewards.renounceOwnership();
        }
        vm.expectRevert(abi.encodeWithSelector(SogniRewards.RenounceOwnershipDisabled.selector));
        rewards.renounceOwnership();
        assertTrue(rewards.owner() == address(this), "the owner stays");
    }
}

/// @dev The invariant handler, owner of a SogniRewards with a 1-day timelock: proposes roots (each
/// raising some of six accounts' cumulative amounts, sometimes declaring slack above their sum), funds,
/// waits, accepts, revokes (as owner or guardian), claims against the live root, tries claims against
/// revoked and pending roots, and withdraws surplus. Ghost flags record any outcome the rules forbid.
contract RewardsHandler is TestBase {
    uint256 public constant SIZE = 6;
    uint256 public constant TIMELOCK = 1 days;
    address public constant GUARDIAN = address(0x6A4D);
    address public constant TREASURY = address(0x7EA5);

    SogniToken public immutable token;
    SogniRewards public immutable rewards;
    address[] public accounts;

    /// @dev The cumulative amounts of every root ever proposed, by root.
    mapping(bytes32 root => uint256[]) internal cumulativeOf;
    bytes32[] internal revoked;
    bytes32 public ghostLiveRoot;
    /// @dev The pending root as the handler proposed it (zero once accepted or revoked).
    bytes32 public ghostPending;
    uint256 internal ghostPendingTotal;
    uint256 internal ghostValidAt;
    uint256 public now_;

    uint256 public calls;
    uint256 public accepts;
    uint256 public claimsPaid;
    uint256 public revokedTried;
    bool public ghostOverpaid;
    bool public ghostRevokedPaid;
    bool public ghostPendingPaid;
    bool public ghostAcceptWrong;
    bool public ghostWithdrawWrong;
    bool public ghostClaimRefused;

    constructor() {
        token = new SogniToken();
        rewards = new SogniRewards(token, address(this), TIMELOCK);
        rewards.setGuardian(GUARDIAN);
        for (uint256 i; i < SIZE; ++i) accounts.push(address(uint160(0xACC0 + i)));
        now_ = block.timestamp;
    }

    /// @notice The live root's cumulative amount of account `i` (0 before any root).
    function liveCumulative(uint256 i) public view returns (uint256) {
        return ghostLiveRoot == bytes32(0) ? 0 : cumulativeOf[ghostLiveRoot][i];
    }

    function _leaves(bytes32 root) internal view returns (bytes32[] memory) {
        address[] memory a = accounts;
        return CumulativeLeaf.leaves(a, cumulativeOf[root]);
    }

    function propose(uint256 seed, uint256 slack) external {
        ++calls;
        uint256[] memory next = new uint256[](SIZE);
        uint256 sum;
        for (uint256 i; i < SIZE; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            next[i] = liveCumulative(i) + (r % 3 == 0 ? 0 : r % 1e21);
            sum += next[i];
        }
        bytes32 root = TestMerkle.root(CumulativeLeaf.leaves(accounts, next));
        cumulativeOf[root] = next;
        uint256 total = sum + (slack % 4 == 0 ? slack % 1e20 : 0);
        uint256 liveTotal = rewards.total();
        if (total < liveTotal) total = liveTotal; // slack declared before may exceed the new sum's growth
        vm.warp(now_);
        rewards.propose(root, keccak256(abi.encode("manifest", root)), total);
        (ghostPending, ghostPendingTotal, ghostValidAt) = (root, total, now_ + TIMELOCK);
    }

    function fund(uint256 amount) external {
        ++calls;
        token.mint(address(rewards), bound(amount, 0, 4e21));
    }

    function wait(uint256 seconds_) external {
        ++calls;
        now_ += bound(seconds_, 0, 2 days);
        vm.warp(now_);
    }

    /// @dev Half the time the handler first waits until the pending root is due, and half the time it
    /// first sends what is missing, so that sequences reach several live roots. Whether accept should go
    /// through is decided from the handler's own record of the pending root, not from the contract's.
    function accept(uint256 mode) external {
        ++calls;
        if (mode % 2 == 0 && now_ < ghostValidAt) now_ = ghostValidAt;
        uint256 available = token.balanceOf(address(rewards)) + rewards.totalClaimed();
        if ((mode >> 1) % 2 == 0 && available < ghostPendingTotal) {
            token.mint(address(rewards), ghostPendingTotal - available);
        }
        vm.warp(now_);
        bool should = ghostPending != bytes32(0) && now_ >= ghostValidAt
            && token.balanceOf(address(rewards)) + rewards.totalClaimed() >= ghostPendingTotal;
        try rewards.accept() {
            if (!should || rewards.root() != ghostPending) ghostAcceptWrong = true;
            ghostLiveRoot = rewards.root();
            ghostPending = bytes32(0);
            ++accepts;
        } catch {
            if (should) ghostAcceptWrong = true;
        }
    }

    function revoke(bool asGuardian) external {
        ++calls;
        if (ghostPending == bytes32(0)) return;
        if (asGuardian) vm.prank(GUARDIAN);
        rewards.revoke();
        revoked.push(ghostPending);
        ghostPending = bytes32(0);
    }

    function claim(uint256 who) external {
        ++calls;
        uint256 i = who % SIZE;
        address account = accounts[i];
        uint256 cumulative = liveCumulative(i);
        uint256 before = rewards.claimed(account);
        if (ghostLiveRoot == bytes32(0) || cumulative <= before) return;
        uint256 held = token.balanceOf(account);
        try rewards.claim(account, cumulative, TestMerkle.proof(_leaves(ghostLiveRoot), i)) {
            if (token.balanceOf(account) - held != cumulative - before) ghostOverpaid = true;
            if (rewards.claimed(account) > cumulative) ghostOverpaid = true;
            ++claimsPaid;
        } catch {
            // Only a root whose leaves add up to more than its total may refuse a valid leaf; the
            // handler never proposes one.
            ghostClaimRefused = true;
        }
    }

    /// @dev A claim with a leaf and proof of a revoked root (other than the live one) never pays.
    function claimRevoked(uint256 who, uint256 pick) external {
        ++calls;
        if (revoked.length == 0) return;
        bytes32 root = revoked[pick % revoked.length];
        if (root == ghostLiveRoot) return;
        uint256 i = who % SIZE;
        ++revokedTried;
        try rewards.claim(accounts[i], cumulativeOf[root][i], TestMerkle.proof(_leaves(root), i)) {
            ghostRevokedPaid = true;
        } catch {}
    }

    /// @dev Nor does a leaf of the pending root before it is accepted.
    function claimPending(uint256 who) external {
        ++calls;
        bytes32 root = ghostPending;
        if (root == bytes32(0) || root == ghostLiveRoot) return;
        uint256 i = who % SIZE;
        try rewards.claim(accounts[i], cumulativeOf[root][i], TestMerkle.proof(_leaves(root), i)) {
            ghostPendingPaid = true;
        } catch {}
    }

    function withdraw(uint256 amount) external {
        ++calls;
        uint256 balance = token.balanceOf(address(rewards));
        amount = bound(amount, 0, balance + 1);
        uint256 owed = rewards.total() - rewards.totalClaimed();
        bool should = amount <= (balance > owed ? balance - owed : 0);
        try rewards.withdrawSurplus(TREASURY, amount) {
            if (!should) ghostWithdrawWrong = true;
        } catch {
            if (should) ghostWithdrawWrong = true;
        }
    }
}

contract SogniRewardsInvariantTest is TestBase {
    RewardsHandler internal handler;

    function setUp() public {
        handler = new RewardsHandler();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 80
     */
    function invariant_neverPaysPastTheLiveRootAndAlwaysHoldsWhatItOwes() public view {
        SogniRewards rewards = handler.rewards();
        SogniToken token = handler.token();
        uint256 claimedSum;
        for (uint256 i; i < handler.SIZE(); ++i) {
            address account = handler.accounts(i);
            uint256 claimed = rewards.claimed(account);
            assertTrue(claimed <= handler.liveCumulative(i), "no account claimed more than its live cumulative amount");
            assertEq(token.balanceOf(account), claimed, "an account holds exactly what it claimed");
            claimedSum += claimed;
        }
        assertEq(rewards.totalClaimed(), claimedSum, "totalClaimed = the sum of every account's claims");
        assertTrue(rewards.root() == handler.ghostLiveRoot(), "the live root is the last one accepted");
        (bytes32 pendingRoot,,,) = rewards.pending();
        assertTrue(pendingRoot == handler.ghostPending(), "the pending root is the last proposed, unless accepted or revoked");
        assertTrue(rewards.totalClaimed() <= rewards.total(), "never paid past the live total");
        if (rewards.root() != bytes32(0)) {
            assertGe(token.balanceOf(address(rewards)), rewards.total() - rewards.totalClaimed(), "holds what it owes");
        }
        assertTrue(!handler.ghostOverpaid(), "every claim paid exactly cumulative - claimed");
        assertTrue(!handler.ghostRevokedPaid(), "a revoked root never paid");
        assertTrue(!handler.ghostPendingPaid(), "a pending root never paid before it was accepted");
        assertTrue(!handler.ghostAcceptWrong(), "accept went through exactly when pending, due and funded");
        assertTrue(!handler.ghostWithdrawWrong(), "withdrawSurplus went through exactly up to the surplus");
        assertTrue(!handler.ghostClaimRefused(), "every valid claim with something to pay went through");
        assertTrue(rewards.owner() == address(handler), "the owner stays");
    }
}
