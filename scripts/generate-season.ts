/**
 * Generates a synthetic, SPEC-valid season input directory for scale tests
 * and benchmarks: season.json, users.csv, spark_usage.csv,
 * spark_purchases.csv, jobs.csv and onchain.json (SPEC sections 1, 4 and 6).
 * The same --recipients and --seed give the same bytes on every machine.
 *
 * The build of the result pays exactly N distinct addresses: every one of the
 * N users buys Spark inside the window, and the ambassadors pool has no cut,
 * so each address gets ambassador points; the stakers, workers and top
 * artists are drawn from the same addresses. Around that it puts what a real
 * season holds: referral chains (two levels), users sharing an address,
 * SOGNI purchases backed by on-chain deposits, weekly worker payout batches on
 * two chains, fast jobs naming a Fast Worker NFT (`nft_token_id`), lock
 * states that grow, rows outside the window (skipped), and a few rows that
 * fail a cross-check (rejected.csv), plus an excluded treasury.
 *
 * Usage: node_modules/.bin/tsx scripts/generate-season.ts --recipients 1000000 --out /tmp/season-1m [--seed 1] [--lowercase]
 *
 * @example
 * // 1,000 recipients into ./tmp/s (then: season build --config tmp/s/season.json --data tmp/s --onchain tmp/s/onchain.json --out out)
 * await generateSeasonFiles({ recipients: 1000, seed: 1, checksum: true }, (file, text) => appendFileSync(`tmp/s/${file}`, text));
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createKeccak } from "hash-wasm";
import { parseInteger, parseOptions, UsageError } from "./cli/cli.js";
import { csvField } from "../season/csv.js";
import { formatDecimal } from "../season/decimal.js";
import { DEFAULT_WORKER_PAYMENT_WEIGHTS } from "../season/config.js";
import { isoSeconds as iso } from "../season/time.js";
import { SEASON_7_POOLS } from "./sim/spark-exports.js";

export interface GenerateOptions {
  /** Distinct addresses the build pays (≥ 10). */
  recipients: number;
  seed: number;
  /** Write addresses in EIP-55 checksum case (as exports usually are); false: lower case. */
  checksum: boolean;
}

/** Receives the files' text in order, in chunks; the first chunk of a file starts it. */
export type Sink = (file: string, text: string) => void;

export const SEASON_FILES = ["season.json", "users.csv", "spark_usage.csv", "spark_purchases.csv", "jobs.csv", "onchain.json"] as const;

const DAY = 86_400;
const WEEK = 7 * DAY;
/** Season 7 of SPEC section 1. */
const START = Date.UTC(2026, 9, 13) / 1000; // 2026-10-13T00:00:00Z
const END = Date.UTC(2026, 10, 24) / 1000; // 2026-11-24T00:00:00Z
/** Staking epochs start on this Monday, weekly. */
const EPOCH_ZERO = Date.UTC(2026, 0, 5) / 1000;
const MAIN_CHAIN = 8453;
const SECOND_CHAIN = 10;
/** Facts start at these blocks, far below the snapshot blocks (38,000,000 and 143,000,000). */
const MAIN_FIRST_BLOCK = 30_000_000;
const SECOND_FIRST_BLOCK = 130_000_000;
const DEPOSIT_ADDRESS = "0x5e50000000000000000000000000000000000001";
const TREASURY = "0x7ea5000000000000000000000000000000000001";
const WEI = 10n ** 18n;
const HARDWARE = ["RTX 4090", "RTX 4090, 24GB", "RTX 3060", "M3 Max", "A100 80GB", 'GTX 1080 "Ti"', "RX 7900 XTX"];
const CHUNK_ROWS = 50_000;
/** Seeds the nft_token_id stream apart from the main one (the seed xor "NFT"). */
const NFT_STREAM = 0x4e4654;

/** mulberry32: a small seeded generator, the same sequence everywhere. */
function random(seed: number): { u32(): number; below(n: number): number; chance(p: number): boolean } {
  let a = seed >>> 0;
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { u32, below: (n) => Math.floor((u32() / 2 ** 32) * n), chance: (p) => u32() / 2 ** 32 < p };
}

/** A quantity with up to 6 decimals, from whole micro-units: 1500000 -> "1.5". */
const decimal = (micro: number): string => formatDecimal(BigInt(micro), 6);

/** Writes a file's rows in chunks. */
function table(sink: Sink, file: string, header: string): { row(line: string): void; end(): void } {
  let lines: string[] = [header];
  sink(file, "");
  return {
    row(line) {
      lines.push(line);
      if (lines.length >= CHUNK_ROWS) {
        sink(file, `${lines.join("\n")}\n`);
        lines = [];
      }
    },
    end() {
      if (lines.length > 0) sink(file, `${lines.join("\n")}\n`);
    },
  };
}

/**
 * Generates the six input files and hands them to `sink`; returns counts of
 * what it wrote (users, rows per file, lock states, …).
 */
export async function generateSeasonFiles(options: GenerateOptions, sink: Sink): Promise<Record<string, number>> {
  const n = options.recipients;
  if (!Number.isSafeInteger(n) || n < 10) throw new UsageError(`--recipients must be a whole number >= 10, got ${n}`);
  const rng = random(options.seed);
  const keccak = await createKeccak(256);
  const encoder = new TextEncoder();

  /** EIP-55 case of a lower-case address (or the address itself with checksum off). */
  const shown = (lower: string): string => {
    if (!options.checksum) return lower;
    keccak.init();
    keccak.update(encoder.encode(lower.slice(2)));
    const hash = keccak.digest("hex");
    let out = "0x";
    for (let i = 0; i < 40; i++) {
      const c = lower[2 + i]!;
      out += c >= "a" && parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c;
    }
    return out;
  };

  // N distinct addresses; index 0 of the users is user "u1".
  const addresses: string[] = new Array(n);
  const used = new Set<string>([DEPOSIT_ADDRESS, TREASURY]);
  for (let i = 0; i < n; i++) {
    let address: string;
    do {
      address = `0x${rng.u32().toString(16).padStart(8, "0")}${rng.u32().toString(16).padStart(8, "0")}${rng.u32().toString(16).padStart(8, "0")}${rng.u32().toString(16).padStart(8, "0")}${rng.u32().toString(16).padStart(8, "0")}`;
    } while (used.has(address));
    used.add(address);
    addresses[i] = address;
  }
  used.clear();
  const inWindow = (): number => START + rng.below(END - START);
  const outsideWindow = (): number => (rng.chance(0.5) ? START - 1 - rng.below(10 * DAY) : END + rng.below(10 * DAY));

  // ---- season.json -------------------------------------------------------------------
  sink(
    "season.json",
    `${JSON.stringify(
      {
        season: 7,
        start: iso(START),
        end: iso(END),
        sparkDepositAddress: DEPOSIT_ADDRESS,
        pools: SEASON_7_POOLS,
        workerPaymentWeights: DEFAULT_WORKER_PAYMENT_WEIGHTS,
        exclude: [TREASURY],
        claimDeadline: "2027-02-24T00:00:00Z",
      },
      null,
      2,
    )}\n`,
  );

  // ---- users.csv: u1..uN own the N addresses; extra users share one (alt accounts); a treasury user is excluded.
  const users = table(sink, "users.csv", "user_id,username,address,referrer_id");
  /** userAddress[k] = address index of user k (0-based), for the extra users too. */
  const extraUsers = Math.max(1, Math.floor(n / 1000));
  const userCount = n + extraUsers;
  const userAddress = new Int32Array(userCount);
  for (let k = 0; k < userCount; k++) {
    const addressIndex = k < n ? k : rng.below(n);
    userAddress[k] = addressIndex;
    // Referrers are earlier users, so there is never a cycle; about half the users were referred.
    const referrer = k > 0 && rng.chance(0.5) ? `u${1 + rng.below(Math.min(k, n))}` : "";
    const name = k < n ? (k % 97 === 0 ? `artist ${k}, "the ${k % 7}th"` : `user${k + 1}`) : `alt${k + 1}`;
    users.row(`u${k + 1},${csvField(name)},${shown(addresses[addressIndex]!)},${referrer}`);
  }
  users.row(`treasury,treasury,${shown(TREASURY)},`);
  users.end();

  // ---- spark_usage.csv: about half the users create; a few rows fall outside the window.
  const usage = table(sink, "spark_usage.csv", "request_id,user_id,timestamp,free_spark,paid_spark,sogni,sogni_spark");
  const usageRows = Math.floor(n / 2) + 10;
  let usageSkipped = 0;
  for (let r = 0; r < usageRows; r++) {
    const user = r < usageRows - 1 ? `u${1 + rng.below(userCount)}` : "treasury";
    const outside = r % 500 === 7;
    if (outside) usageSkipped++;
    const at = outside ? outsideWindow() : inWindow();
    const free = rng.below(50_000_000);
    const paid = rng.chance(0.4) ? rng.below(100_000_000) : 0;
    const sogniSpark = rng.chance(0.1) ? rng.below(20_000_000) : 0;
    const sogni = sogniSpark === 0 ? 0 : Math.floor(sogniSpark / 3);
    usage.row(`r${r + 1},${user},${iso(at)},${decimal(free)},${decimal(paid)},${decimal(sogni)},${decimal(sogniSpark)}`);
  }
  usage.end();

  // Every fact names its log (SPEC 6): one log per block, blocks counting up per chain in the order facts are made.
  const blocks = new Map<number, number>([[MAIN_CHAIN, MAIN_FIRST_BLOCK], [SECOND_CHAIN, SECOND_FIRST_BLOCK]]);
  const nextLog = (chainId: number): string => {
    const block = blocks.get(chainId)!;
    blocks.set(chainId, block + 1);
    return `"block": "${block}", "logIndex": 0`;
  };

  // ---- spark_purchases.csv + deposits: every user u1..uN buys once by card inside the window
  // (so every address earns ambassador points); 1% more buy with SOGNI, backed by a deposit.
  const purchases = table(sink, "spark_purchases.csv", "purchase_id,user_id,timestamp,spark,method,sogni,tx_hash");
  const deposits: string[] = [];
  let purchaseId = 0;
  let purchasesSkipped = 0;
  let purchasesRejected = 0;
  const txHash = (): string => `0x${Array.from({ length: 8 }, () => rng.u32().toString(16).padStart(8, "0")).join("")}`;
  const depositLine = (hash: string, from: string, wei: bigint): string =>
    `    { "chainId": ${MAIN_CHAIN}, ${nextLog(MAIN_CHAIN)}, "txHash": "${hash}", "from": "${shown(from)}", "to": "${DEPOSIT_ADDRESS}", "amount": "${wei}" }`;
  for (let k = 0; k < n; k++) {
    purchases.row(`p${++purchaseId},u${k + 1},${iso(inWindow())},${decimal(1_000_000 + rng.below(500_000_000))},card,,`);
    if (k % 100 === 50) {
      const micro = 100_000 + rng.below(100_000_000);
      const hash = txHash();
      const wei = BigInt(micro) * 10n ** 12n;
      purchases.row(`p${++purchaseId},u${k + 1},${iso(inWindow())},${decimal(micro * 4)},sogni,${decimal(micro)},${hash}`);
      deposits.push(depositLine(hash, addresses[k]!, wei + (rng.chance(0.5) ? 0n : WEI)));
    }
    if (k % 200 === 99) {
      purchasesSkipped++;
      purchases.row(`p${++purchaseId},u${k + 1},${iso(outsideWindow())},${decimal(1_000_000 + rng.below(9_000_000))},card,,`);
    }
  }
  // Cross-check failures (rejected, not errors): no deposit, a deposit too small, a reused transaction.
  const missing = txHash();
  purchases.row(`p${++purchaseId},u1,${iso(inWindow())},40,sogni,10,${missing}`);
  const small = txHash();
  deposits.push(depositLine(small, addresses[1]!, 1n * WEI));
  purchases.row(`p${++purchaseId},u2,${iso(inWindow())},40,sogni,10,${small}`);
  const reused = txHash();
  deposits.push(depositLine(reused, addresses[2]!, 10n * WEI));
  purchases.row(`p${++purchaseId},u3,${iso(START + DAY)},40,sogni,10,${reused}`);
  purchases.row(`p${++purchaseId},u3,${iso(START + 2 * DAY)},40,sogni,10,${reused}`);
  purchasesRejected += 3;
  purchases.row(`p${++purchaseId},treasury,${iso(inWindow())},1000,card,,`);
  purchases.end();

  // ---- jobs.csv + workerPaid: workers are users' addresses, paid in weekly batches (odd batches on the second chain).
  // Fast jobs carry SPEC 4's optional nft_token_id: most fast workers hold a Fast Worker NFT (token id 1 + w, unique)
  // and name it on most jobs. Drawn from a stream of its own, so every other byte is what it was without the column.
  const nftRng = random(options.seed ^ NFT_STREAM);
  const jobs = table(sink, "jobs.csv", "job_id,worker_address,tier,hardware,timestamp,spark_value,payment,payout_batch,nft_token_id");
  const workerCount = Math.max(20, Math.floor(n / 1000));
  const weeks = Math.ceil((END - START) / WEEK);
  const paid = new Map<string, bigint>(); // "batch:workerIndex" -> wei
  let jobId = 0;
  let jobsRejected = 0;
  let jobsSkipped = 0;
  let nftJobs = 0;
  const payments = ["sogni", "premium_spark", "free_daily_boost"];
  for (let w = 0; w < workerCount; w++) {
    const addressIndex = (w * 7919) % n;
    const tier = w % 3 === 0 ? "fast" : "relaxed";
    const hardware = HARDWARE[w % HARDWARE.length]!;
    const tokenId = tier === "fast" && nftRng.chance(0.8) ? String(1 + w) : "";
    const jobCount = 5 + rng.below(40);
    for (let j = 0; j < jobCount; j++) {
      const outside = j === 0 && w % 50 === 1;
      if (outside) jobsSkipped++;
      const at = outside ? outsideWindow() : inWindow();
      const batch = at >= START && at < END ? 1 + Math.floor((at - START) / WEEK) : weeks + 1;
      const sparkMicro = 1_000_000 + rng.below(30_000_000);
      // One job in 500 cites a batch that did not pay its worker: rejected.
      const unpaid = j === 1 && w % 500 === 3;
      const citedBatch = unpaid ? weeks + 2 : batch;
      if (unpaid) jobsRejected++;
      else {
        const key = `${batch}:${addressIndex}`;
        paid.set(key, (paid.get(key) ?? 0n) + BigInt(sparkMicro) * 10n ** 12n);
      }
      const nft = tokenId !== "" && nftRng.chance(0.9) ? tokenId : "";
      if (nft !== "") nftJobs++;
      jobs.row(`j${++jobId},${shown(addresses[addressIndex]!)},${tier},${csvField(hardware)},${iso(at)},${decimal(sparkMicro)},${payments[rng.below(3)]},${citedBatch},${nft}`);
    }
  }
  jobs.end();

  // ---- locks: 1% of the addresses stake; some add to their lock later; a few stake on the second chain too.
  const locks: string[] = [];
  const epochAfter = (t: number): number => EPOCH_ZERO + Math.ceil((t - EPOCH_ZERO + 1) / WEEK) * WEEK;
  const stakerCount = Math.max(10, Math.floor(n / 100));
  for (let s = 0; s < stakerCount; s++) {
    const account = shown(addresses[(s * 104_729 + 13) % n]!);
    const chainId = s % 10 === 9 ? SECOND_CHAIN : MAIN_CHAIN;
    let effectiveFrom = epochAfter(START - 8 * WEEK + rng.below(12 * WEEK));
    let lockWeeks = 1 + rng.below(52);
    let unlockAt = effectiveFrom + lockWeeks * WEEK;
    let amount = BigInt(1 + rng.below(100_000)) * WEI;
    const lockLine = (): string =>
      `    { "chainId": ${chainId}, ${nextLog(chainId)}, "account": "${account}", "amount": "${amount}", "lockWeeks": ${lockWeeks}, "effectiveFrom": ${effectiveFrom}, "unlockAt": ${unlockAt} }`;
    locks.push(lockLine());
    if (s % 4 === 0) {
      // stake(more, weeks) on a live lock: the amount grows, weeks = max, unlockAt = max (SPEC 7).
      const next = epochAfter(Math.max(effectiveFrom, START) + rng.below(3 * WEEK));
      if (next < unlockAt && next < END) {
        const addWeeks = 1 + rng.below(52);
        effectiveFrom = next;
        amount += BigInt(1 + rng.below(50_000)) * WEI;
        lockWeeks = Math.max(lockWeeks, addWeeks);
        unlockAt = Math.max(unlockAt, next + addWeeks * WEEK);
        locks.push(lockLine());
      }
    }
  }

  const workerPaid = [...paid].map(([key, wei]) => {
    const [batch, addressIndex] = key.split(":").map(Number) as [number, number];
    const chainId = batch % 2 === 1 ? SECOND_CHAIN : MAIN_CHAIN;
    return `    { "chainId": ${chainId}, ${nextLog(chainId)}, "batchId": "${batch}", "worker": "${shown(addresses[addressIndex]!)}", "amount": "${wei}" }`;
  });
  const snapshot = [
    `    { "chainId": ${MAIN_CHAIN}, "block": 38000000, "hash": "0x${"ab".repeat(32)}", "timestamp": ${END} }`,
    `    { "chainId": ${SECOND_CHAIN}, "block": 143000000, "hash": "0x${"cd".repeat(32)}", "timestamp": ${END} }`,
  ];
  const array = (lines: string[]): string => (lines.length === 0 ? "[]" : `[\n${lines.join(",\n")}\n  ]`);
  sink("onchain.json", `{\n  "snapshot": ${array(snapshot)},\n  "locks": ${array(locks)},\n  "workerPaid": ${array(workerPaid)},\n  "deposits": ${array(deposits)}\n}\n`);

  return {
    recipients: n,
    users: userCount + 1,
    usageRows,
    usageSkipped,
    purchases: purchaseId,
    purchasesSkipped,
    purchasesRejected,
    jobs: jobId,
    jobsRejected,
    jobsSkipped,
    nftJobs,
    workers: workerCount,
    lockStates: locks.length,
    stakers: stakerCount,
    workerPaid: workerPaid.length,
    deposits: deposits.length,
  };
}

const USAGE = `Usage: node_modules/.bin/tsx scripts/generate-season.ts --recipients <n> --out <dir> [--seed <n>] [--lowercase]

Writes a synthetic season 7 input directory (season.json, users.csv, spark_usage.csv,
spark_purchases.csv, jobs.csv, onchain.json) whose build pays exactly <n> addresses.
Deterministic: the same --recipients and --seed give the same bytes.

Options:
  --recipients <n>   distinct addresses paid (>= 10)
  --out <dir>        directory to create (must not exist, or be empty)
  --seed <n>         generator seed (default 1)
  --lowercase        write addresses in lower case instead of EIP-55 checksum case
  -h, --help         this help

Then: node bin/sogni-season.mjs build --config <dir>/season.json --data <dir> --onchain <dir>/onchain.json --out <out>`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, {
    recipients: { type: "string" },
    out: { type: "string" },
    seed: { type: "string", default: "1" },
    lowercase: { type: "boolean", default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.recipients === undefined || values.out === undefined) throw new UsageError("--recipients and --out are required");
  const recipients = parseInteger(values.recipients, "--recipients", 10);
  const seed = parseInteger(values.seed, "--seed", 0);
  const dir = resolve(values.out);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty: choose a new --out`);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const descriptors = new Map<string, number>();
  const counts = await generateSeasonFiles({ recipients, seed, checksum: !values.lowercase }, (file, text) => {
    let fd = descriptors.get(file);
    if (fd === undefined) {
      fd = openSync(join(dir, file), "w");
      descriptors.set(file, fd);
    }
    if (text !== "") writeSync(fd, text);
  });
  for (const fd of descriptors.values()) closeSync(fd);
  process.stderr.write(`generated ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`generate-season: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
