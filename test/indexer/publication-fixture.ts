/**
 * A small publication directory for the indexer's rewards tests:
 * `<parent>/publication-<id>/` with manifest.json, balances.csv and tree.bin
 * (SPEC 8.2, publication format "2"), written with the season core's own
 * renderers (cumulative-v1 tree, tree.bin and CSV writers), so season-io's
 * reader takes it.
 *
 * @example
 * const one = writePublicationFixture(dir, { id: 1, at: "2026-12-01T00:00:00Z", token, balances: { [alice]: 100n } });
 * one.root; one.dataHash; one.proof(alice);
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCumulativeTree, CUMULATIVE_LEAF_ENCODING } from "../../season/leaf.js";
import { publicationDataHash, PUBLICATION_FORMAT_VERSION, serializePublicationManifest, type PublicationManifest } from "../../season/publication.js";
import { balancesCsvChunks } from "../../season/publication-files.js";
import { TREE_FILE, treeFileBytes } from "../../season/tree-file.js";
import type { Hex } from "../../season/types.js";

export interface PublicationFixture {
  dir: string;
  id: number;
  root: Hex;
  dataHash: Hex;
  total: bigint;
  manifestSha256: string;
  cumulative(account: string): bigint;
  proof(account: string): Hex[];
}

export function writePublicationFixture(
  parent: string,
  options: { id: number; at: string; chainId: number; token: string; balances: Record<string, bigint>; previous?: PublicationFixture },
): PublicationFixture {
  const addresses = Object.keys(options.balances).map((a) => a.toLowerCase()).sort();
  const cumulative = addresses.map((a) => options.balances[Object.keys(options.balances).find((k) => k.toLowerCase() === a)!]!);
  const tree = buildCumulativeTree(addresses, cumulative);
  const total = cumulative.reduce((sum, amount) => sum + amount, 0n);
  const dir = join(parent, `publication-${options.id}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "balances.csv"), [...balancesCsvChunks([7], { addresses, cumulative, bySeason: [cumulative] })].join(""));
  writeFileSync(join(dir, TREE_FILE), treeFileBytes(tree));
  const previous = options.previous;
  const manifest: PublicationManifest = {
    formatVersion: PUBLICATION_FORMAT_VERSION,
    id: options.id,
    at: options.at,
    chainId: options.chainId,
    token: options.token.toLowerCase(),
    decimals: 18,
    seasons: [{ season: 7, merkleRoot: `0x${"77".repeat(32)}`, manifestSha256: "7".repeat(64), share: "1" }],
    total: total.toString(),
    recipients: addresses.length,
    merkleRoot: tree.root,
    leafEncoding: CUMULATIVE_LEAF_ENCODING,
    previous: previous === undefined ? null : { id: previous.id, merkleRoot: previous.root, manifestSha256: previous.manifestSha256 },
    generator: { name: "indexer-test", version: "0" },
  };
  const text = serializePublicationManifest(manifest);
  writeFileSync(join(dir, "manifest.json"), text);
  const dataHash = publicationDataHash(text);
  const indexOf = (account: string): number => addresses.indexOf(account.toLowerCase());
  return {
    dir,
    id: options.id,
    root: tree.root,
    dataHash,
    total,
    manifestSha256: dataHash.slice(2),
    cumulative: (account) => (indexOf(account) < 0 ? 0n : cumulative[indexOf(account)]!),
    proof: (account) => tree.proof(indexOf(account)),
  };
}
