/**
 * The publications the API can read balances from: `publication-<id>/`
 * directories (SPEC 8.2) under env PUBLICATIONS_DIR (else OUT_DIR, else
 * `out`, where `season publish --out` puts them beside the seasons), found by
 * the `dataHash` SogniRewards records: the sha256 of a publication's
 * manifest.json. Each directory goes through season-io/publication-dir.ts,
 * the one reader of a publication; manifests are re-read only when they
 * change, so a publication written while the indexer runs is found at once.
 *
 * @example
 * const found = publicationDirs().byDataHash("0x…");
 * found.publication?.id; // 2, or undefined with found.note saying why
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { findCumulativeProof, readPublication, type PublicationView } from "../../season-io/publication-dir.js";

export interface PublicationLookup {
  publication: PublicationView | undefined;
  /** Why there is none (no directory, no publication with that dataHash, a damaged one). */
  note: string | undefined;
}

export interface PublicationDirs {
  /** The directory searched, as configured. */
  dir: string;
  byDataHash(dataHash: string): PublicationLookup;
  /** The account's cumulative amount and proof in `publication` (0 and no proof when it is not listed), or why it cannot be read. */
  entry(publication: PublicationView, account: string): { cumulative: bigint; proof: string[] } | { note: string };
}

const PUBLICATION_DIR = /^publication-[1-9]\d{0,8}$/;

export function publicationDirs(given: string = process.env.PUBLICATIONS_DIR || process.env.OUT_DIR || "out"): PublicationDirs {
  const dir = resolve(given);
  const cache = new Map<string, { mtimeMs: number; size: number; view: PublicationView | undefined; error: string | undefined }>();
  const scan = (): { views: PublicationView[]; errors: string[] } | undefined => {
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => PUBLICATION_DIR.test(name));
    } catch {
      return undefined;
    }
    const views: PublicationView[] = [];
    const errors: string[] = [];
    for (const name of names) {
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(join(path, "manifest.json"));
      } catch {
        continue; // not written yet (the manifest is written last)
      }
      let cached = cache.get(path);
      if (cached === undefined || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
        try {
          cached = { mtimeMs: stat.mtimeMs, size: stat.size, view: readPublication(path), error: undefined };
        } catch (error) {
          cached = { mtimeMs: stat.mtimeMs, size: stat.size, view: undefined, error: `${name}: ${(error as Error).message}` };
        }
        cache.set(path, cached);
      }
      if (cached.view) views.push(cached.view);
      if (cached.error) errors.push(cached.error);
    }
    return { views, errors };
  };
  return {
    dir: given,
    byDataHash(dataHash) {
      const found = scan();
      if (found === undefined) {
        return { publication: undefined, note: `no publications directory at ${given}: set PUBLICATIONS_DIR to the directory holding publication-<id>/ (season publish --out)` };
      }
      const publication = found.views.find((view) => view.dataHash === dataHash.toLowerCase());
      if (publication) return { publication, note: undefined };
      const damaged = found.errors.length > 0 ? ` (unreadable: ${found.errors.slice(0, 2).join("; ")})` : "";
      return { publication: undefined, note: `no publication under ${given} has dataHash ${dataHash}${damaged}: copy its publication-<id>/ there, or set PUBLICATIONS_DIR` };
    },
    entry(publication, account) {
      try {
        const proof = findCumulativeProof(publication.dir, account);
        return proof === undefined ? { cumulative: 0n, proof: [] } : { cumulative: proof.amount, proof: proof.proof };
      } catch (error) {
        return { note: `publication-${publication.id} cannot be read: ${(error as Error).message}` };
      }
    },
  };
}
