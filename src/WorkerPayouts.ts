// Records each worker's pay in a batch (`WorkerPaid`) as a fact.
import { ponder } from "ponder:registry";
import { workerPaid } from "ponder:schema";
import { factOrigin } from "../indexer/fact.js";

ponder.on("WorkerPayouts:WorkerPaid", async ({ event, context }) => {
  await context.db.insert(workerPaid).values({
    ...factOrigin(context.chain.id, event),
    payouts: lower(event.log.address),
    batchId: event.args.batchId,
    worker: lower(event.args.worker),
    amount: event.args.amount,
  });
});

const lower = (address: string): `0x${string}` => address.toLowerCase() as `0x${string}`;
