/**
 * {@link computeSeason} on two threads, same result. Reading users.csv (a
 * million EIP-55 checksums and the referral tree) and parsing the two
 * activity exports (spark_usage.csv, spark_purchases.csv: ids, timestamps,
 * decimals) do not need each other: the activity rows refer to users by
 * their users.csv position, which a second thread finds from the user_id
 * column alone. This thread then joins the two and scores as before.
 *
 * Errors are those of computeSeason: users.csv's first (this thread reads it
 * in full), then the second thread's, which parses usage before purchases.
 * When no second thread can start, the activity is parsed here.
 *
 * {@link buildTreeInBackground} does the same for the Merkle tree: its two
 * million keccak256 hashes run on a second thread while this one renders
 * recipients.csv and the leaderboards, which do not need the tree; this
 * thread then writes the levels as they lie in shared memory: they are
 * tree.bin (season/tree-file.ts). Leaves and levels live in shared memory:
 * nothing is copied. {@link buildCumulativeTreeInBackground} is the same for
 * a publication's cumulative-v1 tree (season publish).
 *
 * @example
 * const result = await computeSeasonInParallel({ config, files, onchain });
 * const tree = buildTreeInBackground(result.recipients);
 * // … render what needs no proofs …
 * tree.wait().root; // waits for the second thread
 */
import { Worker } from "node:worker_threads";
import { buildCumulativeTree, buildRecipientTree, packLeafInput, PACKED_LEAF_BYTES, writeCumulativeLeafFromPacked, writeLeafFromPacked } from "../season/leaf.js";
import { hashLevels, levelSizes, levelViews, treeFromLevels, type MerkleTree } from "../season/tree.js";
import { waitForChange } from "./wait-async.js";
import { parseActivity, scoreSeason, type Activity, type SeasonFiles, type SeasonInputs } from "../season/engine.js";
import { InputError } from "../season/errors.js";
import { readUserIndex, readUsers, userIndexOf, type Users } from "../season/scoring.js";
import type { Recipient, SeasonConfig, SeasonResult } from "../season/types.js";

/** What the second thread is given. */
export interface ActivityJob {
  files: Pick<SeasonFiles, "users" | "spark_usage" | "spark_purchases">;
  config: SeasonConfig;
}

/** What it answers: the parsed rows, the first input error, or an unexpected failure. */
export type ActivityAnswer =
  | { activity: Activity }
  | { inputError: { file: string; line: number | undefined; column: number | string | undefined; reason: string } }
  | { failure: string };

/** The second thread's work (season/activity-worker.mjs calls it). */
export function runActivityJob({ files, config }: ActivityJob): ActivityAnswer {
  try {
    const ids = readUserIndex(files.users);
    return { activity: parseActivity(files, config, (id) => ids.get(id)) };
  } catch (error) {
    if (error instanceof InputError) return { inputError: { file: error.file, line: error.line, column: error.column, reason: error.reason } };
    return { failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

/** {@link computeSeason}, with the activity exports parsed on a second thread while this one reads users.csv. */
export async function computeSeasonInParallel(inputs: SeasonInputs): Promise<SeasonResult> {
  const { files, config } = inputs;
  const second = parseActivityOnSecondThread({ files: { users: files.users, spark_usage: files.spark_usage, spark_purchases: files.spark_purchases }, config });
  let users: Users;
  try {
    users = readUsers(files.users);
  } catch (error) {
    second.stop();
    throw error;
  }
  const activity = (await second.answer) ?? parseActivity(files, config, userIndexOf(users));
  return scoreSeason(inputs, users, activity);
}

export interface RunningWorker {
  /** The parsed activity; undefined when the thread failed (parse here instead); rejects with its InputError. */
  answer: Promise<Activity | undefined>;
  stop(): void;
}

/** Starts {@link runActivityJob} on a second thread. */
export function parseActivityOnSecondThread(job: ActivityJob): RunningWorker {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./activity-worker.mjs", import.meta.url), { workerData: job });
  } catch {
    return { answer: Promise.resolve(undefined), stop: () => {} };
  }
  const answer = new Promise<Activity | undefined>((resolve, reject) => {
    worker.once("message", (message: ActivityAnswer) => {
      void worker.terminate();
      if ("activity" in message) resolve(message.activity);
      else if ("inputError" in message) {
        const { file, line, column, reason } = message.inputError;
        reject(new InputError({ file, line, column }, reason));
      } else resolve(undefined);
    });
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
  });
  const stop = (): void => {
    answer.catch(() => {}); // its error, if any, lost to an earlier one
    void worker.terminate();
  };
  return { answer, stop };
}

/** What season/tree-worker.mjs is given: the leaves' fields, and shared memory for every level of the tree. */
export interface TreeJob {
  /** Leaf i's (address, amount) at PACKED_LEAF_BYTES × i (season/leaf.ts's packLeafInput). */
  packed: SharedArrayBuffer;
  /** All levels back to back, leaves first (levelSizes × 32 bytes): tree.bin's bytes once hashed. */
  levels: SharedArrayBuffer;
  /** Int32 [0]: 0 while working, 1 when the tree is done, 2 on failure. */
  state: SharedArrayBuffer;
  /** Which leaf: a season's (SPEC 5, with index) or a publication's (SPEC 8.2, cumulative-v1). */
  encoding: "season" | "cumulative";
}

const WORKING = 0;
const DONE = 1;
/** Longer than any tree takes. */
const WAIT_MS = 10 * 60 * 1000;

/** A tree being built: `wait()` blocks until it is there, `ready()` waits without blocking; `threaded` then says where it was hashed. */
export interface PendingTree {
  wait(): MerkleTree;
  ready(): Promise<MerkleTree>;
  /** After wait(): true when the second thread built it, false when this thread had to. */
  threaded: boolean | undefined;
}

/**
 * Starts building the Merkle tree of `recipients` (leaf i is recipient i)
 * on a second thread. If the thread fails, wait() builds the tree on this
 * thread: the same bytes either way.
 */
export function buildTreeInBackground(recipients: readonly Recipient[]): PendingTree {
  recipients.forEach((r, i) => {
    if (r.index !== i) throw new Error(`recipient ${r.address} has index ${r.index} at position ${i}: this is a bug in the engine`);
  });
  const packed = new SharedArrayBuffer(PACKED_LEAF_BYTES * recipients.length);
  const bytes = new Uint8Array(packed);
  recipients.forEach((r, i) => packLeafInput(bytes, PACKED_LEAF_BYTES * i, r.address, r.amount));
  return treeOnSecondThread(packed, recipients.length, "season", () => buildRecipientTree(recipients));
}

/**
 * {@link buildTreeInBackground} for a publication (SPEC 8.2): leaf i is the
 * cumulative-v1 leaf of (`addresses[i]`, `cumulative[i]`).
 */
export function buildCumulativeTreeInBackground(addresses: readonly string[], cumulative: readonly bigint[]): PendingTree {
  const packed = new SharedArrayBuffer(PACKED_LEAF_BYTES * addresses.length);
  const bytes = new Uint8Array(packed);
  for (let i = 0; i < addresses.length; i++) packLeafInput(bytes, PACKED_LEAF_BYTES * i, addresses[i]!, cumulative[i]!);
  return treeOnSecondThread(packed, addresses.length, "cumulative", () => buildCumulativeTree(addresses, cumulative));
}

/** Starts season-io/tree-worker.mjs on the packed leaves; `fallback` builds the same tree here if it cannot run. */
function treeOnSecondThread(packed: SharedArrayBuffer, count: number, encoding: TreeJob["encoding"], fallback: () => MerkleTree): PendingTree {
  const sizes = levelSizes(count);
  const levels = new SharedArrayBuffer(32 * sizes.reduce((sum, nodes) => sum + nodes, 0));
  const state = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | undefined;
  try {
    const job: TreeJob = { packed, levels, state: state.buffer as SharedArrayBuffer, encoding };
    worker = new Worker(new URL("./tree-worker.mjs", import.meta.url), { workerData: job });
    worker.unref();
  } catch {
    worker = undefined;
  }

  let tree: MerkleTree | undefined;
  const pending: PendingTree = {
    threaded: undefined,
    async ready() {
      if (tree === undefined && worker !== undefined) await waitForChange(state, 0, WORKING, WAIT_MS);
      return pending.wait();
    },
    wait() {
      if (tree !== undefined) return tree;
      if (worker !== undefined) Atomics.wait(state, 0, WORKING, WAIT_MS);
      pending.threaded = worker !== undefined && Atomics.load(state, 0) === DONE;
      tree = pending.threaded ? treeFromLevels(levelViews(levels, sizes)) : fallback();
      void worker?.terminate();
      return tree;
    },
  };
  return pending;
}

/** On the second thread: writes the leaves and hashes every level into the shared buffers. */
export function hashSharedTree(job: TreeJob): void {
  const packed = new Uint8Array(job.packed);
  const count = packed.length / PACKED_LEAF_BYTES;
  const levels = levelViews(job.levels, levelSizes(count));
  if (job.encoding === "cumulative") for (let i = 0; i < count; i++) writeCumulativeLeafFromPacked(levels[0]!, 32 * i, packed, PACKED_LEAF_BYTES * i);
  else for (let i = 0; i < count; i++) writeLeafFromPacked(levels[0]!, 32 * i, i, packed, PACKED_LEAF_BYTES * i);
  hashLevels(levels);
}
