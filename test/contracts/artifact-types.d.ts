// Typed artifacts for hardhat-viem (`viem.deployContract("SeasonDistributor")` gets the real ABI type).
// tsconfig.json excludes artifacts/, so the declarations Hardhat generates are referenced here.
// They exist after `npx hardhat build` (npm test and CI build first).
/// <reference path="../../artifacts/contracts/SeasonDistributor.sol/artifacts.d.ts" />
/// <reference path="../../artifacts/contracts/SogniStaking.sol/artifacts.d.ts" />
/// <reference path="../../artifacts/contracts/WorkerPayouts.sol/artifacts.d.ts" />
/// <reference path="../../artifacts/contracts/SogniToken.sol/artifacts.d.ts" />
/// <reference path="../../artifacts/contracts/bench/BaselineDistributor.sol/artifacts.d.ts" />
