/**
 * SPEC section 4 at the unit level: every class of bad input is an InputError
 * with the file, line, column and reason; the CSV reader handles RFC 4180
 * quoting. (test/cli/bad-input.test.ts checks the same through the CLI: exit
 * code and no output directory.)
 */
import { describe, expect, it } from "vitest";
import { parseSeasonConfig } from "../../season/config.js";
import { readCsv } from "../../season/csv.js";
import { InputError } from "../../season/errors.js";
import { parseOnchainJson } from "../../season/onchain.js";
import { DEPOSIT, SeasonBuilder, START, who, inputError } from "./season-builder.js";

const where = (error: InputError) => [error.file, error.line, error.column];

/** A valid little season whose files each test then breaks. */
function base(): SeasonBuilder {
  const s = new SeasonBuilder().user("u1", who(1)).user("u2", who(2), "u1");
  s.usage("u1", START + 60, { free: "1" }, "r1").card("u2", START + 60, "5", "p1");
  s.job(who(3), "fast", START + 60, "1", "sogni", 1, "GPU", "j1").paid(1, who(3));
  return s;
}

describe("SPEC 4 bad input: file, line, column, reason", () => {
  const cases: { name: string; edit: (s: SeasonBuilder) => void; at: [string, number, string]; reason: RegExp }[] = [
    { name: "bad EIP-55 checksum", edit: (s) => s.user("u3", "0x52908400098527886E0F7030069857D2E4169Ee7"), at: ["users.csv", 4, "address"], reason: /bad checksum/ },
    { name: "not an address", edit: (s) => s.user("u3", "0x1234"), at: ["users.csv", 4, "address"], reason: /not an address/ },
    { name: "duplicate user id", edit: (s) => s.user("u1", who(9)), at: ["users.csv", 4, "user_id"], reason: /duplicate user_id "u1" \(first on line 2\)/ },
    { name: "duplicate request id", edit: (s) => s.usage("u1", START + 60, { free: "1" }, "r1"), at: ["spark_usage.csv", 3, "request_id"], reason: /duplicate/ },
    { name: "negative number", edit: (s) => s.usage("u1", START, { paid: "-1" }, "r9"), at: ["spark_usage.csv", 3, "paid_spark"], reason: /negative/ },
    { name: "7 fractional digits", edit: (s) => s.card("u1", START, "1.0000001", "p9"), at: ["spark_purchases.csv", 3, "spark"], reason: /7 fractional digits, at most 6/ },
    { name: "unknown user", edit: (s) => s.card("u77", START, "1", "p9"), at: ["spark_purchases.csv", 3, "user_id"], reason: /unknown user id "u77"/ },
    { name: "unknown referrer", edit: (s) => s.user("u3", who(3), "u42"), at: ["users.csv", 4, "referrer_id"], reason: /unknown referrer id "u42"/ },
    { name: "self-referral", edit: (s) => s.user("u3", who(3), "u3"), at: ["users.csv", 4, "referrer_id"], reason: /refers to itself/ },
    {
      name: "referral cycle",
      edit: (s) => {
        s.users[1] = `u1,u1,${who(1)},u3`;
        s.user("u3", who(3), "u2");
      },
      at: ["users.csv", 2, "referrer_id"],
      reason: /referral cycle u1 -> u3 -> u2 -> u1/,
    },
    { name: "unknown tier", edit: (s) => s.job(who(3), "turbo", START, "1", "sogni", 1, "GPU", "j9"), at: ["jobs.csv", 3, "tier"], reason: /unknown tier "turbo"/ },
    { name: "unknown payment kind", edit: (s) => s.job(who(3), "fast", START, "1", "paypal", 1, "GPU", "j9"), at: ["jobs.csv", 3, "payment"], reason: /unknown payment kind "paypal"/ },
    { name: "bad timestamp", edit: (s) => s.usage("u1", "2026-10-12 10:00", { free: "1" }, "r9"), at: ["spark_usage.csv", 3, "timestamp"], reason: /not an ISO-8601 UTC timestamp/ },
    { name: "impossible date", edit: (s) => s.usage("u1", "2026-02-30T00:00:00Z", { free: "1" }, "r9"), at: ["spark_usage.csv", 3, "timestamp"], reason: /not a valid date/ },
    { name: "a time zone other than UTC", edit: (s) => s.usage("u1", "2026-10-12T10:00:00+02:00", { free: "1" }, "r9"), at: ["spark_usage.csv", 3, "timestamp"], reason: /UTC/ },
    { name: "card purchase with a tx_hash", edit: (s) => s.purchaseRows.push(`p9,u1,2026-10-12T10:00:00Z,1,card,,0x${"1".repeat(64)}`), at: ["spark_purchases.csv", 3, "tx_hash"], reason: /empty for a card/ },
    { name: "sogni purchase without tx_hash", edit: (s) => s.purchaseRows.push("p9,u1,2026-10-12T10:00:00Z,1,sogni,1,"), at: ["spark_purchases.csv", 3, "tx_hash"], reason: /tx_hash is empty/ },
    { name: "unknown method", edit: (s) => s.purchaseRows.push("p9,u1,2026-10-12T10:00:00Z,1,paypal,,"), at: ["spark_purchases.csv", 3, "method"], reason: /unknown method "paypal"/ },
    { name: "wrong field count", edit: (s) => s.jobRows.push("j9,0x1"), at: ["jobs.csv", 3, "3"], reason: /expected 8 fields/ },
    { name: "wrong header", edit: (s) => (s.usageRows[0] = "request_id,user,timestamp,free_spark,paid_spark,sogni,sogni_spark"), at: ["spark_usage.csv", 1, "2"], reason: /header: expected "user_id", found "user"/ },
    { name: "unterminated quote", edit: (s) => s.users.push('u9,"ada,0x1'), at: ["users.csv", 4, "2"], reason: /unterminated quoted field/ },
    { name: "a bad row outside the window is still an error", edit: (s) => s.usage("u1", "2020-01-01T00:00:00Z", { free: "x" }, "r9"), at: ["spark_usage.csv", 3, "free_spark"], reason: /not a decimal number/ },
  ];

  it.each(cases)("$name", ({ edit, at, reason }) => {
    const s = base();
    edit(s);
    const error = inputError(() => s.compute());
    expect(where(error).map(String)).toEqual(at.map(String));
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`${at[0]}, line ${at[1]}, column ${at[2]}: ${error.reason}`);
  });
});

describe("the CSV reader (RFC 4180)", () => {
  const rows = (text: string, columns = ["a", "b"]) => {
    const out: [string[], number][] = [];
    readCsv(text, "x.csv", columns, (fields, line) => out.push([fields, line]));
    return out;
  };

  it("quoted commas, doubled quotes and line breaks inside quotes; lines count physical lines", () => {
    expect(rows('a,b\n"x, y","say ""hi"""\n"multi\nline",z\nlast,row\n')).toEqual([
      [["x, y", 'say "hi"'], 2],
      [["multi\nline", "z"], 3],
      [["last", "row"], 5],
    ]);
  });

  it("CRLF line ends, a UTF-8 BOM and a missing final newline", () => {
    expect(rows("\uFEFFa,b\r\n1,2\r\n3,4")).toEqual([
      [["1", "2"], 2],
      [["3", "4"], 3],
    ]);
  });

  it("an empty line in the middle is an error, not a skipped row", () => {
    const error = inputError(() => rows("a,b\n1,2\n\n3,4\n"));
    expect(where(error)).toEqual(["x.csv", 3, 1]);
    expect(error.reason).toMatch(/empty line/);
  });

  it("a quote inside an unquoted field, and text after a closing quote, are errors", () => {
    expect(inputError(() => rows('a,b\nx"y,1\n')).reason).toMatch(/a quote inside an unquoted field/);
    expect(inputError(() => rows('a,b\n"x"y,1\n')).reason).toMatch(/text after a closing quote/);
  });

  it("an empty file has no header", () => {
    expect(inputError(() => rows("")).reason).toMatch(/empty file/);
  });
});

describe("SPEC 1 season.json: unknown keys, missing pools and bad values are errors, never defaults", () => {
  const config = (edit: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(new SeasonBuilder().configJson()) as Record<string, unknown>;
    edit(json);
    return JSON.stringify(json, null, 2);
  };

  it.each([
    ["an unknown key", (j: Record<string, unknown>) => (j.bonus = "1"), /unknown key "bonus"/],
    ["a missing pool", (j: Record<string, unknown>) => delete (j.pools as Record<string, unknown>).stakers, /missing pool "stakers"/],
    ["an unknown pool", (j: Record<string, unknown>) => ((j.pools as Record<string, unknown>).painters = { amount: "1" }), /unknown pool "painters"/],
    ["an amount with 19 decimals", (j: Record<string, unknown>) => ((j.pools as Record<string, { amount: string }>).artists!.amount = "1.0000000000000000001"), /19 fractional digits, at most 18/],
    ["a number amount", (j: Record<string, unknown>) => ((j.pools as Record<string, { amount: unknown }>).artists!.amount = 5), /must be a decimal string/],
    ["top 0", (j: Record<string, unknown>) => ((j.pools as Record<string, { top: unknown }>).artists!.top = 0), /top must be a positive integer/],
    ["end before start", (j: Record<string, unknown>) => (j.end = "2026-10-01T00:00:00Z"), /"end" must be after "start"/],
    ["a deadline before the end", (j: Record<string, unknown>) => (j.claimDeadline = "2026-10-20T00:00:00Z"), /"claimDeadline" must be after "end"/],
    ["a bad deposit address", (j: Record<string, unknown>) => (j.sparkDepositAddress = "0x12"), /not an address/],
    ["a weight with 7 decimals", (j: Record<string, unknown>) => (j.workerPaymentWeights = { sogni: "0.1234567" }), /7 fractional digits/],
  ])("%s", (_name, edit, reason) => {
    const error = inputError(() => parseSeasonConfig(config(edit), "season.json"));
    expect(error.file).toBe("season.json");
    expect(error.reason).toMatch(reason);
    expect(error.line).toBeGreaterThanOrEqual(1);
  });

  it("an unknown key is located on its line", () => {
    const text = config((j) => (j.bonus = "1"));
    const error = inputError(() => parseSeasonConfig(text, "season.json"));
    expect(text.split("\n")[error.line! - 1]).toBe('  "bonus": "1"');
  });

  it("not JSON: the line and column of the syntax error", () => {
    const error = inputError(() => parseSeasonConfig('{\n  "season": 7,\n  oops\n}', "season.json"));
    expect([error.line, error.column]).toEqual([3, 3]);
  });

  it("the defaults SPEC names: top absent = no cut, no deadline, 18 decimals, default worker weights", () => {
    const json = JSON.parse(new SeasonBuilder().configJson()) as Record<string, unknown>;
    delete json.workerPaymentWeights;
    delete json.exclude;
    const parsed = parseSeasonConfig(JSON.stringify(json));
    expect(parsed.pools.ambassadors.top).toBeUndefined();
    expect(parsed.claimDeadline).toBeUndefined();
    expect(parsed.decimals).toBe(18);
    expect(parsed.workerPaymentWeights).toEqual({ sogni: 1_000_000n, premium_spark: 1_000_000n, free_daily_boost: 100_000n });
    expect(parsed.sparkDepositAddress).toBe(DEPOSIT);
  });
});

describe("SPEC 6 onchain.json: strict fields, named by path", () => {
  const valid = { snapshot: [{ chainId: 1, block: "5", hash: `0x${"a".repeat(64)}`, timestamp: 1 }], locks: [], workerPaid: [], deposits: [] };
  it.each([
    ["an amount as a number with a fraction", { workerPaid: [{ chainId: 1, block: 1, logIndex: 0, batchId: "1", worker: who(1), amount: 1.5 }] }, "workerPaid[0].amount"],
    ["a chain not in the snapshot", { deposits: [{ chainId: 2, block: 1, logIndex: 0, txHash: `0x${"b".repeat(64)}`, from: who(1), to: who(2), amount: "1" }] }, "deposits[0].chainId"],
    ["lockWeeks 53", { locks: [{ chainId: 1, block: 1, logIndex: 0, account: who(1), amount: "1", lockWeeks: 53, effectiveFrom: 0, unlockAt: 1 }] }, "locks[0].lockWeeks"],
    ["an unknown field", { locks: [{ chainId: 1, block: 1, logIndex: 0, account: who(1), amount: "1", lockWeeks: 1, effectiveFrom: 0, unlockAt: 1, extra: 1 }] }, "locks[0].extra"],
    ["a short tx hash", { deposits: [{ chainId: 1, block: 1, logIndex: 0, txHash: "0xab", from: who(1), to: who(2), amount: "1" }] }, "deposits[0].txHash"],
  ])("%s", (_name, patch, path) => {
    const error = inputError(() => parseOnchainJson(JSON.stringify({ ...valid, ...patch }), "onchain.json"));
    expect([error.file, error.column]).toEqual(["onchain.json", path]);
  });
});
