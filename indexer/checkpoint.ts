/**
 * Ponder's checkpoint strings (`_ponder_checkpoint.latest_checkpoint`):
 * fixed-width decimal fields, the first three being block timestamp (10
 * digits), chain id (16) and block number (16). Read here so the API knows
 * how far each chain is indexed without calling its own /status.
 *
 * @example decodeCheckpointBlock("1760313600" + "0000000000031337" + "0000000000000042" + "…")
 * // { timestamp: 1760313600n, chainId: 31337n, blockNumber: 42n }
 */
export function decodeCheckpointBlock(checkpoint: string): { timestamp: bigint; chainId: bigint; blockNumber: bigint } {
  if (!/^\d{42}/.test(checkpoint)) throw new Error(`not a Ponder checkpoint: "${checkpoint.slice(0, 80)}"`);
  return {
    timestamp: BigInt(checkpoint.slice(0, 10)),
    chainId: BigInt(checkpoint.slice(10, 26)),
    blockNumber: BigInt(checkpoint.slice(26, 42)),
  };
}
