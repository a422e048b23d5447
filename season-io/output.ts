/**
 * The season output directory `<out>/season-<n>/` (SPEC section 6), rendered
 * from a {@link SeasonResult} and written atomically: everything goes into a
 * temporary directory next to the target and is renamed into place at the
 * end, so a reader (or a crash) never sees half a season. An interrupt
 * ({@link interruptOutputs}, from the entry's SIGINT/SIGTERM handler) stops a
 * write at its next step: the temporary directory goes, nothing is renamed,
 * an existing season stays as it was. The write yields to the event loop
 * between chunks and shards so that handler runs while it works.
 *
 * Built for 1,000,000 recipients: big files are written in chunks and the
 * 256 proof shards one at a time, so at most one shard's JSON is in memory.
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
import { leaderboardCsvChunks, recipientsCsvChunks, renderProofShard, renderRejectedCsv, SHARD_NAMES, shardRanges, type ProofSource } from "../season/season-files.js";
import { POOL_KEYS, type Hex, type SeasonResult } from "../season/types.js";

/**
 * Another thread that writes proof shards [first, 256) into `proofsDir`
 * (season-io/parallel.ts) while this one renders the rest. Asked before
 * recipients.csv is rendered, so it starts as soon as its tree is there;
 * `wait()` resolves once those shards are written (true), or says they were
 * not (false: this thread writes them), or rejects with the first write
 * error; `stop()` (after an error or an interrupt) resolves once that thread
 * can no longer write.
 */
export type ShardsElsewhere = (proofsDir: string, ranges: readonly [number, number][], first: number) => { wait(): Promise<boolean>; stop(): Promise<void> };

export interface SeasonOutputParams {
  result: SeasonResult;
  /** The tree, or a function giving it: called once, after recipients.csv and the leaderboards (season-io/parallel.ts builds it meanwhile). */
  tree: ProofSource | (() => ProofSource | Promise<ProofSource>);
  /** Optional: who writes the last shards meanwhile. */
  shardsElsewhere?: ShardsElsewhere;
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
  // Rendering stays on this thread; the writes go to a second one (1.8 GB for a million recipients).
  const writer = new BackgroundWriter();
  let tree: ProofSource;
  let elsewhere: ReturnType<ShardsElsewhere> | undefined;
  try {
    const writeChunks = async (path: string, chunks: Iterable<string>): Promise<void> => {
      let append = false;
      for (const chunk of chunks) {
        writer.write(path, chunk, append);
        append = true;
        await checkpoint();
      }
    };

    const proofsDir = join(dir, "proofs");
    mkdirSync(proofsDir);
    const ranges = shardRanges(recipients);
    // The other thread takes the shards past the first half of the recipients: it starts on them
    // once its tree is hashed, while this one still renders the CSV files.
    const first = params.shardsElsewhere === undefined ? 256 : Math.min(256, ranges.findIndex(([, end]) => 2 * end >= recipients.length) + 1);
    elsewhere = params.shardsElsewhere?.(proofsDir, ranges, first);
    if (first < 256) progress(`proof shards ${SHARD_NAMES[first]} to ff (${recipients.length - ranges[first]![0]} proofs) go to the second thread`);

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
    let written = 0;
    const writeShards = async (from: number, to: number): Promise<void> => {
      for (let shard = from; shard < to; shard++) {
        const [start, end] = ranges[shard]!;
        writer.write(join(proofsDir, `${SHARD_NAMES[shard]}.json`), renderProofShard(recipients.slice(start, end), tree));
        written += end - start;
        if (shard % 32 === 31) progress(`proof shards ${shard + 1}/256 rendered (${written}/${recipients.length} proofs)`);
        await checkpoint();
      }
    };
    await writeShards(0, first);
    if (elsewhere !== undefined && !(await elsewhere.wait())) {
      progress(`proof shards ${SHARD_NAMES[first]} to ff: the second thread could not take them, rendering them here`);
      await writeShards(first, 256);
    }
    progress(`proof shards 256/256 written (${recipients.length} proofs)`);
    await writer.finish();
    await checkpoint();
  } catch (error) {
    // Both threads stop before the caller removes the directory: nothing of theirs lands in it afterwards.
    await Promise.all([writer.abort(), elsewhere?.stop()]);
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
