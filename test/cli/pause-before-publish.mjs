// Preloaded (node --import) into a `season build` by test/cli/interrupt.test.ts: once the build has
// written manifest.json into its temporary directory (its last file, just before the rename into
// place), say so on stderr and hold the thread still for a moment, so the test's signal lands at the
// very end of the build every time instead of by luck.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const writeFileSync = fs.writeFileSync;
fs.writeFileSync = function (path, ...rest) {
  const written = writeFileSync.call(this, path, ...rest);
  if (/[\\/]\.season-\d+\.partial-[^\\/]+[\\/]manifest\.json$/.test(String(path))) {
    process.stderr.write("test: manifest.json written, about to publish\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
  }
  return written;
};
syncBuiltinESMExports();
