/** A season distributor's claim event (SPEC section 7); tokens always go to `account`. */
export const SeasonDistributorAbi = [
  {
    type: "event",
    name: "Claimed",
    anonymous: false,
    inputs: [
      { name: "index", type: "uint256", indexed: true },
      { name: "account", type: "address", indexed: true },
      { name: "amount", type: "uint256", indexed: false },
    ],
  },
] as const;
