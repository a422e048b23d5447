/**
 * Hardhat config used only by `startHardhatNode` (scripts/local/hardhat-node.ts)
 * for `hardhat node --config <this file>`. It exists so a local chain can
 * start in the past (season windows are often behind the wall clock, and block
 * time can only move forward) and so blocks mined with automine off keep the
 * order the transactions were sent in (fifo), which makes simulations
 * deterministic. Contracts are compiled by the main hardhat.config.ts.
 *
 * Environment (set by startHardhatNode, not by users):
 *   SOGNI_NODE_INITIAL_DATE  ISO date of the genesis block (optional)
 */
import { defineConfig } from "hardhat/config";

const initialDate = process.env.SOGNI_NODE_INITIAL_DATE;

export default defineConfig({
  // This file lives in scripts/local: point the shared folders at the repository root.
  paths: { artifacts: "../../artifacts", cache: "../../cache" },
  networks: {
    node: {
      type: "edr-simulated",
      chainType: "l1",
      ...(initialDate === undefined || initialDate === "" ? {} : { initialDate }),
      mining: { auto: true, mempool: { order: "fifo" } },
      // Room for many payout batches in one block (benchmarks, bulk simulation).
      blockGasLimit: 1_000_000_000,
    },
  },
});
