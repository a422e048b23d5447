// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title SogniToken
/// @notice A plain ERC-20 stand-in for SOGNI on local chains and in tests (18 decimals).
/// The deployer owns it and may mint; on a live chain the real token's address comes from configuration.
contract SogniToken is ERC20, Ownable {
    constructor() ERC20("Sogni", "SOGNI") Ownable(msg.sender) {}

    /// @notice Mints `amount` wei of SOGNI to `to`. Owner only.
    /// @param to The receiver.
    /// @param amount Amount in wei (18 decimals).
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
