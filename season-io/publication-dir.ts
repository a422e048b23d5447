/**
 * The one reader of a publication directory `<out>/publication-<id>/`
 * (SPEC 8.2): its manifest (with the bytes' sha256, the contract's
 * `dataHash`), balances.csv, one address's row and one address's proof.
 * `season rewards`, `season publish --previous`, `season verify` and the
 * servers read a publication through it; the formats are
 * season/publication.ts, season/publication-files.ts, season/tree-file.ts
 * and (format "1") season/season-files.ts. Files are read as
 * season-io/season-dir.ts reads a season's (regular files only, named when
 * damaged), and one address's row and proof the same way too: a binary
 * search over balances.csv's bytes, then (format "2") its proof's nodes
 * from tree.bin, checked against the root; (format "1") its
 * proofs/<xx>.json.
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
import { cumulativeLeafHash, writeCumulativeLeaf } from "../season/leaf.js";
import { ManifestError } from "../season/manifest.js";
import { parsePublicationManifest, publicationDataHash, type Balances, type PublicationManifest, type PublicationRef } from "../season/publication.js";
import { balanceAmountsText, parseBalanceLine, parseBalancesHeader, readBalancesCsv, type BalanceAmountsText, type BalanceLine, type BalancesColumns } from "../season/publication-files.js";
import { parseCumulativeProofShard, shardOf, type CumulativeProofEntry } from "../season/season-files.js";
import { TREE_FILE } from "../season/tree-file.js";
import { verifyProof } from "../season/tree.js";
import { parseIsoTime } from "../season/time.js";
import type { Hex } from "../season/types.js";
import {
  cachedDirectory,
  closeDirectories,
  closeFiles,
  findAddressLine,
  findCheckedRow,
  holdInMemory,
  lastLine,
  MAX_LINE_BYTES,
  openLookupFile,
  openTreeFile,
  pathStamp,
  readAt,
  readTreeProof,
  VerifiedRows,
  type HeldInMemory,
  type InMemoryResult,
  type LookupFile,
  type OpenDirectory,
  type OpenTree,
} from "./lookup-files.js";
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
    const balances = readBalancesCsv(readSeasonText(path, "the publication directory is incomplete: publish it again"), path, publication.manifest.formatVersion);
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

/**
 * The address's cumulative amount and proof under the publication's root,
 * or undefined when it has none; any case of address. Format "2": its
 * balances.csv row (binary search) and the proof's nodes from tree.bin,
 * checked against the manifest's root; format "1": its entry in
 * proofs/<first byte>.json. A damaged directory is a PublicationDirError
 * naming the file, never a proof that does not verify.
 *
 * @example findCumulativeProof("out/publication-2", "0xabc…")?.amount // the cumulative amount, wei
 */
export function findCumulativeProof(dir: string, address: string): CumulativeProofEntry | undefined {
  const lower = normalizeAddress(address);
  return reading(() => {
    const publication = openPublication(dir);
    if (publication.tree === undefined) {
      const path = join(dir, "proofs", `${shardOf(lower)}.json`);
      return parseCumulativeProofShard(readSeasonText(path, "the publication directory is incomplete: publish it again"), path).get(lower);
    }
    return findBalance(publication, lower)?.proof;
  });
}

/**
 * An address's balances.csv row and its proof in one lookup (what the
 * rewards answer needs of each publication): format "2" finds the row once
 * and reads the proof's nodes from tree.bin; "1" reads the row, then the
 * proof shard. Undefined when the address has nothing in this publication.
 *
 * @example findCumulative("out/publication-2", "0xabc…")?.row.seasons[7] // what season 7 has vested for it, wei
 */
export function findCumulative(dir: string, address: string): { row: BalanceRow; proof: CumulativeProofEntry } | undefined {
  const lower = normalizeAddress(address);
  return reading(() => {
    const publication = openPublication(dir);
    if (publication.tree !== undefined) return findBalance(publication, lower);
    const row = balanceRow(dir, lower);
    if (row === undefined) return undefined;
    const proof = findCumulativeProof(dir, lower);
    if (proof === undefined || proof.amount !== row.cumulative) {
      throw new PublicationDirError(`${publication.balances.path}: ${lower}'s row (cumulative ${row.cumulative}) is not what its proof shard says: publish it again`);
    }
    return { row, proof };
  });
}

/** An address's part of a publication as the page answers it: amounts as decimal wei text, and its proof. */
export interface CumulativeText extends BalanceAmountsText {
  proof: Hex[];
}

/**
 * {@link findCumulative}'s answer with the amounts as decimal wei text (what
 * the page's JSON shows): from a directory held in memory and checked whole,
 * the row's own text and the held tree's nodes, nothing parsed again;
 * otherwise findCumulative's, printed. Undefined when the address has
 * nothing in this publication.
 *
 * @example findCumulativeText("out/publication-2", "0xabc…")?.seasons[7] // what season 7 has vested for it, wei
 */
export function findCumulativeText(dir: string, address: string): CumulativeText | undefined {
  const lower = normalizeAddress(address);
  return reading(() => {
    const publication = openPublication(dir);
    const held = findCheckedRow(publication.balances, publication.tree, lower);
    if (held === null) return undefined;
    if (held !== undefined) return { ...balanceAmountsText(held.afterAddress, publication.columns), proof: readTreeProof(publication.tree!, held.row, (problem) => new PublicationDirError(problem)) };
    const found = findCumulative(dir, lower);
    if (found === undefined) return undefined;
    const seasons: Record<number, string> = {};
    for (const [season, amount] of Object.entries(found.row.seasons)) seasons[Number(season)] = amount.toString();
    return { cumulative: found.row.cumulative.toString(), seasons, proof: found.proof.proof };
  });
}

/** The row and proof of `address` (lower case) in a format "2" publication, the proof checked against the root (once per row while the directory stays open). */
function findBalance(publication: OpenPublication, address: string): { row: BalanceRow; proof: CumulativeProofEntry } | undefined {
  const tree = publication.tree!;
  const found = findBalanceLine(publication, address);
  if (found === undefined) return undefined;
  const { row, offset } = found;
  const index = row.index!;
  if (index >= publication.count) throw new PublicationDirError(`${publication.balances.path}: ${row.address} has index ${index}, past the manifest's ${publication.count} recipients: publish it again`);
  const proof = readTreeProof(tree, index, (problem) => new PublicationDirError(problem));
  if (tree.checked !== true && !publication.verified.has(index, offset)) {
    if (!verifyProof(cumulativeLeafHash(row.address, row.cumulative), proof, publication.root)) {
      throw new PublicationDirError(
        `${publication.dir}: the leaf of ${row.address}'s balances.csv row (index ${index}, cumulative ${row.cumulative}) and its proof read from ${TREE_FILE} do not lead to the manifest's merkleRoot ${publication.root}: balances.csv or ${TREE_FILE} is damaged (publish it again, or run \`sogni-season verify\` on it)`,
      );
    }
    publication.verified.add(index, offset);
  }
  return { row: { address: row.address, cumulative: row.cumulative, seasons: row.seasons }, proof: { amount: row.cumulative, proof } };
}

/** One address's balances.csv row: its cumulative amount and what it vested of each season. */
export interface BalanceRow {
  address: string;
  cumulative: bigint;
  /** Wei vested per season number, at the publication's `at`. */
  seasons: Record<number, bigint>;
}

/**
 * The balances.csv row of `address` (any case), found by binary search over
 * the file's bytes (it is sorted by lower-case address); undefined when the
 * address has nothing in this publication. Both formats.
 *
 * @example balanceRow("out/publication-2", "0xabc…") // { address, cumulative: 50n, seasons: { 7: 20n, 8: 30n } }
 */
export function balanceRow(dir: string, address: string): BalanceRow | undefined {
  const lower = normalizeAddress(address);
  return reading(() => {
    const row = findBalanceLine(openPublication(dir), lower)?.row;
    return row === undefined ? undefined : { address: row.address, cumulative: row.cumulative, seasons: row.seasons };
  });
}

/**
 * Opens the publication directory for lookups and resolves when its
 * balances.csv and tree.bin are held in memory and checked, or why they are
 * not (as season-dir.ts's holdSeasonInMemory).
 *
 * @example await holdPublicationInMemory("out/publication-2") // "held"
 */
export function holdPublicationInMemory(dir: string): Promise<InMemoryResult> {
  return reading(() => openPublication(dir)).memory?.done ?? Promise.resolve("old format");
}

/** Lets go of every publication directory held open for lookups (a server stopping, a test cleaning up). */
export function closePublicationLookups(): void {
  closeDirectories(openPublications);
}

// ---- lookups ----------------------------------------------------------------

/** A publication directory held open for lookups: its manifest's facts, balances.csv and (format "2") tree.bin. */
interface OpenPublication {
  dir: string;
  root: Hex;
  count: number;
  balances: LookupFile;
  columns: BalancesColumns;
  /** Where balances.csv's rows start (after the header line). */
  dataStart: number;
  /** Format "2" on; undefined for a directory with proofs/<xx>.json. */
  tree: OpenTree | undefined;
  /** The balances.csv rows whose proof from tree.bin was checked against the root. */
  verified: VerifiedRows;
  /** balances.csv's keys and tree.bin being read into memory (format "2"). */
  memory: HeldInMemory | undefined;
}

const openPublications = new Map<string, OpenDirectory<OpenPublication>>();

function openPublication(dir: string): OpenPublication {
  return cachedDirectory(openPublications, dir, () => {
    const manifestPath = join(dir, "manifest.json");
    const manifestStamp = pathStamp(manifestPath);
    const { manifest, merkleRoot } = readPublication(dir);
    const opened: LookupFile[] = [];
    const fail = (path: string) => (problem: string) => new PublicationDirError(`${path} ${problem}: the publication directory is incomplete: publish it again`);
    try {
      const balancesPath = join(dir, "balances.csv");
      const balances = openLookupFile(balancesPath, fail(balancesPath));
      opened.push(balances);
      const { columns, dataStart } = checkBalancesEnds(balances, manifest);
      let tree: OpenTree | undefined;
      if (manifest.formatVersion !== "1") {
        const treePath = join(dir, TREE_FILE);
        const file = openLookupFile(treePath, fail(treePath));
        opened.push(file);
        tree = openTreeFile(file, manifest.recipients, merkleRoot, (problem) => new PublicationDirError(`${problem}: the publication directory is damaged (publish it again, or run \`sogni-season verify\` on it)`));
      }
      const memory = tree === undefined ? undefined : holdInMemory({ file: balances, dataStart, count: manifest.recipients, tree, writeLeaf: (out, line) => writeBalanceLeaf(out, line, columns), damaged: (offset, problem) => balancesDamagedAt(balancesPath, offset, problem) });
      return {
        value: { dir, root: merkleRoot, count: manifest.recipients, balances, columns, dataStart, tree, verified: new VerifiedRows(tree === undefined ? 0 : manifest.recipients, balances.size), memory },
        watched: [{ path: manifestPath, stamp: manifestStamp }, ...opened.map((file) => ({ path: file.path, stamp: file.stamp }))],
        close: () => {
          memory?.release();
          closeFiles(...opened);
        },
      };
    } catch (error) {
      closeFiles(...opened);
      throw error;
    }
  });
}

/**
 * balances.csv's header and last row, checked once when it is opened: the
 * header of the manifest's format naming its seasons, and (format "2") a
 * last row whose index is the manifest's recipient count - 1, so a
 * truncated file is named at once.
 */
function checkBalancesEnds(file: LookupFile, manifest: PublicationManifest): { columns: BalancesColumns; dataStart: number } {
  const count = manifest.recipients;
  const damaged = (what: string): PublicationDirError =>
    new PublicationDirError(`${file.path}: ${what}, the manifest says ${count} recipients: the file is truncated or damaged (publish it again, or run \`sogni-season verify\` on it)`);
  const head = readAt(file, 0, MAX_LINE_BYTES).toString("latin1");
  const headerEnd = head.indexOf("\n");
  const header = headerEnd === -1 ? head : head.slice(0, headerEnd);
  const columns = parseBalancesHeader(header);
  const listed = manifest.seasons.map((season) => season.season).join(",");
  if (headerEnd === -1 || columns === undefined || columns.indexed !== (manifest.formatVersion !== "1") || columns.seasons.join(",") !== listed) {
    throw new PublicationDirError(`${file.path}: the header "${header.slice(0, 200)}" is not balances.csv's of a format "${manifest.formatVersion}" publication of seasons ${listed}: publish it again`);
  }
  const dataStart = headerEnd + 1;
  if (count === 0) {
    if (file.size !== dataStart) throw damaged("it has rows");
    return { columns, dataStart };
  }
  const end = lastLine(file, dataStart);
  if ("problem" in end) throw damaged(end.problem);
  const last = parseBalanceLine(end.text, columns);
  if (typeof last === "string") throw damaged(`its last line (byte ${end.offset}): ${last}`);
  if (columns.indexed && last.index !== count - 1) throw damaged(`its last row has index ${last.index}`);
  return { columns, dataStart };
}

/** The balances.csv row of `address` (lower case) and the byte offset of its line. */
function findBalanceLine(publication: OpenPublication, address: string): { row: BalanceLine; offset: number } | undefined {
  const { balances, columns } = publication;
  const damagedAt = (offset: number, problem: string): PublicationDirError => balancesDamagedAt(balances.path, offset, problem);
  const found = findAddressLine(balances, publication.dataStart, columns.indexed ? 1 : 0, address, damagedAt);
  if (found === undefined) return undefined;
  const row = parseBalanceLine(found.line, columns);
  if (typeof row === "string") throw damagedAt(found.offset, row);
  return { row, offset: found.offset };
}

/** The cumulative leaf (SPEC 8.2) of a balances.csv line, into `out` (for a held tree's check); or why the line is not a row. */
function writeBalanceLeaf(out: Uint8Array, line: string, columns: BalancesColumns): string | undefined {
  const row = parseBalanceLine(line, columns);
  if (typeof row === "string") return row;
  try {
    writeCumulativeLeaf(out, 0, row.address, row.cumulative);
  } catch (error) {
    return (error as Error).message; // an amount past a uint256
  }
  return undefined;
}

function balancesDamagedAt(path: string, offset: number, problem: string): PublicationDirError {
  return new PublicationDirError(`${path}, byte ${offset}: ${problem}: the publication directory is damaged (publish it again)`);
}
