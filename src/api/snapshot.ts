/**
 * GET /snapshot?deposit=<address>[&block=N][&block.<chainId>=N]
 * The on-chain facts of a season snapshot in the exact onchain.json shape
 * (SPEC section 6): per chain the snapshot block (default: the latest
 * indexed block), every Staked state, every WorkerPaid and every SOGNI
 * transfer to the deposit address up to that block, in chain order.
 */
import { db } from "ponder:api";
import { staked, transfer, workerPaid } from "ponder:schema";
import { and, eq, lte } from "ponder";
import { Hono } from "hono";
import { ParamError, parseAddressParam, parseSnapshotBlocks } from "../../indexer/params.js";
import { assembleSnapshot, type SnapshotRows } from "../../indexer/snapshot.js";
import { serializeOnchainJson } from "../../season/onchain.js";
import { blockHeader, indexedChains } from "./chains.js";

export function snapshotRoutes(): Hono {
  const app = new Hono();
  app.get("/snapshot", async (c) => {
    const query = c.req.query();
    for (const key of Object.keys(query)) {
      if (key !== "deposit" && !key.startsWith("block")) throw new ParamError(`unknown parameter "${key}": /snapshot takes deposit, block and block.<chainId>`);
    }
    const deposit = parseAddressParam("deposit", query.deposit);
    const requested = parseSnapshotBlocks(query);
    const chains = await indexedChains();
    for (const chainId of requested.perChain.keys()) {
      if (!chains.some((chain) => chain.chainId === chainId)) {
        throw new ParamError(`block.${chainId}: chain ${chainId} is not indexed here (indexed: ${chains.map((chain) => chain.chainId).join(", ") || "none"})`);
      }
    }

    const rows: SnapshotRows = { snapshot: [], locks: [], workerPaid: [], deposits: [] };
    for (const chain of chains) {
      const block = requested.perChain.get(chain.chainId) ?? requested.all ?? chain.block;
      if (block > chain.block) {
        const name = requested.perChain.has(chain.chainId) ? `block.${chain.chainId}` : "block";
        throw new ParamError(`${name}: chain ${chain.chainId} is indexed up to block ${chain.block}, not ${block} yet; wait for the indexer or ask for an earlier block`);
      }
      const header = await blockHeader(chain, block);
      rows.snapshot.push({ chainId: chain.chainId, block, hash: header.hash, timestamp: header.timestamp });
      const [locks, paid, deposits] = await Promise.all([
        db.select().from(staked).where(and(eq(staked.chainId, chain.chainId), lte(staked.blockNumber, block))),
        db.select().from(workerPaid).where(and(eq(workerPaid.chainId, chain.chainId), lte(workerPaid.blockNumber, block))),
        db.select().from(transfer).where(and(eq(transfer.chainId, chain.chainId), eq(transfer.to, deposit), lte(transfer.blockNumber, block))),
      ]);
      rows.locks.push(...locks);
      rows.workerPaid.push(...paid);
      rows.deposits.push(...deposits);
    }
    return c.body(serializeOnchainJson(assembleSnapshot(rows)), 200, { "content-type": "application/json; charset=utf-8" });
  });
  return app;
}
