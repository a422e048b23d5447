/**
 * GET /workers/:address/payouts — a worker's pay per batch, in chain order.
 * A worker never paid gets an empty list, not 404.
 */
import { db } from "ponder:api";
import { workerPaid } from "ponder:schema";
import { asc, eq } from "ponder";
import { Hono } from "hono";
import { parseAddressParam } from "../../indexer/params.js";

export function workerRoutes(): Hono {
  const app = new Hono();
  app.get("/workers/:address/payouts", async (c) => {
    const worker = parseAddressParam("address", c.req.param("address"));
    const rows = await db
      .select()
      .from(workerPaid)
      .where(eq(workerPaid.worker, worker))
      .orderBy(asc(workerPaid.chainId), asc(workerPaid.blockNumber), asc(workerPaid.logIndex));
    let total = 0n;
    const payouts = rows.map((row) => {
      total += row.amount;
      return {
        chainId: row.chainId,
        batchId: row.batchId.toString(),
        amount: row.amount.toString(),
        block: Number(row.blockNumber),
        timestamp: Number(row.timestamp),
        txHash: row.txHash,
        logIndex: row.logIndex,
      };
    });
    return c.json({ worker, total: total.toString(), payouts });
  });
  return app;
}
