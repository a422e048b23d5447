// web/: the claim and leaderboard page (browser modules) and server.ts, its routes.
// Imports season/ and season-io/. See docs/architecture.md.
/**
 * What the page serves: the season directories (`season-<n>/`) and
 * publication directories (`publication-<id>/`) found in its sources, each
 * a season directory, a publication directory, or a directory holding them
 * (`season build --out` and `season publish --out` write beside each
 * other). Looked at again at most every `recheckMs` (a server: 250 ms; 0:
 * on every call), cheaply: a holder is listed again only when its own mtime
 * changes (a new directory renamed into it), a manifest is read again only
 * when it changes (inode, mtime, size), so a fresh build or publication
 * shows within a second, without a restart.
 *
 * A directory that cannot be read is left out and named in `problems`
 * (`sogni-season serve` refuses to start on one it was given).
 *
 * @example
 * const catalog = new Catalog(["out"], { recheckMs: 250 });
 * const { seasons, publications, problems } = catalog.current();
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseSeasonConfig } from "../../season/config.js";
import { manifestStats, type ManifestStats } from "../../season/manifest.js";
import type { VestingTranche } from "../../season/types.js";
import { isPublicationDir, readPublication, type PublicationView } from "../../season-io/publication-dir.js";
import { readSeason, readSeasonText, type SeasonView } from "../../season-io/season-dir.js";

/** A season directory served: its manifest, and the vesting its season.json sets. */
export interface SeasonEntry {
  dir: string;
  season: number;
  view: SeasonView;
  stats: ManifestStats | null;
  /** inputs/season.json's `vesting` (SPEC 8.1); null without one (everything vests at the season's end). */
  vesting: readonly VestingTranche[] | null;
}

/** A publication directory served. */
export interface PublicationEntry {
  dir: string;
  id: number;
  view: PublicationView;
}

export interface CatalogState {
  /** Ascending by season number. */
  seasons: SeasonEntry[];
  /** Ascending by id. */
  publications: PublicationEntry[];
  /** Directories left out, and why. */
  problems: CatalogProblem[];
}

/** A directory left out of the catalog: `${dir}: ${reason}` says it to a person. */
export interface CatalogProblem {
  dir: string;
  reason: string;
}

/** "<dir>: <reason>". */
export const describeProblem = (problem: CatalogProblem): string => `${problem.dir}: ${problem.reason}`;

const SEASON_DIR = /^season-[1-9]\d{0,8}$/;
const PUBLICATION_DIR = /^publication-[1-9]\d{0,8}$/;

function stampOf(stat: Stats): string {
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The vesting of the season.json a season was built from (its inputs/), or null. */
function readVesting(dir: string): readonly VestingTranche[] | null {
  const path = join(dir, "inputs", "season.json");
  if (statOrUndefined(path) === undefined) return null; // a season directory written without its inputs (test fixtures)
  return parseSeasonConfig(readSeasonText(path), path).vesting ?? null;
}

type Entry = { kind: "season"; entry: SeasonEntry } | { kind: "publication"; entry: PublicationEntry };

export class Catalog {
  /** Each source as given, resolved. */
  readonly sources: readonly string[];
  private holders = new Map<string, { stamp: string; dirs: string[] }>();
  private entries = new Map<string, { stamp: string; value: Entry | { kind: "problem"; problem: CatalogProblem } }>();
  private readonly recheckMs: number;
  /** The last scan and performance.now() when it was made. */
  private scanned: { state: CatalogState; at: number } | undefined;

  /** `recheckMs`: how long a scan is answered again before the directories are looked at anew (default 0: every call). */
  constructor(sources: readonly string[], options: { recheckMs?: number } = {}) {
    this.sources = [...new Set(sources.map((source) => resolve(source)))];
    this.recheckMs = options.recheckMs ?? 0;
  }

  /** The seasons and publications as the directories are now (or were at most `recheckMs` ago). */
  current(): CatalogState {
    const now = performance.now();
    if (this.scanned !== undefined && now - this.scanned.at < this.recheckMs) return this.scanned.state;
    const state = this.scan();
    this.scanned = { state, at: now };
    return state;
  }

  private scan(): CatalogState {
    const seasons = new Map<number, SeasonEntry>();
    const publications = new Map<number, PublicationEntry>();
    const problems: CatalogProblem[] = [];
    const seen = new Set<string>();
    for (const source of this.sources) {
      const stat = statOrUndefined(source);
      if (stat === undefined) {
        problems.push({ dir: source, reason: "not found" });
        continue;
      }
      if (!stat.isDirectory()) {
        problems.push({ dir: source, reason: "not a directory (give a season directory, a publication directory, or a directory holding them)" });
        continue;
      }
      const dirs = statOrUndefined(join(source, "manifest.json")) === undefined ? this.children(source, stat) : [source];
      for (const dir of dirs) {
        if (seen.has(dir)) continue;
        seen.add(dir);
        const found = this.entry(dir);
        if (found === undefined) continue;
        if (found.kind === "problem") {
          problems.push(found.problem);
        } else if (found.kind === "season") {
          const other = seasons.get(found.entry.season);
          if (other === undefined) seasons.set(found.entry.season, found.entry);
          else problems.push({ dir, reason: `season ${found.entry.season} again (served from ${other.dir})` });
        } else {
          const other = publications.get(found.entry.id);
          if (other === undefined) publications.set(found.entry.id, found.entry);
          else problems.push({ dir, reason: `publication ${found.entry.id} again (served from ${other.dir})` });
        }
      }
      if (dirs.length === 0) {
        const named = SEASON_DIR.test(basename(source)) || PUBLICATION_DIR.test(basename(source));
        problems.push({
          dir: source,
          reason: named
            ? "no manifest.json (a season or publication directory writes it last): build or publish it again"
            : "holds no season-<n>/ or publication-<id>/ directory (and is not one: no manifest.json)",
        });
      }
    }
    return {
      seasons: [...seasons.values()].sort((a, b) => a.season - b.season),
      publications: [...publications.values()].sort((a, b) => a.id - b.id),
      problems,
    };
  }

  /** The season-<n> and publication-<id> directories under `holder`, listed again when its mtime changes. */
  private children(holder: string, stat: Stats): string[] {
    const stamp = stampOf(stat);
    const known = this.holders.get(holder);
    if (known !== undefined && known.stamp === stamp) return known.dirs;
    let names: string[];
    try {
      names = readdirSync(holder);
    } catch {
      names = [];
    }
    const dirs = names.filter((name) => SEASON_DIR.test(name) || PUBLICATION_DIR.test(name)).map((name) => join(holder, name));
    this.holders.set(holder, { stamp, dirs });
    return dirs;
  }

  /** One directory's entry, read again only when its manifest changed; undefined while it has no manifest. */
  private entry(dir: string): Entry | { kind: "problem"; problem: CatalogProblem } | undefined {
    const manifest = statOrUndefined(join(dir, "manifest.json"));
    if (manifest === undefined) {
      this.entries.delete(dir);
      return undefined;
    }
    const stamp = stampOf(manifest);
    const known = this.entries.get(dir);
    if (known !== undefined && known.stamp === stamp) return known.value;
    let value: Entry | { kind: "problem"; problem: CatalogProblem };
    try {
      if (isPublicationDir(dir)) {
        const view = readPublication(dir);
        value = { kind: "publication", entry: { dir, id: view.id, view } };
      } else {
        const view = readSeason(dir);
        value = { kind: "season", entry: { dir, season: view.season, view, stats: manifestStats(view.manifest), vesting: readVesting(dir) } };
      }
    } catch (error) {
      value = { kind: "problem", problem: { dir, reason: (error as Error).message } };
    }
    this.entries.set(dir, { stamp, value });
    return value;
  }
}
