// Records SogniRewards' events (SPEC 8.3) as facts, each with the contract that emitted it: with
// PONDER_CLAIMS_FROM=any the filter is the topic alone, and the API keeps the contracts the deployments file lists.
// Its Claimed(account, amount, cumulative) goes to `rewards_claimed`, apart from the distributors' `claimed`.
import { ponder } from "ponder:registry";
import { rewardsClaimed, rootAccepted, rootProposed, rootRevoked, surplusWithdrawn } from "ponder:schema";
import { factOrigin } from "../indexer/fact.js";

ponder.on("SogniRewards:RootProposed", async ({ event, context }) => {
  await context.db.insert(rootProposed).values({
    ...factOrigin(context.chain.id, event),
    rewards: lower(event.log.address),
    root: lower(event.args.root),
    dataHash: lower(event.args.dataHash),
    total: event.args.total,
    validAt: event.args.validAt,
  });
});

ponder.on("SogniRewards:RootAccepted", async ({ event, context }) => {
  await context.db.insert(rootAccepted).values({
    ...factOrigin(context.chain.id, event),
    rewards: lower(event.log.address),
    root: lower(event.args.root),
    dataHash: lower(event.args.dataHash),
    total: event.args.total,
  });
});

ponder.on("SogniRewards:RootRevoked", async ({ event, context }) => {
  await context.db.insert(rootRevoked).values({
    ...factOrigin(context.chain.id, event),
    rewards: lower(event.log.address),
    root: lower(event.args.root),
  });
});

ponder.on("SogniRewards:Claimed", async ({ event, context }) => {
  await context.db.insert(rewardsClaimed).values({
    ...factOrigin(context.chain.id, event),
    rewards: lower(event.log.address),
    account: lower(event.args.account),
    amount: event.args.amount,
    cumulative: event.args.cumulative,
  });
});

ponder.on("SogniRewards:SurplusWithdrawn", async ({ event, context }) => {
  await context.db.insert(surplusWithdrawn).values({
    ...factOrigin(context.chain.id, event),
    rewards: lower(event.log.address),
    to: lower(event.args.to),
    amount: event.args.amount,
  });
});

const lower = (value: string): `0x${string}` => value.toLowerCase() as `0x${string}`;
