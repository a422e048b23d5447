/** The worker payouts contract's event (SPEC section 7): one per worker paid in a batch. */
export const WorkerPayoutsAbi = [
  {
    type: "event",
    name: "WorkerPaid",
    anonymous: false,
    inputs: [
      { name: "batchId", type: "uint256", indexed: true },
      { name: "worker", type: "address", indexed: true },
      { name: "amount", type: "uint256", indexed: false },
    ],
  },
] as const;
