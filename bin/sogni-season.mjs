#!/usr/bin/env node
// `npx sogni-season …` from the repository root: loads the TypeScript CLI through tsx, in this process.
import { register } from "tsx/esm/api";

register();
await import("../scripts/season.ts");
