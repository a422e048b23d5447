/**
 * `season publish` at the edge (SPEC 8.2): reads each season directory (its
 * manifest, its recipients.csv, the season.json it was built from, for
 * `vesting`) and the previous publication, runs season/publication.ts, and
 * writes `<out>/publication-<id>/` atomically through season-io/output.ts
 * (balances.csv, tree.bin, manifest.json last). Same inputs, same bytes; on
 * any error nothing is written.
 *
 * One thread renders everything (the default) while season-io/background-writer.ts
 * writes the files on another; `threads: 2` also hashes the tree on a second
 * thread (season-io/parallel.ts) while balances.csv is rendered, the same bytes.
 *
 * @example
 * const { dir, manifest } = await publish({ seasonDirs: ["out/season-7", "out/season-8"], at: parseIsoTime("2027-03-01T00:00:00Z"), outDir: "out" });
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSeasonConfig } from "../season/config.js";
import { InputError } from "../season/errors.js";
import { buildCumulativeTree } from "../season/leaf.js";
import { sha256Hex } from "../season/manifest.js";
import {
  buildPublicationManifest,
  computePublication,
  publicationDataHash,
  serializePublicationManifest,
  type PreviousPublication,
  type Publication,
  type PublicationManifest,
  type PublicationRef,
  type PublicationSeason,
} from "../season/publication.js";
import { balancesCsvChunks } from "../season/publication-files.js";
import { readRecipientAmounts } from "../season/season-files.js";
import { TREE_FILE } from "../season/tree-file.js";
import type { Hex } from "../season/types.js";
import { BackgroundWriter } from "./background-writer.js";
import { generatorInfo, MAX_CONFIG_BYTES } from "./build.js";
import { writeDirectoryAtomically, writeTreeFile, type TreeLevels } from "./output.js";
import { buildCumulativeTreeInBackground } from "./parallel.js";
import { readPublication, readPublicationBalances } from "./publication-dir.js";
import { readSeason, readSeasonFile, readSeasonText, SeasonDirError } from "./season-dir.js";

export interface PublishOptions {
  seasonDirs: readonly string[];
  /** Unix seconds. */
  at: number;
  /** The previous publication's directory; none: this is publication 1. */
  previousDir?: string;
  /**
   * Without previousDir: the previous publication as a manifest names it (`season verify` rebuilds
   * a publication from its manifest's `previous` when the previous directory is not at hand; the
   * checks against the previous balances are then skipped).
   */
  previousRef?: PublicationRef;
  /** Parent directory: the publication goes to `<outDir>/publication-<id>`. */
  outDir: string;
  /** Replace an existing publication directory. */
  force?: boolean;
  /** 1 (default): everything on this thread (the files written on another); 2: the tree hashed on a second thread. Same bytes. */
  threads?: 1 | 2;
  progress?: (message: string) => void;
}

export interface PublishOutcome {
  dir: string;
  manifest: PublicationManifest;
  publication: Publication;
  /** What `season rewards propose` sends as dataHash. */
  dataHash: Hex;
}

/**
 * One season directory as a publication reads it. Refused (SeasonDirError)
 * when its recipients.csv does not add up to its manifest, or when
 * inputs/season.json is not the file its manifest hashed: vesting is read
 * from there, so an auditor reaches it from the publication by hashes.
 */
export function readPublicationSeason(dir: string): PublicationSeason {
  const view = readSeason(dir);
  const manifestSha256 = sha256Hex(readSeasonFile(join(dir, "manifest.json")));
  const configPath = join(dir, "inputs", "season.json");
  const configBytes = readSeasonFile(configPath, "the season directory is incomplete: rebuild it");
  if (configBytes.length > MAX_CONFIG_BYTES) throw new SeasonDirError(`${configPath} is ${configBytes.length} bytes, more than a season.json can be`);
  const recorded = view.manifest.inputs["season.json"];
  if (sha256Hex(configBytes) !== recorded) {
    throw new SeasonDirError(
      `${configPath} is not the season.json the season was built from (sha256 ${sha256Hex(configBytes)}, the manifest records ${recorded ?? "none"}): vesting belongs in season.json before the build; rebuild the season`,
    );
  }
  const config = parseSeasonConfig(readSeasonText(configPath), configPath);
  if (config.season !== view.season || config.end !== view.window.end) {
    throw new SeasonDirError(`${configPath} says season ${config.season} ending ${config.end}, the manifest season ${view.season} ending ${view.window.end}: rebuild the season`);
  }
  const recipientsPath = join(dir, "recipients.csv");
  const recipients = readRecipientAmounts(readSeasonText(recipientsPath), recipientsPath);
  const total = recipients.amounts.reduce((sum, amount) => sum + amount, 0n);
  if (recipients.addresses.length !== view.recipients || total !== view.total) {
    throw new SeasonDirError(`${recipientsPath}: ${recipients.addresses.length} rows summing to ${total} wei, the manifest says ${view.recipients} recipients and ${view.total} wei: verify the season (\`season verify ${dir}\`)`);
  }
  return {
    season: view.season,
    source: dir,
    merkleRoot: view.merkleRoot,
    manifestSha256,
    end: view.window.end,
    vesting: config.vesting,
    chainId: view.chainId ?? null,
    token: view.token ?? null,
    decimals: view.decimals,
    recipients,
  };
}

/** The previous publication: its reference, manifest and balances (checked against each other). */
export function readPreviousPublication(dir: string): PreviousPublication {
  const view = readPublication(dir);
  const balances = readPublicationBalances(view);
  return { ref: view.ref, manifest: view.manifest, balances };
}

/**
 * Reads, computes and writes a publication; see the module comment. Throws
 * season/publication.ts's PublicationError for a breach of SPEC 8.2, a
 * SeasonDirError or PublicationDirError for a damaged input directory,
 * output.ts's OutputExistsError for an existing target without `force`.
 */
export async function publish(options: PublishOptions): Promise<PublishOutcome> {
  const progress = options.progress ?? (() => {});
  const seasons = options.seasonDirs.map((dir) => {
    const season = readPublicationSeason(dir);
    progress(`read season ${season.season} from ${dir}: ${season.recipients.addresses.length} recipients, root ${season.merkleRoot}`);
    return season;
  });
  const previous = options.previousDir !== undefined ? readPreviousPublication(options.previousDir) : options.previousRef !== undefined ? { ref: options.previousRef } : null;
  if (previous !== null) progress(`previous: publication ${previous.ref.id}, root ${previous.ref.merkleRoot}${previous.balances ? ` (${previous.balances.addresses.length} addresses)` : ""}`);
  const publication = preparePublication(seasons, options.at, previous);
  const { addresses, cumulative } = publication.balances;
  progress(`${addresses.length} addresses, total ${publication.total} wei; building the cumulative-v1 tree${options.threads === 2 ? " on a second thread" : ""}`);
  const generator = generatorInfo();
  const written = await writeDirectoryAtomically(`publication-${publication.id}`, { outDir: options.outDir, force: options.force, progress }, (dir, checkpoint) => {
    const tree: TreeSource = options.threads === 2 ? buildCumulativeTreeInBackground(addresses, cumulative) : { ready: async () => buildCumulativeTree(addresses, cumulative) };
    return renderPublication(dir, publication, tree, generator, progress, checkpoint);
  });
  return { dir: written.dir, manifest: written.value.manifest, publication, dataHash: written.value.dataHash };
}

/** computePublication, with a recipients.csv problem (an InputError from its reader) named as the season directory's. */
function preparePublication(seasons: PublicationSeason[], at: number, previous: PreviousPublication | null): Publication {
  try {
    return computePublication({ seasons, at, previous });
  } catch (error) {
    if (error instanceof InputError) throw new SeasonDirError(error.message);
    throw error;
  }
}

/** The tree, built here or on the second thread. */
interface TreeSource {
  ready(): Promise<TreeLevels>;
}

async function renderPublication(
  dir: string,
  publication: Publication,
  pending: TreeSource,
  generator: { name: string; version: string },
  progress: (message: string) => void,
  checkpoint: () => Promise<void>,
): Promise<{ manifest: PublicationManifest; dataHash: Hex }> {
  const writer = new BackgroundWriter();
  const { addresses } = publication.balances;
  let root: Hex;
  try {
    let append = false;
    for (const chunk of balancesCsvChunks(publication.seasons.map((season) => season.season), publication.balances)) {
      writer.write(join(dir, "balances.csv"), chunk, append);
      append = true;
      await checkpoint();
    }
    progress(`balances.csv rendered (${addresses.length} rows)`);

    const tree = await pending.ready();
    root = tree.root;
    progress(`root ${root}`);
    await checkpoint();
    await writeTreeFile(join(dir, TREE_FILE), tree, addresses.length, writer, checkpoint);
    progress(`${TREE_FILE} written (${tree.levels.length} levels, ${addresses.length} leaves)`);
    await writer.finish();
  } catch (error) {
    // The writing thread stops before the caller removes the directory: nothing of it lands there afterwards.
    await writer.abort();
    throw error;
  }
  const text = serializePublicationManifest(buildPublicationManifest(publication, root, generator));
  // Last: a directory with a manifest is a complete one.
  writeFileSync(join(dir, "manifest.json"), text);
  return { manifest: JSON.parse(text) as PublicationManifest, dataHash: publicationDataHash(text) };
}

