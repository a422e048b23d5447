/**
 * The comparisons `season verify` makes, as pure functions over file
 * contents: which files differ, whether recipients.csv adds up to the
 * manifest, whether every recipient's proof leads to the root (tree.bin,
 * formatVersion "3"; every proof in every shard, formatVersion "2"). The
 * command does the I/O and prints the {@link Check}s.
 *
 * @example
 * const { checks, recipients } = checkRecipientsCsv(readFileSync("out/season-7/recipients.csv", "utf8"), manifest);
 */
import { InputError } from "./errors.js";
import { writeCumulativeLeaf, writeLeaf } from "./leaf.js";
import type { ManifestJson } from "./manifest.js";
import { parseCumulativeProofShard, parseProofShard, RECIPIENTS_HEADER, type CumulativeProofEntry, type ProofEntry } from "./season-files.js";
import { checkTreeFile, nodeAt, TREE_FILE, treeFileLayout } from "./tree-file.js";
import { POOL_KEYS, type Hex, type PoolKey } from "./types.js";

/** One line of the pass/fail table. */
export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

/** Files that may be in a season directory without being built (deploy's record). */
export const NOT_BUILT: ReadonlySet<string> = new Set(["deployment.json"]);

/**
 * Compares two sets of relative paths: what the rebuild wrote vs what the
 * season directory holds (ignoring {@link NOT_BUILT}).
 *
 * @example diffFileSets(["a", "b"], ["b", "c"]) // { missing: ["a"], extra: ["c"], common: ["b"] }
 */
export function diffFileSets(expected: readonly string[], actual: readonly string[]): { missing: string[]; extra: string[]; common: string[] } {
  const have = new Set(actual.filter((path) => !NOT_BUILT.has(path)));
  const want = new Set(expected);
  return {
    missing: [...want].filter((path) => !have.has(path)).sort(),
    extra: [...have].filter((path) => !want.has(path)).sort(),
    common: [...want].filter((path) => have.has(path)).sort(),
  };
}

/**
 * Where two byte strings first differ, as a 1-based line and column of `a`;
 * undefined when they are equal.
 *
 * @example firstDifference(bytes("a\nbc"), bytes("a\nbd")) // { offset: 3, line: 2, column: 2 }
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): { offset: number; line: number; column: number } | undefined {
  const length = a.length < b.length ? a.length : b.length;
  let offset = 0;
  while (offset < length && a[offset] === b[offset]) offset++;
  if (offset === length && a.length === b.length) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (a[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/**
 * Where two versions of a file first differ, for a verify report: a text
 * file's line and column, tree.bin's byte, level and node (its layout for
 * `leafCount` leaves); undefined when they are equal.
 *
 * @example describeDifference("tree.bin", fileBytes, rebuiltBytes, 9) // "byte 320, level 1 node 1"
 */
export function describeDifference(path: string, actual: Uint8Array, expected: Uint8Array, leafCount: number): string | undefined {
  const difference = firstDifference(actual, expected);
  if (difference === undefined) return undefined;
  if (path.split("/").pop() !== TREE_FILE) return `line ${difference.line}, column ${difference.column}`;
  const node = nodeAt(treeFileLayout(leafCount), difference.offset);
  return `byte ${difference.offset}${node === undefined ? ", past the end of the tree" : `, level ${node.level} node ${node.node}`}`;
}

/** recipients.csv as columns (index = position). */
export interface RecipientColumns {
  addresses: string[];
  amounts: bigint[];
  /** address -> index. */
  byAddress: Map<string, number>;
}

const HEADER = RECIPIENTS_HEADER.join(",");

/**
 * Checks recipients.csv on its own and against the manifest: indices 0..n-1
 * in order, addresses strictly ascending (lower case), every amount the sum of
 * its pool columns, every pool column summing to the pool's `allocated`,
 * each allocated pool equal to its amount (or nothing allocated), the total
 * and the count as in the manifest.
 */
export function checkRecipientsCsv(text: string, manifest: ManifestJson): { checks: Check[]; recipients: RecipientColumns } {
  const problems: string[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines[0] !== HEADER) problems.push(`header is "${lines[0]}", expected "${HEADER}"`);
  const addresses: string[] = [];
  const amounts: bigint[] = [];
  const byAddress = new Map<string, number>();
  const poolSums = new Map<PoolKey, bigint>(POOL_KEYS.map((key) => [key, 0n]));
  let total = 0n;
  /** The last well-formed row's address. */
  let previous: string | undefined;
  const note = (message: string): void => {
    if (problems.length < 5) problems.push(message);
    else if (problems.length === 5) problems.push("…");
  };
  for (let row = 1; row < lines.length; row++) {
    const fields = lines[row]!.split(",");
    const index = row - 1;
    if (fields.length !== 3 + POOL_KEYS.length || !fields.every((field, column) => column === 1 || /^\d{1,80}$/.test(field))) {
      note(`line ${row + 1}: not "index,address,amount,<5 pool amounts>" with decimal numbers`);
      // Keep its place, so row i stays recipient i for the proofs; its address proves nothing.
      addresses.push("");
      amounts.push(0n);
      continue;
    }
    const [indexText, address, amountText] = fields as [string, string, string];
    if (!/^0x[0-9a-f]{40}$/.test(address) || BigInt(amountText) >= 2n ** 256n) {
      note(`line ${row + 1}: ${/^0x[0-9a-f]{40}$/.test(address) ? `amount ${amountText} does not fit a uint256` : `address ${JSON.stringify(address)} is not lower-case hex`}`);
      addresses.push("");
      amounts.push(0n);
      continue;
    }
    if (Number(indexText) !== index) note(`line ${row + 1}: index ${indexText}, expected ${index}`);
    if (previous !== undefined && !(previous < address)) note(`line ${row + 1}: ${address} is not after ${previous} (sorted, unique)`);
    previous = address;
    const amount = BigInt(amountText);
    let sum = 0n;
    POOL_KEYS.forEach((key, k) => {
      const value = BigInt(fields[3 + k]!);
      sum += value;
      poolSums.set(key, poolSums.get(key)! + value);
    });
    if (sum !== amount) note(`line ${row + 1}: amount ${amount} is not the sum of its pools (${sum})`);
    if (amount === 0n) note(`line ${row + 1}: ${address} has amount 0 (a leaf must pay something)`);
    total += amount;
    addresses.push(address);
    amounts.push(amount);
    byAddress.set(address, index);
  }
  const checks: Check[] = [
    {
      check: "recipients.csv rows",
      ok: problems.length === 0 && addresses.length === manifest.recipients,
      detail: problems.length
        ? problems.join("; ")
        : addresses.length === manifest.recipients
          ? `${addresses.length} rows, indices in order, addresses sorted, amounts = sum of pools`
          : `${addresses.length} rows but the manifest says ${manifest.recipients} recipients`,
    },
  ];
  for (const key of POOL_KEYS) {
    const pool = manifest.pools[key];
    const sum = poolSums.get(key)!;
    const allocated = BigInt(pool.allocated);
    const exact = allocated === BigInt(pool.amount) || (allocated === 0n && pool.recipients === 0);
    checks.push({
      check: `pool ${key} sums exactly`,
      ok: sum === allocated && exact,
      detail:
        sum !== allocated
          ? `recipients.csv pays ${sum} wei, manifest says allocated ${allocated}`
          : exact
            ? `${sum} wei = ${allocated === 0n ? "nothing (no eligible entry)" : "the pool amount"}`
            : `allocated ${allocated} wei differs from the pool amount ${pool.amount}`,
    });
  }
  checks.push({
    check: "total",
    ok: total === BigInt(manifest.total),
    detail: total === BigInt(manifest.total) ? `${total} wei` : `recipients.csv sums to ${total} wei, manifest total ${manifest.total}`,
  });
  return { checks, recipients: { addresses, amounts, byAddress } };
}

/** Does `proof` prove the leaf (index, account, amount) under `root`? (season/tree.ts and season/leaf.ts does the hashing.) */
export type ProofVerifier = (index: number, account: string, amount: bigint, proof: readonly Hex[], root: Hex) => boolean;

/**
 * Checks one proof shard: every key is a recipient whose first address byte
 * names the shard, with the index and amount of recipients.csv, and a proof
 * that verifies under the root. Marks the indices seen in `seen`.
 * Returns the problems found (empty when the shard is sound).
 */
export function checkProofShard(
  shard: string,
  text: string,
  recipients: RecipientColumns,
  root: Hex,
  verify: ProofVerifier,
  seen: Uint8Array,
): string[] {
  const problems: string[] = [];
  let entries: Map<string, ProofEntry>;
  try {
    entries = parseProofShard(text, `proofs/${shard}.json`);
  } catch (error) {
    if (error instanceof InputError) return [error.message];
    throw error;
  }
  const keys = [...entries.keys()];
  for (let k = 0; k < keys.length; k++) {
    const address = keys[k]!;
    const entry = entries.get(address)!;
    const where = `proofs/${shard}.json ${address}`;
    if (k > 0 && !(keys[k - 1]! < address)) problems.push(`${where}: keys not sorted`);
    if (address.slice(2, 4) !== shard) problems.push(`${where}: belongs in proofs/${address.slice(2, 4)}.json`);
    const index = recipients.byAddress.get(address);
    if (index === undefined) {
      problems.push(`${where}: not in recipients.csv`);
      continue;
    }
    if (entry.index !== index) problems.push(`${where}: index ${entry.index}, recipients.csv says ${index}`);
    if (entry.amount !== recipients.amounts[index]) {
      problems.push(`${where}: amount ${entry.amount}, recipients.csv says ${recipients.amounts[index]}`);
    }
    if (!verify(index, address, recipients.amounts[index]!, entry.proof, root)) {
      problems.push(`${where}: the proof does not verify against the root ${root}`);
    }
    if (seen[index]) problems.push(`${where}: index ${index} appears twice`);
    seen[index] = 1;
    if (problems.length > 5) break;
  }
  return problems;
}

/**
 * The "every proof" check of a directory with tree.bin (season formatVersion
 * "3", publication format "2"): rows[i] is leaf i, a season's SPEC 5 leaf
 * (index, address, amount) or a publication's cumulative-v1 leaf (address,
 * cumulative); season/tree-file.ts's {@link checkTreeFile} then checks
 * level 0 against those leaves, every node above against its children and
 * the last node against the root. Together: every row's proof, read from
 * tree.bin, leads to the root. A row without an address (damaged, already
 * named by the rows check) has no leaf, and is named here too.
 *
 * @example checkProofTree(readFileSync("out/season-7/tree.bin"), recipients, manifest.merkleRoot, "season")
 */
export function checkProofTree(file: Uint8Array, rows: { addresses: readonly string[]; amounts: readonly bigint[] }, root: Hex, leaf: "season" | "cumulative"): Check {
  const count = rows.addresses.length;
  const leaves = new Uint8Array(32 * count);
  for (let i = 0; i < count; i++) {
    try {
      if (leaf === "season") writeLeaf(leaves, 32 * i, i, rows.addresses[i]!, rows.amounts[i]!);
      else writeCumulativeLeaf(leaves, 32 * i, rows.addresses[i]!, rows.amounts[i]!);
    } catch {
      // Not a leaf at all: zero bytes, which no leaf in the file equals.
    }
  }
  const problems = checkTreeFile(file, leaves, root);
  const rowsFile = leaf === "season" ? "recipients.csv" : "balances.csv";
  const leafText = leaf === "season" ? "leaf (index, address, amount)" : "cumulative-v1 leaf (address, cumulative)";
  return {
    check: "proofs against the root",
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${TREE_FILE}: its ${count} leaves are ${rowsFile}'s rows' own ${leafText}, every node above is the hash of its two children (an odd last node carried up), its last node is the root ${root}: every one of the ${count} proofs read from it leads to the root`
        : problems.join("; "),
  };
}

/**
 * Compares the input hashes recorded in the manifest with the files at hand.
 *
 * @example checkInputHashes({ "users.csv": "ab…" }, { "users.csv": "ab…" }) // [{ check: "input users.csv", ok: true, … }]
 */
export function checkInputHashes(recorded: Record<string, string>, actual: Record<string, string | undefined>): Check[] {
  return Object.keys(recorded).map((file) => {
    const hash = actual[file];
    if (hash === undefined) return { check: `input ${file}`, ok: false, detail: "file not found" };
    return {
      check: `input ${file}`,
      ok: hash === recorded[file],
      detail: hash === recorded[file] ? `sha256 ${hash.slice(0, 16)}…` : `sha256 ${hash} but the manifest records ${recorded[file]}`,
    };
  });
}

/** All checks passed? */
export function allPassed(checks: readonly Check[]): boolean {
  return checks.every((check) => check.ok);
}

// ---- a publication (SPEC 8.2) -----------------------------------------------

/** Does `proof` prove the cumulative-v1 leaf (account, cumulative) under `root`? */
export type CumulativeProofVerifier = (account: string, cumulative: bigint, proof: readonly Hex[], root: Hex) => boolean;

/**
 * Checks one proof shard of a publication against balances.csv: it holds
 * exactly the addresses of that shard's range [start, end) of the sorted
 * balances, in order, each with its cumulative amount and a proof that
 * verifies under the root. Returns the problems found.
 */
export function checkCumulativeProofShard(
  shard: string,
  text: string,
  balances: { addresses: readonly string[]; cumulative: readonly bigint[] },
  range: readonly [number, number],
  root: Hex,
  verify: CumulativeProofVerifier,
): string[] {
  const problems: string[] = [];
  let entries: Map<string, CumulativeProofEntry>;
  try {
    entries = parseCumulativeProofShard(text, `proofs/${shard}.json`);
  } catch (error) {
    if (error instanceof InputError) return [error.message];
    throw error;
  }
  const [start, end] = range;
  if (entries.size !== end - start) problems.push(`proofs/${shard}.json has ${entries.size} entries, balances.csv ${end - start} addresses starting 0x${shard}`);
  let i = start;
  for (const [address, entry] of entries) {
    const where = `proofs/${shard}.json ${address}`;
    if (i >= end || balances.addresses[i] !== address) {
      problems.push(`${where}: expected ${i < end ? balances.addresses[i] : "no more entries"} here (balances.csv's order)`);
      break;
    }
    const cumulative = balances.cumulative[i]!;
    if (entry.amount !== cumulative) problems.push(`${where}: amount ${entry.amount}, balances.csv says ${cumulative}`);
    if (!verify(address, cumulative, entry.proof, root)) problems.push(`${where}: the proof does not verify against the root ${root}`);
    if (problems.length > 5) break;
    i++;
  }
  return problems;
}

/** One `Claimed(account, amount, cumulative)` event, as verify compares it. */
export interface ClaimEvent {
  account: string;
  amount: bigint;
  cumulative: bigint;
}

/**
 * The `Claimed` events of a SogniRewards contract against a publication's
 * balances: per account the amounts add up to its last `cumulative`, which
 * is at most its cumulative amount in balances.csv (claimed ≤ cumulative),
 * and the amounts of all events add up to the contract's `totalClaimed`.
 */
export function checkClaimEvents(claims: readonly ClaimEvent[], balances: { addresses: readonly string[]; cumulative: readonly bigint[] }, totalClaimed: bigint): Check[] {
  const byAccount = new Map<string, { paid: bigint; last: bigint }>();
  let paid = 0n;
  for (const claim of claims) {
    const seen = byAccount.get(claim.account) ?? { paid: 0n, last: 0n };
    seen.paid += claim.amount;
    seen.last = claim.cumulative;
    byAccount.set(claim.account, seen);
    paid += claim.amount;
  }
  const index = new Map<string, number>();
  balances.addresses.forEach((address, i) => {
    if (byAccount.has(address)) index.set(address, i);
  });
  const over: string[] = [];
  const inconsistent: string[] = [];
  for (const [account, seen] of byAccount) {
    const i = index.get(account);
    const cumulative = i === undefined ? 0n : balances.cumulative[i]!;
    if (seen.last > cumulative) over.push(`${account} claimed up to ${seen.last} wei, balances.csv gives it ${cumulative}`);
    if (seen.paid !== seen.last) inconsistent.push(`${account} was paid ${seen.paid} wei in all, its last Claimed says cumulative ${seen.last}`);
  }
  return [
    {
      check: "Claimed events within balances.csv",
      ok: over.length === 0,
      detail: over.length === 0 ? `${claims.length} claims by ${byAccount.size} accounts, each at most its cumulative amount` : over.slice(0, 3).join("; "),
    },
    {
      check: "Claimed events add up",
      ok: inconsistent.length === 0 && paid === totalClaimed,
      detail:
        inconsistent.length > 0
          ? inconsistent.slice(0, 3).join("; ")
          : paid === totalClaimed
            ? `${paid} wei paid = totalClaimed()`
            : `the events pay ${paid} wei, totalClaimed() says ${totalClaimed}`,
    },
  ];
}
