/**
 * `season build`: exports + on-chain facts -> `<out>/season-<n>/`.
 *
 * @example
 * season build --config season.json --data exports --onchain onchain.json --out out
 */
import { formatDecimal } from "../../season/decimal.js";
import type { ManifestJson } from "../../season/manifest.js";
import { POOL_KEYS } from "../../season/types.js";
import { EXIT, formatTable, parseCommandArgs, printJson, progressWriter, reportError, takeDotted, UsageError } from "../cli/cli.js";
import { readDeployments } from "../../chain/deployments.js";
import { buildSeason, type OnchainSource } from "../../season-io/build.js";

export const BUILD_HELP = `sogni-season build --config <season.json> --data <dir> (--onchain <file> | --indexer <url>) --out <dir> [options]

Computes the season from the config, the four Spark exports and the on-chain
facts, and writes <out>/season-<n>/ (manifest.json, recipients.csv, tree.bin
(the Merkle tree), leaderboards/<pool>.csv, onchain.json, rejected.csv,
inputs/). The directory appears complete or not at all.

Options
  --config <file>        season config (season.json)
  --data <dir>           directory holding users.csv, spark_usage.csv, spark_purchases.csv, jobs.csv
  --onchain <file>       on-chain facts (onchain.json): no chain or indexer needed
  --indexer <url>        or: fetch the facts from the indexer's /snapshot route (saved as onchain.json)
  --block <N>            with --indexer: snapshot block of every chain (--block.<chainId> overrides one)
  --block.<chainId> <N>  with --indexer: snapshot block of one chain (repeatable)
  --out <dir>            parent directory of season-<n>/ (created if missing)
  --force                replace an existing <out>/season-<n>/
  --deployments <file>   deployments file: the claim chain's SogniToken when season.json names no token
  --threads <1|2>        2 (default): parse the exports and hash the tree on two threads; 1: on one (same bytes)
  --json                 print the summary as JSON (implies --quiet)
  --quiet                no progress lines on stderr
  -h, --help             this help

Exit codes
  0  built   1  bad input or failure (nothing written)   2  bad usage
`;

/** Runs `season build`; resolves to the exit code. */
export async function buildCommand(argv: string[]): Promise<number> {
  let blocks: Map<number, string>;
  let rest: string[];
  try {
    ({ dotted: blocks, rest } = takeDotted(argv, "block"));
  } catch (error) {
    return reportError("build", error);
  }
  const args = parseCommandArgs(rest, {
    name: "build",
    help: BUILD_HELP,
    positionals: 0,
    options: {
      config: { type: "string" },
      data: { type: "string" },
      onchain: { type: "string" },
      indexer: { type: "string" },
      block: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
      deployments: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  try {
    if (values.config === undefined) throw new UsageError("--config <season.json> is required");
    if (values.data === undefined) throw new UsageError("--data <dir of CSVs> is required");
    if (values.out === undefined) throw new UsageError("--out <dir> is required");
    if ((values.onchain === undefined) === (values.indexer === undefined)) throw new UsageError("give exactly one of --onchain <file> or --indexer <url>");
    if (values.indexer === undefined && (values.block !== undefined || blocks.size > 0)) throw new UsageError("--block only goes with --indexer");
    for (const value of [values.block, ...blocks.values()]) {
      if (value !== undefined && !/^\d+$/.test(value)) throw new UsageError(`--block wants a block number, got "${value}"`);
    }
    if (values.threads !== undefined && values.threads !== "1" && values.threads !== "2") throw new UsageError(`--threads is 1 or 2, got "${values.threads}"`);
    const onchain: OnchainSource = values.onchain !== undefined ? { file: values.onchain } : { indexer: values.indexer!, block: values.block, blocks };
    const json = values.json === true;
    const outcome = await buildSeason({
      configPath: values.config,
      dataDir: values.data,
      onchain,
      outDir: values.out,
      force: values.force === true,
      threads: values.threads === "1" ? 1 : 2,
      deployments: values.deployments === undefined ? undefined : readDeployments(values.deployments),
      progress: progressWriter("build", json || values.quiet === true),
    });
    if (json) printJson({ dir: outcome.dir, ...outcome.manifest });
    else process.stdout.write(renderBuildSummary(outcome.dir, outcome.manifest));
    return EXIT.ok;
  } catch (error) {
    return reportError("build", error);
  }
}

/** The human summary printed after a build. */
export function renderBuildSummary(dir: string, manifest: ManifestJson): string {
  const sogni = (wei: string): string => formatDecimal(BigInt(wei), manifest.decimals);
  const skipped = Object.entries(manifest.skippedOutsideWindow).filter(([, count]) => count > 0);
  const skippedTotal = skipped.reduce((sum, [, count]) => sum + count, 0);
  const rows = POOL_KEYS.map((key) => {
    const pool = manifest.pools[key];
    return [key, sogni(pool.amount), pool.top === null ? "-" : String(pool.top), String(pool.recipients), sogni(pool.allocated)];
  });
  const lines = [
    `season ${manifest.season} written to ${dir}`,
    `  recipients   ${manifest.recipients}`,
    `  total        ${sogni(manifest.total)} SOGNI (${manifest.total} wei)`,
    `  merkle root  ${manifest.merkleRoot}`,
    `  claim        chain ${manifest.chainId ?? "unknown"}, token ${manifest.token ?? "unknown (set \"token\" in season.json or pass --deployments)"}`,
    `  rejected     ${manifest.rejected} row${manifest.rejected === 1 ? "" : "s"} (rejected.csv)`,
    `  skipped      ${skippedTotal} row${skippedTotal === 1 ? "" : "s"} outside the window${skipped.length ? ` (${skipped.map(([file, count]) => `${file} ${count}`).join(", ")})` : ""}`,
    "",
    formatTable(["pool", "amount (SOGNI)", "top", "recipients", "allocated (SOGNI)"], rows, new Set([1, 2, 3, 4])),
  ];
  return lines.join("\n");
}
