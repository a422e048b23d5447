/**
 * The indexer's configuration rules (SPEC section 7: "On a live chain the
 * addresses, start blocks and ABIs come from configuration"), and the pure
 * pieces of the REST API: parameter parsing, checkpoint decoding and the
 * onchain.json assembly order.
 */
import { describe, expect, it } from "vitest";
import { decodeCheckpointBlock } from "../../indexer/checkpoint.js";
import { indexerPlan, NO_ADDRESS } from "../../indexer/config.js";
import { parseSnapshotBlocks, parseTimeParam, parseWindowParams } from "../../indexer/params.js";
import { assembleSnapshot } from "../../indexer/snapshot.js";
import { serializeOnchainJson } from "../../season/onchain.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDeployments, stakingContracts, type Deployments } from "../../chain/deployments.js";
import { rootHistory, type RootEventOrigin } from "../../indexer/rewards.js";

const T = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
const S = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as const;
const W = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" as const;
const D = "0x0000000000000000000000000000000000000d15" as const;

const twoChains: Deployments = {
  chains: [
    { chainId: 8453, name: "base", rpcUrl: "https://base.example", startBlock: 21_000_000, contracts: { SogniToken: T, SogniStaking: S, WorkerPayouts: W }, distributors: [{ season: 7, address: D, block: 22_000_000 }] },
    { chainId: 42793, name: "etherlink", rpcUrl: "https://etherlink.example", startBlock: 5_000, contracts: { SogniToken: T, SogniStaking: S, WorkerPayouts: W }, distributors: [] },
  ],
};

describe("config: chains, addresses and start blocks come from the deployments file and the environment", () => {
  it("follows the same three contracts on every chain from the chain's start block", () => {
    const plan = indexerPlan(twoChains, {});
    expect(plan.chains).toEqual({
      base: { id: 8453, rpc: "https://base.example", pollingInterval: 1000, disableCache: false },
      etherlink: { id: 42793, rpc: "https://etherlink.example", pollingInterval: 1000, disableCache: false },
    });
    expect(plan.SogniStaking).toEqual({ base: { address: S.toLowerCase(), startBlock: 21_000_000 }, etherlink: { address: S.toLowerCase(), startBlock: 5_000 } });
  });

  it("PONDER_RPC_URL_<chainId> overrides the file's RPC URL; local chain ids poll every 200 ms without the RPC cache", () => {
    const local: Deployments = { chains: [{ ...twoChains.chains[0]!, chainId: 31337, name: "hardhat", rpcUrl: "http://127.0.0.1:8545" }] };
    const plan = indexerPlan(local, { PONDER_RPC_URL_31337: "http://127.0.0.1:9999" });
    expect(plan.chains.hardhat).toEqual({ id: 31337, rpc: "http://127.0.0.1:9999", pollingInterval: 200, disableCache: true });
  });

  it("Claimed is read from any emitter by default, and only from the listed distributors with PONDER_CLAIMS_FROM=listed", () => {
    expect(indexerPlan(twoChains, {}).SeasonDistributor).toEqual({ base: { startBlock: 21_000_000 }, etherlink: { startBlock: 5_000 } });
    expect(indexerPlan(twoChains, { PONDER_CLAIMS_FROM: "listed" }).SeasonDistributor).toEqual({
      base: { address: [D], startBlock: 22_000_000 },
      etherlink: { address: NO_ADDRESS, startBlock: 5_000 },
    });
  });

  it.each([
    [{ chains: [] }, {}, /lists no chain/],
    [{ chains: [twoChains.chains[0]!, twoChains.chains[0]!] }, {}, /chain 8453 is listed twice/],
    [{ chains: [{ ...twoChains.chains[0]!, contracts: { ...twoChains.chains[0]!.contracts, SogniStaking: "0x12" } }] }, {}, /contracts.SogniStaking must be an address/],
    [{ chains: [{ ...twoChains.chains[0]!, rpcUrl: "" }] }, {}, /set PONDER_RPC_URL_8453/],
    [twoChains, { PONDER_CLAIMS_FROM: "some" }, /"any" or "listed"/],
    [twoChains, { PONDER_POLLING_MS_8453: "50" }, /at least 100/],
  ] as [Deployments, Record<string, string>, RegExp][])("refuses a bad file or variable with a message that says what to fix (%#)", (deployments, env, message) => {
    expect(() => indexerPlan(deployments, env)).toThrow(message);
  });
});

describe("SPEC 8.4: several staking contracts per chain, each with its start block", () => {
  const S2 = "0x0000000000000000000000000000000000005a02" as const;
  const S3 = "0x0000000000000000000000000000000000005A03" as const;
  const base = twoChains.chains[0]!;

  it("a file with one contracts.SogniStaking (the form before several) reads as that one contract from the chain's start block", () => {
    expect(stakingContracts(base)).toEqual([{ address: S, block: 21_000_000 }]);
    expect(indexerPlan(twoChains, {}).SogniStaking.base).toEqual({ address: S.toLowerCase(), startBlock: 21_000_000 });
  });

  it("\"staking\" lists every contract: the indexer follows all of them from the earliest start block", () => {
    const chain = { ...base, staking: [{ address: S, block: 21_000_000 }, { address: S2, block: 23_500_000 }, { address: S3, block: 22_000_000 }] };
    expect(stakingContracts(chain).map((c) => c.block)).toEqual([21_000_000, 23_500_000, 22_000_000]);
    expect(indexerPlan({ chains: [chain] }, {}).SogniStaking.base).toEqual({ address: [S.toLowerCase(), S2, S3.toLowerCase()], startBlock: 21_000_000 });
  });

  it("readDeployments fills contracts.SogniStaking from staking[0] when a file names only the list", () => {
    const dir = mkdtempSync(join(tmpdir(), "deployments-"));
    try {
      const path = join(dir, "deployments.json");
      const { SogniStaking: _first, ...rest } = base.contracts;
      writeFileSync(path, JSON.stringify({ chains: [{ ...base, contracts: rest, staking: [{ address: S2, block: 5 }, { address: S, block: 9 }] }] }));
      const read = readDeployments(path);
      expect(read.chains[0]!.contracts.SogniStaking).toBe(S2);
      expect(stakingContracts(read.chains[0]!)).toEqual([{ address: S2, block: 5 }, { address: S, block: 9 }]);
      writeFileSync(path, JSON.stringify({ chains: [{ ...base, staking: [{ address: S2, block: "5" }] }] }));
      expect(() => readDeployments(path)).toThrow(/chains\[0\]\.staking\[0\]\.block must be the block to start reading it from/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [[], /staking must be a non-empty list/],
    [[{ address: "0x12", block: 1 }], /staking\[0\]\.address must be an address, got "0x12"/],
    [[{ address: S, block: -1 }], /staking\[0\]\.block must be the block to start reading it from/],
    [[{ address: S, block: 1, start: 2 }], /staking\[0\]: unknown key "start"/],
    [[{ address: S, block: 1 }, { address: S.toLowerCase(), block: 2 }], /staking\[1\]: 0x.* is listed twice/],
    [[{ address: S2, block: 1 }, { address: S, block: 2 }], /contracts.SogniStaking .* is not staking\[0\]/],
  ] as [unknown, RegExp][])("refuses a bad staking list with a message that names the entry (%#)", (staking, message) => {
    expect(() => indexerPlan({ chains: [{ ...base, staking } as never] }, {})).toThrow(message);
  });
});

describe("SPEC 8.3: SogniRewards is followed on every chain", () => {
  const R = "0x00000000000000000000000000000000000000e1" as const;
  const withRewards: Deployments = { chains: [{ ...twoChains.chains[0]!, rewards: { address: R, block: 22_500_000 } }, twoChains.chains[1]!] };

  it("from any emitter by default (the API keeps the listed contract); only the listed one with PONDER_CLAIMS_FROM=listed", () => {
    expect(indexerPlan(withRewards, {}).SogniRewards).toEqual({ base: { startBlock: 21_000_000 }, etherlink: { startBlock: 5_000 } });
    expect(indexerPlan(withRewards, { PONDER_CLAIMS_FROM: "listed" }).SogniRewards).toEqual({
      base: { address: R, startBlock: 22_500_000 },
      etherlink: { address: NO_ADDRESS, startBlock: 5_000 },
    });
  });

  it("refuses a rewards entry without an address or a block", () => {
    expect(() => indexerPlan({ chains: [{ ...twoChains.chains[0]!, rewards: { address: "0x1" as `0x${string}`, block: 1 } }] }, {})).toThrow(/rewards.address must be the SogniRewards address/);
    expect(() => indexerPlan({ chains: [{ ...twoChains.chains[0]!, rewards: { address: R, block: -3 } }] }, {})).toThrow(/rewards.block must be its deployment block/);
  });
});

describe("SPEC 8.3: a rewards contract's roots, replayed from RootProposed, RootAccepted and RootRevoked", () => {
  const at = (blockNumber: number, logIndex = 0): RootEventOrigin => ({ blockNumber: BigInt(blockNumber), logIndex, timestamp: BigInt(1_000 + blockNumber), txHash: `0x${blockNumber.toString(16).padStart(64, "0")}` });
  const root = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
  const proposal = (n: number, block: number) => ({ ...at(block), root: root(n), dataHash: root(100 + n), total: BigInt(n) * 1_000n, validAt: BigInt(5_000 + block) });
  const acceptance = (n: number, block: number) => ({ ...at(block), root: root(n), dataHash: root(100 + n), total: BigInt(n) * 1_000n });

  it("proposed then accepted is live; the next accepted supersedes it; a proposal waiting is pending", () => {
    const history = rootHistory({ proposed: [proposal(3, 30), proposal(1, 10), proposal(2, 20)], accepted: [acceptance(2, 25), acceptance(1, 15)], revoked: [] });
    expect(history.roots.map((r) => [r.root, r.status])).toEqual([[root(1), "superseded"], [root(2), "live"], [root(3), "pending"]]);
    expect(history.live?.accepted?.blockNumber).toBe(25n);
    expect(history.roots[0]!.endedBy?.blockNumber).toBe(25n);
    expect(history.pending).toMatchObject({ root: root(3), validAt: 5_030n, dataHash: root(103), total: 3_000n });
  });

  it("a proposal replaced before it was accepted is replaced; a revoked one is revoked and leaves nothing pending", () => {
    const history = rootHistory({ proposed: [proposal(1, 10), proposal(2, 11), proposal(3, 20)], accepted: [], revoked: [{ ...at(21), root: root(3) }] });
    expect(history.roots.map((r) => r.status)).toEqual(["replaced", "replaced", "revoked"]);
    expect(history.roots[2]!.revoked?.blockNumber).toBe(21n);
    expect(history.pending).toBeUndefined();
    expect(history.live).toBeUndefined();
  });

  it("a root accepted without a proposal in the indexed range is still live (its validAt unknown)", () => {
    const history = rootHistory({ proposed: [], accepted: [acceptance(7, 40)], revoked: [] });
    expect(history.live).toMatchObject({ root: root(7), status: "live", validAt: null, proposed: null });
  });
});

describe("REST parameters", () => {
  it("times are unix seconds or ISO-8601 UTC (Z or +00:00); a bare date is 00:00 UTC; another zone is refused", () => {
    expect(parseTimeParam("from", "1760313600")).toBe(1_760_313_600n);
    expect(parseTimeParam("from", "2025-10-13T00:00:00Z")).toBe(1_760_313_600n);
    expect(parseTimeParam("from", "2025-10-13T00:00:00+00:00")).toBe(1_760_313_600n);
    expect(() => parseTimeParam("from", "2025-10-13T02:00:00+02:00")).toThrow(/from: .*ISO-8601 UTC/);
    expect(parseTimeParam("from", "2025-10-13")).toBe(1_760_313_600n);
    expect(() => parseTimeParam("from", "2025-10-13T00:00:00.5Z")).toThrow(/not a whole second/);
    expect(() => parseTimeParam("from", "2025-13-45T00:00:00Z")).toThrow(/not a time/);
    expect(() => parseWindowParams("10", "5")).toThrow(/before from/);
    expect(parseWindowParams(undefined, undefined)).toBeUndefined();
  });

  it("block=N sets every chain, block.<chainId>=N one chain", () => {
    expect(parseSnapshotBlocks({ deposit: "x", block: "7", "block.31338": "9" })).toEqual({ all: 7n, perChain: new Map([[31338, 9n]]) });
    expect(() => parseSnapshotBlocks({ "block.x": "1" })).toThrow(/unknown parameter "block.x"/);
  });
});

describe("Ponder checkpoints: timestamp (10 digits), chain id (16), block number (16), …", () => {
  it("decodes the block a chain is indexed to", () => {
    const checkpoint = `1760313600${"31337".padStart(16, "0")}${"42".padStart(16, "0")}${"0".repeat(33)}`;
    expect(decodeCheckpointBlock(checkpoint)).toEqual({ timestamp: 1_760_313_600n, chainId: 31_337n, blockNumber: 42n });
  });
});

describe("SPEC 6: onchain.json lists facts by chain id, then block, then log index", () => {
  it("sorts rows from any order and writes decimal strings for amounts and ids", () => {
    const lock = (chainId: number, blockNumber: bigint, logIndex: number, amount: bigint) => ({
      chainId, blockNumber, logIndex, staking: "0xCC00000000000000000000000000000000000000", account: "0xAA00000000000000000000000000000000000000", amount, lockWeeks: 2n, effectiveFrom: 100n, unlockAt: 200n,
    });
    const text = serializeOnchainJson(assembleSnapshot({
      snapshot: [
        { chainId: 31338, block: 9n, hash: "0xBB", timestamp: 2n },
        { chainId: 31337, block: 8n, hash: "0xaa", timestamp: 1n },
      ],
      locks: [lock(31338, 1n, 0, 4n), lock(31337, 5n, 1, 3n), lock(31337, 5n, 0, 2n), lock(31337, 2n, 7, 1n)],
      workerPaid: [{ chainId: 31337, blockNumber: 3n, logIndex: 0, batchId: 12345678901234567890n, worker: "0xbb00000000000000000000000000000000000000", amount: 5n }],
      deposits: [],
    }));
    const json = JSON.parse(text) as { snapshot: unknown[]; locks: { amount: string }[]; workerPaid: { batchId: string }[] };
    expect(json.snapshot).toEqual([
      { chainId: 31337, block: "8", hash: "0xaa", timestamp: 1 },
      { chainId: 31338, block: "9", hash: "0xbb", timestamp: 2 },
    ]);
    expect(json.locks.map((l) => l.amount)).toEqual(["1", "2", "3", "4"]);
    expect(json.locks[0]).toEqual({
      chainId: 31337, block: "2", logIndex: 7, staking: "0xcc00000000000000000000000000000000000000", account: "0xaa00000000000000000000000000000000000000", amount: "1", lockWeeks: 2, effectiveFrom: 100, unlockAt: 200,
    });
    expect(json.workerPaid[0]).toEqual({ chainId: 31337, block: "3", logIndex: 0, batchId: "12345678901234567890", worker: "0xbb00000000000000000000000000000000000000", amount: "5" });
    expect(text.endsWith("}\n")).toBe(true);
  });
});
