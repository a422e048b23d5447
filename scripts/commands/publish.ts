/**
 * `season publish`: seasons vested at a time -> `<out>/publication-<id>/`
 * (SPEC 8.2), the cumulative root one SogniRewards contract pays.
 *
 * @example
 * season publish --seasons out/season-7 out/season-8 --at 2027-03-01T00:00:00Z --previous out/publication-1 --out out
 */
import { formatDecimal } from "../../season/decimal.js";
import type { Publication, PublicationManifest } from "../../season/publication.js";
import { EXIT, formatTable, parseCommandArgs, parseTime, printJson, progressWriter, reportError, UsageError } from "../cli/cli.js";
import { publish } from "../../season-io/publication.js";

export const PUBLISH_HELP = `sogni-season publish --seasons <season dir>… --at <time> [--previous <publication dir>] --out <dir> [options]

Vests every listed season at --at (SPEC 8.1: season.json's "vesting", else
everything at the season's end), sums each address's vested amounts into its
cumulative amount, and writes <out>/publication-<id>/ (manifest.json,
balances.csv, tree.bin): the cumulative-v1 Merkle root that
\`season rewards propose\` sends to SogniRewards, with dataHash = sha256 of its
manifest.json. id is the previous publication's + 1, else 1. The directory
appears complete or not at all; the same inputs give the same bytes.

Refused, naming the season or the address (nothing written): a season that has
not ended at --at, a season listed twice, seasons paying different tokens or
chains, a season of the previous publication missing or with another root,
--at before the previous publication's, an address whose cumulative amount
would go down, a total above 2^128 - 1 wei, nothing vested at all.

Options
  --seasons <dir>…       season directories (season build's <out>/season-<n>); repeat the flag
                         or list them after it: --seasons out/season-7 out/season-8
  --at <time>            when the amounts are vested: ISO-8601 UTC (2027-03-01T00:00:00Z),
                         a date (00:00 UTC) or unix seconds
  --previous <dir>       the publication this one follows (its seasons must be listed again)
  --out <dir>            parent directory of publication-<id>/ (created if missing)
  --force                replace an existing <out>/publication-<id>/
  --threads <1|2>        1 (default): render on one thread (files written on another); 2: also hash the tree
                         on a second thread while balances.csv is rendered (same bytes)
  --json                 print the manifest as JSON (implies --quiet)
  --quiet                no progress lines on stderr
  -h, --help             this help

Exit codes
  0  written   1  refused, bad input or failure (nothing written)   2  bad usage
  130, 143  interrupted (nothing written)
`;

/** Runs `season publish`; resolves to the exit code. */
export async function publishCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "publish",
    help: PUBLISH_HELP,
    options: {
      seasons: { type: "string", multiple: true },
      at: { type: "string" },
      previous: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
      threads: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  try {
    if (values.seasons === undefined) throw new UsageError("--seasons <season dir>… is required");
    if (values.at === undefined) throw new UsageError("--at <time> is required");
    if (values.out === undefined) throw new UsageError("--out <dir> is required");
    if (values.threads !== undefined && values.threads !== "1" && values.threads !== "2") throw new UsageError(`--threads is 1 or 2, got "${values.threads}"`);
    const at = parseTime(values.at, "--at");
    const json = values.json === true;
    const outcome = await publish({
      seasonDirs: [...values.seasons, ...args.positionals],
      at,
      previousDir: values.previous,
      outDir: values.out,
      force: values.force === true,
      threads: values.threads === "2" ? 2 : 1,
      progress: progressWriter("publish", json || values.quiet === true),
    });
    if (json) printJson({ dir: outcome.dir, dataHash: outcome.dataHash, ...outcome.manifest });
    else process.stdout.write(renderPublishSummary(outcome.dir, outcome.manifest, outcome.publication, outcome.dataHash));
    return EXIT.ok;
  } catch (error) {
    return reportError("publish", error);
  }
}

/** The human summary printed after a publication is written. */
export function renderPublishSummary(dir: string, manifest: PublicationManifest, publication: Publication, dataHash: string): string {
  const sogni = (wei: bigint): string => formatDecimal(wei, manifest.decimals);
  const rows = publication.seasons.map((season, k) => [String(season.season), manifest.seasons[k]!.share, sogni(season.vested), season.merkleRoot]);
  return [
    `publication ${manifest.id} written to ${dir}`,
    `  at           ${manifest.at}`,
    `  recipients   ${manifest.recipients}`,
    `  total        ${sogni(publication.total)} SOGNI (${manifest.total} wei)`,
    `  merkle root  ${manifest.merkleRoot}`,
    `  dataHash     ${dataHash} (sha256 of manifest.json)`,
    `  previous     ${manifest.previous === null ? "none (the first publication)" : `publication ${manifest.previous.id}, root ${manifest.previous.merkleRoot}`}`,
    `  claim        chain ${manifest.chainId ?? "unknown"}, token ${manifest.token ?? "unknown"}`,
    "",
    formatTable(["season", "share", "vested (SOGNI)", "season root"], rows, new Set([1, 2])),
  ].join("\n");
}
