// The second thread of season-io/parallel.ts: parses spark_usage.csv and
// spark_purchases.csv while the first reads users.csv. Plain JavaScript that
// loads the TypeScript core through tsx, as bin/sogni-season.mjs does.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { runActivityJob } = await import("./parallel.ts");
parentPort.postMessage(runActivityJob(workerData));
