/**
 * A small hand-made SeasonResult and a Merkle tree over it built with
 * merkletreejs (the reference of SPEC section 5), for the output tests.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import keccak256 from "keccak256";
import { MerkleTree } from "merkletreejs";
import { encodeAbiParameters, keccak256 as viemKeccak, type Hex } from "viem";
import { POOL_KEYS, type Address, type Leaderboard, type LeaderboardEntry, type PoolKey, type Recipient, type SeasonResult } from "../../season/types.js";

const E18 = 10n ** 18n;

/** SPEC 5 leaf: keccak256(bytes.concat(keccak256(abi.encode(index, account, amount)))). */
export function referenceLeaf(index: number, account: Address, amount: bigint): Buffer {
  const inner = viemKeccak(encodeAbiParameters([{ type: "uint256" }, { type: "address" }, { type: "uint256" }], [BigInt(index), account, amount]));
  return Buffer.from(viemKeccak(inner).slice(2), "hex");
}

/** A reference tree: its root, each leaf's proof, and its levels as tree.bin holds them (leaves first, 32 bytes a node). */
export interface ReferenceTree {
  tree: MerkleTree;
  leaves: Buffer[];
  root: Hex;
  proof(index: number): Hex[];
  levels: Uint8Array[];
}

/** merkletreejs over the recipients' leaves: what the output must write. */
export function referenceTree(recipients: readonly Recipient[]): ReferenceTree {
  const leaves = recipients.map((r) => referenceLeaf(r.index, r.address, r.amount));
  const tree = new MerkleTree(leaves, keccak256, { sortPairs: true });
  return {
    tree,
    leaves,
    root: tree.getHexRoot() as Hex,
    proof: (index) => tree.getHexProof(leaves[index]!, index) as Hex[],
    levels: tree.getLayers().map((layer) => new Uint8Array(Buffer.concat(layer))),
  };
}

const zeroPools = (): Record<PoolKey, bigint> => ({ artists: 0n, ambassadors: 0n, stakers: 0n, relaxedWorkers: 0n, fastWorkers: 0n });

function entry(rank: number, address: Address, name: string, points: bigint, amount: bigint, worker?: { hardware: string; work: bigint; nft: string }): LeaderboardEntry {
  return { rank, address, name, daysActive: 1, points, weight: points, firstActivity: 1791763200 + rank, amount, ...worker };
}

/**
 * Three recipients: 0x00…01 (artists 600), 0x7f…02 (artists 400 + fast 50),
 * 0xff…03 (fast 150). Names exercise CSV quoting.
 */
export function handMadeResult(): SeasonResult {
  const a = "0x0000000000000000000000000000000000000001" as Address;
  const b = "0x7f00000000000000000000000000000000000002" as Address;
  const c = "0xff00000000000000000000000000000000000003" as Address;
  const recipients: Recipient[] = [
    { index: 0, address: a, amount: 600n * E18, pools: { ...zeroPools(), artists: 600n * E18 } },
    { index: 1, address: b, amount: 450n * E18, pools: { ...zeroPools(), artists: 400n * E18, fastWorkers: 50n * E18 } },
    { index: 2, address: c, amount: 150n * E18, pools: { ...zeroPools(), fastWorkers: 150n * E18 } },
  ];
  const boards = {} as Record<PoolKey, Leaderboard>;
  for (const pool of POOL_KEYS) boards[pool] = { pool, pointDecimals: 6, entries: [] };
  boards.artists.entries = [entry(1, a, "ada", 30_000_000n, 600n * E18), entry(2, b, 'bob, "the builder"', 20_000_000n, 400n * E18)];
  boards.fastWorkers.entries = [
    entry(1, c, "", 3_000_000n, 150n * E18, { hardware: "RTX 4090, 24GB", work: 9n * E18, nft: "42" }),
    entry(2, b, 'bob, "the builder"', 1_000_000n, 50n * E18, { hardware: "M3", work: 0n, nft: "" }),
  ];
  const pool = (amount: bigint, recipients: number, top?: number) => ({ amount, top, recipients, allocated: recipients ? amount : 0n });
  return {
    config: {
      season: 7,
      start: 1791763200,
      end: 1792972800,
      sparkDepositAddress: "0x5e50000000000000000000000000000000000001",
      pools: {
        artists: { amount: 1000n * E18, top: 2 },
        ambassadors: { amount: 600n * E18, top: undefined },
        stakers: { amount: 300n * E18, top: undefined },
        relaxedWorkers: { amount: 100n * E18, top: 2 },
        fastWorkers: { amount: 200n * E18, top: undefined },
      },
      workerPaymentWeights: { sogni: 1_000_000n },
      exclude: [],
      claimDeadline: undefined,
      token: undefined,
      decimals: 18,
    },
    stats: { users: 2, workers: 2, creations: 5 },
    leaderboards: boards,
    pools: {
      artists: pool(1000n * E18, 2, 2),
      ambassadors: pool(600n * E18, 0),
      stakers: pool(300n * E18, 0),
      relaxedWorkers: pool(100n * E18, 0, 2),
      fastWorkers: pool(200n * E18, 2),
    },
    recipients,
    total: 1200n * E18,
    rejected: [{ file: "jobs.csv", rowId: "j5", reason: 'worker not paid in batch 3, "WorkerPaid" missing' }],
    skippedOutsideWindow: { "jobs.csv": 1, "spark_usage.csv": 2 },
  };
}

export function scratchDir(prefix = "season-output-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under dir (relative path -> bytes). */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else files.set(path, readFileSync(join(dir, path)));
    }
  };
  walk("");
  return files;
}
