/**
 * onchain.json (SPEC section 6): the on-chain facts a build uses, read from
 * the indexer's `/snapshot`, from `eth_getLogs`, or from a file. Parsed
 * strictly (a bad entry names its path, e.g. `locks[3].amount`) and written
 * canonically (lower-case addresses, decimal strings, one entry per line) so
 * the same facts always give the same bytes.
 *
 * @example
 * const facts = parseOnchainJson(readFileSync("onchain.json", "utf8"), "onchain.json");
 * writeFileSync("copy.json", serializeOnchainJson(facts));
 */
import { AddressError, normalizeAddress, type Address } from "./address.js";
import { parseJsonText } from "./config.js";
import { InputError } from "./errors.js";
import type { DepositFact, Hex, LockState, OnchainFacts, SnapshotBlock, WorkerPaidFact } from "./types.js";

const SECTIONS = ["snapshot", "locks", "workerPaid", "deposits"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Entry = { [key: string]: Json };

/** Parses onchain.json text; `file` names it in errors. */
export function parseOnchainJson(text: string, file = "onchain.json"): OnchainFacts {
  const json = parseJsonText(text, file) as Json;
  const fail = (path: string, reason: string): never => {
    throw new InputError({ file, column: path }, reason);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) return fail("(top)", "expected a JSON object with snapshot, locks, workerPaid and deposits");
  for (const key of Object.keys(json)) {
    if (!(SECTIONS as readonly string[]).includes(key)) fail(key, `unknown key "${key}" (allowed: ${SECTIONS.join(", ")})`);
  }
  const section = (key: (typeof SECTIONS)[number]): Entry[] => {
    const value = json[key];
    if (!Array.isArray(value)) return fail(key, `"${key}" must be an array`);
    return value.map((entry, i) => {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail(`${key}[${i}]`, "expected an object");
      return entry;
    });
  };
  const read = (entry: Entry, path: string, fields: readonly string[]): Reader => {
    for (const key of Object.keys(entry)) {
      if (!fields.includes(key)) fail(`${path}.${key}`, `unknown field "${key}" (expected ${fields.join(", ")})`);
    }
    return new Reader(entry, path, fail);
  };

  const snapshot: SnapshotBlock[] = section("snapshot").map((entry, i) => {
    const r = read(entry, `snapshot[${i}]`, ["chainId", "block", "hash", "timestamp"]);
    return { chainId: r.chainId(), block: r.uint("block"), hash: r.hash("hash"), timestamp: r.seconds("timestamp") };
  });
  const chains = new Set<number>();
  snapshot.forEach((block, i) => {
    if (chains.has(block.chainId)) fail(`snapshot[${i}].chainId`, `chain ${block.chainId} appears twice in the snapshot`);
    chains.add(block.chainId);
  });
  const known = (chainId: number, path: string): number => {
    if (!chains.has(chainId)) fail(`${path}.chainId`, `chain ${chainId} is not in the snapshot (${[...chains].join(", ") || "empty"})`);
    return chainId;
  };

  const locks: LockState[] = section("locks").map((entry, i) => {
    const path = `locks[${i}]`;
    const r = read(entry, path, ["chainId", "account", "amount", "lockWeeks", "effectiveFrom", "unlockAt"]);
    const lock = {
      chainId: known(r.chainId(), path),
      account: r.address("account"),
      amount: r.uint("amount"),
      lockWeeks: r.seconds("lockWeeks"),
      effectiveFrom: r.seconds("effectiveFrom"),
      unlockAt: r.seconds("unlockAt"),
    };
    if (lock.lockWeeks < 1 || lock.lockWeeks > 52) fail(`${path}.lockWeeks`, `lockWeeks must be 1 to 52, found ${lock.lockWeeks}`);
    if (lock.unlockAt < lock.effectiveFrom) fail(`${path}.unlockAt`, "unlockAt is before effectiveFrom");
    return lock;
  });
  const workerPaid: WorkerPaidFact[] = section("workerPaid").map((entry, i) => {
    const path = `workerPaid[${i}]`;
    const r = read(entry, path, ["chainId", "batchId", "worker", "amount"]);
    return { chainId: known(r.chainId(), path), batchId: r.uint("batchId"), worker: r.address("worker"), amount: r.uint("amount") };
  });
  const deposits: DepositFact[] = section("deposits").map((entry, i) => {
    const path = `deposits[${i}]`;
    const r = read(entry, path, ["chainId", "txHash", "from", "to", "amount"]);
    return { chainId: known(r.chainId(), path), txHash: r.hash("txHash"), from: r.address("from"), to: r.address("to"), amount: r.uint("amount") };
  });
  return { snapshot, locks, workerPaid, deposits };
}

/** Reads typed fields of one entry; every failure names `path.field`. */
class Reader {
  constructor(
    private readonly entry: Entry,
    private readonly path: string,
    private readonly fail: (path: string, reason: string) => never,
  ) {}

  private value(field: string): Json {
    const value = this.entry[field];
    if (value === undefined) return this.fail(`${this.path}.${field}`, `missing field "${field}"`);
    return value;
  }

  chainId(): number {
    const value = this.value("chainId");
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) return this.fail(`${this.path}.chainId`, `chainId must be a positive integer, found ${JSON.stringify(value)}`);
    return value;
  }

  /** A non-negative integer given as a decimal string (or a safe JSON number). */
  uint(field: string): bigint {
    const value = this.value(field);
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (typeof value !== "string" || !/^(0|[1-9]\d*)$/.test(value) || value.length > 78) {
      return this.fail(`${this.path}.${field}`, `${field} must be a non-negative integer as a decimal string, found ${JSON.stringify(value)}`);
    }
    const parsed = BigInt(value);
    if (parsed >= 2n ** 256n) return this.fail(`${this.path}.${field}`, `${field} does not fit in uint256`);
    return parsed;
  }

  /** A small non-negative integer (unix seconds, weeks). */
  seconds(field: string): number {
    const value = this.value(field);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      return this.fail(`${this.path}.${field}`, `${field} must be a non-negative integer, found ${JSON.stringify(value)}`);
    }
    return value;
  }

  address(field: string): Address {
    const value = this.value(field);
    try {
      if (typeof value !== "string") throw new AddressError(`expected an address string, found ${JSON.stringify(value)}`);
      return normalizeAddress(value);
    } catch (error) {
      if (error instanceof AddressError) return this.fail(`${this.path}.${field}`, error.message);
      throw error;
    }
  }

  hash(field: string): Hex {
    const value = this.value(field);
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) return this.fail(`${this.path}.${field}`, `${field} must be 0x and 64 hex digits, found ${JSON.stringify(value)}`);
    return value.toLowerCase() as Hex;
  }
}

/**
 * The canonical onchain.json text: sections in SPEC order, entries in the
 * given (chain) order, one entry per line, lower-case hex, decimal strings
 * for amounts, ids and block numbers.
 */
export function serializeOnchainJson(facts: OnchainFacts): string {
  const lines = (entries: readonly object[]): string => (entries.length === 0 ? "[]" : `[\n${entries.map((entry) => `    ${JSON.stringify(entry)}`).join(",\n")}\n  ]`);
  const snapshot = facts.snapshot.map((s) => ({ chainId: s.chainId, block: s.block.toString(), hash: s.hash.toLowerCase(), timestamp: s.timestamp }));
  const locks = facts.locks.map((l) => ({
    chainId: l.chainId,
    account: l.account.toLowerCase(),
    amount: l.amount.toString(),
    lockWeeks: l.lockWeeks,
    effectiveFrom: l.effectiveFrom,
    unlockAt: l.unlockAt,
  }));
  const workerPaid = facts.workerPaid.map((w) => ({ chainId: w.chainId, batchId: w.batchId.toString(), worker: w.worker.toLowerCase(), amount: w.amount.toString() }));
  const deposits = facts.deposits.map((d) => ({ chainId: d.chainId, txHash: d.txHash.toLowerCase(), from: d.from.toLowerCase(), to: d.to.toLowerCase(), amount: d.amount.toString() }));
  return `{\n  "snapshot": ${lines(snapshot)},\n  "locks": ${lines(locks)},\n  "workerPaid": ${lines(workerPaid)},\n  "deposits": ${lines(deposits)}\n}\n`;
}
