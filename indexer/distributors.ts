/**
 * The season distributors and SogniRewards contracts the deployments file
 * lists (and the token's decimals it names), re-read whenever the file
 * changes (its mtime), so a contract deployed while the indexer runs is
 * known to the API at once. Only these emitters' rows count.
 *
 * @example
 * const watch = distributorWatch("deployments/local.json");
 * watch.forSeason(7) // [{ chainId: 31337, address: "0x…", block: 812 }]
 */
import { statSync } from "node:fs";
import { readDeployments } from "../chain/deployments.js";
import { DEFAULT_DECIMALS } from "../season/config.js";

export interface KnownDistributor {
  season: number;
  chainId: number;
  address: `0x${string}`;
  block: number;
}

/** A chain's SogniRewards (the deployments file's `rewards` entry). */
export interface KnownRewards {
  chainId: number;
  address: `0x${string}`;
  block: number;
}

export interface DistributorWatch {
  all(): KnownDistributor[];
  /** The SogniRewards contracts, by chain id. */
  rewards(): KnownRewards[];
  forSeason(season: number): KnownDistributor[];
  /** The token's decimals the file names (default 18). */
  decimals(): number;
}

export function distributorWatch(path: string): DistributorWatch {
  let seen: { mtimeMs: number; size: number } | undefined;
  let known: KnownDistributor[] = [];
  let rewards: KnownRewards[] = [];
  let decimals = DEFAULT_DECIMALS;
  const refresh = (): KnownDistributor[] => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return known; // the file went away: keep what was read last
    }
    if (seen && seen.mtimeMs === stat.mtimeMs && seen.size === stat.size) return known;
    let deployments;
    try {
      deployments = readDeployments(path);
    } catch (error) {
      // A file edited into a bad state while the indexer runs: keep what was read last, say why once (per change).
      console.error(`indexer: ${path} cannot be read (${(error as Error).message}); the API keeps the contracts read before`);
      seen = { mtimeMs: stat.mtimeMs, size: stat.size };
      return known;
    }
    decimals = deployments.decimals ?? DEFAULT_DECIMALS;
    known = deployments.chains.flatMap((chain) =>
      (chain.distributors ?? []).map((d) => ({
        season: d.season,
        chainId: chain.chainId,
        address: d.address.toLowerCase() as `0x${string}`,
        block: d.block,
      })),
    );
    known.sort((a, b) => a.season - b.season || a.chainId - b.chainId || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    rewards = deployments.chains
      .flatMap((chain) =>
        typeof chain.rewards?.address === "string" && /^0x[0-9a-fA-F]{40}$/.test(chain.rewards.address)
          ? [{ chainId: chain.chainId, address: chain.rewards.address.toLowerCase() as `0x${string}`, block: chain.rewards.block }]
          : [],
      )
      .sort((a, b) => a.chainId - b.chainId);
    seen = { mtimeMs: stat.mtimeMs, size: stat.size };
    return known;
  };
  return {
    all: refresh,
    forSeason: (season) => refresh().filter((d) => d.season === season),
    rewards: () => {
      refresh();
      return rewards;
    },
    decimals: () => {
      refresh();
      return decimals;
    },
  };
}
