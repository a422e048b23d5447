// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev The few Foundry cheatcodes these tests use (Hardhat 3's Solidity test runner serves them at
/// this address); declared here instead of importing forge-std, which this project does not install.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function assume(bool condition) external pure;
    function toString(uint256 value) external pure returns (string memory);
}

/// @dev Shared assertions: a failed one reverts with a message that names both values.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error AssertionFailed(string what, uint256 got, uint256 want);

    function assertEq(uint256 got, uint256 want, string memory what) internal pure {
        if (got != want) revert AssertionFailed(what, got, want);
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertionFailed(what, 0, 1);
    }

    function assertGe(uint256 got, uint256 floor, string memory what) internal pure {
        if (got < floor) revert AssertionFailed(what, got, floor);
    }

    /// @dev An integer in [min, max] from any fuzzed value (no rejected runs).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }
}

/// @dev The SPEC section 5 tree built in Solidity: leaf = keccak256(bytes.concat(keccak256(abi.encode(
/// index, account, amount)))), pairs hashed sorted, an odd node carried up unchanged (merkletreejs with
/// sortPairs: true). Quadratic and simple: fine for the 2..64 leaves of the fuzz tests.
library TestMerkle {
    function leaf(uint256 index, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
    }

    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 j; j < next.length; ++j) {
            next[j] = 2 * j + 1 < level.length ? hashPair(level[2 * j], level[2 * j + 1]) : level[2 * j];
        }
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = leaves;
        while (level.length > 1) level = _up(level);
        return level[0];
    }

    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory) {
        bytes32[] memory path = new bytes32[](256);
        uint256 depth;
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) path[depth++] = level[sibling];
            level = _up(level);
            index >>= 1;
        }
        bytes32[] memory out = new bytes32[](depth);
        for (uint256 k; k < depth; ++k) out[k] = path[k];
        return out;
    }
}
