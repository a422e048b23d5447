// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {WorkerPayouts} from "../WorkerPayouts.sol";
import {SogniToken} from "../SogniToken.sol";
import {TestBase} from "./TestKit.t.sol";

/// @notice SPEC 7 worker payouts, fuzzed: a batch pays each worker its amount and keeps nothing, and a
/// batch whose total does not fit in a uint256 fails with BatchTotalOverflow(position), not a panic.
contract WorkerPayoutsFuzzTest is TestBase {
    SogniToken internal token;
    WorkerPayouts internal payouts;

    function setUp() public {
        token = new SogniToken();
        payouts = new WorkerPayouts(token); // this test is the owner and the first payer
        token.approve(address(payouts), type(uint256).max);
    }

    /// @dev Three amounts, each anywhere in [1, 2^256 - 1] or, in half the runs, below 10^30 (so both
    /// outcomes are common). The batch reverts BatchTotalOverflow(i) at the first entry i whose running
    /// sum overflows; otherwise it pays exactly each amount and the contract keeps nothing.
    /// hardhat-config: fuzz.runs = 256
    function testFuzz_aBatchTotalThatOverflowsRevertsBatchTotalOverflow(uint256 batchId, uint256[3] memory raw)
        public
    {
        bool small = raw[0] % 2 == 0;
        address[] memory workers = new address[](3);
        uint256[] memory amounts = new uint256[](3);
        uint256 overflowAt = type(uint256).max; // none
        uint256 total;
        for (uint256 i; i < 3; ++i) {
            workers[i] = address(uint160(0x100 + i));
            amounts[i] = small ? bound(raw[i], 1, 1e30) : bound(raw[i], 1, type(uint256).max);
            if (overflowAt == type(uint256).max) {
                unchecked {
                    if (total + amounts[i] < total) overflowAt = i;
                    else total += amounts[i];
                }
            }
        }

        if (overflowAt != type(uint256).max) {
            vm.expectRevert(abi.encodeWithSelector(WorkerPayouts.BatchTotalOverflow.selector, overflowAt));
            payouts.payWorkers(batchId, workers, amounts);
            assertTrue(!payouts.batchPaid(batchId), "a failed batch is not marked paid");
            return;
        }
        token.mint(address(this), total);
        payouts.payWorkers(batchId, workers, amounts);
        for (uint256 i; i < 3; ++i) assertEq(token.balanceOf(workers[i]), amounts[i], "each worker gets its amount");
        assertEq(token.balanceOf(address(this)), 0, "the payer paid the total");
        assertEq(token.balanceOf(address(payouts)), 0, "the contract keeps nothing");
        assertTrue(payouts.batchPaid(batchId), "the batch is paid");
    }
}
