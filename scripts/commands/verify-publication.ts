/**
 * `season verify <publication dir> --seasons <season dir>…`: an auditor's
 * check of a publication (SPEC 8.2), before its root pays. Verifies each
 * season as `season verify` does (a byte-for-byte rebuild from its inputs),
 * rebuilds the publication from those seasons and compares every file byte
 * for byte, and checks balances.csv and every proof. With `--rpc`, also the
 * SogniRewards contract: its live or pending root, dataHash, total, funding,
 * and every `Claimed` event against balances.csv. `season verify` hands a
 * publication directory over to this module.
 *
 * @example season verify out/publication-2 --seasons out/season-7 out/season-8 --rpc http://127.0.0.1:8545 --rewards 0x…
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cumulativeLeafHash } from "../../season/leaf.js";
import { sha256Hex } from "../../season/manifest.js";
import { PUBLICATION_FORMAT_VERSION, PublicationError } from "../../season/publication.js";
import { addressShardRanges, SHARD_NAMES } from "../../season/season-files.js";
import { TREE_FILE } from "../../season/tree-file.js";
import { isoSeconds } from "../../season/time.js";
import { verifyProof } from "../../season/tree.js";
import type { Hex } from "../../season/types.js";
import { allPassed, checkClaimEvents, checkCumulativeProofShard, checkProofTree, describeDifference, diffFileSets, type Check, type CumulativeProofVerifier } from "../../season/verify.js";
import { readRewardsClaims } from "../../chain/rewards.js";
import { publish } from "../../season-io/publication.js";
import { PublicationDirError, readPublication, readPublicationBalances, type PublicationView } from "../../season-io/publication-dir.js";
import { listFiles, readSeasonFile, readSeasonText, SeasonDirError } from "../../season-io/season-dir.js";
import { EXIT, formatTable, parseCommandArgs, printJson, progressWriter, reportError, UsageError, type Progress } from "../cli/cli.js";
import { openRewards } from "./rewards/shared.js";
import { verifySeason } from "./verify.js";

export const VERIFY_PUBLICATION_HELP = `sogni-season verify <publication dir> --seasons <season dir>… [options]

Re-derives a publication (season publish) and reports every check as pass or FAIL:
  - each season directory, as \`season verify <season dir>\` checks it (its
    inputs' hashes, a byte-for-byte rebuild, recipients.csv, every proof)
  - the seasons given are the manifest's (same roots, same manifest sha256)
  - a rebuild of the publication from those seasons, compared byte for byte
  - balances.csv against the manifest, every proof against the root (tree.bin:
    its leaves are balances.csv's rows, each node the hash of its children, the
    last the root; format 1: every proof in every proofs/<xx>.json shard)
With --rpc (and --rewards or the deployments file's "rewards"), also:
  - the contract's live or pending root is this publication's, with its
    dataHash (sha256 of manifest.json) and total
  - funding: a live root is covered (balance >= total - totalClaimed), a
    pending one can be accepted (balance + totalClaimed >= total)
  - every Claimed event against balances.csv (claimed <= cumulative)

Options
  --seasons <dir>…        the season directories the publication lists (repeat the flag or list them after it)
  --previous <dir>        the previous publication: also checks SPEC 8.2 against it (seasons, at, no address going down)
  --rpc <url>             JSON-RPC of the contract's chain
  --rewards <address>     the SogniRewards contract (default: the deployments file's "rewards" for this chain)
  --deployments <file>    deployments file (default: $DEPLOYMENTS, else deployments/local.json when present)
  --json                  print the checks as JSON (implies --quiet)
  --quiet                 no progress lines on stderr
  -h, --help              this help

Exit codes
  0  every check passed   1  at least one check failed   2  bad usage
`;

/** Runs `season verify <publication dir> …`; resolves to the exit code. */
export async function verifyPublicationCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    name: "verify",
    help: VERIFY_PUBLICATION_HELP,
    options: {
      seasons: { type: "string", multiple: true },
      previous: { type: "string" },
      rpc: { type: "string" },
      rewards: { type: "string" },
      deployments: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  if (args.kind === "exit") return args.exitCode;
  const values = args.values;
  const json = values.json === true;
  try {
    const [dir, ...moreSeasons] = args.positionals;
    if (dir === undefined) throw new UsageError("which publication? give its directory");
    if (values.seasons === undefined) throw new UsageError("--seasons <season dir>… is required: the publication is rebuilt from them");
    if (values.rewards !== undefined && values.rpc === undefined) throw new UsageError("--rewards needs --rpc <url>");
    const checks = await verifyPublication({
      dir,
      seasonDirs: [...values.seasons, ...moreSeasons],
      previousDir: values.previous,
      rpc: values.rpc,
      rewards: values.rewards,
      deployments: values.deployments,
      progress: progressWriter("verify", json || values.quiet === true),
    });
    const passed = allPassed(checks);
    if (json) printJson({ publicationDir: dir, passed, checks });
    else {
      process.stdout.write(formatTable(["check", "result", "detail"], checks.map((check) => [check.check, check.ok ? "pass" : "FAIL", check.detail])));
      const failed = checks.filter((check) => !check.ok).length;
      process.stdout.write(passed ? `\nall ${checks.length} checks passed\n` : `\n${failed} of ${checks.length} checks FAILED\n`);
    }
    return passed ? EXIT.ok : EXIT.failure;
  } catch (error) {
    return reportError("verify", error);
  }
}

export interface VerifyPublicationOptions {
  dir: string;
  seasonDirs: readonly string[];
  previousDir?: string;
  rpc?: string;
  rewards?: string;
  deployments?: string;
  progress: Progress;
}

/** Every check, in order (never throws for a mismatch, only for bad usage or an unreachable RPC). */
export async function verifyPublication(options: VerifyPublicationOptions): Promise<Check[]> {
  const { dir, progress } = options;
  let publication: PublicationView;
  try {
    publication = readPublication(dir);
  } catch (error) {
    if (error instanceof PublicationDirError) return [{ check: "manifest.json", ok: false, detail: error.message }];
    throw error;
  }
  const checks: Check[] = [];

  // 1. Each season, as `season verify` checks it.
  for (const seasonDir of options.seasonDirs) {
    progress(`verifying the season in ${seasonDir}`);
    const seasonChecks = await verifySeason({ seasonDir, dataDir: undefined, rpc: undefined, distributor: undefined, deploymentsPath: undefined, progress: () => {} });
    const failed = seasonChecks.filter((check) => !check.ok);
    checks.push({
      check: `season ${seasonDir}`,
      ok: failed.length === 0,
      detail: failed.length === 0 ? `all ${seasonChecks.length} season checks pass (inputs, byte-identical rebuild, recipients, proofs)` : failed.map((check) => `${check.check}: ${check.detail}`).join("; "),
    });
  }

  // 2. The seasons given are the ones the manifest lists.
  checks.push(checkListedSeasons(publication, options.seasonDirs));

  // 3. The publication, rebuilt byte for byte.
  if (publication.manifest.formatVersion !== PUBLICATION_FORMAT_VERSION) {
    checks.push({
      check: "rebuild",
      ok: false,
      detail: `not attempted: the publication is format "${publication.manifest.formatVersion}", this engine writes "${PUBLICATION_FORMAT_VERSION}" (README, "Format versions"): a byte-for-byte rebuild needs the engine that wrote it (${publication.manifest.generator.name} ${publication.manifest.generator.version}); the checks below still ran`,
    });
  } else {
    progress(`rebuilding publication ${publication.id} from its seasons`);
    checks.push(...(await rebuildAndCompare(publication, options)));
  }

  // 4. balances.csv and every proof, straight from the files.
  progress("checking balances.csv and every proof against the root");
  checks.push(...checkFilesAgainstRoot(publication));

  // 5. The contract.
  if (options.rpc !== undefined) {
    progress(`checking the contract at ${options.rpc}`);
    checks.push(...(await checkContract(publication, options)));
  }
  return checks;
}

function checkListedSeasons(publication: PublicationView, seasonDirs: readonly string[]): Check {
  const problems: string[] = [];
  const given = new Map<string, string>(); // manifest sha256 -> dir
  for (const seasonDir of seasonDirs) {
    try {
      given.set(sha256Hex(readSeasonFile(join(seasonDir, "manifest.json"))), seasonDir);
    } catch (error) {
      if (!(error instanceof SeasonDirError)) throw error;
      problems.push(error.message);
    }
  }
  for (const season of publication.manifest.seasons) {
    const seasonDir = given.get(season.manifestSha256);
    if (seasonDir === undefined) problems.push(`season ${season.season} (manifest sha256 ${season.manifestSha256.slice(0, 16)}…) is not among --seasons`);
    else given.delete(season.manifestSha256);
  }
  for (const seasonDir of given.values()) problems.push(`${seasonDir} is not a season of publication ${publication.id}`);
  return {
    check: "seasons listed",
    ok: problems.length === 0,
    detail: problems.length === 0 ? `seasons ${publication.manifest.seasons.map((season) => season.season).join(", ")}: each given, its manifest's sha256 as recorded` : problems.join("; "),
  };
}

async function rebuildAndCompare(publication: PublicationView, options: VerifyPublicationOptions): Promise<Check[]> {
  const scratch = mkdtempSync(join(tmpdir(), "publication-verify-"));
  try {
    const { manifest } = publication;
    const previousRef = manifest.previous === null ? undefined : { id: manifest.previous.id, merkleRoot: manifest.previous.merkleRoot as Hex, manifestSha256: manifest.previous.manifestSha256 };
    if (options.previousDir !== undefined) {
      const previous = readPublication(options.previousDir);
      if (previousRef === undefined || previous.ref.manifestSha256 !== previousRef.manifestSha256) {
        return [{ check: "rebuild", ok: false, detail: `--previous ${options.previousDir} (publication ${previous.id}, sha256 ${previous.ref.manifestSha256.slice(0, 16)}…) is not the publication this one follows` }];
      }
    }
    const rebuilt = await publish({
      seasonDirs: options.seasonDirs,
      at: publication.at,
      previousDir: options.previousDir,
      previousRef,
      outDir: scratch,
    });
    const expected = listFiles(rebuilt.dir);
    const actual = listFiles(publication.dir);
    const { missing, extra, common } = diffFileSets(expected, actual);
    const differing: string[] = [];
    for (const path of common) {
      let bytes: Buffer;
      try {
        bytes = readSeasonFile(join(publication.dir, path));
      } catch (error) {
        if (!(error instanceof SeasonDirError)) throw error;
        differing.push(`${path} (${error.message})`);
        continue;
      }
      const difference = describeDifference(path, bytes, readFileSync(join(rebuilt.dir, path)), publication.manifest.recipients);
      if (difference !== undefined) differing.push(`${path} (${difference})`);
    }
    return [
      {
        check: "rebuild: same files",
        ok: missing.length === 0 && extra.length === 0,
        detail: [missing.length ? `missing: ${missing.join(", ")}` : "", extra.length ? `unexpected: ${extra.join(", ")}` : ""].filter(Boolean).join("; ") || `${expected.length} files`,
      },
      {
        check: "rebuild: byte-identical",
        ok: differing.length === 0,
        detail: differing.length === 0 ? `${common.length} files identical, root ${rebuilt.manifest.merkleRoot}` : `differ: ${differing.slice(0, 10).join(", ")}${differing.length > 10 ? ` and ${differing.length - 10} more` : ""}`,
      },
    ];
  } catch (error) {
    if (error instanceof PublicationError || error instanceof SeasonDirError || error instanceof PublicationDirError) {
      return [{ check: "rebuild", ok: false, detail: `the seasons do not publish: ${error.message}` }];
    }
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const verifier: CumulativeProofVerifier = (account, cumulative, proof, root) => {
  try {
    return verifyProof(cumulativeLeafHash(account, cumulative), proof as Hex[], root);
  } catch {
    return false; // not a leaf at all: it proves nothing
  }
};

function checkFilesAgainstRoot(publication: PublicationView): Check[] {
  let balances;
  try {
    balances = readPublicationBalances(publication);
  } catch (error) {
    if (error instanceof PublicationDirError) return [{ check: "balances.csv", ok: false, detail: error.message }];
    throw error;
  }
  const checks: Check[] = [{ check: "balances.csv", ok: true, detail: `${balances.addresses.length} rows, sorted, each the sum of its seasons, summing to the total ${publication.total} wei` }];
  if (publication.manifest.formatVersion !== "1") {
    try {
      const tree = readSeasonFile(join(publication.dir, TREE_FILE), "the publication directory is incomplete: publish it again");
      checks.push(checkProofTree(tree, { addresses: balances.addresses, amounts: balances.cumulative }, publication.merkleRoot, "cumulative"));
    } catch (error) {
      if (!(error instanceof SeasonDirError)) throw error;
      checks.push({ check: "proofs against the root", ok: false, detail: error.message });
    }
    return checks;
  }
  const ranges = addressShardRanges(balances.addresses);
  const problems: string[] = [];
  for (let shard = 0; shard < 256 && problems.length <= 10; shard++) {
    const name = SHARD_NAMES[shard]!;
    let text: string;
    try {
      text = readSeasonText(join(publication.dir, "proofs", `${name}.json`), "the publication directory is incomplete");
    } catch (error) {
      if (!(error instanceof SeasonDirError)) throw error;
      problems.push(error.message);
      continue;
    }
    problems.push(...checkCumulativeProofShard(name, text, balances, ranges[shard]!, publication.merkleRoot, verifier));
  }
  checks.push({
    check: "proofs against the root",
    ok: problems.length === 0,
    detail: problems.length === 0 ? `${balances.addresses.length} proofs in 256 shards verify against ${publication.merkleRoot}` : problems.slice(0, 6).join("; "),
  });
  return checks;
}

async function checkContract(publication: PublicationView, options: VerifyPublicationOptions): Promise<Check[]> {
  const context = await openRewards({ rpc: options.rpc, rewards: options.rewards, deployments: options.deployments });
  const { state, connection } = context;
  const { manifest } = publication;
  const checks: Check[] = [];
  checks.push({
    check: "contract chain and token",
    ok: (manifest.chainId === null || manifest.chainId === connection.chainId) && (manifest.token === null || manifest.token === state.token),
    detail: `chain ${connection.chainId} (publication: ${manifest.chainId ?? "any"}), token ${state.token} (publication: ${manifest.token ?? "any"})`,
  });
  const live = state.live?.root === publication.merkleRoot ? state.live : undefined;
  const pending = state.pending?.root === publication.merkleRoot ? state.pending : undefined;
  const held = live ?? pending;
  checks.push({
    check: "contract root",
    ok: held !== undefined,
    detail:
      live !== undefined
        ? `${publication.merkleRoot} is the live root`
        : pending !== undefined
          ? `${publication.merkleRoot} is pending, live from ${isoSeconds(pending.validAt)}`
          : `neither the live root (${state.live?.root ?? "none"}) nor the pending root (${state.pending?.root ?? "none"}) is ${publication.merkleRoot}`,
  });
  if (held !== undefined) {
    checks.push({
      check: "contract dataHash",
      ok: held.dataHash === publication.dataHash,
      detail: held.dataHash === publication.dataHash ? `${held.dataHash} = sha256 of manifest.json` : `the contract holds ${held.dataHash}, manifest.json hashes to ${publication.dataHash}`,
    });
    checks.push({
      check: "contract total",
      ok: held.total === publication.total,
      detail: held.total === publication.total ? `${held.total} wei` : `the contract holds ${held.total} wei, the manifest says ${publication.total}`,
    });
    const owed = held.total - state.totalClaimed;
    checks.push(
      live !== undefined
        ? { check: "contract funding", ok: state.balance >= owed, detail: `${state.balance} wei held, ${owed} wei owed (total - totalClaimed ${state.totalClaimed})` }
        : {
            check: "contract funding",
            ok: state.balance >= owed,
            detail: `${state.balance} wei held + ${state.totalClaimed} wei claimed ${state.balance >= owed ? ">=" : "<"} total ${held.total}: accept would ${state.balance >= owed ? "pass" : "revert NotFunded"}`,
          },
    );
  }
  options.progress("reading Claimed events");
  try {
    const balances = readPublicationBalances(publication);
    // Up to the block the state was read at, so the events and totalClaimed() agree.
    const claims = await readRewardsClaims(connection.publicClient, context.address, context.fromBlock, state.block.number);
    checks.push(...checkClaimEvents(claims, balances, state.totalClaimed));
  } catch (error) {
    if (error instanceof PublicationDirError) checks.push({ check: "Claimed events", ok: false, detail: error.message });
    else throw error;
  }
  return checks;
}
