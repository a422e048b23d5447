// Records every SOGNI Transfer as a fact; balances are summed in the API.
import { ponder } from "ponder:registry";
import { transfer } from "ponder:schema";
import { factOrigin } from "../indexer/fact.js";

ponder.on("SogniToken:Transfer", async ({ event, context }) => {
  await context.db.insert(transfer).values({
    ...factOrigin(context.chain.id, event),
    token: lower(event.log.address),
    from: lower(event.args.from),
    to: lower(event.args.to),
    amount: event.args.value,
  });
});

const lower = (address: string): `0x${string}` => address.toLowerCase() as `0x${string}`;
