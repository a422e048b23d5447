// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title RewardsLedger
/// @notice `SogniRewards`' state and its SPEC 8.3 views: the token and timelock fixed at deployment, the
/// live root with its data hash and total, the pending root, what each account and everyone together
/// have claimed, and the roles. The rules that change it are in `SogniRewards`.
/// @dev A base of its own (as `SeasonTerms` for `SeasonDistributor`) so that `SogniRewards` keeps SPEC
/// 8.3's parameter names (`token`, `timelock`, `root`, `dataHash`, `total`) without solc's "shadows an
/// existing declaration" warning, which is for a name declared in the same contract, not in a base.
abstract contract RewardsLedger {
    /// @notice A root waiting out its timelock (SPEC 8.3 `pending()`); all zero when nothing is pending.
    struct PendingRoot {
        bytes32 root;
        bytes32 dataHash;
        uint256 total;
        uint256 validAt;
    }

    /// @dev The live root's total and what has been paid against all roots so far, packed in one slot
    /// so that a claim reads and writes a single accounting word.
    struct Totals {
        uint128 total;
        uint128 claimed;
    }

    /// @notice The longest timelock accepted at deployment: a longer one is almost surely a unit mistake
    /// (milliseconds for seconds), and `block.timestamp + timelock` must never overflow.
    uint256 internal constant MAX_TIMELOCK = 365 days;

    /// @notice A zero address was given where a real one is required.
    error ZeroAddress();
    /// @notice The timelock is longer than a year (`max`, in seconds). Give it in seconds.
    error TimelockTooLong(uint256 timelock, uint256 max);

    IERC20 internal immutable _token;
    uint256 internal immutable _timelock;

    /// @notice The live Merkle root of cumulative amounts; zero until the first root is accepted.
    bytes32 public root;
    /// @notice The sha256 of the live root's publication manifest.json (SPEC 8.2).
    bytes32 public dataHash;
    Totals internal _totals;
    /// @notice The root waiting out its timelock: (root, dataHash, total, validAt), all zero if none.
    PendingRoot public pending;
    /// @notice What each account has claimed so far, in all (its cumulative amount at its last claim).
    mapping(address => uint256) public claimed;
    /// @notice Accounts allowed to propose roots, beside the owner.
    mapping(address => bool) public isProposer;
    /// @notice The account allowed to revoke a pending root, beside the owner (zero: none).
    address public guardian;

    constructor(IERC20 token_, uint256 timelock_) {
        if (address(token_) == address(0)) revert ZeroAddress();
        if (timelock_ > MAX_TIMELOCK) revert TimelockTooLong(timelock_, MAX_TIMELOCK);
        _token = token_;
        _timelock = timelock_;
    }

    /// @notice The ERC-20 this contract pays (SOGNI).
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice Seconds a proposed root waits before anyone may accept it; fixed at deployment.
    function timelock() external view returns (uint256) {
        return _timelock;
    }

    /// @notice The live root's total: the sum of its cumulative amounts (wei); 0 before the first root.
    function total() external view returns (uint256) {
        return _totals.total;
    }

    /// @notice The sum of every claim paid so far, over all roots (wei).
    function totalClaimed() external view returns (uint256) {
        return _totals.claimed;
    }
}

/// @title SogniRewards
/// @notice One contract for every season (SPEC 8.3): it pays against one Merkle root of cumulative
/// amounts (everything an address has earned and vested so far) and each claim pays the difference from
/// what that address has already claimed. A new root is proposed, waits `timelock` seconds in public
/// (so anyone can re-derive it from the publication `dataHash` names, and the guardian can revoke it),
/// then anyone may accept it, but only if the contract holds enough to pay it in full.
/// Leaf: keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative)))), pairs
/// hashed sorted (SPEC 8.2). Rewards never expire.
/// @dev Accounting: `total` is the live root's declared sum of cumulative amounts and `totalClaimed` the
/// sum paid so far, so `total - totalClaimed` is what is still owed. Three rules keep it covered:
/// `accept` refuses a root unless `balance + totalClaimed >= total` (`NotFunded`); `claim` never pays
/// past `total` (`ClaimExceedsTotal`, a root whose leaves add up to more than it declares); and
/// `withdrawSurplus` takes only what the contract holds above `total - totalClaimed`. A new root's
/// total is never below the live one's, so neither is ever below `totalClaimed`.
/// `total` and `totalClaimed` share one storage slot (two uint128; `propose` refuses a larger total).
/// The token must be a plain ERC-20 (no fee on transfer, no rebasing), as SOGNI is.
contract SogniRewards is RewardsLedger, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @notice `propose` by an account that is neither the owner nor a proposer.
    error NotOwnerOrProposer(address account);
    /// @notice `revoke` by an account that is neither the owner nor the guardian.
    error NotOwnerOrGuardian(address account);
    /// @notice A proposal with the zero root: nothing could ever be claimed against it.
    error ZeroRoot();
    /// @notice A proposal without a data hash: the root must name the publication it comes from (SPEC 8.2).
    error ZeroDataHash();
    /// @notice A proposal whose total is below the live root's: cumulative amounts never go down.
    error TotalBelowLive(uint256 total, uint256 liveTotal);
    /// @notice A proposal whose total does not fit in 128 bits (over 3.4e38 wei): surely a mistake.
    error TotalTooLarge(uint256 total);
    /// @notice `accept` or `revoke` with no pending root.
    error NoPendingRoot();
    /// @notice `accept` before the pending root's timelock is over; it may be accepted from `validAt` on.
    error TimelockNotExpired(uint256 validAt, uint256 blockTimestamp);
    /// @notice `accept` of a root the contract cannot pay in full: `available` (its balance plus what was
    /// already claimed) is below `total`. Send the difference to the contract, then accept again.
    error NotFunded(uint256 total, uint256 available);
    /// @notice A claim before any root was accepted.
    error NoLiveRoot();
    /// @notice The proof does not lead from the (account, cumulative) leaf to the live root.
    error InvalidProof();
    /// @notice The account has already claimed `cumulative` or more: nothing is left to pay.
    error NothingToClaim(address account, uint256 cumulative, uint256 alreadyClaimed);
    /// @notice The claim would pay past the live root's total: the root's leaves add up to more than it
    /// declared. A correct publication never does this; propose a corrected root.
    error ClaimExceedsTotal(uint256 amount, uint256 unclaimed);
    /// @notice `withdrawSurplus` of more than the contract holds above what it owes.
    error InsufficientSurplus(uint256 amount, uint256 surplus);
    /// @notice Ownership cannot be renounced: without an owner, no root could be proposed again and the
    /// surplus could never be withdrawn. Hand it over with `transferOwnership` and `acceptOwnership`.
    error RenounceOwnershipDisabled();

    /// @notice A root was proposed; anyone may accept it from `validAt` on, if it is funded by then.
    event RootProposed(bytes32 indexed root, bytes32 dataHash, uint256 total, uint256 validAt);
    /// @notice The pending root went live: claims are checked against it from now on.
    event RootAccepted(bytes32 indexed root, bytes32 dataHash, uint256 total);
    /// @notice The pending root was dropped before it went live.
    event RootRevoked(bytes32 indexed root);
    /// @notice `amount` went to `account`, which has now claimed `cumulative` in all.
    event Claimed(address indexed account, uint256 amount, uint256 cumulative);
    /// @notice The owner took `amount` of the surplus (what the contract holds above what it owes).
    event SurplusWithdrawn(address indexed to, uint256 amount);
    /// @notice `proposer` may (`enabled`) or may no longer propose roots.
    event ProposerSet(address indexed proposer, bool enabled);
    /// @notice `guardian` may now revoke pending roots (the zero address: no guardian).
    event GuardianSet(address indexed guardian);

    /// @param token The ERC-20 paid out (SOGNI).
    /// @param owner The owner: proposes, revokes, names proposers and the guardian, withdraws surplus.
    /// @param timelock Seconds between a proposal and the earliest accept, at most 365 days. 0 is allowed
    /// (for local chains): `accept` may then follow `propose` in the same block, still only if funded.
    constructor(IERC20 token, address owner, uint256 timelock) RewardsLedger(token, timelock) Ownable(owner) {}

    /// @notice Proposes `root` of the publication whose manifest hashes to `dataHash`; it replaces any
    /// pending root and may be accepted from `block.timestamp + timelock` on.
    /// @dev The owner or a proposer. `total` is the sum of the root's cumulative amounts; it may not be
    /// below the live root's total, since cumulative amounts never go down.
    /// @param root The Merkle root of the publication's cumulative-v1 tree.
    /// @param dataHash The sha256 of the publication's manifest.json.
    /// @param total The sum of the cumulative amounts in the tree (wei).
    function propose(bytes32 root, bytes32 dataHash, uint256 total) external {
        if (msg.sender != owner() && !isProposer[msg.sender]) revert NotOwnerOrProposer(msg.sender);
        if (root == bytes32(0)) revert ZeroRoot();
        if (dataHash == bytes32(0)) revert ZeroDataHash();
        if (total > type(uint128).max) revert TotalTooLarge(total);
        uint256 liveTotal = _totals.total;
        if (total < liveTotal) revert TotalBelowLive(total, liveTotal);

        uint256 validAt = block.timestamp + _timelock;
        pending = PendingRoot(root, dataHash, total, validAt);
        emit RootProposed(root, dataHash, total, validAt);
    }

    /// @notice Makes the pending root live once its timelock is over; anyone may call it.
    /// @dev Refused (`NotFunded`) unless the contract's balance plus what was already claimed covers the
    /// root's total, so a root the contract cannot pay in full never goes live.
    function accept() external {
        PendingRoot memory next = pending;
        if (next.root == bytes32(0)) revert NoPendingRoot();
        if (block.timestamp < next.validAt) revert TimelockNotExpired(next.validAt, block.timestamp);
        Totals memory totals = _totals;
        uint256 available = _token.balanceOf(address(this)) + totals.claimed;
        if (available < next.total) revert NotFunded(next.total, available);

        root = next.root;
        dataHash = next.dataHash;
        // next.total fits in 128 bits (checked in propose) and is at least the live total, so at least
        // totals.claimed.
        _totals = Totals(uint128(next.total), totals.claimed);
        delete pending;
        emit RootAccepted(next.root, next.dataHash, next.total);
    }

    /// @notice Drops the pending root before it goes live.
    /// @dev The owner or the guardian. Once accepted, a root can only be replaced by a new proposal.
    function revoke() external {
        if (msg.sender != owner() && msg.sender != guardian) revert NotOwnerOrGuardian(msg.sender);
        bytes32 dropped = pending.root;
        if (dropped == bytes32(0)) revert NoPendingRoot();
        delete pending;
        emit RootRevoked(dropped);
    }

    /// @notice Pays `account` its `cumulative` amount in the live root minus what it has already
    /// claimed; anyone may submit it, the tokens always go to `account`.
    /// @dev Checks (live root, proof, something left, within the total), then effects (claimed,
    /// totalClaimed, event), then the transfer.
    /// @param account The recipient, as in the leaf.
    /// @param cumulative The account's cumulative amount in the live root (wei).
    /// @param proof The sibling hashes from the leaf up to the live root.
    function claim(address account, uint256 cumulative, bytes32[] calldata proof) external {
        bytes32 liveRoot = root;
        if (liveRoot == bytes32(0)) revert NoLiveRoot();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
        if (!MerkleProof.verifyCalldata(proof, liveRoot, leaf)) revert InvalidProof();

        uint256 alreadyClaimed = claimed[account];
        if (cumulative <= alreadyClaimed) revert NothingToClaim(account, cumulative, alreadyClaimed);
        uint256 amount;
        unchecked {
            amount = cumulative - alreadyClaimed;
        }
        Totals memory totals = _totals;
        uint256 unclaimed;
        unchecked {
            unclaimed = totals.total - totals.claimed; // claimed never exceeds total
        }
        if (amount > unclaimed) revert ClaimExceedsTotal(amount, unclaimed);

        claimed[account] = cumulative;
        // amount <= unclaimed, so the sum stays within totals.total and fits in 128 bits.
        _totals = Totals(totals.total, uint128(totals.claimed + amount));
        emit Claimed(account, amount, cumulative);
        _token.safeTransfer(account, amount);
    }

    /// @notice Sends `amount` of the surplus, what the contract holds above `total - totalClaimed`, to
    /// `to`: owed rewards never leave.
    /// @dev Only the owner. Only the live root counts as owed: a pending root must be funded when it is
    /// accepted, whatever was withdrawn before.
    /// @param to The receiver (e.g. the treasury).
    /// @param amount The amount to send (wei), at most the surplus.
    function withdrawSurplus(address to, uint256 amount) external onlyOwner {
        if (to == address(0)) revert ZeroAddress();
        Totals memory totals = _totals;
        uint256 owed = totals.total - totals.claimed;
        uint256 balance = _token.balanceOf(address(this));
        uint256 surplus = balance > owed ? balance - owed : 0;
        if (amount > surplus) revert InsufficientSurplus(amount, surplus);
        emit SurplusWithdrawn(to, amount);
        _token.safeTransfer(to, amount);
    }

    /// @notice Allows (`enabled`) or stops `proposer` proposing roots.
    /// @dev Only the owner.
    /// @param proposer The account (not the zero address).
    /// @param enabled Whether it may propose.
    function setProposer(address proposer, bool enabled) external onlyOwner {
        if (proposer == address(0)) revert ZeroAddress();
        isProposer[proposer] = enabled;
        emit ProposerSet(proposer, enabled);
    }

    /// @notice Names the guardian, who may revoke a pending root beside the owner.
    /// @dev Only the owner. The zero address removes the guardian.
    /// @param newGuardian The new guardian.
    function setGuardian(address newGuardian) external onlyOwner {
        guardian = newGuardian;
        emit GuardianSet(newGuardian);
    }

    /// @notice Always reverts: without an owner no root could ever be proposed again.
    function renounceOwnership() public pure override {
        revert RenounceOwnershipDisabled();
    }
}
