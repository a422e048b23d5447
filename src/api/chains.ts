/**
 * How far each chain is indexed, read from Ponder's own checkpoint table
 * (the numbers /status shows), and the chain's block hash and time from its RPC.
 */
import { db, publicClients } from "ponder:api";
import { sql } from "ponder";
import { decodeCheckpointBlock } from "../../indexer/checkpoint.js";

export interface IndexedChain {
  name: string;
  chainId: number;
  /** Latest block whose events are all indexed. */
  block: bigint;
  timestamp: bigint;
}

/** The indexer has not recorded any chain's progress yet (answered as 503). */
export class NotReadyError extends Error {
  override name = "NotReadyError";
}

/** Every chain the indexer follows, by chain id; NotReadyError before the first checkpoint. */
export async function indexedChains(): Promise<IndexedChain[]> {
  const result = await db.execute(sql`select chain_name, chain_id, latest_checkpoint from _ponder_checkpoint`);
  const rows = (result as unknown as { rows: { chain_name: string; chain_id: string | number; latest_checkpoint: string }[] }).rows;
  if (rows.length === 0) throw new NotReadyError("the indexer has not indexed any block yet: retry in a moment (see /status)");
  return rows
    .map((row) => {
      const checkpoint = decodeCheckpointBlock(row.latest_checkpoint);
      return { name: row.chain_name, chainId: Number(row.chain_id), block: checkpoint.blockNumber, timestamp: checkpoint.timestamp };
    })
    .sort((a, b) => a.chainId - b.chainId);
}

/** Hash and timestamp of block `number` on `chain`, from the chain's RPC. */
export async function blockHeader(chain: IndexedChain, number: bigint): Promise<{ hash: `0x${string}`; timestamp: bigint }> {
  const client = (publicClients as Record<string, (typeof publicClients)[keyof typeof publicClients]>)[chain.name];
  if (client === undefined) throw new Error(`no RPC client for chain ${chain.name} (${chain.chainId}): restart the indexer after changing the deployments file`);
  const block = await client.getBlock({ blockNumber: number });
  if (block.hash === null) throw new Error(`chain ${chain.chainId} returned block ${number} without a hash`);
  return { hash: block.hash, timestamp: block.timestamp };
}
