// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title SogniStaking
/// @notice The reference staking contract for local chains and tests, after Sogni's documented design
/// (SPEC sections 2 and 7): one lock per wallet, weekly epochs counted from `epochZero`, every change
/// taking effect at the next epoch start, no early exit. Staking power (amount x lockWeeks^1.5 per
/// second in force) is computed off-chain from the `Staked` events; this contract only keeps the locks.
/// @dev The next epoch start `e` of a time t is the first boundary epochZero + k weeks strictly after
/// t; before epochZero it is epochZero itself. Tokens that charge a fee on transfer are not supported.
contract SogniStaking {
    using SafeERC20 for IERC20;

    /// @notice One epoch: a week.
    uint256 public constant EPOCH_LENGTH = 1 weeks;
    /// @notice The shortest lock, in weeks.
    uint256 public constant MIN_LOCK_WEEKS = 1;
    /// @notice The longest lock, in weeks.
    uint256 public constant MAX_LOCK_WEEKS = 52;

    /// @notice A wallet's lock. `effectiveFrom` is the epoch start at which the latest change takes effect.
    struct Lock {
        uint256 amount;
        uint64 lockWeeks;
        uint64 effectiveFrom;
        uint64 unlockAt;
    }

    /// @notice `lockWeeks` is outside [1, 52].
    error InvalidLockWeeks(uint256 lockWeeks);
    /// @notice A stake of 0 tokens by a wallet with nothing staked: there is nothing to lock.
    error NothingToLock();
    /// @notice The lock is still in force until `unlockAt` (there is no early exit).
    error StillLocked(uint256 unlockAt);
    /// @notice The caller has nothing staked.
    error NothingStaked();
    /// @notice A zero address was given where a real one is required.
    error ZeroAddress();

    /// @notice The lock of `account` after a stake: `added` tokens joined; the new state is in force from
    /// `effectiveFrom` (the next epoch start) until `unlockAt` or the wallet's next state.
    event Staked(
        address indexed account,
        uint256 added,
        uint256 amount,
        uint256 lockWeeks,
        uint256 effectiveFrom,
        uint256 unlockAt
    );
    /// @notice `account` withdrew its whole balance `amount` after its lock ended.
    event Unstaked(address indexed account, uint256 amount);

    /// @notice The staked ERC-20 (SOGNI).
    IERC20 public immutable token;
    /// @notice Unix seconds of the first epoch start; epochs are weekly from here.
    uint256 public immutable epochZero;

    /// @notice Each wallet's lock (amount 0: no lock).
    mapping(address account => Lock) public locks;

    /// @param token_ The staked ERC-20 (SOGNI).
    /// @param epochZero_ Unix seconds of the first epoch start.
    constructor(IERC20 token_, uint256 epochZero_) {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
        epochZero = epochZero_;
    }

    /// @notice The epoch start at which a change made now takes effect: the first epoch boundary strictly
    /// after `block.timestamp` (epochZero itself before epochZero).
    function nextEpochStart() public view returns (uint256) {
        return _nextEpochStart(block.timestamp);
    }

    /// @notice Stakes `amount` tokens (pulled from the caller, who approved them) for `lockWeeks` weeks
    /// from the next epoch start e.
    /// @dev On a live lock (unlockAt > now) the amount grows, unlockAt becomes max(unlockAt, e + lockWeeks
    /// weeks) (a lock never shortens) and the weeks become the whole weeks really left, (unlockAt - e) / 1
    /// week: a top-up late in a long lock gets the weeks that remain, not the lock's original multiplier.
    /// With no lock, or one already past unlockAt, the whole balance (what was left plus `amount`) is
    /// locked afresh for `lockWeeks` from e. So lockWeeks == (unlockAt - effectiveFrom) / 1 week, always.
    /// @param amount Tokens to add, in wei. 0 only extends a live lock, or re-locks an expired balance.
    /// @param lockWeeks The lock length in weeks from e, 1 to 52.
    function stake(uint256 amount, uint256 lockWeeks) external {
        if (lockWeeks < MIN_LOCK_WEEKS || lockWeeks > MAX_LOCK_WEEKS) revert InvalidLockWeeks(lockWeeks);
        Lock memory lock = locks[msg.sender];
        if (lock.amount == 0 && amount == 0) revert NothingToLock();

        // Weeks and times are uint64 so they share one storage slot beside the amount; SafeCast makes an
        // absurd epochZero revert instead of wrapping.
        uint64 e = SafeCast.toUint64(_nextEpochStart(block.timestamp));
        uint64 end = SafeCast.toUint64(e + lockWeeks * EPOCH_LENGTH);

        lock.amount += amount;
        if (lock.unlockAt > block.timestamp) {
            // Every unlockAt is an epoch boundary, and this one is after now, so unlockAt >= e: the
            // division is exact, at least 1 (if unlockAt == e, end replaces it) and at most 52 (unlockAt
            // was set to at most 52 weeks after an epoch start no later than e).
            if (end > lock.unlockAt) lock.unlockAt = end;
            lock.lockWeeks = uint64((lock.unlockAt - e) / EPOCH_LENGTH);
        } else {
            lock.lockWeeks = uint64(lockWeeks);
            lock.unlockAt = end;
        }
        lock.effectiveFrom = e;
        locks[msg.sender] = lock;

        emit Staked(msg.sender, amount, lock.amount, lock.lockWeeks, lock.effectiveFrom, lock.unlockAt);
        // A stake of 0 moves no tokens: skipping the call saves an external call that would do nothing,
        // and keeps stake(0, w) working with tokens that refuse zero-value transfers.
        if (amount != 0) token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Withdraws the caller's whole balance once its lock has ended (now >= unlockAt).
    function unstake() external {
        Lock memory lock = locks[msg.sender];
        if (lock.amount == 0) revert NothingStaked();
        if (block.timestamp < lock.unlockAt) revert StillLocked(lock.unlockAt);

        delete locks[msg.sender];
        emit Unstaked(msg.sender, lock.amount);
        token.safeTransfer(msg.sender, lock.amount);
    }

    function _nextEpochStart(uint256 t) private view returns (uint256) {
        uint256 zero = epochZero;
        if (t < zero) return zero;
        return zero + ((t - zero) / EPOCH_LENGTH + 1) * EPOCH_LENGTH;
    }
}
