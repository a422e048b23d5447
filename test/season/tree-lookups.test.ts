/**
 * One address's answer from a season or publication directory without
 * reading whole files (season-io/season-dir.ts, season-io/publication-dir.ts):
 * a binary search over recipients.csv / balances.csv, then the proof's nodes
 * from tree.bin. Both formats: a season of formatVersion "3" (tree.bin) or
 * "2" (proofs/<xx>.json, test/fixtures/format-v2), a publication of format
 * "2" or "1". Every proof equals merkletreejs's over viem's leaves; lookups
 * at the edges (first, last, absent before the first, after the last and
 * between rows), for 1, 2, 3, 5, 7 and a few thousand rows; a damaged
 * directory is named, never answered with a proof that does not verify.
 * The same answers once a server holds a directory in memory
 * (holdInMemory): rows compacted, tree.bin whole, every row checked while it
 * is read in; over the budget, damaged, or changed under it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import keccak256 from "keccak256";
import { MerkleTree as ReferenceTree } from "merkletreejs";
import { encodeAbiParameters, keccak256 as viemKeccak256, type Address, type Hex } from "viem";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { buildCumulativeTree, buildRecipientTree } from "../../season/leaf.js";
import { buildPublicationManifest, serializePublicationManifest, type Publication } from "../../season/publication.js";
import { balanceAmountsText, balancesCsvChunks, parseBalanceLine } from "../../season/publication-files.js";
import { parseRecipientLine, recipientAmountsText, recipientAmountText } from "../../season/season-files.js";
import { treeFileBytes } from "../../season/tree-file.js";
import { POOL_KEYS, type PoolKey, type Recipient, type SeasonResult } from "../../season/types.js";
import { writeSeasonOutput } from "../../season-io/output.js";
import { holdLookupsInMemory, lookupMemory, recheckLookupsEvery } from "../../season-io/lookup-files.js";
import { balanceRow, closePublicationLookups, findCumulative, findCumulativeProof, findCumulativeText, holdPublicationInMemory, PublicationDirError } from "../../season-io/publication-dir.js";
import { closeSeasonLookups, findProof, findRecipient, findRecipientText, holdSeasonInMemory, recipientAmount, recipientByAddress, recipientRow, SeasonDirError } from "../../season-io/season-dir.js";
import { handMadeResult } from "./output-support.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "format-v2");
const scratch = mkdtempSync(join(tmpdir(), "tree-lookups-"));
afterEach(() => {
  closeSeasonLookups();
  closePublicationLookups();
  holdLookupsInMemory(0);
  recheckLookupsEvery(0);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// ---- references: viem's leaves, merkletreejs's tree (SPEC 5, SPEC 8.2) ------------------

function seasonLeaf(index: number, address: string, amount: bigint): Buffer {
  const inner = viemKeccak256(encodeAbiParameters([{ type: "uint256" }, { type: "address" }, { type: "uint256" }], [BigInt(index), address as Address, amount]));
  return Buffer.from(viemKeccak256(inner).slice(2), "hex");
}

function cumulativeLeaf(address: string, cumulative: bigint): Buffer {
  const inner = viemKeccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [address as Address, cumulative]));
  return Buffer.from(viemKeccak256(inner).slice(2), "hex");
}

/** merkletreejs's proof of leaf i of `leaves`. */
function referenceProofs(leaves: Buffer[]): (index: number) => Hex[] {
  const tree = new ReferenceTree(leaves, keccak256, { sortPairs: true });
  return (index) => tree.getHexProof(leaves[index]!, index) as Hex[];
}

// ---- directories ----------------------------------------------------------------------

/** `count` distinct lower-case addresses, sorted, with amounts of varied length (so rows have varied length). */
function rows(count: number, seed: string): { address: string; amount: bigint }[] {
  const addresses = new Set<string>();
  for (let i = 0; addresses.size < count; i++) addresses.add(`0x${keccak256(Buffer.from(`${seed} ${i}`)).subarray(0, 20).toString("hex")}`);
  return [...addresses].sort().map((address, i) => ({ address, amount: 10n ** BigInt(i % 23) + BigInt(i) }));
}

/** A season directory of formatVersion "3" paying `paid` (sorted), written by the real output. */
async function seasonOf(name: string, paid: { address: string; amount: bigint }[]): Promise<{ dir: string; recipients: Recipient[] }> {
  const base = handMadeResult();
  const zero = Object.fromEntries(POOL_KEYS.map((pool) => [pool, 0n])) as Record<PoolKey, bigint>;
  const recipients: Recipient[] = paid.map(({ address, amount }, index) => ({ index, address: address as Address, amount, pools: { ...zero, ambassadors: amount } }));
  const result: SeasonResult = { ...base, recipients, total: recipients.reduce((sum, r) => sum + r.amount, 0n) };
  const { dir } = await writeSeasonOutput(
    {
      result,
      tree: buildRecipientTree(recipients),
      onchainJson: '{"snapshot":[],"locks":[],"workerPaid":[],"deposits":[]}\n',
      snapshot: [],
      inputs: { "season.json": Buffer.from('{"season":7}\n') },
      claim: { chainId: 31337, token: null },
      generator: { name: "sogni-season-engine", version: "0.1.0" },
    },
    { outDir: join(scratch, name) },
  );
  return { dir, recipients };
}

/** A publication directory of format "2" (balances.csv with indices, tree.bin) over seasons 7 and 8, written with the core's renderers. */
function publicationOf(name: string, paid: { address: string; amount: bigint }[]): { dir: string; bySeason: bigint[][] } {
  const addresses = paid.map((row) => row.address);
  const seven = paid.map((row, i) => (i % 3 === 2 ? 0n : row.amount));
  const eight = paid.map((row, i) => (i % 3 === 2 ? row.amount : BigInt(i)));
  const cumulative = paid.map((_, i) => seven[i]! + eight[i]!);
  const tree = buildCumulativeTree(addresses, cumulative);
  const total = cumulative.reduce((sum, amount) => sum + amount, 0n);
  const publication: Publication = {
    id: 1,
    at: 1_800_000_000,
    chainId: 31337,
    token: null,
    decimals: 18,
    seasons: [7, 8].map((season) => ({ season, merkleRoot: `0x${"77".repeat(32)}` as Hex, manifestSha256: "7".repeat(64), share: 1_000_000n, vested: 0n })),
    balances: { addresses, cumulative, bySeason: [seven, eight] },
    total,
    previous: null,
  };
  const dir = join(scratch, name, "publication-1");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "balances.csv"), [...balancesCsvChunks([7, 8], publication.balances)].join(""));
  writeFileSync(join(dir, "tree.bin"), treeFileBytes(tree));
  writeFileSync(join(dir, "manifest.json"), serializePublicationManifest(buildPublicationManifest(publication, tree.root, { name: "sogni-season-engine", version: "0.1.0" })));
  return { dir, bySeason: [seven, eight] };
}

/** Addresses that are not rows: before the first, after the last, and one between each pair of neighbours. */
function absentAround(addresses: readonly string[]): string[] {
  const absent = ["0x0000000000000000000000000000000000000000", "0xffffffffffffffffffffffffffffffffffffffff"].filter((a) => !addresses.includes(a));
  for (let i = 0; i + 1 < addresses.length; i++) {
    const next = (BigInt(addresses[i]!) + 1n).toString(16).padStart(40, "0");
    if (`0x${next}` !== addresses[i + 1]) absent.push(`0x${next}`);
  }
  return absent;
}

/** What findRecipientText answers for a row: its amounts as decimal text, its index and proof. */
function recipientText(r: { index: number; amount: bigint; pools: Record<PoolKey, bigint> }, proof: Hex[]) {
  return { index: r.index, amount: r.amount.toString(), pools: Object.fromEntries(POOL_KEYS.map((pool) => [pool, r.pools[pool].toString()])), proof };
}

/** Every text lookup of a season (findRecipientText, recipientAmount) for each recipient and each absent neighbour. */
function expectRecipientTexts(dir: string, recipients: readonly { index: number; address: string; amount: bigint; pools: Record<PoolKey, bigint> }[], proofOf: (index: number) => Hex[]): void {
  for (const r of recipients) {
    expect(findRecipientText(dir, r.address.toUpperCase().replace("0X", "0x")), r.address).toEqual(recipientText(r, proofOf(r.index)));
    expect(recipientAmount(dir, r.address)).toBe(r.amount.toString());
  }
  for (const address of absentAround(recipients.map((r) => r.address))) {
    expect(findRecipientText(dir, address), address).toBeUndefined();
    expect(recipientAmount(dir, address)).toBeUndefined();
  }
}

/** Every text lookup of a publication (findCumulativeText) for each address and each absent neighbour. */
function expectCumulativeTexts(dir: string, rows: readonly { address: string; cumulative: bigint; seasons: Record<number, bigint> }[], proofOf: (i: number) => Hex[]): void {
  rows.forEach((row, i) => {
    const seasons = Object.fromEntries(Object.entries(row.seasons).map(([season, amount]) => [season, amount.toString()]));
    expect(findCumulativeText(dir, row.address), row.address).toEqual({ cumulative: row.cumulative.toString(), seasons, proof: proofOf(i) });
  });
  for (const address of absentAround(rows.map((row) => row.address))) expect(findCumulativeText(dir, address), address).toBeUndefined();
}

describe("a checked row's amounts as text (a held row's answer) are what its parser's bigints print", () => {
  const after = (line: string) => line.slice(line.indexOf(",", line.indexOf(",") + 1));
  it("recipients.csv: any amount, leading zeros dropped as BigInt prints them", () => {
    const amounts = ["0", "7", "007", "000", "10", "115792089237316195423570985008687907853269984665640564039457584007913129639935", "0000000000000000000001"];
    for (let i = 0; i < 200; i++) {
      const pick = (k: number) => amounts[(i * 7 + k * 3) % amounts.length]!;
      const line = `${i},0x${(i + 1).toString(16).padStart(40, "0")},${[0, 1, 2, 3, 4, 5].map(pick).join(",")}`;
      const row = parseRecipientLine(line)!;
      expect(recipientAmountsText(after(line)), line).toEqual({ amount: row.amount.toString(), pools: Object.fromEntries(POOL_KEYS.map((pool) => [pool, row.pools[pool].toString()])) });
      expect(recipientAmountText(after(line))).toBe(row.amount.toString());
    }
  });
  it("balances.csv: cumulative and each season's amount", () => {
    const columns = { indexed: true, seasons: [7, 8, 12] };
    for (const [seven, eight, twelve] of [["1", "0", "0"], ["0", "0", "5"], ["123456789012345678901234567890", "9", "10"]] as const) {
      const line = `3,0x${"ab".repeat(20)},${BigInt(seven) + BigInt(eight) + BigInt(twelve)},${seven},${eight},${twelve}`;
      const row = parseBalanceLine(line, columns);
      if (typeof row === "string") throw new Error(row);
      expect(balanceAmountsText(after(line), columns)).toEqual({ cumulative: row.cumulative.toString(), seasons: { 7: row.seasons[7]!.toString(), 8: row.seasons[8]!.toString(), 12: row.seasons[12]!.toString() } });
    }
  });
});

// ---- seasons ---------------------------------------------------------------------------

describe("a formatVersion 3 season: every recipient's row and proof, merkletreejs's; absent addresses undefined", () => {
  for (const count of [1, 2, 3, 5, 7, 3_001]) {
    it(`${count} recipient${count === 1 ? "" : "s"}`, async () => {
      const { dir, recipients } = await seasonOf(`season-${count}`, rows(count, `season ${count}`));
      const reference = referenceProofs(recipients.map((r) => seasonLeaf(r.index, r.address, r.amount)));
      for (const r of recipients) {
        const row = { index: r.index, address: r.address, amount: r.amount, pools: r.pools };
        expect(findProof(dir, r.address.toUpperCase().replace("0X", "0x")), r.address).toEqual({ index: r.index, amount: r.amount, proof: reference(r.index) });
        expect(recipientByAddress(dir, r.address)).toEqual(row);
        expect(recipientRow(dir, r.index)).toEqual(row);
      }
      for (const address of absentAround(recipients.map((r) => r.address))) {
        expect(findProof(dir, address), address).toBeUndefined();
        expect(recipientByAddress(dir, address)).toBeUndefined();
      }
      for (const index of [-1, count, count + 10, 0.5]) expect(recipientRow(dir, index)).toBeUndefined();
      expectRecipientTexts(dir, recipients, reference);
    });
  }

  it("no recipients at all: an empty tree.bin, every address absent", async () => {
    const { dir } = await seasonOf("season-0", []);
    expect(readFileSync(join(dir, "tree.bin"))).toHaveLength(0);
    expect(findProof(dir, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")).toBeUndefined();
    expect(recipientRow(dir, 0)).toBeUndefined();
  });
});

describe("a formatVersion 2 season (proofs/<xx>.json) reads as before", () => {
  const dir = join(FIXTURES, "season-7");
  const lines = readFileSync(join(dir, "recipients.csv"), "utf8").trim().split("\n").slice(1).map((line) => line.split(","));

  it("every recipient of the fixture: the shard's proof is merkletreejs's, the row found by address and by index", () => {
    const reference = referenceProofs(lines.map(([index, address, amount]) => seasonLeaf(Number(index), address!, BigInt(amount!))));
    for (const [index, address, amount, artists] of lines) {
      expect(findProof(dir, address!)).toEqual({ index: Number(index), amount: BigInt(amount!), proof: reference(Number(index)) });
      expect(recipientByAddress(dir, address!)).toMatchObject({ index: Number(index), address, amount: BigInt(amount!), pools: { artists: BigInt(artists!) } });
      expect(recipientRow(dir, Number(index))?.address).toBe(address);
    }
    for (const address of absentAround(lines.map(([, address]) => address!))) expect(findProof(dir, address)).toBeUndefined();
    const recipients = lines.map(([index, address, amount, ...pools]) => ({ index: Number(index), address: address!, amount: BigInt(amount!), pools: Object.fromEntries(POOL_KEYS.map((pool, k) => [pool, BigInt(pools[k]!)])) as Record<PoolKey, bigint> }));
    expectRecipientTexts(dir, recipients, reference);
  });
});

describe("a season directory held open: re-read when it changes, damage named", () => {
  it("a rebuild renamed into place is read anew (the old descriptors let go)", async () => {
    const first = await seasonOf("replace-a", rows(40, "first"));
    const second = await seasonOf("replace-b", rows(50, "second"));
    const target = join(scratch, "replaced", "season-7");
    mkdirSync(join(scratch, "replaced"));
    cpSync(first.dir, target, { recursive: true });
    expect(findProof(target, first.recipients[3]!.address)?.index).toBe(3);
    rmSync(target, { recursive: true });
    renameSync(second.dir, target);
    expect(findProof(target, first.recipients[3]!.address)).toBeUndefined();
    expect(findProof(target, second.recipients[49]!.address)?.index).toBe(49);
  });

  it("a server's recheck interval (recheckLookupsEvery): the rebuild shows once it has passed, then the lookups are exact again", async () => {
    const first = await seasonOf("interval-a", rows(40, "first"));
    const second = await seasonOf("interval-b", rows(50, "second"));
    const target = join(scratch, "interval", "season-7");
    mkdirSync(join(scratch, "interval"));
    cpSync(first.dir, target, { recursive: true });
    recheckLookupsEvery(200);
    try {
      expect(findProof(target, first.recipients[3]!.address)?.index).toBe(3);
      rmSync(target, { recursive: true });
      renameSync(second.dir, target);
      expect(findProof(target, first.recipients[3]!.address)?.index).toBe(3); // within 200 ms: the files as opened
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(findProof(target, first.recipients[3]!.address)).toBeUndefined();
      expect(findProof(target, second.recipients[49]!.address)?.index).toBe(49);
    } finally {
      recheckLookupsEvery(0);
    }
  });

  it("a proof checked once is answered again without its keccaks, but never for another row claiming its index", async () => {
    const { dir, recipients } = await seasonOf("claimed-index", rows(30, "claimed"));
    const path = join(dir, "recipients.csv");
    const csv = readFileSync(path, "utf8");
    const row10 = csv.indexOf("\n10,0x") + 1;
    writeFileSync(path, `${csv.slice(0, row10)}11${csv.slice(row10 + 2)}`); // row 10 claims index 11, same length
    expect(findProof(dir, recipients[11]!.address)?.index).toBe(11);
    expect(findProof(dir, recipients[11]!.address)?.index).toBe(11); // checked once: the same proof again
    expect(() => findProof(dir, recipients[10]!.address)).toThrow(/do not lead to the manifest's merkleRoot/);
  });

  it("a changed node of tree.bin: the proofs through it are refused, the others still answered", async () => {
    const { dir, recipients } = await seasonOf("damaged-node", rows(700, "damaged"));
    const path = join(dir, "tree.bin");
    const bytes = readFileSync(path);
    bytes[32 * 11] = bytes[32 * 11]! ^ 1; // leaf 11: in the proof of leaf 10 only
    writeFileSync(path, bytes);
    expect(() => findProof(dir, recipients[10]!.address)).toThrow(SeasonDirError);
    expect(() => findProof(dir, recipients[10]!.address)).toThrow(/do not lead to the manifest's merkleRoot/);
    expect(findProof(dir, recipients[11]!.address)?.index).toBe(11); // its own leaf is computed from its row, its siblings are sound
    expect(findProof(dir, recipients[500]!.address)?.index).toBe(500);
  });

  it("tree.bin of another size or another root, recipients.csv cut short: refused when opened", async () => {
    const { dir, recipients } = await seasonOf("damaged-open", rows(20, "open"));
    const tree = readFileSync(join(dir, "tree.bin"));
    writeFileSync(join(dir, "tree.bin"), tree.subarray(0, tree.length - 32));
    expect(() => findProof(dir, recipients[0]!.address)).toThrow(/tree\.bin is 1280 bytes; the tree of the manifest's 20 leaves is 1312 bytes \(20 \+ 10 \+ 5 \+ 3 \+ 2 \+ 1 nodes\)/);
    const rooted = Buffer.from(tree);
    rooted[rooted.length - 1] = rooted[rooted.length - 1]! ^ 1;
    writeFileSync(join(dir, "tree.bin"), rooted);
    expect(() => findProof(dir, recipients[0]!.address)).toThrow(/its last node \(the root\) is 0x[0-9a-f]{64}, the manifest's merkleRoot/);
    writeFileSync(join(dir, "tree.bin"), tree);
    expect(findProof(dir, recipients[0]!.address)?.index).toBe(0);
    const csv = readFileSync(join(dir, "recipients.csv"), "utf8");
    writeFileSync(join(dir, "recipients.csv"), csv.slice(0, csv.lastIndexOf("\n", csv.length - 2) + 1));
    expect(() => recipientByAddress(dir, recipients[0]!.address)).toThrow(/recipients\.csv: its last row has index 18, the manifest says 20 recipients: the file is truncated or damaged/);
  });
});

// ---- publications ----------------------------------------------------------------------

describe("a format 2 publication: every address's row and proof, merkletreejs's; absent addresses undefined", () => {
  for (const count of [1, 2, 3, 5, 7, 2_001]) {
    it(`${count} address${count === 1 ? "" : "es"}`, () => {
      const paid = rows(count, `publication ${count}`);
      const { dir, bySeason } = publicationOf(`publication-${count}`, paid);
      const cumulative = paid.map((_, i) => bySeason[0]![i]! + bySeason[1]![i]!);
      const reference = referenceProofs(paid.map((row, i) => cumulativeLeaf(row.address, cumulative[i]!)));
      paid.forEach((row, i) => {
        expect(findCumulativeProof(dir, row.address), row.address).toEqual({ amount: cumulative[i], proof: reference(i) });
        expect(balanceRow(dir, row.address)).toEqual({ address: row.address, cumulative: cumulative[i], seasons: { 7: bySeason[0]![i], 8: bySeason[1]![i] } });
      });
      for (const address of absentAround(paid.map((row) => row.address))) {
        expect(findCumulativeProof(dir, address)).toBeUndefined();
        expect(balanceRow(dir, address)).toBeUndefined();
      }
      expectCumulativeTexts(dir, paid.map((row, i) => ({ address: row.address, cumulative: cumulative[i]!, seasons: { 7: bySeason[0]![i]!, 8: bySeason[1]![i]! } })), reference);
    });
  }

  it("a changed node of tree.bin, a balances.csv cut short: a PublicationDirError, never a bad proof", () => {
    const paid = rows(30, "damaged publication");
    const { dir } = publicationOf("publication-damaged", paid);
    const bytes = readFileSync(join(dir, "tree.bin"));
    bytes[32 * 7] = bytes[32 * 7]! ^ 1; // leaf 7: in the proof of leaf 6
    writeFileSync(join(dir, "tree.bin"), bytes);
    expect(() => findCumulativeProof(dir, paid[6]!.address)).toThrow(PublicationDirError);
    expect(() => findCumulativeProof(dir, paid[6]!.address)).toThrow(/balances\.csv or tree\.bin is damaged/);
    expect(balanceRow(dir, paid[6]!.address)?.address).toBe(paid[6]!.address); // the row itself is sound
    const csv = readFileSync(join(dir, "balances.csv"), "utf8");
    writeFileSync(join(dir, "balances.csv"), csv.slice(0, -5));
    expect(() => balanceRow(dir, paid[0]!.address)).toThrow(/balances\.csv: it does not end with a newline, the manifest says 30 recipients/);
  });
});

describe("a format 1 publication (proofs/<xx>.json, balances.csv without indices) reads as before", () => {
  const dir = join(FIXTURES, "publication-1");
  const lines = readFileSync(join(dir, "balances.csv"), "utf8").trim().split("\n").slice(1).map((line) => line.split(","));

  it("every address of the fixture: the shard's proof is merkletreejs's, the row found by address", () => {
    const reference = referenceProofs(lines.map(([address, cumulative]) => cumulativeLeaf(address!, BigInt(cumulative!))));
    lines.forEach(([address, cumulative, seven], i) => {
      expect(findCumulativeProof(dir, address!)).toEqual({ amount: BigInt(cumulative!), proof: reference(i) });
      expect(balanceRow(dir, address!)).toEqual({ address, cumulative: BigInt(cumulative!), seasons: { 7: BigInt(seven!) } });
    });
    for (const address of absentAround(lines.map(([address]) => address!))) {
      expect(findCumulativeProof(dir, address)).toBeUndefined();
      expect(balanceRow(dir, address)).toBeUndefined();
    }
    expectCumulativeTexts(dir, lines.map(([address, cumulative, seven]) => ({ address: address!, cumulative: BigInt(cumulative!), seasons: { 7: BigInt(seven!) } })), reference);
  });
});

// ---- held in memory (a server's lookups) -------------------------------------------------

/** Addresses sharing their first 6 bytes, and their first 12, so the held search's every comparison decides somewhere. */
function collidingRows(): { address: string; amount: bigint }[] {
  const addresses = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const tail = keccak256(Buffer.from(`collide ${i}`)).toString("hex");
    addresses.add(`0xaaaaaaaaaaaa${tail.slice(0, 28)}`); // the same first 6 bytes
    addresses.add(`0xaaaaaaaaaaaabbbbbbbbbbbb${tail.slice(0, 16)}`); // the same first 12
    addresses.add(`0x${tail.slice(20, 60)}`);
  }
  return [...addresses].sort().map((address, i) => ({ address, amount: BigInt(i + 1) * 10n ** 15n }));
}

describe("held in memory: the same answers, from memory, once read in", () => {
  for (const [name, paid] of [
    ["1 recipient", rows(1, "held 1")],
    ["3 recipients", rows(3, "held 3")],
    ["3,001 recipients", rows(3_001, "held 3001")],
    ["addresses alike in their first 6 and 12 bytes", collidingRows()],
  ] as const) {
    it(`a season of ${name}`, async () => {
      const { dir, recipients } = await seasonOf(`held-season-${paid.length}-${name.length}`, [...paid]);
      const reference = referenceProofs(recipients.map((r) => seasonLeaf(r.index, r.address, r.amount)));
      holdLookupsInMemory(64 * 1024 * 1024);
      expect(await holdSeasonInMemory(dir)).toBe("held");
      expect(lookupMemory().held).toBeGreaterThan(readFileSync(join(dir, "tree.bin")).length);
      for (const r of recipients) {
        const row = { index: r.index, address: r.address, amount: r.amount, pools: r.pools };
        expect(findRecipient(dir, r.address.toUpperCase().replace("0X", "0x")), r.address).toEqual({ row, proof: { index: r.index, amount: r.amount, proof: reference(r.index) } });
        expect(recipientByAddress(dir, r.address)).toEqual(row);
        expect(recipientRow(dir, r.index)).toEqual(row);
      }
      for (const address of absentAround(recipients.map((r) => r.address))) expect(findProof(dir, address), address).toBeUndefined();
      expectRecipientTexts(dir, recipients, reference); // from the held rows' own text
      closeSeasonLookups();
      expect(lookupMemory().held).toBe(0); // let go with the directory
    });
  }

  it("a publication: every address's row and proof in one lookup (findCumulative), merkletreejs's", async () => {
    for (const paid of [rows(1, "held publication 1"), rows(2_001, "held publication 2001"), collidingRows()]) {
      const { dir, bySeason } = publicationOf(`held-publication-${paid.length}`, paid);
      const cumulative = paid.map((_, i) => bySeason[0]![i]! + bySeason[1]![i]!);
      const reference = referenceProofs(paid.map((row, i) => cumulativeLeaf(row.address, cumulative[i]!)));
      holdLookupsInMemory(64 * 1024 * 1024);
      expect(await holdPublicationInMemory(dir)).toBe("held");
      paid.forEach((row, i) => {
        const proof = { amount: cumulative[i], proof: reference(i) };
        expect(findCumulative(dir, row.address), row.address).toEqual({ row: { address: row.address, cumulative: cumulative[i], seasons: { 7: bySeason[0]![i], 8: bySeason[1]![i] } }, proof });
        expect(findCumulativeProof(dir, row.address)).toEqual(proof);
      });
      for (const address of absentAround(paid.map((row) => row.address))) expect(findCumulative(dir, address)).toBeUndefined();
      expectCumulativeTexts(dir, paid.map((row, i) => ({ address: row.address, cumulative: cumulative[i]!, seasons: { 7: bySeason[0]![i]!, 8: bySeason[1]![i]! } })), reference);
      closePublicationLookups();
    }
  });

  it("an empty season is held too; a format 2 season or format 1 publication never is (its lookups read the files)", async () => {
    holdLookupsInMemory(64 * 1024 * 1024);
    const { dir } = await seasonOf("held-season-0", []);
    expect(await holdSeasonInMemory(dir)).toBe("held");
    expect(findProof(dir, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")).toBeUndefined();
    expect(await holdSeasonInMemory(join(FIXTURES, "season-7"))).toBe("old format");
    expect(await holdPublicationInMemory(join(FIXTURES, "publication-1"))).toBe("old format");
  });

  it("over the budget: not held, the files answer; what is held counts against the budget", async () => {
    const one = await seasonOf("budget-a", rows(500, "budget a"));
    const two = await seasonOf("budget-b", rows(500, "budget b"));
    holdLookupsInMemory(0);
    expect(await holdSeasonInMemory(one.dir)).toBe("over budget"); // 0: a CLI process holds nothing
    closeSeasonLookups();
    holdLookupsInMemory(100 * 1024);
    expect(await holdSeasonInMemory(one.dir)).toBe("held");
    const held = lookupMemory().held;
    expect(held).toBeLessThanOrEqual(100 * 1024);
    expect(held * 2).toBeGreaterThan(100 * 1024); // so the second does not fit beside it
    expect(await holdSeasonInMemory(two.dir)).toBe("over budget");
    expect(findProof(two.dir, two.recipients[499]!.address)?.index).toBe(499);
    expect(lookupMemory().held).toBe(held);
  });

  it("rows out of order or with another index: found while reading in, and every lookup then names the damage", async () => {
    holdLookupsInMemory(64 * 1024 * 1024);
    const unsorted = await seasonOf("held-unsorted", rows(40, "unsorted"));
    const path = join(unsorted.dir, "recipients.csv");
    const csv = readFileSync(path, "utf8");
    const [a, b] = [unsorted.recipients[20]!.address, unsorted.recipients[30]!.address];
    writeFileSync(path, csv.replace(a, "@").replace(b, a).replace("@", b)); // two addresses swapped: same length, out of order
    const damagedRow = csv.indexOf(`\n21,`) + 1; // row 20 now holds the later address: row 21 is the first out of order
    expect(await holdSeasonInMemory(unsorted.dir)).toBe("damaged");
    expect(lookupMemory().held).toBe(0);
    for (const r of [unsorted.recipients[0]!, unsorted.recipients[39]!]) {
      expect(() => findProof(unsorted.dir, r.address)).toThrow(SeasonDirError);
      expect(() => findProof(unsorted.dir, r.address)).toThrow(`recipients.csv, byte ${damagedRow}: ${unsorted.recipients[21]!.address} follows ${b}: the rows are not sorted by address: the season directory is damaged`);
    }
    expect(() => recipientRow(unsorted.dir, 0)).toThrow(/the rows are not sorted by address/);

    const reindexed = publicationOf("held-reindexed", rows(40, "reindexed"));
    const balances = join(reindexed.dir, "balances.csv");
    const text = readFileSync(balances, "utf8");
    const row12 = text.indexOf("\n12,0x") + 1;
    writeFileSync(balances, `${text.slice(0, row12)}13${text.slice(row12 + 2)}`);
    expect(await holdPublicationInMemory(reindexed.dir)).toBe("damaged");
    expect(() => findCumulativeProof(reindexed.dir, "0x0000000000000000000000000000000000000001")).toThrow(`balances.csv, byte ${row12}: row 13 has index "13", not 12: the publication directory is damaged`);
  });

  it("a changed leaf or node of tree.bin: found when the held tree is checked whole; every lookup then names it", async () => {
    holdLookupsInMemory(64 * 1024 * 1024);
    const { dir, recipients } = await seasonOf("held-bad-leaf", rows(700, "held bad leaf"));
    const path = join(dir, "tree.bin");
    const bytes = readFileSync(path);
    bytes[32 * 11] = bytes[32 * 11]! ^ 1; // leaf 11
    writeFileSync(path, bytes);
    expect(await holdSeasonInMemory(dir)).toBe("damaged");
    expect(lookupMemory().held).toBe(0);
    const row11 = readFileSync(join(dir, "recipients.csv"), "utf8").indexOf("\n11,0x") + 1;
    expect(() => findProof(dir, recipients[500]!.address)).toThrow(`recipients.csv, byte ${row11}: row 11's leaf is not leaf 11 of ${path} (byte 352): the row or tree.bin is damaged`);

    const paid = rows(300, "held bad node");
    const publication = publicationOf("held-bad-node", paid);
    const treePath = join(publication.dir, "tree.bin");
    const tree = readFileSync(treePath);
    tree[32 * (300 + 3)] = tree[32 * (300 + 3)]! ^ 1; // node 3 of level 1 (level 0 holds the 300 leaves)
    writeFileSync(treePath, tree);
    expect(await holdPublicationInMemory(publication.dir)).toBe("damaged");
    expect(() => findCumulative(publication.dir, paid[0]!.address)).toThrow(PublicationDirError);
    expect(() => findCumulative(publication.dir, paid[0]!.address)).toThrow(`${treePath}: node 3 of level 1 (byte ${32 * 303}) is not the hash of nodes 6 and 7 of level 0: tree.bin is damaged`);
  });

  it("a rebuild renamed into place while held: the new directory is read in, the old let go", async () => {
    const first = await seasonOf("held-replace-a", rows(40, "held first"));
    const second = await seasonOf("held-replace-b", rows(70, "held second"));
    const target = join(scratch, "held-replaced", "season-7");
    mkdirSync(join(scratch, "held-replaced"));
    cpSync(first.dir, target, { recursive: true });
    holdLookupsInMemory(64 * 1024 * 1024);
    expect(await holdSeasonInMemory(target)).toBe("held");
    const before = lookupMemory().held;
    rmSync(target, { recursive: true });
    renameSync(second.dir, target);
    expect(findProof(target, first.recipients[3]!.address)).toBeUndefined(); // re-opened: read from the files while it is read in
    expect(await holdSeasonInMemory(target)).toBe("held");
    expect(lookupMemory().held).toBeGreaterThan(before); // the new one's size alone: the old was let go
    expect(findProof(target, second.recipients[69]!.address)?.index).toBe(69);
  });

  it("closed while it is read in: let go, nothing held", async () => {
    const { dir } = await seasonOf("held-closed", rows(3_001, "closed"));
    holdLookupsInMemory(64 * 1024 * 1024);
    const holding = holdSeasonInMemory(dir);
    closeSeasonLookups();
    expect(await holding).toBe("let go");
    expect(lookupMemory().held).toBe(0);
  });
});
