/**
 * The two-thread paths of `season build` (season-io/parallel.ts) give exactly
 * what the one-thread core gives: the same season, the same first error, the
 * same tree. And the address sort that merges recipients orders like a plain
 * string sort, whatever the addresses share.
 */
import { rmSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortIndicesByAddress } from "../../season/address.js";
import { parseSeasonConfig } from "../../season/config.js";
import { computeSeason, parseActivity, type SeasonInputs } from "../../season/engine.js";
import { buildCumulativeTree, buildRecipientTree, writeLeaf } from "../../season/leaf.js";
import { buildTreeFromBytes } from "../../season/tree.js";
import { parseOnchainJson } from "../../season/onchain.js";
import { writeSeasonOutput } from "../../season-io/output.js";
import { buildCumulativeTreeInBackground, buildTreeInBackground, computeSeasonInParallel, parseActivityOnSecondThread } from "../../season-io/parallel.js";
import { readUsers, userIndexOf } from "../../season/scoring.js";
import type { Address, Recipient } from "../../season/types.js";
import { generateSeasonFiles } from "../../scripts/generate-season.js";
import { readTree, scratchDir } from "./output-support.js";
import { SeasonBuilder, START, who } from "./season-builder.js";

async function generated(recipients: number, seed: number): Promise<SeasonInputs> {
  const files: Record<string, string> = {};
  await generateSeasonFiles({ recipients, seed, checksum: true }, (file, text) => {
    files[file] = (files[file] ?? "") + text;
  });
  return {
    config: parseSeasonConfig(files["season.json"]!, "season.json"),
    onchain: parseOnchainJson(files["onchain.json"]!, "onchain.json"),
    files: { users: files["users.csv"]!, spark_usage: files["spark_usage.csv"]!, spark_purchases: files["spark_purchases.csv"]!, jobs: files["jobs.csv"]! },
  };
}

function inputsOf(s: SeasonBuilder): SeasonInputs {
  return { config: parseSeasonConfig(s.configJson()), files: s.files(), onchain: parseOnchainJson(JSON.stringify(s.onchain)) };
}

/** computeSeason's error message, or "ok". */
function sequentialOutcome(inputs: SeasonInputs): string {
  try {
    computeSeason(inputs);
    return "ok";
  } catch (error) {
    return (error as Error).message;
  }
}

async function parallelOutcome(inputs: SeasonInputs): Promise<string> {
  try {
    await computeSeasonInParallel(inputs);
    return "ok";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("computeSeasonInParallel equals computeSeason", () => {
  it("on generated seasons with referrals, SOGNI purchases, rejections and rows outside the window", async () => {
    for (const [recipients, seed] of [
      [2_000, 1],
      [5_000, 2],
    ] as const) {
      const inputs = await generated(recipients, seed);
      const sequential = computeSeason(inputs);
      const parallel = await computeSeasonInParallel(inputs);
      expect(parallel.recipients.length).toBe(recipients);
      // The second thread does answer (computeSeasonInParallel would quietly parse here if it did not).
      const { files, config } = inputs;
      const answer = await parseActivityOnSecondThread({ files, config }).answer;
      expect(answer).toEqual(parseActivity(files, config, userIndexOf(readUsers(files.users))));
      expect(parallel.rejected.length).toBeGreaterThan(0);
      expect(Object.keys(parallel.skippedOutsideWindow).length).toBeGreaterThan(0);
      expect(parallel).toEqual(sequential);
    }
  });

  it("gives the same first error: users.csv's before the activity exports', usage's before purchases'", async () => {
    const base = (): SeasonBuilder => new SeasonBuilder().user("u1", who(1)).user("u2", who(2), "u1").card("u2", START + 10, "5").usage("u1", START + 20, { free: "1" });
    const cases: [string, (s: SeasonBuilder) => void, RegExp][] = [
      ["unknown user in spark_usage.csv", (s) => s.usage("nobody", START + 30, { free: "1" }), /spark_usage\.csv, line 3, column user_id: unknown user id "nobody"/],
      ["unknown user in spark_purchases.csv", (s) => s.card("ghost", START + 30, "1"), /spark_purchases\.csv, line 3, column user_id: unknown user id "ghost"/],
      [
        "bad purchase and bad usage: usage first",
        (s) => {
          s.purchaseRows.push("p9,u1,2026-10-13T00:00:00Z,1.2.3,card,,");
          s.usage("u1", "not-a-time", { free: "1" });
        },
        /spark_usage\.csv, line 3, column timestamp/,
      ],
      [
        "bad users.csv and bad usage: users.csv first",
        (s) => {
          s.user("u3", "0x12345");
          s.usage("nobody", START + 30, { free: "1" });
        },
        /users\.csv, line 4, column address/,
      ],
      ["a referral cycle", (s) => s.user("u3", who(3), "u4").user("u4", who(4), "u3").usage("nobody", START, { free: "1" }), /users\.csv.*referral cycle/],
      ["a bad jobs.csv row after good activity", (s) => s.job(who(9), "warp", START + 5, "1", "sogni", 1), /jobs\.csv, line 2, column tier/],
    ];
    for (const [name, spoil, expected] of cases) {
      const s = base();
      spoil(s);
      const inputs = inputsOf(s);
      const sequential = sequentialOutcome(inputs);
      expect(sequential, name).toMatch(expected);
      expect(await parallelOutcome(inputs), name).toBe(sequential);
    }
  });
});

describe("buildTreeInBackground equals buildTreeFromBytes", () => {
  it("root and every proof, for 0, 1, 2, 3 and 1,001 leaves", () => {
    for (const size of [0, 1, 2, 3, 1_001]) {
      const recipients: Recipient[] = Array.from({ length: size }, (_, i) => ({
        index: i,
        address: who(7 * i + 1) as Address,
        amount: BigInt(i) * 10n ** 17n + 1n,
        pools: { artists: 0n, ambassadors: 0n, stakers: 0n, relaxedWorkers: 0n, fastWorkers: 0n },
      }));
      const leaves = new Uint8Array(32 * size);
      for (const r of recipients) writeLeaf(leaves, 32 * r.index, r.index, r.address, r.amount);
      const expected = buildTreeFromBytes(leaves); // the packed leaves, written here independently
      expect(buildRecipientTree(recipients).root).toBe(expected.root);
      const pending = buildTreeInBackground(recipients);
      const tree = pending.wait();
      expect(pending.threaded).toBe(true); // the second thread did build it
      expect(tree.root).toBe(expected.root);
      expect(tree.depth).toBe(expected.depth);
      for (let i = 0; i < size; i++) expect(tree.proof(i)).toEqual(expected.proof(i));
    }
  });
});

describe("buildCumulativeTreeInBackground equals the cumulative-v1 tree built here (SPEC 8.2)", () => {
  it("root and every proof, for 0, 1, 2, 3 and 1,001 leaves", () => {
    for (const size of [0, 1, 2, 3, 1_001]) {
      const addresses = Array.from({ length: size }, (_, i) => who(7 * i + 1)).sort();
      const amounts = addresses.map((_, i) => BigInt(i) * 10n ** 17n + 1n);
      const expected = buildCumulativeTree(addresses, amounts);
      const pending = buildCumulativeTreeInBackground(addresses, amounts);
      const tree = pending.wait();
      expect(pending.threaded).toBe(true);
      expect(tree.root).toBe(expected.root);
      for (let i = 0; i < size; i++) expect(tree.proof(i)).toEqual(expected.proof(i));
    }
  });
});

describe("the season directory is the same whether a second thread builds the tree or not", () => {
  it("byte for byte, for a generated season of 3,000 recipients", async () => {
    const inputs = await generated(3_000, 3);
    const result = computeSeason(inputs);
    const params = {
      result,
      onchainJson: '{"snapshot":[],"locks":[],"workerPaid":[],"deposits":[]}\n',
      snapshot: [],
      inputs: { "users.csv": Buffer.from(inputs.files.users) },
      claim: { chainId: 31337, token: null },
      generator: { name: "sogni-season-engine", version: "0.1.0" },
    };
    const outs = [scratchDir(), scratchDir()];
    try {
      const pending = buildTreeInBackground(result.recipients);
      const threaded = readTree((await writeSeasonOutput({ ...params, tree: () => pending.ready() }, { outDir: outs[0]! })).dir);
      expect(pending.threaded).toBe(true);
      const single = readTree((await writeSeasonOutput({ ...params, tree: buildRecipientTree(result.recipients) }, { outDir: outs[1]! })).dir);
      expect(threaded.size).toBe(single.size);
      expect([...threaded.keys()]).toContain("tree.bin");
      for (const [path, bytes] of single) expect(threaded.get(path)?.equals(bytes), path).toBe(true);
    } finally {
      for (const dir of outs) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sortIndicesByAddress orders like a string sort, then by position", () => {
  const naive = (addresses: string[]): number[] =>
    addresses
      .map((address, i) => ({ address, i }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.i - b.i))
      .map(({ i }) => i);
  // Few distinct leading digits, so most addresses share the packed prefix and the tie-break runs (short and long).
  const hex = (digits: string, length: number) => fc.array(fc.constantFrom(...digits.split("")), { minLength: length, maxLength: length }).map((d) => d.join(""));
  const address = fc.tuple(hex("0f", 10), hex("0123456789abcdef", 30)).map(([head, tail]) => `0x${head}${tail}`);

  it("for generated addresses with shared prefixes and repeats", () => {
    fc.assert(
      fc.property(fc.array(address, { maxLength: 300 }), fc.integer({ min: 0, max: 5 }), (list, repeats) => {
        const addresses = [...list, ...list.slice(0, repeats)];
        expect([...sortIndicesByAddress(addresses)]).toEqual(naive(addresses));
      }),
      { numRuns: 200 },
    );
  });

  it("for 40 copies of one address and for inputs that are not lower-case hex", () => {
    const same = Array.from({ length: 40 }, () => who(5));
    expect([...sortIndicesByAddress(same)]).toEqual(naive(same));
    const odd = ["0xB", "0xa", "0x", "0x0A", "0x0a", who(1).toUpperCase()];
    expect([...sortIndicesByAddress(odd)]).toEqual(naive(odd));
  });
});
