/**
 * Issue 13 at the unit level: input that would silently change a payout,
 * text that would execute in a spreadsheet or a terminal, and errors that
 * would not say where. Each refusal is an InputError with its file, line,
 * column and reason (test/cli/hostile-input.test.ts checks the same through
 * the CLI: exit code, nothing written).
 */
import { describe, expect, it } from "vitest";
import { parseSeasonConfig } from "../../season/config.js";
import { csvTextField, readCsvText } from "../../season/csv.js";
import { InputError } from "../../season/errors.js";
import { MAX_JSON_DEPTH, parseJsonText } from "../../season/json.js";
import { parseOnchainJson, serializeOnchainJson } from "../../season/onchain.js";
import { leaderboardCsvChunks, parseLeaderboardCsv, renderRejectedCsv } from "../../season/season-files.js";
import { decodeUtf8, escapeInvisible, idProblem } from "../../season/text.js";
import { CHAIN, E18, SeasonBuilder, START, who, WEEK, inputError } from "./season-builder.js";

const where = (error: InputError) => [error.file, error.line, error.column];

/** The builder's season.json, two-space indented (one key per line), so lines are easy to name. */
const configLines = (): string[] => JSON.stringify(JSON.parse(new SeasonBuilder().configJson()), null, 2).split("\n");
const lineOf = (lines: string[], text: string): number => lines.findIndex((line) => line.includes(text)) + 1;

/** A valid little season whose files each test then breaks. */
function base(): SeasonBuilder {
  const s = new SeasonBuilder().user("u1", who(1)).user("u2", who(2), "u1");
  s.usage("u1", START + 60, { free: "1" }, "r1").card("u2", START + 60, "5", "p1");
  s.job(who(3), "fast", START + 60, "1", "sogni", 1, "GPU", "j1").paid(1, who(3));
  return s;
}

describe("issue 13: duplicate JSON keys are refused (the last one no longer wins)", () => {
  it('a second "season" key: season.json, its line, column "season"', () => {
    const lines = configLines();
    lines.splice(2, 0, '  "season": 8,');
    const error = inputError(() => parseSeasonConfig(lines.join("\n"), "season.json"));
    expect(where(error)).toEqual(["season.json", 3, "season"]);
    expect(error.reason).toMatch(/^duplicate key "season" \(first on line 2, column 3\)/);
  });

  it("a second amount in a pool: the key path pools.artists.amount", () => {
    const lines = configLines();
    const first = lineOf(lines, '"amount": "1000"');
    const text = lines.join("\n").replace('"amount": "1000",\n      "top": 200', '"amount": "1000",\n      "amount": "9000000",\n      "top": 200');
    const error = inputError(() => parseSeasonConfig(text, "season.json"));
    expect(where(error)).toEqual(["season.json", first + 1, "pools.artists.amount"]);
    expect(error.reason).toMatch(new RegExp(`duplicate key "amount" \\(first on line ${first}, column 7\\)`));
  });

  it("a repeated field in an onchain.json fact: onchain.json, its line, workerPaid[0].amount", () => {
    const s = base();
    const text = serializeOnchainJson(parseOnchainJson(JSON.stringify(s.onchain))).replace('"amount":"1"}', '"amount":"1","amount":"1000000"}');
    const error = inputError(() => parseOnchainJson(text, "onchain.json"));
    expect(where(error)).toEqual(["onchain.json", lineOf(text.split("\n"), '"amount":"1000000"'), "workerPaid[0].amount"]);
    expect(error.reason).toMatch(/duplicate key "amount"/);
  });

  it('a key written with an escape is the same key ("s\\u0065ason" repeats "season")', () => {
    const error = inputError(() => parseJsonText('{"season": 7, "s\\u0065ason": 8}', "season.json"));
    expect(where(error)).toEqual(["season.json", 1, "season"]);
  });

  it("values are what JSON.parse gives, __proto__ included", () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\n\\u00e9"], "__proto__": {"b": 1}, "c": {}}';
    expect(parseJsonText(text, "x.json")).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parseJsonText(text, "x.json"))).toBe(Object.prototype);
  });
});

describe("issue 13: errors that say where", () => {
  it("a UTF-8 BOM before season.json is read the same way everywhere (build and verify share the reader)", () => {
    const text = new SeasonBuilder().configJson();
    expect(parseSeasonConfig(`\uFEFF${text}`, "season.json")).toEqual(parseSeasonConfig(text, "season.json"));
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), "season.json")).toBe("{}");
  });

  it("invalid UTF-8 names its line and column: users.csv, line 3, column 4", () => {
    const bytes = new TextEncoder().encode("user_id,username\nu1,ada\nu2,bo\n");
    const broken = new Uint8Array([...bytes.subarray(0, 27), 0xff, ...bytes.subarray(27)]);
    const error = inputError(() => decodeUtf8(broken, "users.csv"));
    expect(where(error)).toEqual(["users.csv", 3, 4]);
    expect(error.reason).toMatch(/not valid UTF-8 \(byte 0xff at offset 27\)/);
  });

  it(`nesting deeper than ${MAX_JSON_DEPTH} levels names the file and path, never a stack overflow (100,000 levels)`, () => {
    const deep = `{"snapshot": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const error = inputError(() => parseOnchainJson(deep, "onchain.json"));
    expect(error.file).toBe("onchain.json");
    expect(error.line).toBe(1);
    expect(error.column).toBe(`snapshot${"[0]".repeat(MAX_JSON_DEPTH - 1)}`);
    expect(error.reason).toMatch(/nested deeper than 64 levels/);
  });

  it('a pool without "amount" is blamed on its own line, not the next pool\'s', () => {
    const lines = configLines();
    const text = lines.join("\n").replace('"artists": {\n      "amount": "1000",\n      "top": 200', '"artists": {\n      "top": 200');
    const error = inputError(() => parseSeasonConfig(text, "season.json"));
    expect(where(error)).toEqual(["season.json", lineOf(lines, '"artists"'), "pools.artists"]);
    expect(error.reason).toMatch(/pool "artists" has no "amount"/);
  });

  it("the same instant as …Z and …+00:00 is accepted in every season.json time key", () => {
    const zulu = parseSeasonConfig(new SeasonBuilder().configJson());
    const offset = parseSeasonConfig(new SeasonBuilder().configJson().replaceAll('Z"', '+00:00"'));
    expect([offset.start, offset.end]).toEqual([zulu.start, zulu.end]);
  });
});

describe("issue 13 / SPEC 6: every fact names its log; the build orders facts and refuses a repeat", () => {
  it("the same (chain, block, log index) twice is refused, naming both entries", () => {
    const s = base().paid(1, who(4));
    s.onchain.workerPaid[1]!.logIndex = s.onchain.workerPaid[0]!.logIndex;
    const text = JSON.stringify(s.onchain, null, 2);
    const error = inputError(() => parseOnchainJson(text, "onchain.json"));
    expect(error.column).toBe("workerPaid[1]");
    expect(error.reason).toMatch(/^workerPaid\[1\] and workerPaid\[0\] \(line \d+\) are the same log: chain 31337, block 1, log index 0/);
  });

  it("a payout listed twice in different sections is the same log too", () => {
    const s = base().deposit(`0x${"1".repeat(64)}`, who(2), E18);
    s.onchain.deposits[0]!.logIndex = s.onchain.workerPaid[0]!.logIndex;
    expect(inputError(() => parseOnchainJson(JSON.stringify(s.onchain), "onchain.json")).reason).toMatch(/deposits\[0\] and workerPaid\[0\]/);
  });

  it("lock states out of chain order in the file count in chain order: the same power either way", () => {
    const inOrder = base().lock(who(5), 100n, 6, START - WEEK, START + 5 * WEEK).lock(who(5), 300n, 6, START + WEEK, START + 7 * WEEK);
    inOrder.onchain.locks[0]!.block = 10;
    inOrder.onchain.locks[1]!.block = 20;
    const reversed = base().lock(who(5), 300n, 6, START + WEEK, START + 7 * WEEK).lock(who(5), 100n, 6, START - WEEK, START + 5 * WEEK);
    reversed.onchain.locks[0]!.block = 20;
    reversed.onchain.locks[1]!.block = 10;
    const power = (s: SeasonBuilder) => s.compute().leaderboards.stakers.entries[0]!.weight;
    expect(power(reversed)).toBe(power(inOrder));
    // 100 SOGNI for the first week, then 300 for the second: 14.696934 × (100 + 300) × 1 week, in wei × micro-units.
    expect(power(inOrder)).toBe(14_696_934n * 400n * E18 * BigInt(WEEK));
  });

  it("a lock state that takes effect before the state it follows is refused", () => {
    const s = base().lock(who(5), 100n, 6, START + WEEK, START + 7 * WEEK).lock(who(5), 300n, 6, START, START + 6 * WEEK);
    const error = inputError(() => parseOnchainJson(JSON.stringify(s.onchain), "onchain.json"));
    expect(error.column).toBe("locks[1].effectiveFrom");
    expect(error.reason).toMatch(/takes effect at \d+, before the state it follows/);
  });

  it("a fact without block or logIndex (formatVersion 1) is refused with what to do", () => {
    const s = base();
    delete (s.onchain.workerPaid[0] as { block?: unknown }).block;
    const text = JSON.stringify(s.onchain, null, 2);
    const error = inputError(() => parseOnchainJson(text, "onchain.json"));
    // The line where the fact starts: the field it lacks has no line.
    expect(where(error)).toEqual(["onchain.json", lineOf(text.split("\n"), '"workerPaid"') + 1, "workerPaid[0].block"]);
    expect(error.reason).toMatch(/missing field "block" \(onchain.json gives every fact the block and log index of its log since formatVersion 2/);
  });

  it("a fact after its chain's snapshot block is refused", () => {
    const s = base();
    s.onchain.workerPaid[0]!.block = 101;
    expect(inputError(() => parseOnchainJson(JSON.stringify(s.onchain), "onchain.json")).reason).toMatch(/block 101 is after chain 31337's snapshot block 100/);
  });

  it("locks of two staking contracts on one chain are two locks: a new state replaces only its own contract's", () => {
    const s = base().lock(who(5), 100n, 6, START - WEEK, START + 5 * WEEK).lock(who(5), 300n, 6, START + WEEK, START + 7 * WEEK);
    s.onchain.locks[0]!.staking = who(0xa1);
    s.onchain.locks[1]!.staking = who(0xa2);
    // Both in force: 100 for two weeks plus 300 for the second week.
    expect(s.compute().leaderboards.stakers.entries[0]!.weight).toBe(14_696_934n * (200n + 300n) * E18 * BigInt(WEEK));
  });

  it("a lock without staking on a chain with several staking contracts is refused; with one, it is that one's", () => {
    const several = base().lock(who(5), 1n, 6, START, START + 6 * WEEK).lock(who(6), 1n, 6, START, START + 6 * WEEK).lock(who(7), 1n, 6, START, START + 6 * WEEK);
    several.onchain.locks[0]!.staking = who(0xa1);
    several.onchain.locks[1]!.staking = who(0xa2);
    const error = inputError(() => parseOnchainJson(JSON.stringify(several.onchain), "onchain.json"));
    expect(error.column).toBe("locks[2]");
    expect(error.reason).toMatch(/no "staking", but chain 31337 has several staking contracts/);
    const one = base().lock(who(5), 1n, 6, START, START + 6 * WEEK).lock(who(6), 1n, 6, START, START + 6 * WEEK);
    one.onchain.locks[0]!.staking = who(0xa1);
    expect(parseOnchainJson(JSON.stringify(one.onchain)).locks.map((lock) => lock.staking)).toEqual([who(0xa1), who(0xa1)]);
  });

  it("onchain.json is written in chain order with block, logIndex and staking", () => {
    const s = base().lock(who(5), 1n, 6, START, START + 6 * WEEK);
    s.onchain.locks[0]!.staking = who(0xa1);
    s.onchain.locks[0]!.block = "50";
    const text = serializeOnchainJson(parseOnchainJson(JSON.stringify(s.onchain)));
    expect(text).toContain(`{"chainId":${CHAIN},"block":"50","logIndex":1,"staking":"${who(0xa1)}","account":"${who(5)}","amount":"${E18}",`);
    expect(text).toContain(`{"chainId":${CHAIN},"block":"1","logIndex":0,"batchId":"1","worker":"${who(3)}","amount":"1"}`);
  });
});

describe("issue 13: ids with control or format characters are refused (they look like another id)", () => {
  const cases: { name: string; edit: (s: SeasonBuilder) => void; at: [string, number, string]; reason: RegExp }[] = [
    { name: "a zero-width space in a purchase id", edit: (s) => s.card("u2", START + 60, "5", "p1\u200b"), at: ["spark_purchases.csv", 3, "purchase_id"], reason: /purchase_id "p1\\u\{200b\}" holds U\+200B/ },
    { name: "a BOM inside a request id", edit: (s) => s.usage("u1", START + 60, { free: "1" }, "r\uFEFF1"), at: ["spark_usage.csv", 3, "request_id"], reason: /holds U\+FEFF/ },
    { name: "a bidi override in a job id", edit: (s) => s.job(who(3), "fast", START, "1", "sogni", 1, "GPU", "j\u202e2"), at: ["jobs.csv", 3, "job_id"], reason: /holds U\+202E/ },
    { name: "a bell (Cc) in a user id", edit: (s) => s.user("u\u00073", who(3)), at: ["users.csv", 4, "user_id"], reason: /holds U\+0007, a control character/ },
    { name: "a zero-width joiner in a referrer id", edit: (s) => s.user("u3", who(3), "u1\u200d"), at: ["users.csv", 4, "referrer_id"], reason: /holds U\+200D/ },
    { name: "a variation selector in a user id", edit: (s) => s.user("u3\ufe0f", who(3)), at: ["users.csv", 4, "user_id"], reason: /holds U\+FE0F/ },
    { name: "a trailing space in a request id", edit: (s) => s.usage("u1", START + 60, { free: "1" }, "r1 "), at: ["spark_usage.csv", 3, "request_id"], reason: /starts or ends with a space/ },
    { name: "an invisible character in a user_id reference", edit: (s) => s.card("u2\u2060", START + 60, "5", "p9"), at: ["spark_purchases.csv", 3, "user_id"], reason: /holds U\+2060/ },
  ];

  it.each(cases)("$name", ({ edit, at, reason }) => {
    const s = base();
    edit(s);
    const error = inputError(() => s.compute());
    expect(where(error).map(String)).toEqual(at.map(String));
    expect(error.reason).toMatch(reason);
  });

  it("plain ids pass without a regex; non-ASCII letters are ids too", () => {
    expect([idProblem("p-17"), idProblem("ユーザー1"), idProblem("josé")]).toEqual([undefined, undefined, undefined]);
  });
});

describe("issue 13: amounts no token can fund and recipients no one can claim for", () => {
  it("a pool amount whose wei overflow uint256 names the key", () => {
    const lines = configLines();
    const text = lines.join("\n").replace('"amount": "1000",\n      "top": 200', `"amount": "1${"0".repeat(60)}",\n      "top": 200`);
    const error = inputError(() => parseSeasonConfig(text, "season.json"));
    expect(where(error)).toEqual(["season.json", lineOf(lines, '"amount": "1000"'), "pools.artists.amount"]);
    expect(error.reason).toMatch(/does not fit in uint256/);
  });

  it("pools that each fit but add up beyond uint256 are refused", () => {
    const big = (2n ** 256n / 10n ** 18n / 3n).toString();
    const pools = { artists: { amount: big }, ambassadors: { amount: big }, stakers: { amount: big }, relaxedWorkers: { amount: big } };
    const error = inputError(() => parseSeasonConfig(new SeasonBuilder({ pools }).configJson(), "season.json"));
    expect(error.column).toBe("pools");
    expect(error.reason).toMatch(/the pools add up to \d+ wei, more than uint256 holds/);
  });

  it.each([
    ["a user", (s: SeasonBuilder) => s.user("u3", "0x0000000000000000000000000000000000000000"), ["users.csv", 4, "address"]],
    ["a worker", (s: SeasonBuilder) => s.job("0x0000000000000000000000000000000000000000", "fast", START, "1", "sogni", 1, "GPU", "j9"), ["jobs.csv", 3, "worker_address"]],
  ] as const)("the zero address as %s: file, line, column", (_name, edit, at) => {
    const s = base();
    edit(s);
    const error = inputError(() => s.compute());
    expect(where(error).map(String)).toEqual(at.map(String));
    expect(error.reason).toMatch(/is the zero address: no one can claim/);
  });

  it("the zero address as a staker in onchain.json", () => {
    const s = base().lock("0x0000000000000000000000000000000000000000", 1n, 6, START, START + 6 * WEEK);
    expect(inputError(() => parseOnchainJson(JSON.stringify(s.onchain), "onchain.json")).column).toBe("locks[0].account");
  });
});

describe("issue 13: free text never reaches a spreadsheet cell as a formula, nor a terminal raw", () => {
  it.each([
    ["=HYPERLINK(\"http://x\",\"win\")", `"'=HYPERLINK(""http://x"",""win"")"`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(1)", "'@SUM(1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
    ["'quoted", "''quoted"],
    ["＝1+1", "'＝1+1"],
    ["ada", "ada"],
    ["bob, the builder", '"bob, the builder"'],
  ])("%j is written as %j and read back as it was", (name, cell) => {
    expect(csvTextField(name)).toBe(cell);
    expect(readCsvText(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell)).toBe(name);
  });

  it("leaderboards: a username and hardware that look like formulas get a leading ' and read back unchanged", () => {
    const s = new SeasonBuilder().user("u1", who(1), "", "=HYPERLINK(1)").usage("u1", START + 60, { free: "1" });
    s.job(who(1), "fast", START + 60, "1", "sogni", 1, "@evil", "j1").paid(1, who(1));
    const result = s.compute();
    const artists = [...leaderboardCsvChunks(result.leaderboards.artists)].join("");
    expect(artists.split("\n")[1]).toBe(`1,${who(1)},'=HYPERLINK(1),1,1,${1000n * E18}`);
    expect(parseLeaderboardCsv(artists, "artists.csv", "artists")[0]!.name).toBe("=HYPERLINK(1)");
    const fast = [...leaderboardCsvChunks(result.leaderboards.fastWorkers)].join("");
    expect(fast.split("\n")[1]!.endsWith(",'@evil,1,")).toBe(true); // hardware, then work (1 wei) and nft (none)
    expect(parseLeaderboardCsv(fast, "fastWorkers.csv", "fastWorkers")[0]!.hardware).toBe("@evil");
  });

  it("rejected.csv: an id that looks like a formula gets a leading '", () => {
    expect(renderRejectedCsv([{ file: "jobs.csv", rowId: "=1+1", reason: "worker 0x… was not paid" }])).toBe("file,row_id,reason\njobs.csv,'=1+1,worker 0x… was not paid\n");
  });

  it("a terminal is shown control, bidi and zero-width characters, never given them", () => {
    expect(escapeInvisible("ada\u202eevil\u001b[2J\u200b")).toBe("ada\\u{202e}evil\\u{1b}[2J\\u{200b}");
    expect(escapeInvisible("line 1\nline 2", "\n")).toBe("line 1\nline 2");
    expect(escapeInvisible("josé 🎨")).toBe("josé 🎨");
  });
});
