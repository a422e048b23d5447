/**
 * Preloaded into a server bench/api.ts loads (`NODE_OPTIONS="--import
 * ./bench/api-eld.mjs"`): watches the process's event loop with
 * perf_hooks.monitorEventLoopDelay and answers bench/api.ts over the IPC
 * channel: on "reset" it clears the histogram and answers {type: "reset"};
 * on "report" it answers {type: "report", maxMs, p99Ms, meanMs}
 * (bench/api-page.ts's EventLoopMessage). The process exits when
 * bench/api.ts goes away (the channel disconnects). Nothing here is in
 * production code: `sogni-season serve` runs unchanged beside it. Plain
 * JavaScript, so the server loads no second TypeScript loader for it (its
 * start is timed).
 *
 * @example NODE_OPTIONS="--import ./bench/api-eld.mjs" bin/sogni-season.mjs serve out --port 0 --json
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

if (process.send !== undefined) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const send = (message) => void process.send(message);
  process.on("message", (message) => {
    if (message === "reset") {
      delay.reset();
      send({ type: "reset" });
    } else if (message === "report") {
      send({ type: "report", maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6 });
    }
  });
  process.on("disconnect", () => process.exit(0));
}
