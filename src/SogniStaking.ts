// Records each lock state (`Staked`) and each `Unstaked` as facts; power is computed in the API.
import { ponder } from "ponder:registry";
import { staked, unstaked } from "ponder:schema";
import { factOrigin } from "../indexer/fact.js";

ponder.on("SogniStaking:Staked", async ({ event, context }) => {
  await context.db.insert(staked).values({
    ...factOrigin(context.chain.id, event),
    staking: lower(event.log.address),
    account: lower(event.args.account),
    added: event.args.added,
    amount: event.args.amount,
    lockWeeks: event.args.lockWeeks,
    effectiveFrom: event.args.effectiveFrom,
    unlockAt: event.args.unlockAt,
  });
});

ponder.on("SogniStaking:Unstaked", async ({ event, context }) => {
  await context.db.insert(unstaked).values({
    ...factOrigin(context.chain.id, event),
    staking: lower(event.log.address),
    account: lower(event.args.account),
    amount: event.args.amount,
  });
});

const lower = (address: string): `0x${string}` => address.toLowerCase() as `0x${string}`;
