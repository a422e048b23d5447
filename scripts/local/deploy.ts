/**
 * Deploys the season's on-chain pieces (SOGNI stand-in, staking, worker
 * payouts) from the compiled artifacts and describes them as a
 * {@link ChainDeployment}, the entry the indexer reads from the deployments
 * file.
 *
 * Who signs: env DEPLOYER_PRIVATE_KEY when set (a live chain), otherwise, on a
 * Hardhat node only, Hardhat's first development account. Never a key on the
 * command line.
 *
 * @example
 * const node = await startHardhatNode({ chainId: 31338 });
 * const deployment = await deployAll({ rpcUrl: node.rpcUrl });
 * writeDeployments("deployments/local.json", mergeDeployment(readDeploymentsOrEmpty(path), deployment));
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { getAddress, type Account, type Address, type Hex } from "viem";
import { connectChain, deployerFromEnv, hardhatAccount, walletFor, type ChainConnection } from "../../chain/clients.js";
import { loadArtifact, type ContractArtifact, type ContractName } from "../../chain/artifacts.js";
import { readDeployments, stakingContracts, writeDeployments, type ChainDeployment, type Deployments, type StakingDeployment } from "../../chain/deployments.js";
import { isHardhatNode, latestTimestamp, setNextBlockTimestamp } from "./hardhat-node.js";

export interface DeployOptions {
  rpcUrl: string;
  /**
   * Unix seconds of the staking contract's epoch zero (epochs are weekly from
   * it). Default: the Monday 00:00 UTC at or before the latest block.
   */
  epochZero?: number;
  /** Name of the chain in the deployments file; default `hardhat` for 31337, `hardhat-<id>` for other local ids, `chain-<id>` otherwise. */
  name?: string;
  /**
   * Local nodes only: mine the three deployment blocks at this unix second
   * (then +1, +2) instead of the node's clock, so a fresh chain's whole
   * history (block hashes included) is reproducible.
   */
  timestamp?: number;
  /** The signer; default from {@link deployerAccount}. */
  account?: Account;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** What went wrong while deploying; the message says what to do. */
export class DeployError extends Error {
  override name = "DeployError";
}

const WEEK = 604_800;
const DAY = 86_400;

/**
 * The Monday 00:00 UTC at or before `timestamp` (unix seconds). Unix time 0
 * was a Thursday, so Mondays are 4 days after a multiple of a week.
 *
 * @example mondayAtOrBefore(1760400000) === 1760313600 // 2025-10-13T00:00:00Z
 */
export function mondayAtOrBefore(timestamp: number): number {
  return Math.floor((timestamp - 4 * DAY) / WEEK) * WEEK + 4 * DAY;
}

/**
 * The deploying account: DEPLOYER_PRIVATE_KEY, or Hardhat's account #0 when
 * the node is a local Hardhat node. Anything else is an error that says which
 * variable to set.
 */
export async function deployerAccount(connection: ChainConnection): Promise<Account> {
  const fromEnv = deployerFromEnv();
  if (fromEnv) return fromEnv;
  if (await isHardhatNode(connection.publicClient)) return hardhatAccount(0);
  throw new DeployError(
    `chain ${connection.chainId} at ${connection.rpcUrl} is not a local Hardhat node: set DEPLOYER_PRIVATE_KEY to deploy there`,
  );
}

/**
 * Deploys SogniToken, SogniStaking(token, epochZero) and WorkerPayouts(token)
 * in that order, waits for each receipt, and returns the chain's entry for the
 * deployments file; `startBlock` is the token's deployment block.
 *
 * @example const entry = await deployAll({ rpcUrl: "http://127.0.0.1:8545" });
 */
export async function deployAll(options: DeployOptions): Promise<ChainDeployment> {
  const log = options.log ?? (() => {});
  const connection = await connectChain(options.rpcUrl);
  const account = options.account ?? (await deployerAccount(connection));
  const wallet = walletFor(connection, account);
  const local = await isHardhatNode(connection.publicClient);
  if (options.timestamp !== undefined && !local) throw new DeployError("a fixed deployment timestamp needs a local Hardhat node");
  const epochZero = options.epochZero ?? mondayAtOrBefore(options.timestamp ?? (await latestTimestamp(connection.publicClient)));
  let nextTimestamp = options.timestamp;

  const deploy = contractDeployer(connection, wallet, () => (nextTimestamp === undefined ? undefined : nextTimestamp++), log);
  const token = await deploy("SogniToken", ({ abi, bytecode }) => wallet.deployContract({ abi, bytecode, args: [] }));
  const staking = await deploy("SogniStaking", ({ abi, bytecode }) => wallet.deployContract({ abi, bytecode, args: [token.address, BigInt(epochZero)] }));
  const payouts = await deploy("WorkerPayouts", ({ abi, bytecode }) => wallet.deployContract({ abi, bytecode, args: [token.address] }));

  return {
    chainId: connection.chainId,
    name: options.name ?? defaultChainName(connection.chainId, local),
    rpcUrl: options.rpcUrl,
    startBlock: token.block,
    contracts: { SogniToken: token.address, SogniStaking: staking.address, WorkerPayouts: payouts.address },
    distributors: [],
  };
}

/**
 * Deploys `name` and waits for its receipt; before each, on a local node with
 * a fixed history, sets the block's time from `nextTimestamp`. `send` gets
 * the typed ABI, so each contract's constructor arguments are checked.
 */
function contractDeployer(
  connection: ChainConnection,
  wallet: ReturnType<typeof walletFor>,
  nextTimestamp: () => number | undefined,
  log: (line: string) => void,
) {
  return async <N extends ContractName>(name: N, send: (artifact: ContractArtifact<N>) => Promise<Hex>): Promise<{ address: Address; block: number }> => {
    const artifact = loadArtifact(name);
    const timestamp = nextTimestamp();
    if (timestamp !== undefined) await setNextBlockTimestamp(connection.publicClient, timestamp);
    const hash = await send(artifact);
    const receipt = await connection.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50, timeout: 120_000 });
    if (receipt.status !== "success" || !receipt.contractAddress) {
      throw new DeployError(`deploying ${name} failed in transaction ${hash} (status ${receipt.status})`);
    }
    log(`deployed ${name} at ${getAddress(receipt.contractAddress)} (block ${receipt.blockNumber}) on chain ${connection.chainId}`);
    return { address: getAddress(receipt.contractAddress), block: Number(receipt.blockNumber) };
  };
}

export interface DeployStakingOptions {
  rpcUrl: string;
  /** The chain's entry in the deployments file: its token is staked, its staking list grows. */
  chain: ChainDeployment;
  /** Unix seconds of the new contract's epoch zero; default the Monday 00:00 UTC at or before the latest block. */
  epochZero?: number;
  /** Local nodes only: mine the deployment block at this unix second. */
  timestamp?: number;
  account?: Account;
  log?: (line: string) => void;
}

/**
 * Deploys one more SogniStaking(token, epochZero) on a chain already in the
 * deployments file (Sogni opens a new staking contract for a new season,
 * SPEC 8.4) and returns the chain's entry with it appended to `staking`
 * (oldest first; the first is `contracts.SogniStaking`). The old contracts
 * and their locks stay as they are.
 *
 * @example
 * const entry = await deployStaking({ rpcUrl, chain: readDeployments(path).chains[0] });
 * saveDeployment(path, entry); // entry.staking: [first, new]
 */
export async function deployStaking(options: DeployStakingOptions): Promise<{ entry: ChainDeployment; staking: StakingDeployment }> {
  const log = options.log ?? (() => {});
  const connection = await connectChain(options.rpcUrl);
  if (connection.chainId !== options.chain.chainId) {
    throw new DeployError(`${options.rpcUrl} is chain ${connection.chainId}, but the deployments entry is chain ${options.chain.chainId}`);
  }
  const account = options.account ?? (await deployerAccount(connection));
  const wallet = walletFor(connection, account);
  if (options.timestamp !== undefined && !(await isHardhatNode(connection.publicClient))) throw new DeployError("a fixed deployment timestamp needs a local Hardhat node");
  const epochZero = options.epochZero ?? mondayAtOrBefore(options.timestamp ?? (await latestTimestamp(connection.publicClient)));
  const existing = stakingContracts(options.chain, `chain ${options.chain.chainId}`);
  const deploy = contractDeployer(connection, wallet, () => options.timestamp, log);
  const token = options.chain.contracts.SogniToken;
  const staking = await deploy("SogniStaking", ({ abi, bytecode }) => wallet.deployContract({ abi, bytecode, args: [token, BigInt(epochZero)] }));
  return { entry: { ...options.chain, staking: [...existing, staking] }, staking };
}

function defaultChainName(chainId: number, local: boolean): string {
  if (!local) return `chain-${chainId}`;
  return chainId === 31337 ? "hardhat" : `hardhat-${chainId}`;
}

/** The deployments file at `path`, or an empty one when there is none yet. */
export function readDeploymentsOrEmpty(path: string): Deployments {
  return existsSync(path) ? readDeployments(path) : { chains: [] };
}

/**
 * Puts `entry` into `deployments`, replacing any entry with the same chain id
 * (a redeploy on a chain supersedes the old addresses); chains stay sorted by id.
 */
export function mergeDeployment(deployments: Deployments, entry: ChainDeployment): Deployments {
  const chains = deployments.chains.filter((chain) => chain.chainId !== entry.chainId);
  chains.push(entry);
  chains.sort((a, b) => a.chainId - b.chainId);
  return { ...deployments, chains };
}

/** Merges `entry` into the file at `path` (created with its folder if missing), atomically. */
export function saveDeployment(path: string, entry: ChainDeployment): Deployments {
  mkdirSync(dirname(path), { recursive: true });
  const merged = mergeDeployment(readDeploymentsOrEmpty(path), entry);
  writeDeployments(path, merged);
  return merged;
}
