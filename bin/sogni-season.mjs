#!/usr/bin/env -S node --max-semi-space-size=16
// `npx sogni-season …` from the repository root: loads the TypeScript CLI through tsx, in this process.
// --max-semi-space-size=16: V8's young generation at most 2 × 16 MB (Node 22's default here; Node 24 lets it grow
// to 128 MB on a large machine), so `sogni-season serve` under a season-end rush stays under 500 MB with a
// million-recipient season and its publication held in memory (docs/serve.md). `node bin/sogni-season.mjs`
// skips this line: pass the flag to node yourself there.
import { register } from "tsx/esm/api";

register();
await import("../scripts/season.ts");
