/**
 * onchain.json (SPEC section 6): the on-chain facts a build uses, read from
 * the indexer's `/snapshot`, from `eth_getLogs`, or from a file. Parsed
 * strictly (a bad entry names its line and path, e.g. `locks[3].amount`;
 * every fact names its log: chain, block, log index, and one log is one
 * fact) and written canonically (chain order, lower-case addresses, decimal
 * strings, one entry per line) so the same facts always give the same bytes.
 *
 * @example
 * const facts = parseOnchainJson(readFileSync("onchain.json", "utf8"), "onchain.json");
 * writeFileSync("copy.json", serializeOnchainJson(facts));
 */
import { AddressError, normalizeAddress, ZERO_ADDRESS, type Address } from "./address.js";
import { InputError } from "./errors.js";
import { formatJsonPath, locateJsonPath, parseJsonText, type JsonPathStep, type JsonValue } from "./json.js";
import type { DepositFact, Hex, LockState, LogPosition, OnchainFacts, SnapshotBlock, WorkerPaidFact } from "./types.js";

const SECTIONS = ["snapshot", "locks", "workerPaid", "deposits"] as const;

type Json = JsonValue;
type Entry = { [key: string]: Json };

/**
 * Parses onchain.json text; `file` names it in errors. The facts come back
 * in chain order (chain id, block, log index) whatever their order in the
 * file; a (chain, block, log index) named twice is an error naming both.
 */
export function parseOnchainJson(text: string, file = "onchain.json"): OnchainFacts {
  const json = parseJsonText(text, file);
  const fail = (path: JsonPathStep[], reason: string): never => {
    throw new InputError({ file, line: locateJsonPath(text, path).line, column: formatJsonPath(path) }, reason);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) return fail([], "expected a JSON object with snapshot, locks, workerPaid and deposits");
  for (const key of Object.keys(json)) {
    if (!(SECTIONS as readonly string[]).includes(key)) fail([key], `unknown key "${key}" (allowed: ${SECTIONS.join(", ")})`);
  }
  const section = (key: (typeof SECTIONS)[number]): Entry[] => {
    const value = json[key];
    if (!Array.isArray(value)) return fail([key], `"${key}" must be an array`);
    return value.map((entry, i) => {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail([key, i], "expected an object");
      return entry;
    });
  };
  const read = (entry: Entry, path: JsonPathStep[], fields: readonly string[], optional: readonly string[] = []): Reader => {
    for (const key of Object.keys(entry)) {
      if (!fields.includes(key) && !optional.includes(key)) fail([...path, key], `unknown field "${key}" (expected ${[...fields, ...optional].join(", ")})`);
    }
    return new Reader(entry, path, fail);
  };

  const snapshot: SnapshotBlock[] = section("snapshot").map((entry, i) => {
    const r = read(entry, ["snapshot", i], ["chainId", "block", "hash", "timestamp"]);
    return { chainId: r.chainId(), block: r.uint("block"), hash: r.hash("hash"), timestamp: r.seconds("timestamp") };
  });
  const snapshotBlocks = new Map<number, bigint>();
  snapshot.forEach((block, i) => {
    if (snapshotBlocks.has(block.chainId)) fail(["snapshot", i, "chainId"], `chain ${block.chainId} appears twice in the snapshot`);
    snapshotBlocks.set(block.chainId, block.block);
  });
  /** Chain, block and log index of a fact: its chain is in the snapshot and its block no later than the snapshot's. */
  const position = (r: Reader, path: JsonPathStep[]): LogPosition => {
    const chainId = r.chainId();
    const last = snapshotBlocks.get(chainId);
    if (last === undefined) fail([...path, "chainId"], `chain ${chainId} is not in the snapshot (${[...snapshotBlocks.keys()].join(", ") || "empty"})`);
    const block = r.uint("block");
    if (block > last!) fail([...path, "block"], `block ${block} is after chain ${chainId}'s snapshot block ${last}: a fact must come from the snapshot`);
    return { chainId, block, logIndex: r.seconds("logIndex") };
  };
  const nonZero = (address: Address, path: JsonPathStep[], what: string): Address => {
    if (address === ZERO_ADDRESS) fail(path, `${what} is the zero address, which no event can name`);
    return address;
  };

  const locks: LockState[] = section("locks").map((entry, i) => {
    const path = ["locks", i];
    const r = read(entry, path, ["chainId", "block", "logIndex", "account", "amount", "lockWeeks", "effectiveFrom", "unlockAt"], ["staking"]);
    const lock: LockState = {
      ...position(r, path),
      ...("staking" in entry ? { staking: nonZero(r.address("staking"), [...path, "staking"], "staking") } : {}),
      account: nonZero(r.address("account"), [...path, "account"], "account"),
      amount: r.uint("amount"),
      lockWeeks: r.seconds("lockWeeks"),
      effectiveFrom: r.seconds("effectiveFrom"),
      unlockAt: r.seconds("unlockAt"),
    };
    if (lock.lockWeeks < 1 || lock.lockWeeks > 52) fail([...path, "lockWeeks"], `lockWeeks must be 1 to 52, found ${lock.lockWeeks}`);
    if (lock.unlockAt < lock.effectiveFrom) fail([...path, "unlockAt"], "unlockAt is before effectiveFrom");
    return lock;
  });
  const workerPaid: WorkerPaidFact[] = section("workerPaid").map((entry, i) => {
    const path = ["workerPaid", i];
    const r = read(entry, path, ["chainId", "block", "logIndex", "batchId", "worker", "amount"]);
    return { ...position(r, path), batchId: r.uint("batchId"), worker: nonZero(r.address("worker"), [...path, "worker"], "worker"), amount: r.uint("amount") };
  });
  const deposits: DepositFact[] = section("deposits").map((entry, i) => {
    const path = ["deposits", i];
    const r = read(entry, path, ["chainId", "block", "logIndex", "txHash", "from", "to", "amount"]);
    return { ...position(r, path), txHash: r.hash("txHash"), from: r.address("from"), to: r.address("to"), amount: r.uint("amount") };
  });

  // One log, one fact: a (chain, block, log index) twice, in any sections, is an error naming both.
  const all: { fact: LogPosition; path: JsonPathStep[] }[] = [];
  for (const [name, list] of [["locks", locks], ["workerPaid", workerPaid], ["deposits", deposits]] as const) {
    list.forEach((fact, i) => all.push({ fact, path: [name, i] }));
  }
  all.sort((a, b) => compareLogPosition(a.fact, b.fact));
  for (let i = 1; i < all.length; i++) {
    // The sort is stable: `first` comes before `second` in the file.
    const [first, second] = [all[i - 1]!, all[i]!];
    if (compareLogPosition(first.fact, second.fact) !== 0) continue;
    const { chainId, block, logIndex } = second.fact;
    fail(
      second.path,
      `${formatJsonPath(second.path)} and ${formatJsonPath(first.path)} (line ${locateJsonPath(text, first.path).line}) are the same log: chain ${chainId}, block ${block}, log index ${logIndex}; a fact listed twice would count twice, remove one`,
    );
  }

  const ordered = orderOnchainFacts({ snapshot, locks: fillStaking(locks, fail), workerPaid, deposits });
  checkLockSequence(ordered.locks, fail, locks);
  return ordered;
}

/** Chain id, then block, then log index: the order of every list of facts. */
export function compareLogPosition(a: LogPosition, b: LogPosition): number {
  if (a.chainId !== b.chainId) return a.chainId - b.chainId;
  if (a.block !== b.block) return a.block < b.block ? -1 : 1;
  return a.logIndex - b.logIndex;
}

/**
 * The facts with every list in chain order (chain id, block, log index) and
 * the snapshot by chain id: the order the build uses and onchain.json is
 * written in, whoever gathered the facts (file, indexer, eth_getLogs).
 */
export function orderOnchainFacts(facts: OnchainFacts): OnchainFacts {
  return {
    snapshot: [...facts.snapshot].sort((a, b) => a.chainId - b.chainId),
    locks: [...facts.locks].sort(compareLogPosition),
    workerPaid: [...facts.workerPaid].sort(compareLogPosition),
    deposits: [...facts.deposits].sort(compareLogPosition),
  };
}

/**
 * A lock without `staking` belongs to its chain's only staking contract
 * (SPEC 6): it takes that contract's address when other locks of the chain
 * name one, and is an error when they name several.
 */
function fillStaking(locks: LockState[], fail: (path: JsonPathStep[], reason: string) => never): LockState[] {
  const named = new Map<number, Set<Address>>();
  for (const lock of locks) {
    if (lock.staking === undefined) continue;
    const set = named.get(lock.chainId) ?? new Set<Address>();
    set.add(lock.staking);
    named.set(lock.chainId, set);
  }
  return locks.map((lock, i) => {
    if (lock.staking !== undefined) return lock;
    const contracts = named.get(lock.chainId);
    if (contracts === undefined) return lock;
    if (contracts.size > 1) {
      fail(["locks", i], `no "staking", but chain ${lock.chainId} has several staking contracts (${[...contracts].sort().join(", ")}): name the one that emitted this lock`);
    }
    return { ...lock, staking: [...contracts][0]! };
  });
}

/**
 * Each lock's states, in chain order, take effect in time order (the
 * staking contract sets effectiveFrom to the next epoch start after the
 * block): states out of that order are facts listed at the wrong position.
 */
function checkLockSequence(ordered: LockState[], fail: (path: JsonPathStep[], reason: string) => never, original: LockState[]): void {
  const last = new Map<string, LockState>();
  for (const lock of ordered) {
    const key = `${lock.chainId}:${lock.staking ?? ""}:${lock.account}`;
    const previous = last.get(key);
    if (previous !== undefined && lock.effectiveFrom < previous.effectiveFrom) {
      const index = original.findIndex((candidate) => candidate.chainId === lock.chainId && candidate.block === lock.block && candidate.logIndex === lock.logIndex);
      fail(
        ["locks", index, "effectiveFrom"],
        `this state of ${lock.account} (block ${lock.block}, log ${lock.logIndex}) takes effect at ${lock.effectiveFrom}, before the state it follows (block ${previous.block}, log ${previous.logIndex}, effective ${previous.effectiveFrom}): check the blocks and log indices`,
      );
    }
    last.set(key, lock);
  }
}

/** Reads typed fields of one entry; every failure names `path.field`. */
class Reader {
  constructor(
    private readonly entry: Entry,
    private readonly path: JsonPathStep[],
    private readonly fail: (path: JsonPathStep[], reason: string) => never,
  ) {}

  private at(field: string): JsonPathStep[] {
    return [...this.path, field];
  }

  private value(field: string): Json {
    const value = this.entry[field];
    if (value === undefined) {
      const hint = field === "block" || field === "logIndex" ? " (onchain.json gives every fact the block and log index of its log since formatVersion 2: take it again from the indexer's /snapshot)" : "";
      return this.fail(this.at(field), `missing field "${field}"${hint}`);
    }
    return value;
  }

  chainId(): number {
    const value = this.value("chainId");
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) return this.fail(this.at("chainId"), `chainId must be a positive integer, found ${JSON.stringify(value)}`);
    return value;
  }

  /** A non-negative integer given as a decimal string (or a safe JSON number). */
  uint(field: string): bigint {
    const value = this.value(field);
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (typeof value !== "string" || !/^(0|[1-9]\d*)$/.test(value) || value.length > 78) {
      return this.fail(this.at(field), `${field} must be a non-negative integer as a decimal string, found ${JSON.stringify(value)}`);
    }
    const parsed = BigInt(value);
    if (parsed >= 2n ** 256n) return this.fail(this.at(field), `${field} does not fit in uint256`);
    return parsed;
  }

  /** A small non-negative integer (unix seconds, weeks). */
  seconds(field: string): number {
    const value = this.value(field);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      return this.fail(this.at(field), `${field} must be a non-negative integer, found ${JSON.stringify(value)}`);
    }
    return value;
  }

  address(field: string): Address {
    const value = this.value(field);
    try {
      if (typeof value !== "string") throw new AddressError(`expected an address string, found ${JSON.stringify(value)}`);
      return normalizeAddress(value);
    } catch (error) {
      if (error instanceof AddressError) return this.fail(this.at(field), error.message);
      throw error;
    }
  }

  hash(field: string): Hex {
    const value = this.value(field);
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) return this.fail(this.at(field), `${field} must be 0x and 64 hex digits, found ${JSON.stringify(value)}`);
    return value.toLowerCase() as Hex;
  }
}

/**
 * The canonical onchain.json text (the one writer: builds, the indexer's
 * `/snapshot`, the simulator): sections in SPEC order, entries in the given
 * order (give {@link orderOnchainFacts}'s), one entry per line, lower-case
 * hex, decimal strings for amounts, ids and block numbers.
 */
export function serializeOnchainJson(facts: OnchainFacts): string {
  const lines = (entries: readonly object[]): string => (entries.length === 0 ? "[]" : `[\n${entries.map((entry) => `    ${JSON.stringify(entry)}`).join(",\n")}\n  ]`);
  const snapshot = facts.snapshot.map((s) => ({ chainId: s.chainId, block: s.block.toString(), hash: s.hash.toLowerCase(), timestamp: s.timestamp }));
  const locks = facts.locks.map((l) => ({
    chainId: l.chainId,
    block: l.block.toString(),
    logIndex: l.logIndex,
    ...(l.staking === undefined ? {} : { staking: l.staking.toLowerCase() }),
    account: l.account.toLowerCase(),
    amount: l.amount.toString(),
    lockWeeks: l.lockWeeks,
    effectiveFrom: l.effectiveFrom,
    unlockAt: l.unlockAt,
  }));
  const workerPaid = facts.workerPaid.map((w) => ({
    chainId: w.chainId,
    block: w.block.toString(),
    logIndex: w.logIndex,
    batchId: w.batchId.toString(),
    worker: w.worker.toLowerCase(),
    amount: w.amount.toString(),
  }));
  const deposits = facts.deposits.map((d) => ({
    chainId: d.chainId,
    block: d.block.toString(),
    logIndex: d.logIndex,
    txHash: d.txHash.toLowerCase(),
    from: d.from.toLowerCase(),
    to: d.to.toLowerCase(),
    amount: d.amount.toString(),
  }));
  return `{\n  "snapshot": ${lines(snapshot)},\n  "locks": ${lines(locks)},\n  "workerPaid": ${lines(workerPaid)},\n  "deposits": ${lines(deposits)}\n}\n`;
}
