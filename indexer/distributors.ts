/**
 * The season distributors the deployments file lists (and the token's
 * decimals it names), re-read whenever the file changes (its mtime), so a
 * distributor deployed while the indexer runs is known to the API at once.
 * Only these emitters' `Claimed` rows count.
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

export interface DistributorWatch {
  all(): KnownDistributor[];
  forSeason(season: number): KnownDistributor[];
  /** The token's decimals the file names (default 18). */
  decimals(): number;
}

export function distributorWatch(path: string): DistributorWatch {
  let seen: { mtimeMs: number; size: number } | undefined;
  let known: KnownDistributor[] = [];
  let decimals = DEFAULT_DECIMALS;
  const refresh = (): KnownDistributor[] => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return known; // the file went away: keep what was read last
    }
    if (seen && seen.mtimeMs === stat.mtimeMs && seen.size === stat.size) return known;
    const deployments = readDeployments(path);
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
    seen = { mtimeMs: stat.mtimeMs, size: stat.size };
    return known;
  };
  return {
    all: refresh,
    forSeason: (season) => refresh().filter((d) => d.season === season),
    decimals: () => {
      refresh();
      return decimals;
    },
  };
}
