import { createRequire } from "node:module";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import { defineConfig } from "hardhat/config";

// Compile offline: point Hardhat at the solc-js build shipped in the `solc`
// npm package so nothing is ever downloaded (no internet in CI).
const require = createRequire(import.meta.url);
const SOLC_VERSION = "0.8.28";

export default defineConfig({
  plugins: [hardhatViem, hardhatNetworkHelpers],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "cancun",
    },
  },
  paths: {
    sources: "./contracts",
    tests: { solidity: "./contracts/test" },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
});
