/**
 * The staking contract's events (SPEC section 7). `Staked` carries the lock's
 * whole state after the call, so a handler records it as it is.
 */
export const SogniStakingAbi = [
  {
    type: "event",
    name: "Staked",
    anonymous: false,
    inputs: [
      { name: "account", type: "address", indexed: true },
      { name: "added", type: "uint256", indexed: false },
      { name: "amount", type: "uint256", indexed: false },
      { name: "lockWeeks", type: "uint256", indexed: false },
      { name: "effectiveFrom", type: "uint256", indexed: false },
      { name: "unlockAt", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "Unstaked",
    anonymous: false,
    inputs: [
      { name: "account", type: "address", indexed: true },
      { name: "amount", type: "uint256", indexed: false },
    ],
  },
] as const;
