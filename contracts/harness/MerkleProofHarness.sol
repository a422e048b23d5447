// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title MerkleProofHarness
/// @notice Test-only wrapper that exposes OpenZeppelin's MerkleProof to off-chain tests, so the proofs
///         written by season/merkle.ts are checked by the same library code SeasonDistributor uses.
/// @dev Not deployed anywhere but the in-process test chain.
contract MerkleProofHarness {
    /// @notice The SPEC 5 leaf: keccak256(bytes.concat(keccak256(abi.encode(index, account, amount)))).
    /// @param index The recipient's position in the tree (0-based).
    /// @param account The recipient.
    /// @param amount The amount in wei.
    /// @return The double-hashed leaf.
    function leaf(uint256 index, address account, uint256 amount) external pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
    }

    /// @notice MerkleProof.verify with the proof in memory.
    /// @param proof Sibling hashes from the leaf up.
    /// @param root The tree's root.
    /// @param leafHash The leaf to prove.
    /// @return True when `proof` proves `leafHash` under `root`.
    function verify(bytes32[] memory proof, bytes32 root, bytes32 leafHash) external pure returns (bool) {
        return MerkleProof.verify(proof, root, leafHash);
    }

    /// @notice MerkleProof.verifyCalldata, the variant SeasonDistributor.claim uses.
    /// @param proof Sibling hashes from the leaf up.
    /// @param root The tree's root.
    /// @param leafHash The leaf to prove.
    /// @return True when `proof` proves `leafHash` under `root`.
    function verifyCalldata(bytes32[] calldata proof, bytes32 root, bytes32 leafHash) external pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, leafHash);
    }

    /// @notice The claim path's check for one recipient: encodes the leaf on-chain and verifies it.
    /// @param index The recipient's position in the tree (0-based).
    /// @param account The recipient.
    /// @param amount The amount in wei.
    /// @param proof Sibling hashes from the leaf up.
    /// @param root The tree's root.
    /// @return True when (index, account, amount) is a leaf of `root`.
    function verifyClaim(uint256 index, address account, uint256 amount, bytes32[] calldata proof, bytes32 root)
        external
        pure
        returns (bool)
    {
        bytes32 leafHash = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        return MerkleProof.verifyCalldata(proof, root, leafHash);
    }
}
