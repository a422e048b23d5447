/**
 * Scale bench for `season publish` (SPEC 8.2): generates two 1,000,000-recipient
 * seasons with different seeds (scripts/generate-season.ts; the second
 * renumbered season 8, with vesting: half on 2026-12-01, the rest on
 * 2027-03-01), builds each (`season build --quiet`), then times
 * `node bin/sogni-season.mjs publish --seasons … --at 2026-12-01T00:00:00Z --quiet`
 * as a child process: wall, CPU and peak RSS (bench/measure.ts). The
 * seeds draw different addresses, so the publication has 2,000,000 leaves.
 * The baseline, in the same run on the same seasons, is `publish --threads 1`
 * (the default: one thread renders, the files are written on another);
 * against it, `--threads 2` (the tree and half the proofs on a second
 * thread). Both must give the same bytes. Then it checks the output: 256
 * tree.bin, sampled proofs (season-io/publication-dir.ts's findCumulativeProof)
 * verify with season/tree.ts and with merkletreejs.
 * Goals: < 30 s wall, < 2 GB peak.
 *
 * Usage: node_modules/.bin/tsx bench/publish.ts [--recipients 1000000] [--seasons <dir7> <dir8>] [--no-two-threads] [--keep] [--write]
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import keccak256 from "keccak256";
import { MerkleTree } from "merkletreejs";
import { cumulativeLeafHash } from "../season/leaf.js";
import { TREE_FILE, treeFileLayout } from "../season/tree-file.js";
import { findCumulativeProof } from "../season-io/publication-dir.js";
import { verifyProof } from "../season/tree.js";
import type { Hex } from "../season/types.js";
import { machine, measureCli, run, type Measured } from "./measure.js";

const GOAL_WALL_S = 30;
const GOAL_RSS_MB = 2048;
const AT = "2026-12-01T00:00:00Z";
const VESTING = [
  { at: "2026-12-01T00:00:00Z", share: "0.5" },
  { at: "2027-03-01T00:00:00Z", share: "1" },
];

const HELP = `bench/publish.ts: time \`season publish\` of two generated 1,000,000-recipient seasons

Usage: node_modules/.bin/tsx bench/publish.ts [options]
  --recipients <n>     recipients per season (default 1000000)
  --seasons <a> <b>    publish these two built season directories instead of generating and building
  --no-two-threads     skip the two-thread run (publish --threads 2); the default one-thread run always runs
  --keep               keep the temporary directory
  --write              append the results (machine, date) to bench/results-publish.md
  --help               this text
`;

interface Checked {
  problems: string[];
  recipients: number;
  root: string;
  bytes: number;
  /** sha256 over every file's sha256 and path: two runs with the same bytes have the same digest. */
  digest: string;
}

/** Every file under `dir`, relative, sorted. */
function files(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

/** tree.bin's size, sampled proofs (first and last row) verified two ways, the digest of every byte. */
function checkOutput(dir: string): Checked {
  const problems: string[] = [];
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { merkleRoot: Hex; recipients: number };
  const treeBytes = statSync(join(dir, TREE_FILE)).size;
  if (treeBytes !== treeFileLayout(manifest.recipients).bytes) problems.push(`tree.bin is ${treeBytes} bytes, a tree of ${manifest.recipients} leaves ${treeFileLayout(manifest.recipients).bytes}`);
  const reference = new MerkleTree([], keccak256, { sortPairs: true });
  const balances = readFileSync(join(dir, "balances.csv"), "latin1");
  const rows = balances.slice(balances.indexOf("\n") + 1).trimEnd().split("\n");
  for (const line of [rows[0]!, rows[rows.length - 1]!]) {
    const address = line.split(",")[1]!;
    const entry = findCumulativeProof(dir, address)!;
    const leaf = cumulativeLeafHash(address, entry.amount);
    if (!verifyProof(leaf, entry.proof, manifest.merkleRoot)) problems.push(`proof of ${address} does not verify with season/tree.ts`);
    if (!reference.verify(entry.proof, leaf, manifest.merkleRoot)) problems.push(`proof of ${address} does not verify with merkletreejs`);
  }
  const digest = createHash("sha256");
  let bytes = 0;
  for (const path of files(dir)) {
    const data = readFileSync(join(dir, path));
    bytes += data.length;
    digest.update(`${createHash("sha256").update(data).digest("hex")}  ${path}\n`);
  }
  return { problems, recipients: manifest.recipients, root: manifest.merkleRoot, bytes, digest: digest.digest("hex") };
}

async function generateAndBuild(work: string, recipients: number): Promise<{ seasons: [string, string]; buildS: number[] }> {
  const seasons: string[] = [];
  const buildS: number[] = [];
  for (const [seed, number] of [[1, 7], [2, 8]] as const) {
    const data = join(work, `input-${number}`);
    process.stderr.write(`generating season ${number} (${recipients.toLocaleString("en-US")} recipients, seed ${seed}) into ${data}…\n`);
    await run(process.execPath, ["--import", "tsx", "scripts/generate-season.ts", "--recipients", String(recipients), "--seed", String(seed), "--out", data]);
    if (number === 8) {
      const path = join(data, "season.json");
      const config = JSON.parse(readFileSync(path, "utf8"));
      writeFileSync(path, `${JSON.stringify({ ...config, season: 8, vesting: VESTING }, null, 2)}\n`);
    }
    process.stderr.write(`building season ${number}…\n`);
    const built = await measureCli(["build", "--config", join(data, "season.json"), "--data", data, "--onchain", join(data, "onchain.json"), "--out", join(work, "seasons"), "--quiet"], "build:");
    buildS.push(built.wallS);
    seasons.push(join(work, "seasons", `season-${number}`));
    rmSync(data, { recursive: true, force: true });
  }
  return { seasons: seasons as [string, string], buildS };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      recipients: { type: "string", default: "1000000" },
      seasons: { type: "string", multiple: true },
      "no-two-threads": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const recipients = Number(values.recipients);
  if (!Number.isSafeInteger(recipients) || recipients < 10) throw new Error(`--recipients must be a whole number >= 10, got "${values.recipients}"`);
  const work = mkdtempSync(join(tmpdir(), "season-publish-bench-"));
  try {
    let seasons: string[];
    let buildS: number[] = [];
    if (values.seasons !== undefined) seasons = [...values.seasons, ...positionals];
    else ({ seasons, buildS } = await generateAndBuild(work, recipients));
    const publishArgs = (out: string): string[] => ["publish", "--seasons", ...seasons, "--at", AT, "--out", out, "--quiet"];

    const load = loadavg().map((x) => x.toFixed(2)).join(", ");
    process.stderr.write(`baseline: publishing on one thread (publish … --threads 1 --quiet, the default), load average ${load}…\n`);
    const out = join(work, "out");
    const measured = await measureCli([...publishArgs(out), "--threads", "1"], "publish:");
    const check = checkOutput(join(out, "publication-1"));
    rmSync(out, { recursive: true, force: true });
    let twoThreads: { measured: Measured; check: Checked } | undefined;
    if (!values["no-two-threads"]) {
      process.stderr.write(`publishing on two threads (publish … --threads 2 --quiet), load average ${loadavg().map((x) => x.toFixed(2)).join(", ")}…\n`);
      const out2 = join(work, "out-2");
      const measured2 = await measureCli([...publishArgs(out2), "--threads", "2"], "publish:");
      twoThreads = { measured: measured2, check: checkOutput(join(out2, "publication-1")) };
      rmSync(out2, { recursive: true, force: true });
      if (twoThreads.check.digest !== check.digest) twoThreads.check.problems.push(`one thread and two threads wrote different bytes (roots ${check.root}, ${twoThreads.check.root})`);
    }
    const baseline = { measured, check };

    const ok = check.problems.length === 0 && (twoThreads === undefined || twoThreads.check.problems.length === 0);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const row = (name: string, m: Measured, c: Checked, ratio: string): string =>
      `| ${seasons.length} × ${recipients.toLocaleString("en-US")} | ${c.recipients.toLocaleString("en-US")} | ${mb(c.bytes)} | ${name} | ${m.wallS.toFixed(1)} | ${m.cpuS === null ? "?" : m.cpuS.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${ratio} | ${m.wallS < GOAL_WALL_S ? "✓" : "✗"} < ${GOAL_WALL_S} s, ${m.peakRssMb < GOAL_RSS_MB ? "✓" : "✗"} < 2 GB | ${c.problems.length === 0 ? "tree.bin, sampled proofs verify (season/tree.ts, merkletreejs)" + (twoThreads !== undefined ? ", same bytes on one and two threads" : "") : c.problems.join("; ")} |`;
    const table = [
      "| seasons × recipients | addresses | output | publish | wall (s) | CPU (s) | peak RSS (MB) | speed-up (one thread's wall / this wall) | goal | output checks |",
      "|---|---:|---:|---|---:|---:|---:|---:|---|---|",
      row("one thread (`--threads 1`, default, baseline)", baseline.measured, baseline.check, "1.00×"),
      ...(twoThreads === undefined ? [] : [row("two threads (`--threads 2`)", twoThreads.measured, twoThreads.check, `${(baseline.measured.wallS / twoThreads.measured.wallS).toFixed(2)}×`)]),
    ].join("\n");
    process.stdout.write(`${table}\n`);
    process.stderr.write(`root ${check.root}; measured with ${measured.how}${buildS.length ? `; building the seasons took ${buildS.map((s) => s.toFixed(1)).join(" s and ")} s` : ""}\n`);

    if (values.write) {
      const path = fileURLToPath(new URL("./results-publish.md", import.meta.url));
      if (!existsSync(path)) {
        writeFileSync(
          path,
          "# Publication at scale: `season publish` of two generated 1,000,000-recipient seasons\n\n" +
            "Appended by `npm run bench:publish -- --write` (one section per run). Two seasons from\n" +
            "`scripts/generate-season.ts` with seeds 1 and 2 (different addresses, so 2,000,000 leaves), the second\n" +
            "renumbered 8 with vesting (half on 2026-12-01, the rest on 2027-03-01), each built with `season build`,\n" +
            `then published at ${AT} (season 7 whole, season 8 half) as \`node bin/sogni-season.mjs publish … --quiet\`\n` +
            "in its own process; wall, CPU and peak RSS are that process's. The baseline is the default `--threads 1` (one\n" +
            "thread renders, a background thread writes the files); against it `--threads 2` in the same run.\n" +
            `Goals: < ${GOAL_WALL_S} s wall, < 2 GB peak RSS.\n`,
        );
      }
      appendFileSync(
        path,
        `\n## ${new Date().toISOString()}\n\nMachine: ${machine()}. Load average before the runs: ${load} (1, 5, 15 min). Measured with ${measured.how}. Merkle root ${check.root}.\n\n${table}\n`,
      );
      process.stderr.write(`appended to ${path}\n`);
    }
    if (!ok) process.exitCode = 1;
    if (values.keep) process.stderr.write(`kept ${work}\n`);
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/publish.ts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
