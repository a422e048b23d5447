/**
 * A local Hardhat node (EDR) as a child process on 127.0.0.1, plus the few
 * chain-time helpers every simulation and test needs.
 *
 * The node runs in its own process group behind a tiny shell watchdog that
 * ends it when this process goes away (even on SIGKILL: the watchdog sees its
 * stdin close), so tests never leave chains behind.
 *
 * @example
 *   const node = await startHardhatNode({ chainId: 31338 });
 *   // … node.rpcUrl is "http://127.0.0.1:<free port>"
 *   await node.stop();
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.js";
import { processGroup } from "./process-group.js";
import { isoSeconds, parseTimeInput } from "../../season/time.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const HARDHAT_BIN = join(REPO_ROOT, "node_modules", ".bin", "hardhat");
const NODE_CONFIG = join(REPO_ROOT, "scripts", "local", "hardhat-node.config.ts");

export interface HardhatNodeOptions {
  /** Chain id of the new chain; Hardhat's default is 31337. */
  chainId?: number;
  /** Port on 127.0.0.1; a free one by default. */
  port?: number;
  /**
   * Timestamp of the genesis block (ISO string, Date or unix seconds). Block
   * time only moves forward, so a season window in the past needs a chain
   * that starts before it. Default: now.
   */
  initialDate?: string | Date | number;
  /** How long to wait for the node to answer, in ms (default 90 s: the machine may be busy). */
  startTimeoutMs?: number;
}

export interface HardhatNode {
  rpcUrl: string;
  chainId: number;
  port: number;
  /** Stops the node and its process group; safe to call twice. */
  stop(): Promise<void>;
}

/** Raised when the node does not come up; the message carries the node's last output. */
export class HardhatNodeError extends Error {
  override name = "HardhatNodeError";
}

// The watchdog: runs the node in the background, waits for stdin to close
// (stop() or the death of this process), then ends the node.
const WATCHDOG = `"$@" </dev/null &
child=$!
while read -r _; do :; done
kill -TERM "$child" 2>/dev/null
wait "$child"`;

/**
 * Starts `hardhat node` on 127.0.0.1 and resolves once `eth_chainId` answers
 * with the requested chain id. Request logging is switched off (it costs CPU
 * and fills pipes).
 *
 * @example const { rpcUrl, stop } = await startHardhatNode({ chainId: 31337 });
 */
export async function startHardhatNode(options: HardhatNodeOptions = {}): Promise<HardhatNode> {
  const chainId = options.chainId ?? 31337;
  // A port found free may be taken before the node binds it: retry on our own pick.
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(chainId, port, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof HardhatNodeError) || !/EADDRINUSE|address already in use/i.test(error.message)) break;
    }
  }
  throw lastError;
}

async function startOnce(chainId: number, port: number, options: HardhatNodeOptions): Promise<HardhatNode> {
  const args = [
    HARDHAT_BIN,
    "--config",
    NODE_CONFIG,
    "node",
    "--hostname",
    "127.0.0.1",
    "--port",
    String(port),
    "--chain-id",
    String(chainId),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  const initialDate = toIsoDate(options.initialDate);
  if (initialDate !== undefined) env.SOGNI_NODE_INITIAL_DATE = initialDate;
  else delete env.SOGNI_NODE_INITIAL_DATE;

  const child = spawn("sh", ["-c", WATCHDOG, "hardhat-node", ...args], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new HardhatNodeError("could not spawn `sh` to start the Hardhat node");
  const group = processGroup(child, "the Hardhat node");
  // Don't let the pipes keep this process alive; drain output, keep a tail for errors.
  child.unref();
  const tail = outputTail(child);

  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await group.stop("SIGTERM", 5_000);
    child.stdin?.destroy();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (group.exited()) {
      throw new HardhatNodeError(`hardhat node exited before answering on ${rpcUrl}:\n${tail()}`);
    }
    const answer = await tryRpc(rpcUrl, "eth_chainId", []);
    if (answer !== undefined) {
      const actual = Number(BigInt(answer as string));
      if (actual !== chainId) {
        await stop();
        throw new HardhatNodeError(`node on ${rpcUrl} answered chain id ${actual}, expected ${chainId} (is another node on that port?)`);
      }
      break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new HardhatNodeError(`hardhat node did not answer on ${rpcUrl} in time:\n${tail()}`);
    }
    await sleep(200);
  }
  await tryRpc(rpcUrl, "hardhat_setLoggingEnabled", [false]);
  return { rpcUrl, chainId, port, stop };
}

function toIsoDate(value: string | Date | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return isoSeconds(value);
  if (value instanceof Date) return value.toISOString();
  try {
    return isoSeconds(parseTimeInput(value));
  } catch (error) {
    throw new HardhatNodeError(`initialDate: ${(error as Error).message}`);
  }
}

function outputTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  for (const stream of [child.stdout, child.stderr, child.stdin]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  return () => lines.join("\n");
}

async function tryRpc(rpcUrl: string, method: string, params: unknown[]): Promise<unknown> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { result?: unknown };
    return body.result;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- chain-time helpers ----------------------------------------------------

/**
 * Anything that can send a JSON-RPC request: a viem client (public, wallet or
 * test) fits.
 */
export interface RpcClient {
  // viem's `request` is typed by each client's RPC schema (which lacks the evm_/hardhat_ methods):
  // accept any of them and send untyped requests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: (args: any, options?: any) => Promise<any>;
}

async function call(client: RpcClient, method: string, params: unknown[]): Promise<unknown> {
  return client.request({ method, params });
}

/**
 * Sets the timestamp of the next block (unix seconds; must be later than the
 * latest block's).
 */
export async function setNextBlockTimestamp(client: RpcClient, timestamp: number | bigint): Promise<void> {
  await call(client, "evm_setNextBlockTimestamp", [`0x${BigInt(timestamp).toString(16)}`]);
}

/**
 * Mines one block at `timestamp` (unix seconds), holding any pending
 * transactions. One block per call on purpose: `hardhat_mine` with a count
 * above 1 leaves zero parent hashes that make Ponder loop on "unrecoverable
 * reorg" (DESIGN.md).
 *
 * @example await mineAt(client, 1760313600); // one block at 2025-10-13T00:00:00Z
 */
export async function mineAt(client: RpcClient, timestamp: number | bigint): Promise<void> {
  await setNextBlockTimestamp(client, timestamp);
  await call(client, "evm_mine", []);
}

/** A chain's clock asked to go back: block time only moves forward. */
export class ClockError extends Error {
  override name = "ClockError";
  constructor(readonly latest: number) {
    super(`the latest block is at ${isoSeconds(latest)}: block time only moves forward, give a later time than that`);
  }
}

/**
 * Moves a local chain's clock to `time` (unix seconds): one empty block at
 * `time`, and the next block set one second later, so the next transaction
 * (a propose, an accept, a claim) lands at a known time whatever the wall
 * clock says. A time at or before the latest block is refused with a
 * {@link ClockError}. `npm run chain -- clock` and the demo move time with it.
 *
 * @example const { block } = await moveClock(client, parseIsoTime("2026-12-01T00:00:00Z"));
 */
export async function moveClock(client: RpcClient, time: number): Promise<{ block: number; time: number }> {
  const latest = await latestTimestamp(client);
  if (time <= latest) throw new ClockError(latest);
  await mineAt(client, time);
  await setNextBlockTimestamp(client, time + 1);
  const block = (await call(client, "eth_blockNumber", [])) as string;
  return { block: Number(BigInt(block)), time };
}

/** Mines one block at the node's own clock (with any pending transactions). */
export async function mineBlock(client: RpcClient): Promise<void> {
  await call(client, "evm_mine", []);
}

/**
 * Automine on: every transaction is its own block. Off: transactions wait in
 * the mempool (in the order sent) until {@link mineAt} or {@link mineBlock}.
 */
export async function setAutomine(client: RpcClient, enabled: boolean): Promise<void> {
  await call(client, "evm_setAutomine", [enabled]);
}

/** Sets an account's ETH balance in wei (Hardhat only). */
export async function setBalance(client: RpcClient, account: `0x${string}`, wei: bigint): Promise<void> {
  await call(client, "hardhat_setBalance", [account, `0x${wei.toString(16)}`]);
}

/** Unix seconds of the latest block. */
export async function latestTimestamp(client: RpcClient): Promise<number> {
  const block = (await call(client, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  return Number(BigInt(block.timestamp));
}

/** True when the RPC endpoint is a Hardhat node (EDR), where the test helpers above work. */
export async function isHardhatNode(client: RpcClient): Promise<boolean> {
  try {
    const version = (await call(client, "web3_clientVersion", [])) as string;
    return /hardhat|edr/i.test(version);
  } catch {
    return false;
  }
}
