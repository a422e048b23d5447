/**
 * The SOGNI token's event the indexer reads (SPEC section 7: a plain ERC-20).
 * Only events are listed: the indexer never calls the token.
 */
export const SogniTokenAbi = [
  {
    type: "event",
    name: "Transfer",
    anonymous: false,
    inputs: [
      { name: "from", type: "address", indexed: true },
      { name: "to", type: "address", indexed: true },
      { name: "value", type: "uint256", indexed: false },
    ],
  },
] as const;
