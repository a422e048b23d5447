// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SeasonDistributor, SeasonTerms} from "../SeasonDistributor.sol";
import {SogniToken} from "../SogniToken.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {TestBase, TestMerkle} from "./TestKit.t.sol";

/// @notice SPEC 5 and 7, fuzzed: for any tree of random allocations, claiming every leaf pays exactly
/// each amount, the sum paid never exceeds the funded total, and no index pays twice.
contract SeasonDistributorFuzzTest is TestBase {
    struct Season {
        SogniToken token;
        SeasonDistributor distributor;
        address[] accounts;
        uint256[] amounts;
        bytes32[] leaves;
        uint256 total;
    }

    /// @dev 2..16 leaves; amounts up to 10^9 SOGNI, some of them zero; accounts derived from the seed.
    function _season(uint256 seed, uint256 size, uint256 extraFunding) internal returns (Season memory s) {
        s.accounts = new address[](size);
        s.amounts = new uint256[](size);
        s.leaves = new bytes32[](size);
        for (uint256 i; i < size; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            s.accounts[i] = address(uint160(uint256(keccak256(abi.encode("account", seed, i)))));
            s.amounts[i] = r % 7 == 0 ? 0 : r % 1e27;
            s.leaves[i] = TestMerkle.leaf(i, s.accounts[i], s.amounts[i]);
            s.total += s.amounts[i];
        }
        s.token = new SogniToken();
        s.distributor = new SeasonDistributor(s.token, TestMerkle.root(s.leaves), 0, address(this));
        s.token.mint(address(s.distributor), s.total + extraFunding);
    }

    /// hardhat-config: fuzz.runs = 128
    function testFuzz_everyLeafPaysItsAmountOnceInAnyOrder(uint256 seed, uint256 sizeSeed, uint256 extra) public {
        uint256 size = bound(sizeSeed, 2, 16);
        extra = bound(extra, 0, 1e24);
        Season memory s = _season(seed, size, extra);
        uint256 funded = s.total + extra;

        // A seed-driven permutation of the indices: claims in a random order.
        uint256[] memory order = new uint256[](size);
        for (uint256 i; i < size; ++i) order[i] = i;
        for (uint256 i = size - 1; i > 0; --i) {
            uint256 j = uint256(keccak256(abi.encode("order", seed, i))) % (i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        uint256 paid;
        for (uint256 k; k < size; ++k) {
            uint256 i = order[k];
            bytes32[] memory proof = TestMerkle.proof(s.leaves, i);
            uint256 before = s.token.balanceOf(s.accounts[i]);
            s.distributor.claim(i, s.accounts[i], s.amounts[i], proof);
            assertEq(s.token.balanceOf(s.accounts[i]) - before, s.amounts[i], "claim pays the leaf amount");
            paid += s.amounts[i];
            assertTrue(paid <= s.total, "paid never exceeds the allocations");
            assertEq(s.token.balanceOf(address(s.distributor)), funded - paid, "distributor keeps the rest");

            // The same index never pays twice, whoever asks.
            vm.expectRevert(abi.encodeWithSelector(SeasonDistributor.AlreadyClaimed.selector, i));
            s.distributor.claim(i, s.accounts[i], s.amounts[i], proof);
        }
        assertEq(paid, s.total, "all leaves together pay the total");
        assertEq(s.token.balanceOf(address(s.distributor)), extra, "only the surplus is left");
        for (uint256 i; i < size; ++i) assertTrue(s.distributor.isClaimed(i), "every index is claimed");
    }

    /// hardhat-config: fuzz.runs = 128
    function testFuzz_aLeafWithAnyOtherAmountOrIndexIsRejected(
        uint256 seed,
        uint256 sizeSeed,
        uint256 pick,
        uint256 delta,
        uint256 otherIndex
    ) public {
        uint256 size = bound(sizeSeed, 2, 16);
        Season memory s = _season(seed, size, 1e24);
        uint256 i = pick % size;
        bytes32[] memory proof = TestMerkle.proof(s.leaves, i);
        vm.assume(delta != 0);
        uint256 wrongAmount;
        unchecked {
            wrongAmount = s.amounts[i] + delta;
        }
        vm.expectRevert(abi.encodeWithSelector(SeasonDistributor.InvalidProof.selector));
        s.distributor.claim(i, s.accounts[i], wrongAmount, proof);

        vm.assume(otherIndex != i);
        vm.expectRevert(abi.encodeWithSelector(SeasonDistributor.InvalidProof.selector));
        s.distributor.claim(otherIndex, s.accounts[i], s.amounts[i], proof);

        assertTrue(!s.distributor.isClaimed(i), "a rejected claim marks nothing");
        assertEq(s.token.balanceOf(address(s.distributor)), s.total + 1e24, "a rejected claim pays nothing");
    }

    /// hardhat-config: fuzz.runs = 64
    function testFuzz_deadlineSplitsClaimAndSweep(uint64 deadline, uint256 at) public {
        deadline = uint64(bound(deadline, block.timestamp + 1, type(uint64).max - 1)); // in the future
        at = bound(at, 1, uint256(deadline) * 2);
        SogniToken token = new SogniToken();
        bytes32[] memory leaves = new bytes32[](1);
        leaves[0] = TestMerkle.leaf(0, address(0xA11CE), 5);
        SeasonDistributor distributor = new SeasonDistributor(token, leaves[0], deadline, address(this));
        token.mint(address(distributor), 8);
        vm.warp(at);
        if (at <= deadline) {
            vm.expectRevert(abi.encodeWithSelector(SeasonDistributor.SweepNotYetAllowed.selector, deadline));
            distributor.sweep(address(0xBEEF));
            distributor.claim(0, address(0xA11CE), 5, new bytes32[](0));
            assertEq(token.balanceOf(address(0xA11CE)), 5, "claim before the deadline pays");
        } else {
            vm.expectRevert(abi.encodeWithSelector(SeasonDistributor.ClaimWindowClosed.selector, deadline));
            distributor.claim(0, address(0xA11CE), 5, new bytes32[](0));
            distributor.sweep(address(0xBEEF));
            assertEq(token.balanceOf(address(0xBEEF)), 8, "sweep after the deadline takes everything");
        }
    }
    /// @dev SPEC 7: a non-zero deadline at or before the deployment's block.timestamp is refused with
    /// DeadlineInPast(deadline, now); one second later or more, or 0 (no deadline), deploys.
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_aDeadlineNotInTheFutureIsRefused(uint256 now_, uint256 deadline) public {
        now_ = bound(now_, 1, type(uint64).max - 1);
        vm.warp(now_);
        SogniToken token = new SogniToken();
        uint64 past = uint64(bound(deadline, 1, now_));
        vm.expectRevert(abi.encodeWithSelector(SeasonTerms.DeadlineInPast.selector, past, now_));
        new SeasonDistributor(token, bytes32(0), past, address(this));

        uint64 future = uint64(bound(deadline, now_ + 1, type(uint64).max));
        assertEq(new SeasonDistributor(token, bytes32(0), future, address(this)).claimDeadline(), future, "future");
        assertEq(new SeasonDistributor(token, bytes32(0), 0, address(this)).claimDeadline(), 0, "no deadline");
    }

    /// @dev SPEC 7: ownership moves in two steps (the old owner keeps it until the new one accepts, and
    /// only the pending owner may accept) and renounceOwnership always reverts, whoever calls it.
    /// hardhat-config: fuzz.runs = 128
    function testFuzz_ownershipMovesInTwoStepsAndIsNeverRenounced(address next, address stranger) public {
        vm.assume(next != address(0) && next != address(this) && stranger != next);
        SeasonDistributor distributor = new SeasonDistributor(new SogniToken(), bytes32(0), 0, address(this));

        distributor.transferOwnership(next);
        assertTrue(distributor.owner() == address(this), "the owner stays until the new one accepts");
        assertTrue(distributor.pendingOwner() == next, "the new owner is pending");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        distributor.acceptOwnership();

        vm.prank(next);
        distributor.acceptOwnership();
        assertTrue(distributor.owner() == next && distributor.pendingOwner() == address(0), "moved on accept");

        for (uint256 i; i < 3; ++i) {
            address caller = i == 0 ? next : i == 1 ? stranger : address(this);
            vm.prank(caller);
            vm.expectRevert(abi.encodeWithSelector(SeasonDistributor.RenounceOwnershipDisabled.selector));
            distributor.renounceOwnership();
        }
        assertTrue(distributor.owner() == next, "still owned");
    }
}

/// @dev The invariant handler: claims random indices of a fixed 40-leaf tree in random order, tries
/// double claims, wrong amounts and renouncing ownership, and keeps ghost totals of what it saw paid.
contract DistributorHandler is TestBase {
    uint256 public constant SIZE = 40;
    SogniToken public immutable token;
    SeasonDistributor public immutable distributor;
    uint256 public immutable funded;
    address[] public accounts;
    uint256[] public amounts;
    bytes32[] internal leaves;
    uint256 public allocated;

    uint256 public ghostPaid;
    uint256 public claims;
    bool public ghostDoublePay;
    bool public ghostWrongAmountPaid;
    bool public ghostRenounced;
    mapping(uint256 => bool) public ghostClaimed;

    constructor() {
        leaves = new bytes32[](SIZE);
        for (uint256 i; i < SIZE; ++i) {
            address account = address(uint160(0x1000 + i));
            uint256 amount = (uint256(keccak256(abi.encode("amount", i))) % 1e24) + 1;
            accounts.push(account);
            amounts.push(amount);
            leaves[i] = TestMerkle.leaf(i, account, amount);
            allocated += amount;
        }
        token = new SogniToken();
        distributor = new SeasonDistributor(token, TestMerkle.root(leaves), 0, address(this));
        funded = allocated + 1e21; // a surplus, so overpaying would not be stopped by the balance
        token.mint(address(distributor), funded);
    }

    function claim(uint256 seed) external {
        uint256 i = seed % SIZE;
        bytes32[] memory proof = TestMerkle.proof(leaves, i);
        if (ghostClaimed[i]) {
            try distributor.claim(i, accounts[i], amounts[i], proof) {
                ghostDoublePay = true;
            } catch {}
            return;
        }
        distributor.claim(i, accounts[i], amounts[i], proof);
        ghostClaimed[i] = true;
        ghostPaid += amounts[i];
        ++claims;
    }

    /// @dev The handler owns the distributor; renouncing must never succeed.
    function tryRenounce() external {
        try distributor.renounceOwnership() {
            ghostRenounced = true;
        } catch {}
    }

    function claimWrongAmount(uint256 seed, uint256 delta) external {
        uint256 i = seed % SIZE;
        if (delta == 0) delta = 1;
        uint256 wrong;
        unchecked {
            wrong = amounts[i] + delta;
        }
        try distributor.claim(i, accounts[i], wrong, TestMerkle.proof(leaves, i)) {
            ghostWrongAmountPaid = true;
        } catch {}
    }
}

contract SeasonDistributorInvariantTest is TestBase {
    DistributorHandler internal handler;

    function setUp() public {
        handler = new DistributorHandler();
    }

    /// @dev Only the handler is called by the invariant fuzzer.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 60
     */
    function invariant_paidNeverExceedsFundedAndEachIndexPaysOnce() public view {
        SogniToken token = handler.token();
        SeasonDistributor distributor = handler.distributor();
        uint256 recipientsHold;
        for (uint256 i; i < handler.SIZE(); ++i) {
            uint256 held = token.balanceOf(handler.accounts(i));
            bool claimed = distributor.isClaimed(i);
            assertTrue(claimed == handler.ghostClaimed(i), "isClaimed matches the claims made");
            assertEq(held, claimed ? handler.amounts(i) : 0, "a recipient holds its amount iff claimed");
            recipientsHold += held;
        }
        assertEq(recipientsHold, handler.ghostPaid(), "recipients hold exactly what was paid");
        assertTrue(recipientsHold <= handler.allocated(), "paid never exceeds the allocations");
        assertEq(token.balanceOf(address(distributor)), handler.funded() - recipientsHold, "the rest stays");
        assertTrue(!handler.ghostDoublePay(), "no index paid twice");
        assertTrue(!handler.ghostWrongAmountPaid(), "no wrong amount paid");
        assertTrue(!handler.ghostRenounced(), "renounceOwnership never succeeded");
        assertTrue(distributor.owner() == address(handler), "the distributor keeps its owner");
    }
}
