// The second thread of season-io/parallel.ts's buildTreeInBackground (and buildCumulativeTreeInBackground). First it
// writes the leaves and hashes every level into shared memory, then flags
// state[0] (1 done, 2 failed) and wakes the waiting thread; then, if asked,
// it writes the last proof shards and flags state[1] the same way (3: no
// tree, not written), with a failure's message on the errors port. Plain
// JavaScript that loads the TypeScript core through tsx, as bin/sogni-season.mjs does.
import { parentPort, workerData } from "node:worker_threads";

const state = new Int32Array(workerData.state);
const flag = (slot, value) => {
  Atomics.store(state, slot, value);
  Atomics.notify(state, slot);
};
const describe = (error) => (error instanceof Error ? error.message : String(error));

let core;
try {
  const { register } = await import("tsx/esm/api");
  register();
  core = await import("./parallel.ts");
  core.hashSharedTree(workerData);
  flag(0, 1);
} catch (error) {
  workerData.errors.postMessage(describe(error));
  flag(0, 2);
}
parentPort.once("message", (shards) => {
  if (Atomics.load(state, 0) !== 1) return flag(1, 3); // no tree here: the first thread writes them
  try {
    core.writeSharedShards(workerData, shards);
    flag(1, 1);
  } catch (error) {
    workerData.errors.postMessage(describe(error));
    flag(1, 2);
  }
});
