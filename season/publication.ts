/**
 * A publication (SPEC 8.2): the cumulative amounts of every address over the
 * listed seasons, vested at a time `at`, checked against the previous
 * publication, and the manifest that chains every hash (the contract's
 * `dataHash` is the sha256 of its bytes). Pure: the seasons come in as plain
 * data (season-io/publication.ts reads them), the tree is season/leaf.ts's
 * cumulative-v1 tree, and the files are season/publication-files.ts's.
 *
 * @example
 * const publication = computePublication({ seasons, at: parseIsoTime("2027-03-01T00:00:00Z"), previous: null });
 * const tree = buildCumulativeTree(publication.balances.addresses, publication.balances.cumulative);
 * const text = serializePublicationManifest(buildPublicationManifest(publication, tree.root, generator));
 */
import { createHash } from "node:crypto";
import type { Address } from "./address.js";
import { CUMULATIVE_LEAF_ENCODING } from "./leaf.js";
import { ManifestError } from "./manifest.js";
import type { RecipientAmounts } from "./season-files.js";
import { isoSeconds, parseIsoTime } from "./time.js";
import type { Hex, VestingTranche } from "./types.js";
import { formatShare, vestedAmount, vestedShare } from "./vesting.js";

/**
 * Bump with any change to a file format of the publication directory
 * (README, "Format versions"). 2: tree.bin (season/tree-file.ts) instead of
 * proofs/<xx>.json, and balances.csv rows start with their index.
 */
export const PUBLICATION_FORMAT_VERSION = "2";

/** The publication formats this tool reads: "1" (proofs/<xx>.json) and the current one. */
export const READABLE_PUBLICATION_FORMAT_VERSIONS = ["1", PUBLICATION_FORMAT_VERSION] as const;

/** SogniRewards keeps `total` in 128 bits (`TotalTooLarge` above). */
export const MAX_PUBLICATION_TOTAL = 2n ** 128n - 1n;

/** One season as a publication reads it: its manifest's facts, its vesting, its recipients. */
export interface PublicationSeason {
  season: number;
  /** Where it was read from, for messages (a season directory). */
  source: string;
  merkleRoot: Hex;
  /** sha256 of its manifest.json bytes, 64 lower-case hex digits. */
  manifestSha256: string;
  /** Unix seconds: the season's `end` (its window's end). */
  end: number;
  /** season.json's `vesting`; undefined: everything vests at `end`. */
  vesting: readonly VestingTranche[] | undefined;
  chainId: number | null;
  token: Address | null;
  decimals: number;
  recipients: RecipientAmounts;
}

/** How a publication names another: what its manifest's `previous` holds. */
export interface PublicationRef {
  id: number;
  merkleRoot: Hex;
  /** sha256 of its manifest.json bytes (64 hex digits): the contract's dataHash without 0x. */
  manifestSha256: string;
}

/** The previous publication: its reference, and (when its directory was read) its manifest and balances for the SPEC 8.2 checks. */
export interface PreviousPublication {
  ref: PublicationRef;
  manifest?: PublicationManifest;
  balances?: { addresses: readonly string[]; cumulative: readonly bigint[] };
}

/** Every address's cumulative amount, as columns sorted by lower-case address. */
export interface Balances {
  addresses: string[];
  cumulative: bigint[];
  /** bySeason[k][i]: what addresses[i] has vested of seasons[k] (in the publication's order) at `at`. */
  bySeason: bigint[][];
}

/** A computed publication, before its tree. */
export interface Publication {
  id: number;
  /** Unix seconds. */
  at: number;
  chainId: number | null;
  token: Address | null;
  decimals: number;
  /** Ascending by season number. */
  seasons: { season: number; merkleRoot: Hex; manifestSha256: string; share: bigint; vested: bigint }[];
  balances: Balances;
  total: bigint;
  previous: PublicationRef | null;
}

export interface PublicationInputs {
  seasons: readonly PublicationSeason[];
  /** Unix seconds. */
  at: number;
  previous: PreviousPublication | null;
}

/**
 * A publication SPEC 8.2 refuses: every breach found, each naming the
 * season or the address (with both amounts). Nothing is written.
 */
export class PublicationError extends Error {
  override name = "PublicationError";
  constructor(readonly breaches: readonly string[]) {
    const shown = breaches.slice(0, 20);
    const more = breaches.length - shown.length;
    super(
      breaches.length === 1
        ? `the publication is refused: ${breaches[0]}; nothing was written`
        : `the publication is refused (${breaches.length} problems), nothing was written:\n${shown.map((breach) => `  - ${breach}`).join("\n")}${more > 0 ? `\n  - and ${more} more` : ""}`,
    );
  }
}

/** Where a season or publication pays, for messages: "chain 31337, token 0x…, 18 decimals". */
function paysOn(place: { chainId: number | null; token: string | null; decimals: number }): string {
  return `chain ${place.chainId ?? "unknown"}, token ${place.token ?? "unknown"}, ${place.decimals} decimals`;
}

/**
 * Vests each season at `at`, sums per address, and checks SPEC 8.2: every
 * season has ended at `at`, none is listed twice, all pay the same token on
 * the same chain, every season of the previous publication is listed again
 * with the same root, `at` is not before the previous `at`, and no address's
 * cumulative amount is below its previous one. Throws a {@link PublicationError}
 * with every breach.
 */
export function computePublication(inputs: PublicationInputs): Publication {
  const { at, previous } = inputs;
  const breaches: string[] = [];
  const seasons = [...inputs.seasons].sort((a, b) => a.season - b.season);
  if (seasons.length === 0) throw new PublicationError(["no season listed: pass --seasons <season dir>…"]);

  for (let k = 1; k < seasons.length; k++) {
    if (seasons[k]!.season === seasons[k - 1]!.season) breaches.push(`season ${seasons[k]!.season} is listed twice (${seasons[k - 1]!.source} and ${seasons[k]!.source})`);
  }
  const first = seasons[0]!;
  for (const season of seasons.slice(1)) {
    if (season.chainId !== first.chainId || season.token !== first.token || season.decimals !== first.decimals) {
      breaches.push(`season ${season.season} pays on ${paysOn(season)}, season ${first.season} on ${paysOn(first)}: a publication pays one token on one chain`);
    }
  }
  for (const season of seasons.filter((season, k) => k === 0 || season.season !== seasons[k - 1]!.season)) {
    if (at < season.end) breaches.push(`season ${season.season} has not ended at ${isoSeconds(at)}: it ends at ${isoSeconds(season.end)}`);
  }

  const prior = previous?.manifest;
  if (previous !== null && prior !== undefined) {
    const name = `publication ${previous.ref.id}`;
    const priorAt = parseIsoTime(prior.at);
    if (at < priorAt) breaches.push(`at ${isoSeconds(at)} is before ${name}'s at ${prior.at}: publications go forward in time`);
    if (prior.chainId !== first.chainId || prior.token !== first.token || prior.decimals !== first.decimals) {
      breaches.push(`${name} pays on ${paysOn(prior)}, these seasons on ${paysOn(first)}: one contract pays one token on one chain`);
    }
    for (const old of prior.seasons) {
      const listed = seasons.find((season) => season.season === old.season);
      if (listed === undefined) breaches.push(`season ${old.season} of ${name} is not listed: list it again (what it vested is still owed)`);
      else if (listed.merkleRoot !== old.merkleRoot) {
        breaches.push(`season ${old.season} is listed with root ${listed.merkleRoot}, ${name} has it with root ${old.merkleRoot}: a season, once published, never changes`);
      }
    }
  }
  if (breaches.length > 0) throw new PublicationError(breaches);

  const shares = seasons.map((season) => vestedShare(season.vesting, season.end, at));
  const balances = mergeSeasons(seasons, shares);
  const total = balances.cumulative.reduce((sum, amount) => sum + amount, 0n);
  if (previous?.balances !== undefined) breaches.push(...decreases(balances, previous.balances, previous.ref.id));
  if (total > MAX_PUBLICATION_TOTAL) breaches.push(`the total ${total} wei is above 2^128 - 1, the most SogniRewards can hold as a total`);
  if (balances.addresses.length === 0) {
    breaches.push(`nothing has vested at ${isoSeconds(at)} (shares ${seasons.map((season, k) => `season ${season.season} ${formatShare(shares[k]!)}`).join(", ")}): a publication without recipients has no root to propose`);
  }
  if (breaches.length > 0) throw new PublicationError(breaches);

  return {
    id: previous === null ? 1 : previous.ref.id + 1,
    at,
    chainId: first.chainId,
    token: first.token,
    decimals: first.decimals,
    seasons: seasons.map((season, k) => ({
      season: season.season,
      merkleRoot: season.merkleRoot,
      manifestSha256: season.manifestSha256,
      share: shares[k]!,
      vested: balances.bySeason[k]!.reduce((sum, amount) => sum + amount, 0n),
    })),
    balances,
    total,
    previous: previous?.ref ?? null,
  };
}

/**
 * Merges the seasons' recipient lists (each sorted by address) into one
 * sorted list of vested amounts per season and their sum; addresses whose
 * sum is 0 are left out (SPEC 8.2).
 */
function mergeSeasons(seasons: readonly PublicationSeason[], shares: readonly bigint[]): Balances {
  const lists = seasons.map((season) => season.recipients);
  const heads = lists.map(() => 0);
  const addresses: string[] = [];
  const cumulative: bigint[] = [];
  const bySeason: bigint[][] = lists.map(() => []);
  const vested: bigint[] = lists.map(() => 0n);
  for (;;) {
    let next: string | undefined;
    for (let k = 0; k < lists.length; k++) {
      const address = lists[k]!.addresses[heads[k]!];
      if (address !== undefined && (next === undefined || address < next)) next = address;
    }
    if (next === undefined) break;
    let sum = 0n;
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k]!;
      const head = heads[k]!;
      if (list.addresses[head] === next) {
        vested[k] = vestedAmount(list.amounts[head]!, shares[k]!);
        heads[k] = head + 1;
      } else vested[k] = 0n;
      sum += vested[k]!;
    }
    if (sum === 0n) continue;
    addresses.push(next);
    cumulative.push(sum);
    for (let k = 0; k < lists.length; k++) bySeason[k]!.push(vested[k]!);
  }
  return { addresses, cumulative, bySeason };
}

/** Every address whose cumulative amount is below the previous publication's (walked in address order: both lists are sorted). */
function decreases(now: Balances, before: NonNullable<PreviousPublication["balances"]>, previousId: number): string[] {
  const found: string[] = [];
  let j = 0;
  for (let i = 0; i < before.addresses.length; i++) {
    const address = before.addresses[i]!;
    while (j < now.addresses.length && now.addresses[j]! < address) j++;
    const amount = j < now.addresses.length && now.addresses[j] === address ? now.cumulative[j]! : 0n;
    if (amount < before.cumulative[i]!) found.push(`${address}: cumulative ${amount} wei is below its ${before.cumulative[i]} wei in publication ${previousId}`);
  }
  return found;
}

// ---- manifest.json ---------------------------------------------------------

/** A publication's manifest.json (SPEC 8.2), as written. */
export interface PublicationManifest {
  formatVersion: string;
  id: number;
  at: string;
  chainId: number | null;
  token: string | null;
  decimals: number;
  seasons: { season: number; merkleRoot: string; manifestSha256: string; share: string }[];
  total: string;
  recipients: number;
  merkleRoot: string;
  leafEncoding: string;
  previous: { id: number; merkleRoot: string; manifestSha256: string } | null;
  generator: { name: string; version: string };
}

/** The manifest as plain JSON data (bigints as decimal strings, `at` as ISO-8601 UTC). */
export function buildPublicationManifest(publication: Publication, merkleRoot: Hex, generator: { name: string; version: string }): PublicationManifest {
  return {
    formatVersion: PUBLICATION_FORMAT_VERSION,
    id: publication.id,
    at: isoSeconds(publication.at),
    chainId: publication.chainId,
    token: publication.token,
    decimals: publication.decimals,
    seasons: publication.seasons.map((season) => ({ season: season.season, merkleRoot: season.merkleRoot, manifestSha256: season.manifestSha256, share: formatShare(season.share) })),
    total: publication.total.toString(),
    recipients: publication.balances.addresses.length,
    merkleRoot,
    leafEncoding: CUMULATIVE_LEAF_ENCODING,
    previous: publication.previous === null ? null : { id: publication.previous.id, merkleRoot: publication.previous.merkleRoot, manifestSha256: publication.previous.manifestSha256 },
    generator,
  };
}

/** manifest.json bytes: two-space indented JSON and a final newline. */
export function serializePublicationManifest(manifest: PublicationManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * What SogniRewards records for a publication: the sha256 of its
 * manifest.json bytes, as a bytes32.
 *
 * @example publicationDataHash(readFileSync("out/publication-1/manifest.json")) // "0x…"
 */
export function publicationDataHash(manifestBytes: Uint8Array | string): Hex {
  return `0x${createHash("sha256").update(manifestBytes).digest("hex")}`;
}

const HASH = /^0x[0-9a-f]{64}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const WEI = /^(0|[1-9]\d{0,77})$/;

/**
 * Reads a publication's manifest.json back, checking every field the
 * commands compute with; a damaged one is a ManifestError naming the field.
 *
 * @example parsePublicationManifest(readFileSync("out/publication-1/manifest.json", "utf8")).merkleRoot
 */
export function parsePublicationManifest(text: string, file = "manifest.json"): PublicationManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file} is not valid JSON (${(error as Error).message}): publish it again with \`season publish\``);
  }
  const bad = (key: string, value: unknown, what: string): never => {
    throw new ManifestError(`${file}: ${key} ${JSON.stringify(value) ?? "(missing)"} is not ${what}`);
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return bad("(top)", raw, "a JSON object");
  const m = raw as PublicationManifest;
  if (!(READABLE_PUBLICATION_FORMAT_VERSIONS as readonly unknown[]).includes(m.formatVersion)) {
    bad("formatVersion", m.formatVersion, `${READABLE_PUBLICATION_FORMAT_VERSIONS.map((version) => `"${version}"`).join(" or ")} (the publication formats this tool reads)`);
  }
  const whole = (key: string, value: unknown, min = 0): void => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) bad(key, value, min === 0 ? "a whole number" : `a whole number >= ${min}`);
  };
  whole("id", m.id, 1);
  if (typeof m.at !== "string") bad("at", m.at, "an ISO-8601 UTC time");
  try {
    parseIsoTime(m.at);
  } catch {
    bad("at", m.at, "an ISO-8601 UTC time");
  }
  if (m.chainId !== null) whole("chainId", m.chainId);
  if (m.token !== null && (typeof m.token !== "string" || !/^0x[0-9a-f]{40}$/.test(m.token))) bad("token", m.token, "a lower-case address or null");
  whole("decimals", m.decimals);
  if (!Array.isArray(m.seasons) || m.seasons.length === 0) bad("seasons", m.seasons, "a non-empty list");
  m.seasons.forEach((season, i) => {
    if (typeof season !== "object" || season === null) bad(`seasons[${i}]`, season, "{ season, merkleRoot, manifestSha256, share }");
    whole(`seasons[${i}].season`, season.season, 1);
    if (typeof season.merkleRoot !== "string" || !HASH.test(season.merkleRoot)) bad(`seasons[${i}].merkleRoot`, season.merkleRoot, "32 bytes of lower-case hex");
    if (typeof season.manifestSha256 !== "string" || !SHA256.test(season.manifestSha256)) bad(`seasons[${i}].manifestSha256`, season.manifestSha256, "a sha256 (64 hex digits)");
    if (typeof season.share !== "string" || !/^(0|1|0\.\d{1,6})$/.test(season.share)) bad(`seasons[${i}].share`, season.share, "a share from 0 to 1");
  });
  if (typeof m.total !== "string" || !WEI.test(m.total)) bad("total", m.total, "a wei amount");
  whole("recipients", m.recipients);
  if (typeof m.merkleRoot !== "string" || !HASH.test(m.merkleRoot)) bad("merkleRoot", m.merkleRoot, "32 bytes of lower-case hex");
  if (m.leafEncoding !== CUMULATIVE_LEAF_ENCODING) bad("leafEncoding", m.leafEncoding, `"${CUMULATIVE_LEAF_ENCODING}"`);
  if (m.previous !== null) {
    if (typeof m.previous !== "object") bad("previous", m.previous, "{ id, merkleRoot, manifestSha256 } or null");
    whole("previous.id", m.previous.id, 1);
    if (m.previous.id !== m.id - 1) bad("previous.id", m.previous.id, `the id before ${m.id}`);
    if (typeof m.previous.merkleRoot !== "string" || !HASH.test(m.previous.merkleRoot)) bad("previous.merkleRoot", m.previous.merkleRoot, "32 bytes of lower-case hex");
    if (typeof m.previous.manifestSha256 !== "string" || !SHA256.test(m.previous.manifestSha256)) bad("previous.manifestSha256", m.previous.manifestSha256, "a sha256 (64 hex digits)");
  } else if (m.id !== 1) bad("previous", m.previous, `set: publication ${m.id} follows publication ${m.id - 1}`);
  return m;
}
