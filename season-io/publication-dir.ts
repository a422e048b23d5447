/**
 * The one reader of a publication directory `<out>/publication-<id>/`
 * (SPEC 8.2): its manifest (with the bytes' sha256, the contract's
 * `dataHash`), balances.csv, and one address's proof. `season rewards`,
 * `season publish --previous` and `season verify` read a publication
 * through it; the formats are season/publication.ts,
 * season/publication-files.ts and season/season-files.ts. Files are read as
 * season-io/season-dir.ts reads a season's (regular files only, named when
 * damaged).
 *
 * @example
 * const publication = readPublication("out/publication-2");
 * publication.dataHash; // "0x…": what SogniRewards.dataHash() holds once it is live
 * findCumulativeProof("out/publication-2", "0xabc…")?.amount;
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { normalizeAddress } from "../season/address.js";
import { InputError } from "../season/errors.js";
import { ManifestError } from "../season/manifest.js";
import { parsePublicationManifest, publicationDataHash, type Balances, type PublicationManifest, type PublicationRef } from "../season/publication.js";
import { readBalancesCsv } from "../season/publication-files.js";
import { parseCumulativeProofShard, shardOf, type CumulativeProofEntry } from "../season/season-files.js";
import { parseIsoTime } from "../season/time.js";
import type { Hex } from "../season/types.js";
import { readSeasonFile, readSeasonText, SeasonDirError } from "./season-dir.js";

/** The publication directory is missing or damaged; the message says what to do. */
export class PublicationDirError extends Error {
  override name = "PublicationDirError";
}

/** A publication's manifest, typed, with what the chain knows it by. */
export interface PublicationView {
  dir: string;
  manifest: PublicationManifest;
  /** manifest.json's bytes as written (the dataHash is their sha256). */
  manifestBytes: Buffer;
  /** 0x + sha256 of manifest.json: SogniRewards' `dataHash`. */
  dataHash: Hex;
  id: number;
  /** Unix seconds. */
  at: number;
  merkleRoot: Hex;
  total: bigint;
  /** How the next publication names this one (its `previous`). */
  ref: PublicationRef;
}

const HINT = "is it a publication directory? Write one with `season publish … --out <dir>` (it writes <dir>/publication-<id>/)";

/** Does `dir` hold a publication (balances.csv beside manifest.json), rather than a season? */
export function isPublicationDir(dir: string): boolean {
  return existsSync(join(dir, "balances.csv")) && existsSync(join(dir, "manifest.json"));
}

function reading<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SeasonDirError || error instanceof ManifestError || error instanceof InputError) throw new PublicationDirError(error.message);
    throw error;
  }
}

/**
 * manifest.json of a publication directory, checked, with its dataHash.
 *
 * @example readPublication("out/publication-1").ref // { id: 1, merkleRoot: "0x…", manifestSha256: "…" }
 */
export function readPublication(dir: string): PublicationView {
  return reading(() => {
    const path = join(dir, "manifest.json");
    const manifestBytes = readSeasonFile(path, HINT);
    const manifest = parsePublicationManifest(readSeasonText(path, HINT), path);
    const dataHash = publicationDataHash(manifestBytes);
    const merkleRoot = manifest.merkleRoot as Hex;
    return {
      dir,
      manifest,
      manifestBytes,
      dataHash,
      id: manifest.id,
      at: parseIsoTime(manifest.at),
      merkleRoot,
      total: BigInt(manifest.total),
      ref: { id: manifest.id, merkleRoot, manifestSha256: dataHash.slice(2) },
    };
  });
}

/**
 * balances.csv of a publication, checked on its own (sorted, sums) and
 * against the manifest (seasons, count, total).
 */
export function readPublicationBalances(publication: PublicationView): Balances & { seasons: number[] } {
  return reading(() => {
    const path = join(publication.dir, "balances.csv");
    const balances = readBalancesCsv(readSeasonText(path, "the publication directory is incomplete: publish it again"), path);
    const { manifest } = publication;
    const listed = manifest.seasons.map((season) => season.season);
    const total = balances.cumulative.reduce((sum, amount) => sum + amount, 0n);
    if (balances.seasons.join(",") !== listed.join(",")) throw new PublicationDirError(`${path}: its columns name seasons ${balances.seasons.join(", ")}, the manifest ${listed.join(", ")}: publish it again`);
    if (balances.addresses.length !== manifest.recipients || total !== publication.total) {
      throw new PublicationDirError(`${path}: ${balances.addresses.length} rows summing to ${total} wei, the manifest says ${manifest.recipients} recipients and ${manifest.total} wei: publish it again`);
    }
    return balances;
  });
}

/** The address's entry in the publication's proofs/<first byte>.json, or undefined; any case of address. */
export function findCumulativeProof(dir: string, address: string): CumulativeProofEntry | undefined {
  const lower = normalizeAddress(address);
  return reading(() => {
    const path = join(dir, "proofs", `${shardOf(lower)}.json`);
    return parseCumulativeProofShard(readSeasonText(path, "the publication directory is incomplete: publish it again"), path).get(lower);
  });
}
