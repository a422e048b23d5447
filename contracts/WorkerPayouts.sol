// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title WorkerPayouts
/// @notice Pays Supernet workers in SOGNI by batch. Each batch id is paid once; every payment emits
/// `WorkerPaid`, which the season engine reads to cross-check jobs (SPEC section 4).
/// @dev Sogni pays its own workers, so only payers set by the owner may pay (the deployer is the
/// owner and the first payer). A payer approves this contract for the batch total; `payWorkers`
/// pulls that total in one `transferFrom` and then pays each worker from it.
contract WorkerPayouts is Ownable {
    using SafeERC20 for IERC20;

    /// @notice This batch id was paid already.
    error BatchAlreadyPaid(uint256 batchId);
    /// @notice `workers` and `amounts` have different lengths.
    error LengthMismatch(uint256 workers, uint256 amounts);
    /// @notice A batch must pay at least one worker.
    error EmptyBatch();
    /// @notice The caller is not an allowed payer.
    error NotPayer(address caller);
    /// @notice A zero address was given where a real one is required (position in the batch).
    error ZeroAddress(uint256 position);
    /// @notice A payment of zero (position in the batch): a worker paid nothing is not paid.
    error ZeroAmount(uint256 position);
    /// @notice The batch total does not fit in a uint256: adding the amount at `position` overflows.
    error BatchTotalOverflow(uint256 position);

    /// @notice `worker` was paid `amount` wei in batch `batchId`.
    event WorkerPaid(uint256 indexed batchId, address indexed worker, uint256 amount);
    /// @notice Batch `batchId` is complete: `workers` payments totalling `total`, paid by `payer`.
    event BatchPaid(uint256 indexed batchId, address indexed payer, uint256 workers, uint256 total);
    /// @notice The owner allowed or disallowed `payer`.
    event PayerSet(address indexed payer, bool allowed);

    /// @notice The ERC-20 paid out (SOGNI).
    IERC20 public immutable token;

    /// @notice Whether an account may call `payWorkers`.
    mapping(address account => bool allowed) public isPayer;
    /// @notice Whether a batch id has been paid.
    mapping(uint256 batchId => bool paid) public batchPaid;

    /// @param token_ The ERC-20 paid out (SOGNI). The deployer becomes owner and payer.
    constructor(IERC20 token_) Ownable(msg.sender) {
        if (address(token_) == address(0)) revert ZeroAddress(0);
        token = token_;
        isPayer[msg.sender] = true;
        emit PayerSet(msg.sender, true);
    }

    /// @notice Allows or disallows `payer` to pay batches. Owner only.
    /// @param payer The account.
    /// @param allowed True to allow, false to revoke.
    function setPayer(address payer, bool allowed) external onlyOwner {
        isPayer[payer] = allowed;
        emit PayerSet(payer, allowed);
    }

    /// @notice Pays batch `batchId`: `amounts[i]` wei to `workers[i]`, pulled from the caller.
    /// @dev The caller must be a payer and have approved this contract for the sum of `amounts`.
    /// @param batchId The batch id (unique; a second payment of the same id reverts).
    /// @param workers The workers, in batch order (a worker may appear more than once).
    /// @param amounts The amounts in wei, one per worker, each > 0, their sum at most 2^256 - 1.
    function payWorkers(uint256 batchId, address[] calldata workers, uint256[] calldata amounts) external {
        if (!isPayer[msg.sender]) revert NotPayer(msg.sender);
        if (batchPaid[batchId]) revert BatchAlreadyPaid(batchId);
        uint256 count = workers.length;
        if (count != amounts.length) revert LengthMismatch(count, amounts.length);
        if (count == 0) revert EmptyBatch();

        uint256 total;
        for (uint256 i; i < count; ++i) {
            if (workers[i] == address(0)) revert ZeroAddress(i);
            uint256 amount = amounts[i];
            if (amount == 0) revert ZeroAmount(i);
            // Checked here so an absurd batch fails with an error that names the entry, not a 0x11 panic.
            if (amount > type(uint256).max - total) revert BatchTotalOverflow(i);
            unchecked {
                total += amount;
            }
        }
        batchPaid[batchId] = true;

        token.safeTransferFrom(msg.sender, address(this), total);
        for (uint256 i; i < count; ++i) {
            token.safeTransfer(workers[i], amounts[i]);
            emit WorkerPaid(batchId, workers[i], amounts[i]);
        }
        emit BatchPaid(batchId, msg.sender, count, total);
    }
}
