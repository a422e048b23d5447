// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title BaselineDistributor
/// @notice The gas baseline for bench/gas.ts: Uniswap's classic merkle-distributor
/// (github.com/Uniswap/merkle-distributor, contracts/MerkleDistributor.sol) as written there, index +
/// bitmap and nothing else (no deadline, no owner, no sweep), with only the leaf changed to the
/// project's encoding (SPEC section 5) so both contracts verify the same trees.
contract BaselineDistributor {
    using SafeERC20 for IERC20;

    error AlreadyClaimed();
    error InvalidProof();

    event Claimed(uint256 index, address account, uint256 amount);

    address public immutable token;
    bytes32 public immutable merkleRoot;

    // This is a packed array of booleans. (internal instead of Uniswap's private, only so that the
    // bench variants below can reuse it; visibility does not change the gas.)
    mapping(uint256 => uint256) internal claimedBitMap;

    constructor(address token_, bytes32 merkleRoot_) {
        token = token_;
        merkleRoot = merkleRoot_;
    }

    function isClaimed(uint256 index) public view returns (bool) {
        uint256 claimedWordIndex = index / 256;
        uint256 claimedBitIndex = index % 256;
        uint256 claimedWord = claimedBitMap[claimedWordIndex];
        uint256 mask = (1 << claimedBitIndex);
        return claimedWord & mask == mask;
    }

    function _setClaimed(uint256 index) internal {
        uint256 claimedWordIndex = index / 256;
        uint256 claimedBitIndex = index % 256;
        claimedBitMap[claimedWordIndex] = claimedBitMap[claimedWordIndex] | (1 << claimedBitIndex);
    }

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata merkleProof) public virtual {
        if (isClaimed(index)) revert AlreadyClaimed();

        // Verify the merkle proof.
        bytes32 node = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verify(merkleProof, merkleRoot, node)) revert InvalidProof();

        // Mark it claimed and send the token.
        _setClaimed(index);
        IERC20(token).safeTransfer(account, amount);

        emit Claimed(index, account, amount);
    }
}

/// @notice Bench variant: the baseline with only the proof check changed to
/// `MerkleProof.verifyCalldata` (hash the proof from calldata, no copy to memory).
contract BaselineCalldataProof is BaselineDistributor {
    using SafeERC20 for IERC20;

    constructor(address token_, bytes32 merkleRoot_) BaselineDistributor(token_, merkleRoot_) {}

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata merkleProof) public override {
        if (isClaimed(index)) revert AlreadyClaimed();
        bytes32 node = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(merkleProof, merkleRoot, node)) revert InvalidProof();
        _setClaimed(index);
        IERC20(token).safeTransfer(account, amount);
        emit Claimed(index, account, amount);
    }
}

/// @notice Bench variant: the baseline with only the bitmap access changed to one read and one write
/// of the word (no separate isClaimed/_setClaimed reads).
contract BaselineOneBitmapRead is BaselineDistributor {
    using SafeERC20 for IERC20;

    constructor(address token_, bytes32 merkleRoot_) BaselineDistributor(token_, merkleRoot_) {}

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata merkleProof) public override {
        uint256 wordIndex = index / 256;
        uint256 mask = 1 << (index % 256);
        uint256 word = claimedBitMap[wordIndex];
        if (word & mask != 0) revert AlreadyClaimed();
        bytes32 node = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verify(merkleProof, merkleRoot, node)) revert InvalidProof();
        claimedBitMap[wordIndex] = word | mask;
        IERC20(token).safeTransfer(account, amount);
        emit Claimed(index, account, amount);
    }
}
