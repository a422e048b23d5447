/**
 * The season output directory `<out>/season-<n>/` (SPEC section 6), rendered
 * from a {@link SeasonResult} and written atomically: everything goes into a
 * temporary directory next to the target and is renamed into place at the
 * end, so a reader (or a crash) never sees half a season. An interrupt
 * ({@link interruptOutputs}, from the entry's SIGINT/SIGTERM handler) stops a
 * write at its next step: the temporary directory goes, nothing is renamed,
 * an existing season stays as it was. The write yields to the event loop
 * between chunks and levels so that handler runs while it works.
 *
 * Built for 1,000,000 recipients: the CSV files are written in chunks, and
 * tree.bin (season/tree-file.ts) is the tree's levels as they lie in memory,
 * written as they are (64 MB for a million leaves).
 *
 * @example
 * const { dir } = await writeSeasonOutput({ result, tree, onchainJson, snapshot, inputs, claim, generator }, { outDir: "out" });
 * // dir === "out/season-7"
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BackgroundWriter } from "./background-writer.js";
import { buildManifest, serializeManifest, sha256Hex, type ClaimLocation, type ManifestJson } from "../season/manifest.js";
import { leaderboardCsvChunks, recipientsCsvChunks, renderRejectedCsv } from "../season/season-files.js";
import { TREE_FILE } from "../season/tree-file.js";
import type { MerkleTree } from "../season/tree.js";
import { POOL_KEYS, type Hex, type SeasonResult } from "../season/types.js";

/** What the output needs of the Merkle tree: its root and its levels (tree.bin). season/tree.ts's MerkleTree fits. */
export type TreeLevels = Pick<MerkleTree, "root" | "levels">;

export interface SeasonOutputParams {
  result: SeasonResult;
  /** The tree, or a function giving it: called once, after recipients.csv and the leaderboards (season-io/parallel.ts builds it meanwhile). */
  tree: TreeLevels | (() => TreeLevels | Promise<TreeLevels>);
  /** onchain.json exactly as it is to be written (serializeOnchainJson of the facts used). */
  onchainJson: string;
  snapshot: { chainId: number; block: bigint; hash: Hex; timestamp: number }[];
  /** The input files copied under `inputs/` and hashed into the manifest: season.json and the four CSVs. */
  inputs: Record<string, Uint8Array>;
  claim: ClaimLocation;
  generator: { name: string; version: string };
}

export interface WriteOptions {
  /** Parent directory; the season goes to `<outDir>/season-<n>`. */
  outDir: string;
  /** Replace an existing season directory (old one removed only after the new one is in place). */
  force?: boolean;
  progress?: (message: string) => void;
}

/** The target exists and --force was not given. */
export class OutputExistsError extends Error {
  override name = "OutputExistsError";
}

/** The write was stopped by {@link interruptOutputs}: nothing was published, no temporary directory is left. */
export class OutputInterruptedError extends Error {
  override name = "OutputInterruptedError";
}

// ---- writing ---------------------------------------------------------------

/** `<outDir>/season-<n>`. */
export function seasonDirectory(outDir: string, season: number): string {
  return join(outDir, `season-${season}`);
}

/**
 * Writes the whole season directory atomically and returns where and the
 * manifest written. The target must not exist unless `force`; on any error,
 * and on an interrupt, nothing is left behind (no temporary directory, no
 * partial target) and an existing target is untouched.
 */
export async function writeSeasonOutput(params: SeasonOutputParams, options: WriteOptions): Promise<{ dir: string; manifest: ManifestJson }> {
  const progress = options.progress ?? (() => {});
  const { dir, value } = await writeDirectoryAtomically(`season-${params.result.config.season}`, options, (temporary, checkpoint) =>
    renderInto(temporary, params, progress, checkpoint),
  );
  return { dir, manifest: value };
}

/** One write under way: `checkpoint()` yields to the event loop, then throws if it was interrupted meanwhile. */
interface ActiveWrite {
  interruptedBy: string | undefined;
  /** Resolves when the write has ended (published, or failed and cleaned up). */
  ended: Promise<void>;
}

/** Season directories being written right now. */
const activeWrites = new Set<ActiveWrite>();

function startWrite(target: string): { checkpoint: () => Promise<void>; end: () => void } {
  let end!: () => void;
  const write: ActiveWrite = { interruptedBy: undefined, ended: new Promise<void>((resolve) => (end = resolve)) };
  activeWrites.add(write);
  return {
    checkpoint: async () => {
      await yieldToEventLoop();
      if (write.interruptedBy !== undefined) {
        throw new OutputInterruptedError(`interrupted (${write.interruptedBy}): ${target} was not written, and nothing of this build is left on disk`);
      }
    },
    end: () => {
      activeWrites.delete(write);
      end();
    },
  };
}

/**
 * Two turns of the event loop: the second setImmediate runs after a poll
 * phase, where a signal that came in while this thread was busy is handled.
 */
async function yieldToEventLoop(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Stops every season directory being written: each stops at its next step,
 * removes its temporary directory and fails with {@link OutputInterruptedError};
 * nothing is renamed into place. Resolves with how many writes it stopped,
 * once they have cleaned up. The command-line entry calls it on SIGINT or
 * SIGTERM before it exits. (The core installs no signal handler.)
 */
export async function interruptOutputs(reason: string): Promise<number> {
  const writes = [...activeWrites];
  for (const write of writes) write.interruptedBy ??= reason;
  await Promise.all(writes.map((write) => write.ended));
  return writes.length;
}

function moveIntoPlace(temporary: string, target: string, suffix: string, force: boolean): void {
  if (!existsSync(target)) {
    renameSync(temporary, target);
    return;
  }
  if (!force) throw new OutputExistsError(`${target} appeared while building: pass --force to replace it`);
  const old = join(dirname(target), `.${target.split(/[\\/]/).pop()}.old-${suffix}`);
  renameSync(target, old);
  try {
    renameSync(temporary, target);
  } catch (error) {
    renameSync(old, target); // put the old season back
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

async function renderInto(dir: string, params: SeasonOutputParams, progress: (message: string) => void, checkpoint: () => Promise<void>): Promise<ManifestJson> {
  const { result } = params;
  const recipients = result.recipients;
  // Rendering stays on this thread; the writes go to a second one.
  const writer = new BackgroundWriter();
  let tree: TreeLevels;
  try {
    const writeChunks = async (path: string, chunks: Iterable<string | Uint8Array>): Promise<void> => {
      let append = false;
      for (const chunk of chunks) {
        writer.write(path, chunk, append);
        append = true;
        await checkpoint();
      }
    };

    progress(`writing recipients.csv (${recipients.length} recipients)`);
    await writeChunks(join(dir, "recipients.csv"), recipientsCsvChunks(recipients));

    mkdirSync(join(dir, "leaderboards"));
    for (const pool of POOL_KEYS) {
      const board = result.leaderboards[pool];
      await writeChunks(join(dir, "leaderboards", `${pool}.csv`), leaderboardCsvChunks(board));
    }
    progress(`leaderboards rendered (${POOL_KEYS.map((pool) => `${pool} ${result.leaderboards[pool].entries.length}`).join(", ")})`);

    tree = typeof params.tree === "function" ? await params.tree() : params.tree;
    await checkpoint();
    await writeTreeFile(join(dir, TREE_FILE), tree, recipients.length, writer, checkpoint);
    progress(`${TREE_FILE} written (${tree.levels.length} levels, ${recipients.length} leaves)`);
    await writer.finish();
    await checkpoint();
  } catch (error) {
    // The writing thread stops before the caller removes the directory: nothing of it lands there afterwards.
    await writer.abort();
    throw error;
  }

  writeFileSync(join(dir, "onchain.json"), params.onchainJson);
  writeFileSync(join(dir, "rejected.csv"), renderRejectedCsv(result.rejected));

  mkdirSync(join(dir, "inputs"));
  const hashes: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(params.inputs)) {
    writeFileSync(join(dir, "inputs", name), bytes);
    hashes[name] = sha256Hex(bytes);
  }
  hashes["onchain.json"] = sha256Hex(params.onchainJson);

  const manifest = buildManifest({
    result,
    merkleRoot: tree.root,
    claim: params.claim,
    snapshot: params.snapshot,
    inputs: hashes,
    generator: params.generator,
  });
  // Last: a directory with a manifest is a complete one.
  writeFileSync(join(dir, "manifest.json"), serializeManifest(manifest));
  return manifest;
}

/**
 * Queues tree.bin (season/tree-file.ts) on `writer`: the tree's levels back
 * to back, leaves first; an empty file for an empty tree. Shared by a
 * season's and a publication's output. Checks first that the tree has
 * `leafCount` leaves, so a file never disagrees with its manifest.
 */
export async function writeTreeFile(path: string, tree: TreeLevels, leafCount: number, writer: BackgroundWriter, checkpoint: () => Promise<void>): Promise<void> {
  const leaves = tree.levels[0]?.length ?? 0;
  if (leaves !== 32 * leafCount) throw new Error(`the tree has ${leaves / 32} leaves for ${leafCount} rows: this is a bug`);
  writer.write(path, new Uint8Array(0));
  for (const level of tree.levels) {
    writer.write(path, level, true);
    await checkpoint();
  }
}

// ---- any directory, the same way ---------------------------------------------

/**
 * Writes `<options.outDir>/<name>` atomically: a season directory
 * ({@link writeSeasonOutput}) and a publication (season-io/publication.ts) both go through it:
 * `render` fills a temporary directory next to the target, which is renamed
 * into place at the end. On any error, and on an interrupt
 * ({@link interruptOutputs}), nothing is left behind and an existing target
 * is untouched; it is replaced only with `force`. `render` calls
 * `checkpoint()` between its steps: it yields to the event loop, then
 * throws {@link OutputInterruptedError} if the write was interrupted.
 *
 * @example
 * const { dir } = await writeDirectoryAtomically("publication-2", { outDir: "out" }, async (tmp, checkpoint) => { … });
 */
export async function writeDirectoryAtomically<T>(
  name: string,
  options: WriteOptions,
  render: (dir: string, checkpoint: () => Promise<void>) => Promise<T>,
): Promise<{ dir: string; value: T }> {
  const progress = options.progress ?? (() => {});
  const target = join(options.outDir, name);
  const write = startWrite(target);
  try {
    await write.checkpoint();
    if (existsSync(target) && !options.force) throw new OutputExistsError(`${target} already exists: pass --force to replace it, or choose another --out`);
    const createdOutDir = !existsSync(options.outDir);
    mkdirSync(options.outDir, { recursive: true });
    const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
    const temporary = join(options.outDir, `.${name}.partial-${suffix}`);
    try {
      mkdirSync(temporary);
      const value = await render(temporary, write.checkpoint);
      // The last moment an interrupt stops the write: from here to the return nothing yields.
      await write.checkpoint();
      progress(`moving ${temporary} into place`);
      moveIntoPlace(temporary, target, suffix, options.force === true);
      return { dir: target, value };
    } catch (error) {
      rmSync(temporary, { recursive: true, force: true });
      if (createdOutDir) {
        try {
          rmdirSync(options.outDir); // only if still empty
        } catch {
          // something else lives there now: leave it
        }
      }
      throw error;
    }
  } finally {
    write.end();
  }
}
