// Records each `Claimed` with the contract that emitted it: with PONDER_CLAIMS_FROM=any the
// filter is the event topic alone, and the API keeps only the distributors the deployments file lists.
import { ponder } from "ponder:registry";
import { claimed } from "ponder:schema";
import { factOrigin } from "../indexer/fact.js";

ponder.on("SeasonDistributor:Claimed", async ({ event, context }) => {
  await context.db.insert(claimed).values({
    ...factOrigin(context.chain.id, event),
    distributor: lower(event.log.address),
    index: event.args.index,
    account: lower(event.args.account),
    amount: event.args.amount,
  });
});

const lower = (address: string): `0x${string}` => address.toLowerCase() as `0x${string}`;
