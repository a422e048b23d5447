/**
 * SPEC 8.2 at the unit level: the cumulative-v1 leaf against viem, its tree
 * against merkletreejs, cumulative amounts over seasons vested at `at`
 * (exact, floored per season), every breach of 8.2 named with the season or
 * the address and both amounts, and the publication's files rendered and
 * read back.
 */
import keccak256 from "keccak256";
import { MerkleTree as ReferenceTree } from "merkletreejs";
import { encodeAbiParameters, keccak256 as viemKeccak256, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { buildCumulativeTree, cumulativeLeafHash, CUMULATIVE_LEAF_ENCODING } from "../../season/leaf.js";
import {
  buildPublicationManifest,
  computePublication,
  MAX_PUBLICATION_TOTAL,
  parsePublicationManifest,
  PublicationError,
  publicationDataHash,
  serializePublicationManifest,
  type PreviousPublication,
  type PublicationSeason,
} from "../../season/publication.js";
import { balancesCsvChunks, readBalancesCsv } from "../../season/publication-files.js";
import { parseCumulativeProofShard, renderCumulativeProofShard } from "../../season/season-files.js";
import { parseIsoTime } from "../../season/time.js";
import { verifyProof } from "../../season/tree.js";
import { SHARE_ONE } from "../../season/vesting.js";

const t = parseIsoTime;
const E18 = 10n ** 18n;
const ADA = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const BOB = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const CY = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const DEE = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
const TOKEN = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const GENERATOR = { name: "sogni-season-engine", version: "0.1.0" };

/** The leaf the way SPEC 8.2 writes it, with viem. */
function viemLeaf(account: Address, cumulative: bigint): Hex {
  return viemKeccak256(viemKeccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [account, cumulative])));
}

/** A season as publish reads it; recipients as [address, amount] in any order (sorted here, as recipients.csv is). */
function season(number: number, recipients: [string, bigint][], extra: Partial<PublicationSeason> = {}): PublicationSeason {
  const sorted = [...recipients].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    season: number,
    source: `out/season-${number}`,
    merkleRoot: `0x${number.toString(16).padStart(64, "0")}`,
    manifestSha256: number.toString(16).padStart(64, "a"),
    end: t("2026-10-26T00:00:00Z"),
    vesting: undefined,
    chainId: 31337,
    token: TOKEN,
    decimals: 18,
    recipients: { addresses: sorted.map(([address]) => address), amounts: sorted.map(([, amount]) => amount) },
    ...extra,
  };
}

const S7 = season(7, [
  [ADA, 1000n * E18 + 1n],
  [BOB, 250n * E18],
  [CY, 3n],
]);
/** Season 8 vests 40 % on 2026-11-01, the rest on 2026-12-01. */
const S8 = season(
  8,
  [
    [ADA, 500n * E18 + 3n],
    [DEE, 7n],
    [CY, 2n],
  ],
  { end: t("2026-10-30T00:00:00Z"), vesting: [{ at: t("2026-11-01T00:00:00Z"), share: 400_000n }, { at: t("2026-12-01T00:00:00Z"), share: SHARE_ONE }] },
);

function refused(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PublicationError) return [...error.breaches];
    throw error;
  }
  throw new Error("expected a PublicationError, got none");
}

/** Publication 1 of S7 and S8 at 2026-11-01, as the next publication sees it. */
function previousOf(at: string): PreviousPublication {
  const first = computePublication({ seasons: [S7, S8], at: t(at), previous: null });
  const tree = buildCumulativeTree(first.balances.addresses, first.balances.cumulative);
  const manifest = buildPublicationManifest(first, tree.root, GENERATOR);
  const ref = { id: 1, merkleRoot: tree.root, manifestSha256: publicationDataHash(serializePublicationManifest(manifest)).slice(2) };
  return { ref, manifest, balances: first.balances };
}

describe("SPEC 8.2 leaf: keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative))))", () => {
  it("equals viem's encodeAbiParameters + double keccak256 at the edges of each field", () => {
    const cases: [Address, bigint][] = [
      ["0x0000000000000000000000000000000000000000", 0n],
      [ADA, E18],
      ["0xffffffffffffffffffffffffffffffffffffffff", 2n ** 256n - 1n],
      [BOB, 2n ** 128n - 1n],
      [CY, 1n],
    ];
    for (const [account, cumulative] of cases) expect(cumulativeLeafHash(account, cumulative)).toBe(viemLeaf(account, cumulative));
  });

  it("takes an address in any case (the leaf is of the 20 bytes)", () => {
    expect(cumulativeLeafHash("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 5n)).toBe(viemLeaf(ADA, 5n));
  });

  it("the tree over leaves in address order equals merkletreejs's (sortPairs), and every proof verifies", () => {
    for (const size of [1, 2, 3, 7, 33]) {
      const addresses = Array.from({ length: size }, (_, i) => `0x${viemKeccak256(`0x${i.toString(16).padStart(4, "0")}`).slice(26)}`).sort();
      const amounts = addresses.map((_, i) => BigInt(i + 1) * E18 + 7n);
      const tree = buildCumulativeTree(addresses, amounts);
      const leaves = addresses.map((address, i) => viemLeaf(address as Address, amounts[i]!));
      const reference = new ReferenceTree(leaves.map((leaf) => Buffer.from(leaf.slice(2), "hex")), keccak256, { sortPairs: true });
      expect({ size, root: tree.root }).toEqual({ size, root: reference.getHexRoot() });
      leaves.forEach((leaf, i) => expect(verifyProof(leaf, tree.proof(i), tree.root)).toBe(true));
    }
  });
});

describe("SPEC 8.2 cumulative amounts: the sum over the seasons of each address's vested amount at `at`", () => {
  it("at season 8's first tranche (40 %): floor per season, summed; sorted by address; season 8's 2 wei for cy vests 0", () => {
    const publication = computePublication({ seasons: [S8, S7], at: t("2026-11-01T00:00:00Z"), previous: null });
    expect(publication.id).toBe(1);
    expect(publication.seasons.map((s) => [s.season, s.share])).toEqual([
      [7, SHARE_ONE],
      [8, 400_000n],
    ]);
    // ada: 1000e18 + 1 + floor(0.4 × (500e18 + 3)) = 1000e18 + 1 + 200e18 + 1; dee: floor(2.8) = 2; cy: 3 + floor(0.8) = 3.
    expect(publication.balances).toEqual({
      addresses: [DEE, BOB, ADA, CY],
      cumulative: [2n, 250n * E18, 1200n * E18 + 2n, 3n],
      bySeason: [
        [0n, 250n * E18, 1000n * E18 + 1n, 3n],
        [2n, 0n, 200n * E18 + 1n, 0n],
      ],
    });
    expect(publication.total).toBe(1450n * E18 + 7n);
    expect(publication.seasons.map((s) => s.vested)).toEqual([1250n * E18 + 4n, 200n * E18 + 3n]);
  });

  it("at the last tranche everything has vested: the sums of the seasons' amounts", () => {
    const publication = computePublication({ seasons: [S7, S8], at: t("2026-12-01T00:00:00Z"), previous: null });
    expect(publication.balances.cumulative).toEqual([7n, 250n * E18, 1500n * E18 + 4n, 5n]);
    expect(publication.total).toBe(1750n * E18 + 16n);
  });

  it("an address at 0 is left out: before season 8's first tranche only season 7 counts, and dee has nothing", () => {
    const publication = computePublication({ seasons: [S7, S8], at: t("2026-10-31T00:00:00Z"), previous: null });
    expect(publication.balances.addresses).toEqual([BOB, ADA, CY]);
    expect(publication.seasons[1]!.share).toBe(0n);
  });

  it("the next publication: id 2, `previous` its reference, cumulative amounts never below the first's", () => {
    const previous = previousOf("2026-11-01T00:00:00Z");
    const second = computePublication({ seasons: [S7, S8], at: t("2026-12-01T00:00:00Z"), previous });
    expect(second.id).toBe(2);
    expect(second.previous).toEqual(previous.ref);
    const manifest = buildPublicationManifest(second, buildCumulativeTree(second.balances.addresses, second.balances.cumulative).root, GENERATOR);
    expect(manifest.previous).toEqual({ id: 1, merkleRoot: previous.ref.merkleRoot, manifestSha256: previous.ref.manifestSha256 });
    expect(manifest.seasons.map((s) => s.share)).toEqual(["1", "1"]);
  });
});

describe("SPEC 8.2 breaches: each names the season or the address (with both amounts), and nothing is computed", () => {
  it("a season that has not ended at `at`", () => {
    expect(refused(() => computePublication({ seasons: [S7, S8], at: t("2026-10-29T00:00:00Z"), previous: null }))).toEqual([
      "season 8 has not ended at 2026-10-29T00:00:00Z: it ends at 2026-10-30T00:00:00Z",
    ]);
  });

  it("a season listed twice", () => {
    expect(refused(() => computePublication({ seasons: [S7, { ...S7, source: "elsewhere/season-7" }], at: t("2026-12-01T00:00:00Z"), previous: null }))).toEqual([
      "season 7 is listed twice (out/season-7 and elsewhere/season-7)",
    ]);
  });

  it("seasons paying another token, chain or decimals", () => {
    const other = season(9, [[ADA, 1n]], { token: "0x1111111111111111111111111111111111111111" });
    expect(refused(() => computePublication({ seasons: [S7, other], at: t("2026-12-01T00:00:00Z"), previous: null }))).toEqual([
      `season 9 pays on chain 31337, token 0x1111111111111111111111111111111111111111, 18 decimals, season 7 on chain 31337, token ${TOKEN}, 18 decimals: a publication pays one token on one chain`,
    ]);
    expect(refused(() => computePublication({ seasons: [S7, { ...season(9, [[ADA, 1n]]), chainId: 8453 }], at: t("2026-12-01T00:00:00Z"), previous: null }))[0]).toContain("season 9 pays on chain 8453");
  });

  it("a season of the previous publication not listed again, or listed with another root", () => {
    const previous = previousOf("2026-11-01T00:00:00Z");
    expect(refused(() => computePublication({ seasons: [S7], at: t("2026-12-01T00:00:00Z"), previous }))).toEqual([
      "season 8 of publication 1 is not listed: list it again (what it vested is still owed)",
    ]);
    const rebuilt = { ...S8, merkleRoot: `0x${"ee".repeat(32)}` as Hex };
    expect(refused(() => computePublication({ seasons: [S7, rebuilt], at: t("2026-12-01T00:00:00Z"), previous }))).toEqual([
      `season 8 is listed with root 0x${"ee".repeat(32)}, publication 1 has it with root ${S8.merkleRoot}: a season, once published, never changes`,
    ]);
  });

  it("`at` before the previous publication's", () => {
    const previous = previousOf("2026-11-15T00:00:00Z");
    expect(refused(() => computePublication({ seasons: [S7, S8], at: t("2026-11-14T23:59:59Z"), previous }))).toEqual([
      "at 2026-11-14T23:59:59Z is before publication 1's at 2026-11-15T00:00:00Z: publications go forward in time",
    ]);
  });

  it("an address whose cumulative amount goes down, with both amounts (and one left out entirely)", () => {
    const previous = previousOf("2026-12-01T00:00:00Z");
    // Season 8 rebuilt with the same root (a tampered copy): ada's share there lower, dee gone.
    const lowered = { ...S8, recipients: { addresses: [ADA, CY], amounts: [100n * E18, 2n] } };
    expect(refused(() => computePublication({ seasons: [S7, lowered], at: t("2026-12-01T00:00:00Z"), previous }))).toEqual([
      `${DEE}: cumulative 0 wei is below its 7 wei in publication 1`,
      `${ADA}: cumulative ${1100n * E18 + 1n} wei is below its ${1500n * E18 + 4n} wei in publication 1`,
    ]);
  });

  it("a total above 2^128 - 1 wei (SogniRewards keeps totals in 128 bits)", () => {
    const huge = season(9, [[ADA, MAX_PUBLICATION_TOTAL], [BOB, 1n]]);
    expect(refused(() => computePublication({ seasons: [huge], at: t("2026-12-01T00:00:00Z"), previous: null }))).toEqual([
      `the total ${MAX_PUBLICATION_TOTAL + 1n} wei is above 2^128 - 1, the most SogniRewards can hold as a total`,
    ]);
  });

  it("nothing vested at all (no root to propose), and no season at all", () => {
    expect(refused(() => computePublication({ seasons: [S8], at: t("2026-10-31T00:00:00Z"), previous: null }))).toEqual([
      "nothing has vested at 2026-10-31T00:00:00Z (shares season 8 0): a publication without recipients has no root to propose",
    ]);
    expect(refused(() => computePublication({ seasons: [], at: t("2026-10-31T00:00:00Z"), previous: null }))).toEqual(["no season listed: pass --seasons <season dir>…"]);
  });

  it("every breach at once, one per line in the message", () => {
    const previous = previousOf("2026-11-15T00:00:00Z");
    const error = (() => {
      try {
        computePublication({ seasons: [S8, S8], at: t("2026-10-29T00:00:00Z"), previous });
      } catch (caught) {
        return caught as PublicationError;
      }
    })()!;
    expect(error.breaches).toHaveLength(4);
    expect(error.message).toBe(
      [
        "the publication is refused (4 problems), nothing was written:",
        "  - season 8 is listed twice (out/season-8 and out/season-8)",
        "  - season 8 has not ended at 2026-10-29T00:00:00Z: it ends at 2026-10-30T00:00:00Z",
        "  - at 2026-10-29T00:00:00Z is before publication 1's at 2026-11-15T00:00:00Z: publications go forward in time",
        "  - season 7 of publication 1 is not listed: list it again (what it vested is still owed)",
      ].join("\n"),
    );
  });
});

describe("the publication's files: manifest.json, balances.csv, proofs/<xx>.json", () => {
  const publication = computePublication({ seasons: [S7, S8], at: t("2026-11-01T00:00:00Z"), previous: null });
  const tree = buildCumulativeTree(publication.balances.addresses, publication.balances.cumulative);

  it("manifest.json: the SPEC 8.2 fields in order, read back unchanged; dataHash is the sha256 of its bytes", () => {
    const manifest = buildPublicationManifest(publication, tree.root, GENERATOR);
    const text = serializePublicationManifest(manifest);
    expect(Object.keys(manifest)).toEqual(["formatVersion", "id", "at", "chainId", "token", "decimals", "seasons", "total", "recipients", "merkleRoot", "leafEncoding", "previous", "generator"]);
    expect(manifest).toMatchObject({ id: 1, at: "2026-11-01T00:00:00Z", total: (1450n * E18 + 7n).toString(), recipients: 4, leafEncoding: CUMULATIVE_LEAF_ENCODING, previous: null });
    expect(manifest.seasons[1]).toEqual({ season: 8, merkleRoot: S8.merkleRoot, manifestSha256: S8.manifestSha256, share: "0.4" });
    expect(parsePublicationManifest(text)).toEqual(manifest);
    expect(publicationDataHash(text)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(() => parsePublicationManifest(text.replace('"id": 1', '"id": 2'), "m.json")).toThrow('m.json: previous null is not set: publication 2 follows publication 1');
    expect(() => parsePublicationManifest(text.replace('"share": "0.4"', '"share": "0.4000001"'), "m.json")).toThrow('m.json: seasons[1].share "0.4000001" is not a share from 0 to 1');
  });

  it("balances.csv: index,address,cumulative,season_7,season_8, read back to the same columns", () => {
    const text = [...balancesCsvChunks([7, 8], publication.balances)].join("");
    expect(text.split("\n").slice(0, 2)).toEqual(["index,address,cumulative,season_7,season_8", `0,${DEE},2,0,2`]);
    expect(readBalancesCsv(text, "balances.csv")).toEqual({ seasons: [7, 8], ...publication.balances });
    expect(() => readBalancesCsv(text.replace(`${DEE},2,0,2`, `${DEE},3,0,2`), "balances.csv")).toThrow(`balances.csv, line 2: ${DEE}: cumulative 3 is not the sum of its seasons (2): publish it again`);
    expect(() => readBalancesCsv(text.replace("season_7,season_8", "season_8,season_7"), "balances.csv")).toThrow("seasons ascending");
  });

  it("a proof shard: the season shard's shape without index, read back; every proof verifies", () => {
    const { addresses, cumulative } = publication.balances;
    const text = renderCumulativeProofShard(addresses, cumulative, 2, 3, tree); // ada, in shard 70
    expect(text).toBe(`{\n  "${ADA}": {"amount": "${cumulative[2]}", "proof": [${tree.proof(2).map((hash) => `"${hash}"`).join(", ")}]}\n}\n`);
    const entry = parseCumulativeProofShard(text, "proofs/70.json").get(ADA)!;
    expect(entry.amount).toBe(1200n * E18 + 2n);
    expect(verifyProof(cumulativeLeafHash(ADA, entry.amount), entry.proof, tree.root)).toBe(true);
    expect(renderCumulativeProofShard(addresses, cumulative, 0, 0, tree)).toBe("{}\n");
    expect(() => parseCumulativeProofShard(text.replace('{"amount"', '{"index": 2, "amount"'), "proofs/70.json")).toThrow('unexpected key "index"');
  });
});
