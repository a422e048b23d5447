/**
 * A small season output directory (SPEC section 6: manifest.json,
 * recipients.csv, proofs/<xx>.json) written from a list of allocations with
 * the reference tree of SPEC section 5 (merkletreejs), independent of our own
 * builder, so the distribution commands are tested against the spec.
 *
 * @example
 * const dir = writeSeasonFixture(tmp, { season: 7, chainId: 31337, token, allocations: [{ account, amount: 5n }] });
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { referenceTree } from "../../contracts/helpers.js";
import { formatDecimal } from "../../../season/decimal.js";
import { csvField } from "../../../season/csv.js";
import { SHARD_NAMES } from "../../../season/season-files.js";
import { POOL_KEYS, type PoolKey } from "../../../season/types.js";

export interface FixtureAllocation {
  account: Address;
  amount: bigint;
  /** Per-pool split of `amount` (must sum to it); default: all of it from `artists`. */
  pools?: Partial<Record<PoolKey, bigint>>;
  /** Leaderboard name. */
  name?: string;
}

export interface FixtureOptions {
  season: number;
  chainId: number;
  token: Address;
  allocations: FixtureAllocation[];
  /** ISO-8601 UTC; default season 7's window (2026-10-13 to 2026-11-24). */
  window?: { start: string; end: string };
  /** Unix seconds; omitted means no deadline. */
  claimDeadline?: number;
}

export interface SeasonFixture {
  dir: string;
  root: Hex;
  total: bigint;
  /** Sorted by lower-case address, as the leaves are. */
  recipients: { index: number; account: Address; amount: bigint; name: string; pools: Record<PoolKey, bigint>; proof: Hex[] }[];
}

export function writeSeasonFixture(parent: string, options: FixtureOptions): SeasonFixture {
  const sorted = [...options.allocations]
    .map((entry) => ({
      account: entry.account.toLowerCase() as Address,
      amount: entry.amount,
      name: entry.name ?? "",
      pools: Object.fromEntries(POOL_KEYS.map((pool) => [pool, entry.pools ? (entry.pools[pool] ?? 0n) : pool === "artists" ? entry.amount : 0n])) as Record<PoolKey, bigint>,
    }))
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  for (const entry of sorted) {
    const sum = POOL_KEYS.reduce((total, pool) => total + entry.pools[pool], 0n);
    if (sum !== entry.amount) throw new Error(`fixture: ${entry.account}'s pools sum to ${sum}, not ${entry.amount}`);
  }
  const tree = referenceTree(sorted);
  const total = sorted.reduce((sum, entry) => sum + entry.amount, 0n);
  const dir = join(parent, `season-${options.season}`);
  mkdirSync(join(dir, "proofs"), { recursive: true });
  const recipients = sorted.map((entry, index) => ({ index, ...entry, proof: tree.proof(index) }));

  const shards = new Map<string, Record<string, { index: number; amount: string; proof: Hex[] }>>();
  for (const recipient of recipients) {
    const shard = recipient.account.slice(2, 4);
    const entries = shards.get(shard) ?? {};
    entries[recipient.account] = { index: recipient.index, amount: recipient.amount.toString(), proof: recipient.proof };
    shards.set(shard, entries);
  }
  // All 256 shards exist, empty ones as {} (as season-io/output.ts writes them).
  for (const shard of SHARD_NAMES) writeFileSync(join(dir, "proofs", `${shard}.json`), `${JSON.stringify(shards.get(shard) ?? {})}\n`);

  const csv = [`index,address,amount,${POOL_KEYS.join(",")}`]
    .concat(recipients.map((r) => [r.index, r.account, r.amount, ...POOL_KEYS.map((pool) => r.pools[pool])].join(",")))
    .join("\n");
  writeFileSync(join(dir, "recipients.csv"), `${csv}\n`);

  // Leaderboards ranked by amount; points are the amount scaled down (any monotone number would do here).
  mkdirSync(join(dir, "leaderboards"), { recursive: true });
  const poolTotals = {} as Record<PoolKey, bigint>;
  for (const pool of POOL_KEYS) {
    const worker = pool === "relaxedWorkers" || pool === "fastWorkers";
    const entries = recipients.filter((r) => r.pools[pool] > 0n).sort((a, b) => (a.pools[pool] > b.pools[pool] ? -1 : a.pools[pool] < b.pools[pool] ? 1 : 0));
    poolTotals[pool] = entries.reduce((sum, r) => sum + r.pools[pool], 0n);
    const lines = [`rank,address,name,days_active,points,amount${worker ? ",hardware" : ""}`].concat(
      entries.map((r, position) =>
        [String(position + 1), r.account, csvField(r.name), String(42 - position), formatDecimal(r.pools[pool] / 10n ** 12n, 6), String(r.pools[pool]), ...(worker ? ["RTX 4090"] : [])].join(","),
      ),
    );
    writeFileSync(join(dir, "leaderboards", `${pool}.csv`), `${lines.join("\n")}\n`);
  }

  const manifest = {
    formatVersion: "2",
    season: options.season,
    chainId: options.chainId,
    token: options.token,
    decimals: 18,
    window: options.window ?? { start: "2026-10-13T00:00:00Z", end: "2026-11-24T00:00:00Z" },
    // As season/manifest.ts writes it: ISO seconds, or null for "no deadline".
    claimDeadline: options.claimDeadline === undefined ? null : new Date(options.claimDeadline * 1000).toISOString().replace(/\.000Z$/, "Z"),
    snapshot: [],
    pools: Object.fromEntries(
      POOL_KEYS.map((pool) => [
        pool,
        { amount: poolTotals[pool].toString(), top: pool === "artists" ? 200 : null, recipients: recipients.filter((r) => r.pools[pool] > 0n).length, allocated: poolTotals[pool].toString() },
      ]),
    ),
    total: total.toString(),
    recipients: recipients.length,
    merkleRoot: tree.root,
    leafEncoding: "keccak256(bytes.concat(keccak256(abi.encode(uint256 index, address account, uint256 amount))))",
    inputs: {},
    generator: { name: "test fixture", version: "0" },
  };
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, root: tree.root, total, recipients };
}
