/**
 * Scale bench: generate a 1,000,000-recipient season (scripts/generate-season.ts)
 * into a temporary directory, then time `node bin/sogni-season.mjs build … --quiet`
 * as a child process: wall, CPU (user + system) and peak RSS of the build
 * process, measured by /usr/bin/time -v when present, else by polling
 * /proc/<pid>/status (VmHWM) and /proc/<pid>/stat. It then checks the output:
 * recipients.csv has one row per recipient, tree.bin has the size of the
 * tree, and sampled proofs (season-io/season-dir.ts's findProof: recipients.csv
 * and tree.bin) verify against the manifest's root with season/tree.ts and
 * with merkletreejs. Goals: < 30 s wall, < 2 GB peak. The baseline, in the
 * same run on the same inputs, is `season build --threads 1` (everything on
 * one thread, as before season-io/parallel.ts): its root must be the same and
 * the table shows the ratio.
 *
 * --phases adds a second build without --quiet and times its progress lines,
 * to show where the time goes (config, scoring, tree, files).
 *
 * Usage: node_modules/.bin/tsx bench/build-1m.ts [--recipients 1000000] [--seed 1] [--lowercase] [--data <dir>] [--phases] [--no-baseline] [--keep] [--write]
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import keccak256 from "keccak256";
import { MerkleTree } from "merkletreejs";
import { leafHash } from "../season/leaf.js";
import { TREE_FILE, treeFileLayout } from "../season/tree-file.js";
import { findProof, recipientRow } from "../season-io/season-dir.js";
import { verifyProof } from "../season/tree.js";
import type { Hex } from "../season/types.js";
import { machine, measureCli, run, type Measured } from "./measure.js";

const GOAL_WALL_S = 30;
const GOAL_RSS_MB = 2048;

const HELP = `bench/build-1m.ts: time \`season build\` on a generated 1,000,000-recipient season

Usage: node_modules/.bin/tsx bench/build-1m.ts [options]
  --recipients <n>  recipients to generate (default 1000000)
  --seed <n>        generator seed (default 1)
  --lowercase       generate lower-case addresses (default: EIP-55 checksum case, as exports have)
  --data <dir>      use this generated input directory instead of generating one
  --phases          also run the build without --quiet and time each progress line
  --no-baseline     skip the one-thread baseline build (--threads 1)
  --keep            keep the temporary directories
  --write           append the results (machine, date) to bench/results-build.md
  --help            this text
`;

/** `node bin/sogni-season.mjs build …`, measured; progress lines are those starting "build:". */
const measure = (args: string[]): Promise<Measured> => measureCli(args, "build:");

/** recipients.csv rows, tree.bin's size, sampled proofs verified two ways. Returns the problems found and some facts. */
function checkOutput(dir: string, expected: number): { problems: string[]; rows: number; bytes: number; root: string } {
  const problems: string[] = [];
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { merkleRoot: Hex; recipients: number };
  const csv = readFileSync(join(dir, "recipients.csv"), "utf8");
  let rows = -1; // header
  for (let i = csv.indexOf("\n"); i !== -1; i = csv.indexOf("\n", i + 1)) rows++;
  if (rows !== expected) problems.push(`recipients.csv has ${rows} rows, expected ${expected}`);
  if (manifest.recipients !== expected) problems.push(`manifest says ${manifest.recipients} recipients, expected ${expected}`);
  const treeBytes = statSync(join(dir, TREE_FILE)).size;
  if (treeBytes !== treeFileLayout(expected).bytes) problems.push(`tree.bin is ${treeBytes} bytes, a tree of ${expected} leaves ${treeFileLayout(expected).bytes}`);
  const reference = new MerkleTree([], keccak256, { sortPairs: true });
  for (const index of [0, Math.floor(expected / 2), expected - 1]) {
    const address = recipientRow(dir, index)!.address;
    const entry = findProof(dir, address)!;
    const leaf = leafHash(entry.index, address, entry.amount);
    if (!verifyProof(leaf, entry.proof, manifest.merkleRoot)) problems.push(`proof of ${address} (index ${index}) does not verify with season/tree.ts`);
    if (!reference.verify(entry.proof, leaf, manifest.merkleRoot)) problems.push(`proof of ${address} (index ${index}) does not verify with merkletreejs`);
  }
  let bytes = 0;
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else bytes += stat.size;
    }
  };
  walk(dir);
  return { problems, rows, bytes, root: manifest.merkleRoot };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recipients: { type: "string", default: "1000000" },
      seed: { type: "string", default: "1" },
      lowercase: { type: "boolean", default: false },
      data: { type: "string" },
      phases: { type: "boolean", default: false },
      "no-baseline": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const recipients = Number(values.recipients);
  if (!Number.isSafeInteger(recipients) || recipients < 10) throw new Error(`--recipients must be a whole number >= 10, got "${values.recipients}"`);
  const work = mkdtempSync(join(tmpdir(), "season-build-1m-"));
  const cleanup = (): void => {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  };
  try {
    let data = values.data;
    let generateS: number | null = null;
    if (data === undefined) {
      data = join(work, "input");
      process.stderr.write(`generating ${recipients.toLocaleString("en-US")} recipients into ${data}…\n`);
      const started = performance.now();
      await run(process.execPath, ["--import", "tsx", "scripts/generate-season.ts", "--recipients", String(recipients), "--seed", values.seed, "--out", data, ...(values.lowercase ? ["--lowercase"] : [])]);
      generateS = (performance.now() - started) / 1000;
    }
    const inputBytes = readdirSync(data).reduce((sum, name) => sum + statSync(join(data!, name)).size, 0);
    const buildArgs = (out: string): string[] => ["build", "--config", join(data!, "season.json"), "--data", data!, "--onchain", join(data!, "onchain.json"), "--out", out];

    const load = loadavg().map((x) => x.toFixed(2)).join(", ");
    let baseline: { measured: Measured; check: ReturnType<typeof checkOutput> } | undefined;
    if (!values["no-baseline"]) {
      process.stderr.write(`baseline: building on one thread (node bin/sogni-season.mjs build … --threads 1 --quiet), load average ${load}…\n`);
      const out = join(work, "out-baseline");
      const measured = await measure([...buildArgs(out), "--threads", "1", "--quiet"]);
      baseline = { measured, check: checkOutput(join(out, "season-7"), recipients) };
      rmSync(out, { recursive: true, force: true });
    }
    process.stderr.write(`building (node bin/sogni-season.mjs build … --quiet), load average ${loadavg().map((x) => x.toFixed(2)).join(", ")}…\n`);
    const out = join(work, "out");
    const measured = await measure([...buildArgs(out), "--quiet"]);
    const check = checkOutput(join(out, "season-7"), recipients);
    if (baseline !== undefined && baseline.check.root !== check.root) check.problems.push(`one thread gave root ${baseline.check.root}, two threads ${check.root}`);

    let phases: { name: string; seconds: number }[] = [];
    if (values.phases) {
      process.stderr.write(`building again with progress lines, to time the phases…\n`);
      rmSync(out, { recursive: true, force: true });
      const timed = await measure(buildArgs(join(work, "out-phases")));
      let previous = 0;
      phases = timed.lines.map(({ at, text }) => {
        const phase = { name: `until "${text.replace(/^build: /, "").replace(/0x[0-9a-f]{64}/, "0x…").replace(/\/\S+/g, "…")}"`, seconds: at - previous };
        previous = at;
        return phase;
      });
      phases.push({ name: "until exit (summary, exit)", seconds: timed.wallS - previous });
    }

    const ok = check.problems.length === 0 && (baseline === undefined || baseline.check.problems.length === 0);
    const mbText = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const row = (name: string, m: Measured, c: ReturnType<typeof checkOutput>, ratio: string): string =>
      `| ${recipients.toLocaleString("en-US")} | ${values.data !== undefined ? "as given" : values.lowercase ? "lower case" : "EIP-55 checksum"} | ${mbText(inputBytes)} | ${mbText(c.bytes)} | ${name} | ${m.wallS.toFixed(1)} | ${m.cpuS === null ? "?" : m.cpuS.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${ratio} | ${m.wallS < GOAL_WALL_S ? "✓" : "✗"} < ${GOAL_WALL_S} s, ${m.peakRssMb < GOAL_RSS_MB ? "✓" : "✗"} < 2 GB | ${c.problems.length === 0 ? `${c.rows.toLocaleString("en-US")} rows, tree.bin, sampled proofs verify` : c.problems.join("; ")} |`;
    const table = [
      "| recipients | addresses | input | output | build | wall (s) | CPU (s) | peak RSS (MB) | speed-up (one thread's wall / this wall) | goal | output checks |",
      "|---:|---|---:|---:|---|---:|---:|---:|---:|---|---|",
      ...(baseline === undefined ? [] : [row("one thread (`--threads 1`, baseline)", baseline.measured, baseline.check, "1.00×")]),
      row("two threads (default)", measured, check, baseline === undefined ? "-" : `${(baseline.measured.wallS / measured.wallS).toFixed(2)}×`),
    ].join("\n");
    const phaseTable =
      phases.length === 0
        ? ""
        : `\n\nPhases (a second build with progress lines; seconds since the previous line):\n\n| phase | s |\n|---|---:|\n${phases.map((p) => `| ${p.name} | ${p.seconds.toFixed(1)} |`).join("\n")}`;
    process.stdout.write(`${table}${phaseTable}\n`);
    process.stderr.write(`root ${check.root}; measured with ${measured.how}${generateS === null ? "" : `; generating the inputs took ${generateS.toFixed(1)} s`}\n`);

    if (values.write) {
      const path = fileURLToPath(new URL("./results-build.md", import.meta.url));
      if (!existsSync(path)) {
        writeFileSync(
          path,
          "# Build at scale: `season build` on a generated 1,000,000-recipient season\n\n" +
            "Appended by `node_modules/.bin/tsx bench/build-1m.ts --write` (one section per run). Inputs from\n" +
            "`scripts/generate-season.ts` (season 7 config, every user buys Spark so every address is paid by the\n" +
            "uncut ambassadors pool; stakers, workers and top artists drawn from the same addresses). The build runs\n" +
            "as `node bin/sogni-season.mjs build … --quiet` in its own process; wall, CPU and peak RSS are that process's.\n" +
            `Goals: < ${GOAL_WALL_S} s wall, < 2 GB peak RSS.\n`,
        );
      }
      appendFileSync(
        path,
        `\n## ${new Date().toISOString()}\n\nMachine: ${machine()}. Load average before the build: ${load} (1, 5, 15 min). Measured with ${measured.how}. Seed ${values.seed}; merkle root ${check.root}.\n\n${table}${phaseTable}\n`,
      );
      process.stderr.write(`appended to ${path}\n`);
    }
    if (!ok) process.exitCode = 1;
  } finally {
    cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/build-1m.ts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
