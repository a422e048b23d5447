/**
 * Where an event log happened: the columns every fact row starts with, and
 * its key (chainId, txHash, logIndex).
 *
 * @example
 * factOrigin(31337, event) // { chainId: 31337, txHash: "0x…", logIndex: 0, blockNumber: 12n, timestamp: 1760313600n }
 */
export interface FactOrigin {
  chainId: number;
  txHash: `0x${string}`;
  logIndex: number;
  blockNumber: bigint;
  timestamp: bigint;
}

/** The parts of a Ponder log event this needs. */
export interface LoggedEvent {
  log: { logIndex: number };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
}

export function factOrigin(chainId: number, event: LoggedEvent): FactOrigin {
  return {
    chainId,
    txHash: event.transaction.hash.toLowerCase() as `0x${string}`,
    logIndex: event.log.logIndex,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  };
}
