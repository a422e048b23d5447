// The second thread of season-io/parallel.ts's buildTreeInBackground (and buildCumulativeTreeInBackground): it
// writes the leaves and hashes every level into shared memory (the bytes of tree.bin), then flags
// state[0] (1 done, 2 failed: the first thread then hashes the tree itself) and wakes the waiting thread.
// Plain JavaScript that loads the TypeScript core through tsx, as bin/sogni-season.mjs does.
import { workerData } from "node:worker_threads";

const state = new Int32Array(workerData.state);
const flag = (value) => {
  Atomics.store(state, 0, value);
  Atomics.notify(state, 0);
};

try {
  const { register } = await import("tsx/esm/api");
  register();
  const core = await import("./parallel.ts");
  core.hashSharedTree(workerData);
  flag(1);
} catch {
  flag(2);
}
