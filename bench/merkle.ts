/**
 * Merkle bench: season/merkle.ts beside merkletreejs (the tree SPEC section 5
 * names) and OpenZeppelin's StandardMerkleTree, on the same recipients
 * (index, address, amount) and the same machine, for 10k / 100k / 1M leaves.
 *
 * Each (builder, size) runs in a fresh child process, so its peak RSS is its
 * own and no JIT or heap state carries over. A run starts from the same
 * recipient values (a seeded generator) and does:
 * - ours:          leafHash for every recipient, buildTree, proof(i) for every i;
 * - merkletreejs:  leaves with viem (encodeAbiParameters + keccak256 twice, as
 *                  SPEC 5 writes it), new MerkleTree(leaves, keccak256, { sortPairs: true }),
 *                  getHexProof(leaf, i) for every i;
 * - openzeppelin:  StandardMerkleTree.of(values, ["uint256","address","uint256"]),
 *                  getProof(i) for every i (it hashes the leaves itself, and
 *                  re-verifies every proof it returns).
 * Every proof is made and then dropped (proof lengths are summed), none kept.
 * Ours and merkletreejs must give the same root and the same proofs (three
 * sampled indices are compared); OpenZeppelin sorts its leaves and lays the
 * tree out differently, so its root differs by design: only its time is compared
 * (its leaf hash equals ours, which is checked).
 *
 * A baseline is skipped at a size when its time at the previous size,
 * scaled up, would pass --cap; a run that passes --cap is killed and reported.
 *
 * Usage: node_modules/.bin/tsx bench/merkle.ts [--sizes 10000,100000,1000000] [--only ours,merkletreejs,openzeppelin]
 *                                             [--cap 300] [--seed 1] [--json] [--write]
 */
import { execSync, spawn } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const HELP = `bench/merkle.ts: season/merkle.ts vs merkletreejs vs OpenZeppelin StandardMerkleTree

Usage: node_modules/.bin/tsx bench/merkle.ts [options]
  --sizes <list>   leaf counts, comma-separated (default 10000,100000,1000000)
  --only <list>    builders to run (default ours,merkletreejs,openzeppelin)
  --cap <seconds>  longest run allowed per builder and size (default 300); longer ones are skipped or killed
  --seed <n>       seed of the recipient generator (default 1)
  --json           print the results as JSON instead of a table
  --write          also write bench/results-merkle.md (table, machine, date)
  --help           this text
`;

const BUILDERS = ["ours", "merkletreejs", "openzeppelin"] as const;
type Builder = (typeof BUILDERS)[number];

/** What a child reports (times in ms, memory in MB). */
interface RunResult {
  builder: Builder;
  size: number;
  /** Hashing the leaves (not separable for openzeppelin: inside `of`). */
  leavesMs: number | null;
  treeMs: number;
  proofsMs: number;
  wallMs: number;
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  root: string;
  proofElements: number;
  samples: Record<string, string[]>;
  firstLeaf: string;
}

type Row = RunResult | { builder: Builder; size: number; skipped: string };

// ---- recipients -----------------------------------------------------------

/** xorshift32: the same recipients in every child and on every machine. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

export interface Recipient {
  index: number;
  address: `0x${string}`;
  amount: bigint;
}

/** `size` recipients with random lower-case addresses and amounts below 10^24 wei. */
export function recipients(size: number, seed: number): Recipient[] {
  const next = generator(seed);
  const out: Recipient[] = new Array(size);
  for (let i = 0; i < size; i++) {
    let address = "0x";
    for (let w = 0; w < 5; w++) address += next().toString(16).padStart(8, "0");
    const amount = ((BigInt(next()) << 48n) | (BigInt(next()) << 16n) | BigInt(next() & 0xffff)) % 10n ** 24n;
    out[i] = { index: i, address: address as `0x${string}`, amount };
  }
  return out;
}

// ---- the child: one builder, one size --------------------------------------

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

async function runChild(builder: Builder, size: number, seed: number): Promise<RunResult> {
  // Load every builder's modules (and hash-wasm's wasm) before the clock starts.
  const [{ buildTree }, { leafHash }, { MerkleTree }, keccak256, viem, { StandardMerkleTree }] = await Promise.all([
    import("../season/tree.js"),
    import("../season/leaf.js"),
    import("merkletreejs"),
    import("keccak256").then((m) => m.default),
    import("viem"),
    import("@openzeppelin/merkle-tree"),
  ]);
  const values = recipients(size, seed);
  const sampleIndices = [0, Math.floor(size / 2), size - 1];
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let leavesMs: number | null = null;
  let treeMs: number;
  let proofsMs: number;
  let root: string;
  let proofElements = 0;
  const samples: Record<string, string[]> = {};
  let firstLeaf: string;

  if (builder === "ours") {
    const t = performance.now();
    const leaves = values.map((r) => leafHash(r.index, r.address, r.amount));
    leavesMs = performance.now() - t;
    const t1 = performance.now();
    const tree = buildTree(leaves);
    treeMs = performance.now() - t1;
    const t2 = performance.now();
    for (let i = 0; i < size; i++) proofElements += tree.proof(i).length;
    proofsMs = performance.now() - t2;
    root = tree.root;
    for (const i of sampleIndices) samples[i] = tree.proof(i);
    firstLeaf = leaves[0]!;
  } else if (builder === "merkletreejs") {
    const { encodeAbiParameters, keccak256: viemKeccak256, hexToBytes } = viem;
    const types = [{ type: "uint256" }, { type: "address" }, { type: "uint256" }] as const;
    const t = performance.now();
    const leaves = values.map((r) => Buffer.from(hexToBytes(viemKeccak256(viemKeccak256(encodeAbiParameters(types, [BigInt(r.index), r.address, r.amount]))))));
    leavesMs = performance.now() - t;
    const t1 = performance.now();
    const tree = new MerkleTree(leaves, keccak256, { sortPairs: true });
    treeMs = performance.now() - t1;
    const t2 = performance.now();
    for (let i = 0; i < size; i++) proofElements += tree.getHexProof(leaves[i]!, i).length;
    proofsMs = performance.now() - t2;
    root = tree.getHexRoot();
    for (const i of sampleIndices) samples[i] = tree.getHexProof(leaves[i]!, i);
    firstLeaf = `0x${leaves[0]!.toString("hex")}`;
  } else {
    const rows = values.map((r) => [BigInt(r.index), r.address, r.amount]);
    const t1 = performance.now();
    const tree = StandardMerkleTree.of(rows, ["uint256", "address", "uint256"]);
    treeMs = performance.now() - t1;
    const t2 = performance.now();
    for (let i = 0; i < size; i++) proofElements += tree.getProof(i).length;
    proofsMs = performance.now() - t2;
    root = tree.root;
    for (const i of sampleIndices) samples[i] = tree.getProof(i);
    // Its leaf hash is the SPEC 5 leaf; find leaf 0 in its (sorted) tree layout.
    firstLeaf = (tree.dump().tree as string[])[tree.dump().values[0]!.treeIndex]!;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    builder,
    size,
    leavesMs,
    treeMs,
    proofsMs,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMb: mb(rssBefore),
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    root,
    proofElements,
    samples,
    firstLeaf,
  };
}

// ---- the parent --------------------------------------------------------------

interface Options {
  sizes: number[];
  only: Builder[];
  capSeconds: number;
  seed: number;
  json: boolean;
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [10_000, 100_000, 1_000_000], only: [...BUILDERS], capSeconds: 300, seed: 1, json: false, write: false };
  const number = (flag: string, text: string | undefined, min: number): number => {
    if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) throw new Error(`${flag}: "${text ?? ""}" is not a whole number >= ${min}`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(HELP);
      process.exit(0);
    } else if (arg === "--json") options.json = true;
    else if (arg === "--write") options.write = true;
    else if (arg === "--sizes") options.sizes = (argv[++i] ?? "").split(",").map((s) => number("--sizes", s, 2));
    else if (arg === "--cap") options.capSeconds = number("--cap", argv[++i], 1);
    else if (arg === "--seed") options.seed = number("--seed", argv[++i], 1);
    else if (arg === "--only") {
      options.only = (argv[++i] ?? "").split(",").map((name) => {
        if (!(BUILDERS as readonly string[]).includes(name)) throw new Error(`--only: unknown builder "${name}" (choose from ${BUILDERS.join(", ")})`);
        return name as Builder;
      });
    } else throw new Error(`unknown option ${arg}\n\n${HELP}`);
  }
  return options;
}

/** Runs one builder at one size in a fresh `node --import tsx` process; null when it passed the cap. */
function spawnChild(builder: Builder, size: number, seed: number, capSeconds: number): Promise<RunResult | null> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=16384", "--import", "tsx", self, "--child", builder, String(size), String(seed)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, capSeconds * 1000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve(null);
      if (code !== 0) return reject(new Error(`${builder} at ${size} leaves exited with code ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!) as RunResult);
    });
  });
}

const fmt = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function checkAgreement(rows: Row[]): string[] {
  const problems: string[] = [];
  const done = rows.filter((row): row is RunResult => "root" in row);
  for (const size of new Set(done.map((r) => r.size))) {
    const ours = done.find((r) => r.size === size && r.builder === "ours");
    if (!ours) continue;
    for (const other of done.filter((r) => r.size === size && r.builder !== "ours")) {
      if (other.firstLeaf !== ours.firstLeaf) problems.push(`${size}: ${other.builder}'s leaf 0 is ${other.firstLeaf}, ours ${ours.firstLeaf}`);
      if (other.builder !== "merkletreejs") continue;
      if (other.root !== ours.root) problems.push(`${size}: merkletreejs root ${other.root} != ours ${ours.root}`);
      if (other.proofElements !== ours.proofElements) problems.push(`${size}: merkletreejs has ${other.proofElements} proof elements, ours ${ours.proofElements}`);
      for (const [i, proof] of Object.entries(ours.samples)) {
        if (JSON.stringify(proof) !== JSON.stringify(other.samples[i])) problems.push(`${size}: proof of leaf ${i} differs from merkletreejs`);
      }
    }
  }
  return problems;
}

function table(rows: Row[]): string {
  const lines = [
    "| leaves | builder | leaves (s) | tree (s) | proofs (s) | wall (s) | CPU (s) | peak RSS (MB) | wall vs ours | tree+proofs vs ours |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    if ("skipped" in row) {
      lines.push(`| ${fmt(row.size)} | ${row.builder} | | | | | | | ${row.skipped} | |`);
      continue;
    }
    const ours = rows.find((r): r is RunResult => "root" in r && r.builder === "ours" && r.size === row.size);
    const ratio = ours ? `${(row.wallMs / ours.wallMs).toFixed(1)}×` : "";
    const ratioTree = ours ? `${((row.treeMs + row.proofsMs) / (ours.treeMs + ours.proofsMs)).toFixed(1)}×` : "";
    lines.push(
      `| ${fmt(row.size)} | ${row.builder} | ${row.leavesMs === null ? "(in tree)" : seconds(row.leavesMs)} | ${seconds(row.treeMs)} | ${seconds(row.proofsMs)} | ${seconds(row.wallMs)} | ${seconds(row.cpuMs)} | ${row.peakRssMb} | ${ratio} | ${ratioTree} |`,
    );
  }
  return lines.join("\n");
}

function machine(): string {
  const model = (() => {
    try {
      return execSync("lscpu", { encoding: "utf8" }).match(/^Model name:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
    } catch {
      return "unknown";
    }
  })();
  const memory = (() => {
    try {
      const kb = Number(readFileSync("/proc/meminfo", "utf8").match(/MemTotal:\s+(\d+)/)?.[1]);
      return `${Math.round(kb / 1024 / 1024)} GB RAM`;
    } catch {
      return "RAM unknown";
    }
  })();
  return `${model}, ${availableParallelism()} CPUs (nproc), ${memory}, Node ${process.version}, ${execSync("uname -sr", { encoding: "utf8" }).trim()}`;
}

function writeResults(rows: Row[], options: Options, problems: string[]): void {
  const path = fileURLToPath(new URL("./results-merkle.md", import.meta.url));
  const text = `# Merkle: season/merkle.ts vs merkletreejs vs OpenZeppelin StandardMerkleTree

Generated by \`node_modules/.bin/tsx bench/merkle.ts --write${options.sizes.join(",") === "10000,100000,1000000" ? "" : ` --sizes ${options.sizes.join(",")}`}${options.capSeconds === 300 ? "" : ` --cap ${options.capSeconds}`}\` on ${new Date().toISOString()}.

Machine: ${machine()}. Load average when the bench started: ${startLoad} (1, 5, 15 min; other work on the machine slows every row alike only roughly).

Each row is a fresh child process that starts from the same ${"`"}(index, address, amount)${"`"} recipients (seed ${options.seed})
and makes the leaves, the tree and **every** proof in memory (each proof is made, counted and dropped):

- **ours**: \`season/merkle.ts\`: \`leafHash\` per recipient (hash-wasm keccak, hand-written 96-byte
  \`abi.encode\`), \`buildTree\` (flat byte levels), \`proof(i)\` for every i.
- **merkletreejs**: leaves with viem (\`keccak256(keccak256(encodeAbiParameters(...)))\`, as SPEC 5 writes
  it), \`new MerkleTree(leaves, keccak256, { sortPairs: true })\`, \`getHexProof(leaf, i)\` for every i.
- **openzeppelin**: \`StandardMerkleTree.of(values, ["uint256","address","uint256"])\` (hashes the leaves
  itself, so "leaves" is inside "tree"), \`getProof(i)\` for every i (it re-hashes the leaf and
  re-verifies each proof before returning it).

Wall and CPU (\`process.cpuUsage\`, user + system, all threads) cover leaves + tree + proofs; peak RSS is the
child's \`maxRSS\` (it includes the recipient values, about ${(rows.find((r): r is RunResult => "rssBeforeMb" in r && r.size === Math.max(...options.sizes))?.rssBeforeMb ?? "?")} MB
at the largest size before any hashing). "wall vs ours" = its wall / ours; "tree+proofs vs ours" leaves out leaf hashing.

${table(rows)}

Checks: ${problems.length === 0 ? "ours and merkletreejs give the same root, the same number of proof elements and identical proofs for leaves 0, n/2 and n-1 at every size both ran; OpenZeppelin's leaf hash for recipient 0 equals ours. OpenZeppelin's root differs by design (it sorts the leaves by hash and uses a complete-tree layout): only its time is compared." : problems.join("; ")}
`;
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  process.stderr.write(`wrote ${path}\n`);
}

let startLoad = "";

async function main(): Promise<void> {
  startLoad = loadavg().map((x) => x.toFixed(2)).join(", ");
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") {
    const result = await runChild(argv[1] as Builder, Number(argv[2]), Number(argv[3]));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const options = parseArgs(argv);
  const rows: Row[] = [];
  const last = new Map<Builder, RunResult>();
  for (const size of [...options.sizes].sort((a, b) => a - b)) {
    for (const builder of options.only) {
      const previous = last.get(builder);
      // Both baselines grow a little faster than linearly (n log n proof work).
      const predicted = previous ? (previous.wallMs / 1000) * (size / previous.size) * (Math.log2(size) / Math.log2(previous.size)) : 0;
      if (predicted > options.capSeconds) {
        const note = `skipped: ~${Math.round(predicted)} s predicted from ${fmt(previous!.size)} > --cap ${options.capSeconds} s`;
        process.stderr.write(`${builder} at ${fmt(size)}: ${note}\n`);
        rows.push({ builder, size, skipped: note });
        continue;
      }
      process.stderr.write(`${builder} at ${fmt(size)} leaves… `);
      const result = await spawnChild(builder, size, options.seed, options.capSeconds);
      if (result === null) {
        process.stderr.write(`killed after ${options.capSeconds} s\n`);
        rows.push({ builder, size, skipped: `killed after --cap ${options.capSeconds} s` });
        continue;
      }
      process.stderr.write(`${seconds(result.wallMs)} s, peak ${result.peakRssMb} MB\n`);
      last.set(builder, result);
      rows.push(result);
    }
  }
  const problems = checkAgreement(rows);
  if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else process.stdout.write(`${table(rows)}\n`);
  if (problems.length > 0) process.stderr.write(`DISAGREEMENT:\n  ${problems.join("\n  ")}\n`);
  if (options.write) writeResults(rows, options, problems);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/merkle.ts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
