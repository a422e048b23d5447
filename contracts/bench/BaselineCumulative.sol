// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title BaselineCumulative
/// @notice The cumulative gas baseline for bench/gas.ts: the claim path of Morpho's Universal Rewards
/// Distributor (github.com/morpho-org/universal-rewards-distributor, src/UniversalRewardsDistributor.sol)
/// as written there, reduced to one token: a root the owner sets at once (no timelock, no pending root,
/// no funding check, no accounting of what is owed), `claimed[account]`, and a claim that pays
/// `claimable - claimed`. The leaf is SPEC 8.2's (account, cumulative), so it verifies the same trees as
/// `SogniRewards`; URD's `reward` argument is gone with the second token. Custom errors stand in for
/// URD's revert strings (the success path, which the bench measures, is the same).
contract BaselineCumulative {
    using SafeERC20 for IERC20;

    error NotOwner();
    error RootNotSet();
    error InvalidProof();
    error AlreadyClaimed();

    event RootSet(bytes32 indexed root);
    event Claimed(address indexed account, uint256 amount);

    address public immutable token;
    address public immutable owner;
    bytes32 public root;
    mapping(address account => uint256 amount) public claimed;

    constructor(address token_, address owner_) {
        token = token_;
        owner = owner_;
    }

    function setRoot(bytes32 newRoot) external {
        if (msg.sender != owner) revert NotOwner();
        root = newRoot;
        emit RootSet(newRoot);
    }

    function claim(address account, uint256 claimable, bytes32[] calldata proof) external virtual returns (uint256 amount) {
        if (root == bytes32(0)) revert RootNotSet();
        if (
            !MerkleProof.verifyCalldata(proof, root, keccak256(bytes.concat(keccak256(abi.encode(account, claimable)))))
        ) revert InvalidProof();

        amount = claimable - claimed[account];
        if (amount == 0) revert AlreadyClaimed();

        claimed[account] = claimable;

        IERC20(token).safeTransfer(account, amount);

        emit Claimed(account, amount);
    }
}

/// @notice Bench variant: the baseline plus one thing only, a running `totalClaimed` (what SPEC 8.3 needs
/// to know what is owed), to measure what that accounting costs a claim.
contract BaselineCumulativeTotalClaimed is BaselineCumulative {
    using SafeERC20 for IERC20;

    uint256 public totalClaimed;

    constructor(address token_, address owner_) BaselineCumulative(token_, owner_) {}

    function claim(address account, uint256 claimable, bytes32[] calldata proof) external override returns (uint256 amount) {
        if (root == bytes32(0)) revert RootNotSet();
        if (
            !MerkleProof.verifyCalldata(proof, root, keccak256(bytes.concat(keccak256(abi.encode(account, claimable)))))
        ) revert InvalidProof();

        amount = claimable - claimed[account];
        if (amount == 0) revert AlreadyClaimed();

        claimed[account] = claimable;
        totalClaimed += amount;

        IERC20(token).safeTransfer(account, amount);

        emit Claimed(account, amount);
    }
}
