/**
 * `season leaderboard <season dir> <pool>`: a pool's leaderboard as a table
 * a person can read (or JSON), from leaderboards/<pool>.csv.
 *
 * @example season leaderboard out/season-7 artists --top 10
 */
import { formatDecimal } from "../../season/decimal.js";
import { POOL_KEYS, type PoolKey } from "../../season/types.js";
import { EXIT, formatTable, parseCommandArgs, printJson, reportError, UsageError } from "../cli/cli.js";
import { loadManifest, readLeaderboard } from "../../season-io/season-dir.js";

export const LEADERBOARD_HELP = `sogni-season leaderboard <season dir> <pool> [--top N] [--json]

Prints a pool's leaderboard: rank, name, address, days active, points and
the amount in SOGNI (exact; 0 below the pool's cut). Worker pools add the
hardware of each worker's most recent counted job and its work (SOGNI paid
on-chain in the batches of its counted jobs); fast workers add the NFT of
that job (SPEC 6; seasons of formatVersion 3).

Pools: ${POOL_KEYS.join(", ")}

Options
  --top <N>    only the first N ranks
  --json       print { season, pool, amount, top, entries: [...] } with exact decimal strings
  -h, --help   this help

Exit codes
  0  printed   1  the season directory is missing or malformed   2  bad usage
`;

/** Runs `season leaderboard`; resolves to the exit code. */
export async function leaderboardCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "leaderboard",
    help: LEADERBOARD_HELP,
    positionals: 2,
    options: { top: { type: "string" }, json: { type: "boolean" } },
  });
  if (args.kind === "exit") return args.exitCode;
  const [seasonDir, poolName] = args.positionals as [string, string];
  try {
    if (!(POOL_KEYS as readonly string[]).includes(poolName)) throw new UsageError(`unknown pool "${poolName}": one of ${POOL_KEYS.join(", ")}`);
    const pool = poolName as PoolKey;
    let top: number | undefined;
    if (args.values.top !== undefined) {
      if (!/^[1-9]\d*$/.test(args.values.top)) throw new UsageError(`--top wants a positive whole number, got "${args.values.top}"`);
      top = Number(args.values.top);
    }
    const manifest = loadManifest(seasonDir);
    const all = readLeaderboard(seasonDir, pool);
    const rows = top === undefined ? all : all.slice(0, top);
    const sogni = (wei: bigint): string => formatDecimal(wei, manifest.decimals);
    const config = manifest.pools[pool];
    if (args.values.json) {
      printJson({
        season: manifest.season,
        pool,
        amount: config.amount,
        top: config.top,
        ranked: all.length,
        entries: rows.map((row) => ({
          rank: row.rank,
          address: row.address,
          name: row.name,
          daysActive: row.daysActive,
          points: row.points,
          amount: row.amount.toString(),
          amountSogni: sogni(row.amount),
          ...(row.hardware !== undefined ? { hardware: row.hardware } : {}),
          ...(row.work !== undefined ? { work: row.work.toString(), workSogni: sogni(row.work) } : {}),
          ...(row.nft !== undefined ? { nft: row.nft } : {}),
        })),
      });
      return EXIT.ok;
    }
    const worker = all.some((row) => row.hardware !== undefined) || pool === "relaxedWorkers" || pool === "fastWorkers";
    const work = all.some((row) => row.work !== undefined);
    const nft = all.some((row) => row.nft !== undefined);
    const header = ["rank", "name", "address", "days", "points", "amount (SOGNI)", ...(worker ? ["hardware"] : []), ...(work ? ["work (SOGNI)"] : []), ...(nft ? ["nft"] : [])];
    const table = rows.map((row) => [
      String(row.rank),
      row.name,
      row.address,
      String(row.daysActive),
      row.points,
      sogni(row.amount),
      ...(worker ? [row.hardware ?? ""] : []),
      ...(work ? [row.work === undefined ? "" : sogni(row.work)] : []),
      ...(nft ? [row.nft ?? ""] : []),
    ]);
    const cut = config.top === null ? "" : ` to the top ${config.top}`;
    process.stdout.write(
      `season ${manifest.season} ${pool}: ${sogni(BigInt(config.amount))} SOGNI${cut}, pro rata of points (${all.length} ranked)\n\n` +
        formatTable(header, table, new Set([0, 3, 4, 5, ...(work ? [header.indexOf("work (SOGNI)")] : [])])),
    );
    return EXIT.ok;
  } catch (error) {
    return reportError("leaderboard", error);
  }
}
