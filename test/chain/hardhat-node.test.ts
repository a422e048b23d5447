/**
 * The local chain process (scripts/local/hardhat-node.ts): a real `hardhat
 * node` on 127.0.0.1 with the requested chain id, block time under control,
 * and nothing left running after stop().
 */
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestTimestamp, mineAt, mineBlock, setAutomine, setBalance, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { freePort } from "../../scripts/local/ports.js";

async function answers(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

describe("startHardhatNode: a chain on loopback with the chain id asked for", () => {
  let node: HardhatNode;
  // 2026-10-01T00:00:00Z
  const genesis = 1_790_812_800;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31338, initialDate: "2026-10-01T00:00:00Z" });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("answers eth_chainId 31338 on http://127.0.0.1:<port>", async () => {
    expect(node.rpcUrl).toBe(`http://127.0.0.1:${node.port}`);
    const client = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 });
    expect(await client.getChainId()).toBe(31338);
  });

  it("starts at the initial date: genesis block at 2026-10-01T00:00:00Z (1790812800)", async () => {
    const client = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 });
    const block = await client.getBlock({ blockNumber: 0n });
    expect(block.timestamp).toBe(BigInt(genesis));
  });

  it("mineAt mines exactly one block at the given second, with a real parent hash", async () => {
    const client = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 });
    const before = await client.getBlockNumber();
    await mineAt(client, genesis + 3_600);
    const block = await client.getBlock();
    expect(block.number).toBe(before + 1n);
    expect(block.timestamp).toBe(BigInt(genesis + 3_600));
    const parent = await client.getBlock({ blockNumber: before });
    expect(block.parentHash).toBe(parent.hash);
    expect(await latestTimestamp(client)).toBe(genesis + 3_600);
  });

  it("mineAt refuses to move time backwards", async () => {
    const client = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 });
    await expect(mineAt(client, genesis + 60)).rejects.toThrow();
  });

  it("with automine off, a transaction waits in the mempool until the next mined block", async () => {
    const client = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 });
    const receiver = "0x00000000000000000000000000000000000000aa";
    await setBalance(client, receiver, 5n);
    expect(await client.getBalance({ address: receiver })).toBe(5n);
    await setAutomine(client, false);
    try {
      const before = await client.getBlockNumber();
      // Hardhat's node unlocks its development accounts: account #0 sends 7 wei.
      const hash = (await client.request({
        method: "eth_sendTransaction" as never,
        params: [{ from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", to: receiver, value: "0x7" }] as never,
      })) as `0x${string}`;
      expect(await client.getBlockNumber()).toBe(before);
      expect(await client.getBalance({ address: receiver })).toBe(5n);
      await mineBlock(client);
      expect(await client.getBlockNumber()).toBe(before + 1n);
      expect(await client.getBalance({ address: receiver })).toBe(12n);
      const receipt = await client.getTransactionReceipt({ hash });
      expect(receipt.blockNumber).toBe(before + 1n);
    } finally {
      await setAutomine(client, true);
    }
  });
});

describe("startHardhatNode: stop() ends the node", () => {
  it("the port stops answering after stop(), and stop() may be called twice", async () => {
    const node = await startHardhatNode({ chainId: 31337 });
    expect(await answers(node.rpcUrl)).toBe(true);
    await node.stop();
    expect(await answers(node.rpcUrl)).toBe(false);
    await node.stop();
  });

  it("takes an explicit port when given one", async () => {
    const port = await freePort();
    const node = await startHardhatNode({ chainId: 31337, port });
    try {
      expect(node.port).toBe(port);
      expect(await answers(`http://127.0.0.1:${port}`)).toBe(true);
    } finally {
      await node.stop();
    }
  });

  it("rejects a bad initial date with a message naming the format", async () => {
    await expect(startHardhatNode({ initialDate: "13/10/2026" })).rejects.toThrow(/ISO-8601/);
  });
});
