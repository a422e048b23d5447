/**
 * `sogni-season serve` end to end, as a person runs it (the real CLI in a
 * child process, real directories): it prints where it listens, answers the
 * page and its API from the files alone, and stops cleanly on Ctrl-C
 * (SIGINT) or SIGTERM, exit 0. Bad usage exits 2; a missing or damaged
 * directory, a deployments file that is not there, a taken port or an RPC
 * that does not answer exit 1 with a message that names it.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTwoSeasons } from "../cli/publish-support.js";
import { runSeason } from "../cli/support.js";
import { startServe } from "./support/page-server.js";

let work: string;
let out: string;
let season7: string;
let publication1: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "page-serve-"));
  let season8: string;
  ({ out, season7, season8 } = await buildTwoSeasons(work));
  const run = await runSeason(["publish", "--seasons", season7, season8, "--at", "2026-11-01T00:00:00Z", "--out", out, "--quiet"]);
  expect(run.status, run.stderr).toBe(0);
  publication1 = join(out, "publication-1");
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `serve <args>` run to its end (it fails before listening), from `work` (no deployments/local.json there). */
const serveOnce = (args: string[], env: Record<string, string> = {}) => runSeason(["serve", ...args], { cwd: work, env: { DEPLOYMENTS: "", ...env }, timeoutMs: 60_000 });

describe("serve <dir>: the page and its API from the files, until Ctrl-C", () => {
  it("--json: one line with the URL and what it serves; the API answers; SIGINT closes the port and exits 0", async () => {
    const served = await startServe([out, "--port", "0", "--json"], { cwd: work, ready: /\n/ });
    const summary = JSON.parse(served.stdout());
    expect(summary).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      seasons: [
        { season: 7, dir: season7 },
        { season: 8, dir: join(out, "season-8") },
      ],
      publications: [{ id: 1, dir: publication1 }],
      skipped: [],
      deployments: null,
      rewards: [],
      rpc: null,
      memoryMb: 384,
    });
    // Each directory's lookup data is read into memory in the background, the latest publication first,
    // then the latest season, then older ones; the operator is told as each is held.
    await expect.poll(() => served.stderr().split("\n").filter((line) => line.includes("lookups now answered from memory")).length, { timeout: 10_000, interval: 50 }).toBe(3);
    expect(served.stderr().split("\n").slice(0, 3).map((line) => line.replace(/ \(\d+\.\d s\)$/, ""))).toEqual([
      "sogni-season serve: out/publication-1: lookups now answered from memory", // relative to where it runs
      "sogni-season serve: out/season-8: lookups now answered from memory",
      "sogni-season serve: out/season-7: lookups now answered from memory",
    ]);
    const catalog = await (await fetch(`${summary.url}page/api/catalog`)).json();
    expect(catalog).toMatchObject({ latestSeason: 8, latestPublication: 1 });
    expect((await fetch(`${summary.url}page/api/rewards/0x70997970C51812dc3A010C7d01b50e0d17dc79C8`).then((response) => response.json())).chain).toBeNull();
    const page = await fetch(summary.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/page/app.js"></script>');
    expect((await fetch(`${summary.url}page/app.js`)).status).toBe(200);
    const elsewhere = await fetch(`${summary.url}claims/7/0x70997970C51812dc3A010C7d01b50e0d17dc79C8`);
    expect(elsewhere.status).toBe(404);
    expect((await elsewhere.json()).error).toContain("this server answers / and /page/api/*");

    const stopped = await served.stop("SIGINT");
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr.split("\n").slice(3)).toEqual(["sogni-season serve: stopped (SIGINT)", ""]);
    await expect(fetch(`${summary.url}page/api/catalog`)).rejects.toThrow();
  });

  it("the human summary names each directory, the contracts and the chain; SIGTERM exits 0 too", async () => {
    const served = await startServe([season7, publication1, "--port", "0", "--host", "127.0.0.1"], { cwd: work, ready: /Ctrl-C stops it\.\n/ });
    const url = /the page at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(served.stdout())![1]!;
    expect(served.stdout()).toBe(
      [
        `sogni-season serve: the page at ${url}`,
        "  season 7          out/season-7", // relative to where it runs, as a person gives them
        "  publication 1     out/publication-1",
        "  SogniRewards      none named (no deployments file)",
        "  chain             not read here: the page reads SogniRewards through the wallet (--rpc <url> reads it here)",
        "  lookups           from the files, then from memory once read in (up to 384 MB, --memory)",
        `  API               ${url}page/api/catalog (docs/serve.md)`,
        "Ctrl-C stops it.",
        "",
      ].join("\n"),
    );
    expect((await (await fetch(`${url}page/api/season`)).json()).season).toBe(7);
    const stopped = await served.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain("stopped (SIGTERM)");
  });

  it("--memory 0: lookups from the files only, nothing read into memory, nothing said of it", async () => {
    const served = await startServe([out, "--port", "0", "--json", "--memory", "0"], { cwd: work, ready: /\n/ });
    const summary = JSON.parse(served.stdout());
    expect(summary.memoryMb).toBe(0);
    const answer = await (await fetch(`${summary.url}page/api/recipients/0x70997970C51812dc3A010C7d01b50e0d17dc79C8?season=7`)).json();
    expect(answer).toMatchObject({ recipient: true, season: 7, address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" });
    expect((await fetch(`${summary.url}page/api/leaderboards/ambassadors?limit=1`)).status).toBe(200); // a board indexed: past the start, where the others were read in
    const stopped = await served.stop("SIGINT");
    expect(stopped.stderr).toBe("sogni-season serve: stopped (SIGINT)\n");
  });

  it("a directory that holds nothing yet is served beside the others: a season copied into it shows within a second", async () => {
    const later = join(work, "later");
    mkdirSync(later);
    const served = await startServe([season7, later, "--port", "0", "--json"], { cwd: work, ready: /\n/ });
    const summary = JSON.parse(served.stdout());
    expect(summary.skipped).toEqual([`${later}: holds no season-<n>/ or publication-<id>/ directory (and is not one: no manifest.json)`]);
    expect((await (await fetch(`${summary.url}page/api/catalog`)).json()).latestSeason).toBe(7);
    cpSync(join(out, "season-8"), join(later, "season-8"), { recursive: true });
    // The directories are looked at again every 250 ms, not on every request.
    await expect.poll(async () => (await (await fetch(`${summary.url}page/api/catalog`)).json()).latestSeason, { timeout: 1000, interval: 50 }).toBe(8);
    expect((await served.stop()).code).toBe(0);
  });

  it("a deployments file names each chain's SogniRewards: the season answer carries it", async () => {
    const deployments = join(work, "deployments.json");
    const rewards = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    writeFileSync(
      deployments,
      JSON.stringify({ chains: [{ chainId: 31337, name: "hardhat", rpcUrl: "http://127.0.0.1:1", startBlock: 0, contracts: { SogniToken: rewards, SogniStaking: rewards, WorkerPayouts: rewards }, distributors: [], rewards: { address: rewards, block: 1 } }] }),
    );
    const served = await startServe([out, "--port", "0", "--json"], { cwd: work, ready: /\n/, env: { DEPLOYMENTS: deployments } });
    const summary = JSON.parse(served.stdout());
    expect(summary).toMatchObject({ deployments, rewards: [{ chainId: 31337, address: rewards, block: 1 }] });
    expect((await (await fetch(`${summary.url}page/api/season`)).json()).rewards).toEqual({ chainId: 31337, address: rewards });
    expect((await served.stop()).code).toBe(0);
  });
});

describe("serve refuses what it cannot serve", () => {
  it("bad usage exits 2 with the help: no directory, an unknown option, a port out of range", async () => {
    for (const args of [[], [out, "--bogus"], [out, "--port", "70000"], [out, "--port", "x"], [out, "--host", ""], [out, "--memory", "-1"], [out, "--memory", "1.5"]]) {
      const run = await serveOnce(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toContain("sogni-season serve");
    }
    const help = await serveOnce(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("sogni-season serve <dir>… [--port N] [--host H] [--rpc URL] [--deployments FILE] [--memory MB] [--json]");
  });

  it("a missing directory, a file, a directory with nothing to serve, a damaged manifest: exit 1 naming it", async () => {
    const empty = join(work, "empty");
    mkdirSync(empty, { recursive: true });
    const damaged = join(work, "damaged");
    cpSync(season7, join(damaged, "season-7"), { recursive: true });
    writeFileSync(join(damaged, "season-7", "manifest.json"), "{ not json");
    const cases: [string[], string][] = [
      [[join(work, "missing")], `${join(work, "missing")}: no such directory`],
      [[join(season7, "manifest.json")], "is not a directory"],
      [[empty], `nothing to serve in ${empty}: ${empty}: holds no season-<n>/ or publication-<id>/ directory`],
      [[join(damaged, "season-7"), out], `cannot serve ${join(damaged, "season-7")}: ${join(damaged, "season-7", "manifest.json")}`],
      [[damaged], `nothing to serve in ${damaged}: ${join(damaged, "season-7")}: ${join(damaged, "season-7", "manifest.json")}`],
      [[join(work, "out", "season-9")], "no such directory"],
    ];
    for (const [args, message] of cases) {
      const run = await serveOnce([...args, "--port", "0"]);
      expect(run.status, args.join(" ")).toBe(1);
      expect(run.stderr, args.join(" ")).toContain(message);
    }
  });

  it("a deployments file that is not there, an RPC that does not answer, a port that is taken: exit 1", async () => {
    const missing = await serveOnce([out, "--deployments", join(work, "nope.json")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`no deployments file at ${join(work, "nope.json")}`);
    const deadRpc = await serveOnce([out, "--port", "0", "--rpc", "http://127.0.0.1:9"]);
    expect(deadRpc.status).toBe(1);
    expect(deadRpc.stderr).toContain("no JSON-RPC node answers at http://127.0.0.1:9");
    const taken: Server = createServer();
    await new Promise<void>((listening) => taken.listen(0, "127.0.0.1", () => listening()));
    try {
      const port = (taken.address() as { port: number }).port;
      const run = await serveOnce([out, "--port", String(port)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is taken`);
    } finally {
      taken.close();
    }
  });
});
