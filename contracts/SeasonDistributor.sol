// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title SeasonTerms
/// @notice A season's fixed terms, set once at deployment: the token paid, the Merkle root and the claim
/// deadline, with their SPEC 7 views.
/// @dev A base of its own so that `SeasonDistributor`'s constructor can keep SPEC 7's parameter names
/// (`token`, `merkleRoot`, `claimDeadline`) without solc's "same name as another declaration" warning:
/// that warning is for a parameter named like a function of its own contract, not of a base.
abstract contract SeasonTerms {
    /// @notice A zero address was given where a real one is required.
    error ZeroAddress();
    /// @notice A non-zero claim deadline that is not in the future: the claim window would be closed from
    /// the start and the owner could sweep at once. Give a later time, or 0 for "no deadline".
    error DeadlineInPast(uint64 claimDeadline, uint256 blockTimestamp);

    IERC20 internal immutable _token;
    bytes32 internal immutable _merkleRoot;
    uint64 internal immutable _claimDeadline;

    constructor(IERC20 token_, bytes32 merkleRoot_, uint64 claimDeadline_) {
        if (address(token_) == address(0)) revert ZeroAddress();
        if (claimDeadline_ != 0 && claimDeadline_ <= block.timestamp) {
            revert DeadlineInPast(claimDeadline_, block.timestamp);
        }
        _token = token_;
        _merkleRoot = merkleRoot_;
        _claimDeadline = claimDeadline_;
    }

    /// @notice The ERC-20 this distributor pays.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice The Merkle root every claim is checked against.
    function merkleRoot() external view returns (bytes32) {
        return _merkleRoot;
    }

    /// @notice Unix seconds of the last second a claim is accepted; 0 means there is no deadline.
    function claimDeadline() external view returns (uint64) {
        return _claimDeadline;
    }
}

/// @title SeasonDistributor
/// @notice Pays one season's rewards against a Merkle root (SPEC sections 5 and 7).
/// Leaf: keccak256(bytes.concat(keccak256(abi.encode(index, account, amount)))), pairs hashed sorted.
/// Anyone may submit a claim; the tokens always go to `account`. Each index pays once.
/// @dev A `claimDeadline` of 0 means "no deadline": claims stay open forever and `sweep` is never
/// allowed. Otherwise it must be in the future at deployment; claims are accepted while
/// `block.timestamp <= claimDeadline` and the owner may `sweep` the remaining balance once
/// `block.timestamp > claimDeadline` (the two windows never overlap). Ownership moves in two steps
/// (`Ownable2Step`) and cannot be renounced, so there is always an owner able to sweep.
contract SeasonDistributor is SeasonTerms, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @notice The claimed index is already paid.
    error AlreadyClaimed(uint256 index);
    /// @notice The proof does not lead from the (index, account, amount) leaf to `merkleRoot`.
    error InvalidProof();
    /// @notice The claim deadline has passed; unclaimed tokens can only be swept by the owner.
    error ClaimWindowClosed(uint64 claimDeadline);
    /// @notice Sweeping is allowed only after the claim deadline (and never without one).
    error SweepNotYetAllowed(uint64 claimDeadline);
    /// @notice Ownership cannot be renounced: without an owner, unclaimed tokens could never be swept.
    /// Hand it over with `transferOwnership` and `acceptOwnership` instead.
    error RenounceOwnershipDisabled();

    /// @notice An index was claimed: `amount` tokens went to `account`.
    event Claimed(uint256 indexed index, address indexed account, uint256 amount);
    /// @notice The owner swept the unclaimed balance after the deadline.
    event Swept(address indexed to, uint256 amount);

    /// @dev Packed bitmap: bit (index % 256) of word (index / 256) is set once the index is claimed.
    mapping(uint256 wordIndex => uint256 word) private _claimedBitMap;

    /// @param token The ERC-20 paid out (SOGNI).
    /// @param merkleRoot The season's Merkle root (manifest.json `merkleRoot`).
    /// @param claimDeadline Unix seconds, in the future: the last second a claim is accepted. 0 = no deadline.
    /// @param owner The account allowed to sweep after the deadline.
    constructor(IERC20 token, bytes32 merkleRoot, uint64 claimDeadline, address owner)
        SeasonTerms(token, merkleRoot, claimDeadline)
        Ownable(owner)
    {}

    /// @notice Whether `index` has been claimed.
    /// @param index The leaf index (position of the recipient in the sorted list).
    function isClaimed(uint256 index) external view returns (bool) {
        return _claimedBitMap[index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @notice Claims `amount` tokens for `account` at leaf `index`; anyone may submit it.
    /// @dev Checks (deadline, bitmap, proof), then effects (bitmap), then the transfer.
    /// The bitmap word is read once and written once: no separate isClaimed/setClaimed reads.
    /// @param index The recipient's leaf index.
    /// @param account The recipient; the tokens always go here, whoever sends the transaction.
    /// @param amount The amount in the leaf (wei).
    /// @param proof The sibling hashes from the leaf up to the root.
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        uint64 deadline = _claimDeadline;
        if (deadline != 0 && block.timestamp > deadline) revert ClaimWindowClosed(deadline);

        uint256 wordIndex = index >> 8;
        uint256 mask = 1 << (index & 0xff);
        uint256 word = _claimedBitMap[wordIndex];
        if (word & mask != 0) revert AlreadyClaimed(index);

        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, _merkleRoot, leaf)) revert InvalidProof();

        _claimedBitMap[wordIndex] = word | mask;
        _token.safeTransfer(account, amount);

        emit Claimed(index, account, amount);
    }

    /// @notice After the claim deadline, sends the whole remaining balance to `to`.
    /// @dev Only the owner; never allowed when the distributor has no deadline (claimDeadline 0).
    /// @param to The receiver of the unclaimed tokens (e.g. the treasury).
    function sweep(address to) external onlyOwner {
        uint64 deadline = _claimDeadline;
        if (deadline == 0 || block.timestamp <= deadline) revert SweepNotYetAllowed(deadline);
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = _token.balanceOf(address(this));
        emit Swept(to, amount);
        _token.safeTransfer(to, amount);
    }

    /// @notice Always reverts: a distributor without an owner would strand its unclaimed tokens.
    function renounceOwnership() public pure override {
        revert RenounceOwnershipDisabled();
    }
}
