/**
 * The indexer's configuration: chains and contracts come from the deployments
 * file (DEPLOYMENTS, default deployments/local.json) and the environment
 * (see indexer/config.ts), so a live chain is a configuration change.
 *
 * Database: Postgres when DATABASE_URL is set (a database the server lacks
 * is created first: indexer/database.ts); otherwise PGlite in
 * PONDER_PGLITE_DIRECTORY (default .ponder/pglite).
 */
import { resolve } from "node:path";
import { createConfig } from "ponder";
import { SeasonDistributorAbi } from "./chain/abis/SeasonDistributor.js";
import { SogniRewardsAbi } from "./chain/abis/SogniRewards.js";
import { SogniStakingAbi } from "./chain/abis/SogniStaking.js";
import { SogniTokenAbi } from "./chain/abis/SogniToken.js";
import { WorkerPayoutsAbi } from "./chain/abis/WorkerPayouts.js";
import { indexerPlan } from "./indexer/config.js";
import { ensurePostgresDatabase } from "./indexer/database.js";
import { DEFAULT_DEPLOYMENTS_PATH, readDeployments } from "./chain/deployments.js";

const plan = indexerPlan(readDeployments(resolve(process.env.DEPLOYMENTS || DEFAULT_DEPLOYMENTS_PATH)), process.env);
// Ponder reads DATABASE_PRIVATE_URL first, then DATABASE_URL.
const databaseUrl = process.env.DATABASE_PRIVATE_URL || process.env.DATABASE_URL;
if (databaseUrl) await ensurePostgresDatabase(databaseUrl);
const pgliteDirectory = process.env.PONDER_PGLITE_DIRECTORY || process.env.PGLITE_DIRECTORY;

export default createConfig({
  ...(process.env.DATABASE_URL || !pgliteDirectory ? {} : { database: { kind: "pglite", directory: resolve(pgliteDirectory) } }),
  // Handlers only record facts per chain: no cross-chain order to keep, so each chain runs at its own pace.
  ordering: "multichain",
  chains: plan.chains,
  contracts: {
    SogniToken: { abi: SogniTokenAbi, chain: plan.SogniToken },
    SogniStaking: { abi: SogniStakingAbi, chain: plan.SogniStaking },
    WorkerPayouts: { abi: WorkerPayoutsAbi, chain: plan.WorkerPayouts },
    SeasonDistributor: { abi: SeasonDistributorAbi, chain: plan.SeasonDistributor },
    SogniRewards: { abi: SogniRewardsAbi, chain: plan.SogniRewards },
  },
});
