/**
 * SPEC section 6: the season output directory, written from a hand-made
 * SeasonResult (three recipients, numbers below) with a merkletreejs tree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MerkleTree } from "merkletreejs";
import keccak256 from "keccak256";
import { afterEach, describe, expect, it } from "vitest";
import { LEAF_ENCODING, sha256Hex } from "../../season/manifest.js";
import { csvField } from "../../season/csv.js";
import { interruptOutputs, OutputExistsError, OutputInterruptedError, writeSeasonOutput, type SeasonOutputParams } from "../../season-io/output.js";
import { proofFromTreeFile, TREE_FILE, treeFileLayout } from "../../season/tree-file.js";
import { handMadeResult, readTree, referenceLeaf, referenceTree, scratchDir, type ReferenceTree } from "./output-support.js";
import { rmSync } from "node:fs";

const E18 = 10n ** 18n;
const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempOut(): string {
  const dir = scratchDir();
  scratch.push(dir);
  return dir;
}

function params(overrides: Partial<SeasonOutputParams> = {}): SeasonOutputParams & { tree: ReferenceTree } {
  const result = handMadeResult();
  return {
    result,
    tree: referenceTree(result.recipients),
    onchainJson: '{"snapshot":[],"locks":[],"workerPaid":[],"deposits":[]}\n',
    snapshot: [{ chainId: 31337, block: 100n, hash: `0x${"ab".repeat(32)}`, timestamp: 1792972800 }],
    inputs: { "season.json": Buffer.from('{"season":7}\n'), "users.csv": Buffer.from("user_id,username,address,referrer_id\n") },
    claim: { chainId: 31337, token: "0x5fbdb2315678afecb367f032d93f642f64180aa3" },
    generator: { name: "sogni-season-engine", version: "0.1.0" },
    ...overrides,
  } as SeasonOutputParams & { tree: ReferenceTree };
}

describe("SPEC 6: <out>/season-<n>/ holds every required file", () => {
  it("writes manifest, recipients, tree.bin, 5 leaderboards, onchain.json, rejected.csv and the inputs", async () => {
    const out = tempOut();
    const { dir } = await writeSeasonOutput(params(), { outDir: out });
    expect(dir).toBe(join(out, "season-7"));
    const files = [...readTree(dir).keys()];
    expect(files).toEqual([
      "inputs/season.json",
      "inputs/users.csv",
      "leaderboards/ambassadors.csv",
      "leaderboards/artists.csv",
      "leaderboards/fastWorkers.csv",
      "leaderboards/relaxedWorkers.csv",
      "leaderboards/stakers.csv",
      "manifest.json",
      "onchain.json",
      "recipients.csv",
      "rejected.csv",
      "tree.bin",
    ]);
    expect(readdirSync(out)).toEqual(["season-7"]); // no temporary directory left
  });

  it("recipients.csv lists index, address, amount and the five pools in wei", async () => {
    const { dir } = await writeSeasonOutput(params(), { outDir: tempOut() });
    expect(readFileSync(join(dir, "recipients.csv"), "utf8")).toBe(
      [
        "index,address,amount,artists,ambassadors,stakers,relaxedWorkers,fastWorkers",
        `0,0x0000000000000000000000000000000000000001,${600n * E18},${600n * E18},0,0,0,0`,
        `1,0x7f00000000000000000000000000000000000002,${450n * E18},${400n * E18},0,0,0,${50n * E18}`,
        `2,0xff00000000000000000000000000000000000003,${150n * E18},0,0,0,0,${150n * E18}`,
        "",
      ].join("\n"),
    );
  });

  it("tree.bin is merkletreejs's levels, leaves first, root last; every proof read from it verifies with merkletreejs", async () => {
    const p = params();
    const { dir } = await writeSeasonOutput(p, { outDir: tempOut() });
    const file = readFileSync(join(dir, TREE_FILE));
    expect(file.equals(Buffer.concat(p.tree.levels))).toBe(true); // 3 leaves, 2 nodes, the root: 6 × 32 bytes
    expect(file.length).toBe(6 * 32);
    expect(`0x${file.subarray(-32).toString("hex")}`).toBe(p.tree.root);
    const layout = treeFileLayout(3);
    for (const [index, address, amount] of [
      [0, "0x0000000000000000000000000000000000000001", 600n * E18],
      [1, "0x7f00000000000000000000000000000000000002", 450n * E18],
      [2, "0xff00000000000000000000000000000000000003", 150n * E18],
    ] as const) {
      const proof = proofFromTreeFile(layout, index, (offset) => `0x${file.subarray(offset, offset + 32).toString("hex")}`);
      expect(proof).toEqual(p.tree.proof(index));
      expect(MerkleTree.verify(proof, referenceLeaf(index, address, amount), p.tree.root, keccak256, { sortPairs: true })).toBe(true);
    }
  });

  it("leaderboards: rank,address,name,days_active,points,amount; workers append hardware and work, fast workers then nft", async () => {
    const { dir } = await writeSeasonOutput(params(), { outDir: tempOut() });
    expect(readFileSync(join(dir, "leaderboards/artists.csv"), "utf8")).toBe(
      [
        "rank,address,name,days_active,points,amount",
        `1,0x0000000000000000000000000000000000000001,ada,1,30,${600n * E18}`,
        `2,0x7f00000000000000000000000000000000000002,"bob, ""the builder""",1,20,${400n * E18}`,
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(dir, "leaderboards/fastWorkers.csv"), "utf8")).toBe(
      [
        "rank,address,name,days_active,points,amount,hardware,work,nft",
        `1,0xff00000000000000000000000000000000000003,,1,3,${150n * E18},"RTX 4090, 24GB",${9n * E18},42`,
        `2,0x7f00000000000000000000000000000000000002,"bob, ""the builder""",1,1,${50n * E18},M3,0,`,
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(dir, "leaderboards/relaxedWorkers.csv"), "utf8")).toBe("rank,address,name,days_active,points,amount,hardware,work\n");
    expect(readFileSync(join(dir, "leaderboards/stakers.csv"), "utf8")).toBe("rank,address,name,days_active,points,amount\n");
  });

  it("rejected.csv: file,row_id,reason with quoting", async () => {
    const { dir } = await writeSeasonOutput(params(), { outDir: tempOut() });
    expect(readFileSync(join(dir, "rejected.csv"), "utf8")).toBe('file,row_id,reason\njobs.csv,j5,"worker not paid in batch 3, ""WorkerPaid"" missing"\n');
  });

  it("manifest.json: the SPEC fields, wei as decimal strings, sha256 of every input, no paths or clock", async () => {
    const out = tempOut();
    const p = params();
    const { dir } = await writeSeasonOutput(p, { outDir: out });
    const text = readFileSync(join(dir, "manifest.json"), "utf8");
    const manifest = JSON.parse(text);
    expect(manifest).toEqual({
      formatVersion: "3",
      season: 7,
      stats: { users: 2, workers: 2, creations: 5 },
      chainId: 31337,
      token: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
      decimals: 18,
      window: { start: "2026-10-12T00:00:00Z", end: "2026-10-26T00:00:00Z" },
      claimDeadline: null,
      snapshot: [{ chainId: 31337, block: "100", hash: `0x${"ab".repeat(32)}`, timestamp: 1792972800 }],
      pools: {
        artists: { amount: "1000000000000000000000", top: 2, recipients: 2, allocated: "1000000000000000000000" },
        ambassadors: { amount: "600000000000000000000", top: null, recipients: 0, allocated: "0" },
        stakers: { amount: "300000000000000000000", top: null, recipients: 0, allocated: "0" },
        relaxedWorkers: { amount: "100000000000000000000", top: 2, recipients: 0, allocated: "0" },
        fastWorkers: { amount: "200000000000000000000", top: null, recipients: 2, allocated: "200000000000000000000" },
      },
      total: "1200000000000000000000",
      recipients: 3,
      merkleRoot: p.tree.root,
      leafEncoding: LEAF_ENCODING,
      skippedOutsideWindow: { "jobs.csv": 1, "spark_usage.csv": 2 },
      rejected: 1,
      inputs: {
        "season.json": sha256Hex('{"season":7}\n'),
        "users.csv": sha256Hex("user_id,username,address,referrer_id\n"),
        "onchain.json": sha256Hex(p.onchainJson),
      },
      generator: { name: "sogni-season-engine", version: "0.1.0" },
    });
    expect(text).not.toContain(out);
  });
});

describe("SPEC 6: same inputs, same bytes", () => {
  it("two runs into different directories give byte-identical trees", async () => {
    const first = readTree((await writeSeasonOutput(params(), { outDir: tempOut() })).dir);
    const second = readTree((await writeSeasonOutput(params(), { outDir: tempOut() })).dir);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, bytes] of first) expect(second.get(path)!.equals(bytes), path).toBe(true);
  });
});

describe("CSV quoting (RFC 4180)", () => {
  it.each([
    ["ada", "ada"],
    ["bob, the builder", '"bob, the builder"'],
    ['cy "the eye"', '"cy ""the eye"""'],
    ["two\nlines", '"two\nlines"'],
    [" padded", '" padded"'],
    ["", ""],
  ])("%j -> %s", (value, quoted) => {
    expect(csvField(value)).toBe(quoted);
  });
});

describe("SPEC 4/6: nothing half-written", () => {
  it("an error while writing leaves no season directory, no temporary directory, and no created --out", async () => {
    const parent = tempOut();
    const out = join(parent, "fresh-out");
    // The tree comes last, after recipients.csv and the leaderboards are written: its failure must take them away.
    const failing = (): never => {
      throw new Error("disk full (simulated)");
    };
    await expect(writeSeasonOutput({ ...params(), tree: failing }, { outDir: out })).rejects.toThrow(/disk full/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("an existing season directory is refused without --force and left untouched", async () => {
    const out = tempOut();
    mkdirSync(join(out, "season-7"));
    writeFileSync(join(out, "season-7", "note.txt"), "old");
    await expect(writeSeasonOutput(params(), { outDir: out })).rejects.toThrow(OutputExistsError);
    expect(readdirSync(join(out, "season-7"))).toEqual(["note.txt"]);
    expect(readdirSync(out)).toEqual(["season-7"]);
  });

  it("an interrupt stops the write: OutputInterruptedError, no season-7, no temporary directory, the old season-7 (--force) as it was", async () => {
    const out = tempOut();
    mkdirSync(join(out, "season-7"));
    writeFileSync(join(out, "season-7", "note.txt"), "old");
    const writing = writeSeasonOutput(params(), { outDir: out, force: true });
    const stopped = interruptOutputs("SIGTERM");
    await expect(writing).rejects.toThrow(OutputInterruptedError);
    await expect(writing).rejects.toThrow(/interrupted \(SIGTERM\)/);
    expect(await stopped).toBe(1);
    expect(readdirSync(out)).toEqual(["season-7"]);
    expect(readdirSync(join(out, "season-7"))).toEqual(["note.txt"]);
    expect(await interruptOutputs("SIGINT")).toBe(0); // nothing being written any more
  });

  it("--force swaps the new directory in and removes the old one", async () => {
    const out = tempOut();
    mkdirSync(join(out, "season-7"));
    writeFileSync(join(out, "season-7", "note.txt"), "old");
    const { dir } = await writeSeasonOutput(params(), { outDir: out, force: true });
    expect(existsSync(join(dir, "note.txt"))).toBe(false);
    expect(existsSync(join(dir, "manifest.json"))).toBe(true);
    expect(readdirSync(out)).toEqual(["season-7"]);
  });
});
