/**
 * The page for seasons in series (SPEC 8) in headless Chromium, against a
 * real Hardhat node and the real page server, with data made by the real
 * CLI: seasons 7 and 8 built from test/fixtures/season-small(-8) (season 8
 * vests 40 % on 2026-11-01, the rest on 2026-12-01), publication 1 published
 * at 2026-11-01, SogniRewards deployed, publication 1 proposed, funded and
 * accepted; later publication 2 proposed and left pending. The server has
 * no chain provider, so the page reads root(), pending() and claimed()
 * through the wallet with viem. Its clock follows the chain's.
 *
 * Ada (Hardhat account 1) earned in both seasons: 745.818856836676312297
 * SOGNI in season 7 (all vested), 517.326209777852782885 in season 8 (40 %
 * vested: 206.930483911141113154), so publication 1 owes her
 * 952.749340747817425451.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { encodeFunctionData, toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardhatAccount, type ChainConnection } from "../../chain/clients.js";
import { SogniRewardsAbi } from "../../chain/abis/index.js";
import { readDeployments } from "../../chain/deployments.js";
import { latestTimestamp, mineAt, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { parseIsoTime } from "../../season/time.js";
import { findCumulativeProof } from "../../season-io/publication-dir.js";
import { REPO_ROOT, runSeason } from "../e2e/support/cli.js";
import { publishedSeasonsOnChain } from "../e2e/support/rewards-fixture.js";
import { injectWallets, launchChromium, testWallet, type Chromium, type InjectedWallet } from "./support/browser.js";
import { servePage, type PageServer } from "./support/page-server.js";

/** Screenshots go to a temporary directory; `SCREENSHOT_DIR=docs` refreshes docs/page.md's. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "claim-page-shots-"));

const TIMELOCK = 86_400;
const keyOf = (index: number): Hex => toHex(hardhatAccount(index).getHdKey().privateKey!);
const TREASURY_KEY = keyOf(0);
const ADA_KEY = keyOf(1);
const ADA = hardhatAccount(1).address.toLowerCase() as Address;
const short = (address: string) => `${address.toLowerCase().slice(0, 6)}…${address.toLowerCase().slice(-4)}`;

let node: HardhatNode;
let chain: ChainConnection;
let work: string;
let rewards: Address;
let deployments: string;
let seasons: { season7: string; season8: string; out: string };
let publication1: string;
let server: PageServer;
let browser: Chromium;
/** The chain's time minus the wall clock's, in seconds: the page server's `now` follows the chain. */
let clockOffset = 0;

async function syncClock(): Promise<void> {
  clockOffset = (await latestTimestamp(chain.publicClient)) - Date.now() / 1000;
}

const rewardsRun = (args: string[]) => runSeason(["rewards", ...args, "--rpc", node.rpcUrl, "--deployments", deployments], { SEASON_PRIVATE_KEY: TREASURY_KEY });
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

async function expectOk(run: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const result = await run;
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result.stdout;
}

/**
 * `sogni-season serve <dirs> --rpc <url> --json` as a person runs it: resolves once it prints its URL;
 * stop() sends SIGINT to that process (it closes its port and exits 0).
 */
async function serveCli(args: string[]): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "sogni-season.mjs"), "serve", ...args, "--port", "0", "--json"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const url = await new Promise<string>((listening, failed) => {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const line = stdout.split("\n").find((text) => text.startsWith("{"));
      if (line !== undefined && stdout.includes("\n")) listening((JSON.parse(line) as { url: string }).url.replace(/\/$/, ""));
    });
    child.once("exit", (code) => failed(new Error(`sogni-season serve exited ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((stopped) => {
        child.once("exit", (code) => stopped(code));
        child.kill("SIGINT");
      }),
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "claim-page-rewards-"));
  ({ node, chain, deployments, seasons, publication1 } = await publishedSeasonsOnChain(work));

  const deployed = JSON.parse(await expectOk(runSeason(["rewards", "deploy", "--rpc", node.rpcUrl, "--timelock", String(TIMELOCK), "--deployments", deployments, "--json"], { SEASON_PRIVATE_KEY: TREASURY_KEY })));
  rewards = deployed.address;
  await expectOk(rewardsRun(["propose", publication1]));
  await expectOk(rewardsRun(["fund", publication1]));
  const [, , , validAt] = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "pending" });
  await mineAt(chain.publicClient, validAt);
  await expectOk(rewardsRun(["accept", publication1]));
  await syncClock();

  // As the indexer and `serve` do: the SogniRewards of each chain from the deployments file.
  const rewardsContracts = () => readDeployments(deployments).chains.flatMap((entry) => (entry.rewards ? [{ chainId: entry.chainId, address: entry.rewards.address }] : []));
  server = await servePage({ outDir: seasons.out, rewardsContracts, now: () => Math.floor(Date.now() / 1000 + clockOffset) });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens `path` with `wallets` announced (EIP-6963); fails on any script error. */
async function openPage(path = "/", wallets: InjectedWallet[] = []): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (wallets.length > 0) await injectWallets(page, wallets);
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: /Leaderboard Season \d+/ }).waitFor();
  await page.locator("#panel-artists table").waitFor();
  expect(errors).toEqual([]);
  return page;
}

const adaWallet = (chainId = node.chainId, knownChains?: number[]) => testWallet({ key: ADA_KEY, rpcUrl: node.rpcUrl, chainId, name: "Ada Wallet", knownChains });

describe("the season picker: every season served can be opened, the latest by default, the choice kept in the URL", () => {
  it("opens Season 8 by default; the picker lists 8 and 7; choosing 7 opens ?season=7 with its own leaderboards", async () => {
    const page = await openPage();
    expect(await page.locator("h1").textContent()).toBe("Leaderboard Season 8 ended");
    expect(await page.locator("#season-picker option").allTextContents()).toEqual(["Season 8 · latest", "Season 7"]);
    expect(await page.getByRole("link", { name: "View Season 7" }).getAttribute("href")).toBe("?season=7");
    // Season 8's artists pool is 500 SOGNI (season 7's 1,000).
    expect(await page.locator("#panel-artists .pool-lead").textContent()).toBe("500 SOGNI awarded to the top 2 artists.");
    // The title with the picker beside it.
    const top = (await page.locator(".topline").boundingBox())!;
    const title = (await page.locator("h1").boundingBox())!;
    await page.screenshot({ path: join(SCREENSHOT_DIR, "page-season-picker.png"), clip: { x: 0, y: Math.max(0, top.y - 16), width: 1280, height: title.y + title.height - top.y + 32 } });

    await page.getByLabel("Season", { exact: true }).selectOption("7");
    await page.waitForURL(/\?season=7$/);
    await page.getByRole("heading", { name: "Leaderboard Season 7 ended" }).waitFor();
    await page.locator("#panel-artists .pool-lead", { hasText: "1,000 SOGNI awarded to the top 2 artists." }).waitFor();
    expect(await page.locator("#season-picker").inputValue()).toBe("7");
    expect(await page.getByRole("link", { name: "Back to Season 8, the latest" }).getAttribute("href")).toBe("?season=8");
    expect(await page.locator("#window-text").textContent()).toBe("Season 7 ended on 2026-10-26 00:00 UTC.");
    await page.locator("header").screenshot({ path: join(SCREENSHOT_DIR, "page-header.png") });
    await page.close();
  });

  it("the hash keeps the choice too (#season=7, #season-7); a season not served falls back to the latest and says so", async () => {
    for (const path of ["/#season=7", "/#season-7"]) {
      const page = await openPage(path);
      expect(await page.locator("h1").textContent()).toBe("Leaderboard Season 7 ended");
      await page.close();
    }
    const page = await openPage("/?season=5");
    expect(await page.locator("h1").textContent()).toBe("Leaderboard Season 8 ended");
    expect(await page.locator("#season-notice").textContent()).toBe("Season 5 is not served here: showing Season 8, the latest.");
    await page.close();
  });
});

describe("the header: Users, GPUs and Creations powered from the manifest's stats, the countdown to the snapshot", () => {
  it("season 7 shows its manifest's stats, grouped, and the snapshot countdown at zero", async () => {
    const stats = manifestOf(seasons.season7).stats as { users: number; workers: number; creations: number };
    expect(stats).toEqual({ users: expect.any(Number), workers: expect.any(Number), creations: expect.any(Number) });
    const page = await openPage("/?season=7");
    expect(await page.locator("#figures").isVisible()).toBe(true);
    expect(await page.locator("#figures dt").allTextContents()).toEqual(["Users", "GPUs", "Creations powered"]);
    expect(await page.locator("#figures dd").allTextContents()).toEqual([String(stats.users), String(stats.workers), String(stats.creations)]);
    expect(await page.locator("#countdown-title").textContent()).toBe("6-Week Snapshot Ended");
    expect(await page.locator(".clock").first().locator(".digits").allTextContents()).toEqual(["00", "00", "00", "00"]);
    await page.close();
  });

  it("worker leaderboards carry Sogni's columns: Work (SOGNI) for both, NFT for fast workers", async () => {
    const page = await openPage("/?season=7");
    await page.locator("#tab-fastWorkers").click();
    expect(await page.locator("#panel-fastWorkers thead th").allTextContents()).toEqual([
      "Rank",
      "NFT",
      "Name",
      "Address",
      "Work (SOGNI)",
      "Hardware",
      "Days Active",
      "Points",
      "Reward (SOGNI)",
    ]);
    // eve: 11 SOGNI paid on-chain for her counted jobs (batches 1 and 2), no NFT in this export.
    const eve = await page.locator("#panel-fastWorkers tbody tr").first().locator("td").allTextContents();
    expect(eve.slice(0, 6)).toEqual(["1", "—", "eve", "0x976e…0aa9", "11", "RTX 4090"]);
    await page.locator("#tab-relaxedWorkers").click();
    expect(await page.locator("#panel-relaxedWorkers thead th").allTextContents()).toEqual(["Rank", "Name", "Address", "Work (SOGNI)", "Hardware", "Days Active", "Points", "Reward (SOGNI)"]);
    await page.close();
  });

  it("find yourself: a name fragment or a full address (any case) highlights the row; several matches are listed to pick from", async () => {
    const page = await openPage("/?season=7");
    await page.locator("#tab-ambassadors").click();
    const search = page.getByRole("search", { name: "Find yourself among the Ambassadors" });
    await search.getByLabel("Find yourself").fill(ADA.toUpperCase().replace("0X", "0x"));
    await search.getByRole("button", { name: "Find" }).click();
    await page.locator("#panel-ambassadors tr.highlight").waitFor();
    expect(await page.locator("#panel-ambassadors tr.highlight td").nth(2).getAttribute("title")).toBe(ADA);
    expect(await page.locator("#search-results-ambassadors").textContent()).toMatch(/^Rank \d+: ada · 0x7099…79c8\.$/);

    await search.getByLabel("Find yourself").fill("the");
    await search.getByRole("button", { name: "Find" }).click();
    const choices = page.locator("#search-results-ambassadors .match-list button");
    await choices.first().waitFor();
    expect((await choices.allTextContents()).map((text) => text.replace(/^#\d+ /, "")).sort()).toEqual(['bob, the builder · 0x3c44…93bc', 'cy "the eye" · 0x90f7…b906']);
    await choices.filter({ hasText: "bob, the builder" }).click();
    await page.locator("#panel-ambassadors tr.highlight", { hasText: "bob, the builder" }).waitFor();
    expect(await page.locator("#panel-ambassadors tr.highlight").count()).toBe(1);

    await search.getByLabel("Find yourself").fill("zz");
    await search.getByRole("button", { name: "Find" }).click();
    await page.locator("#search-results-ambassadors", { hasText: "No one among the Ambassadors matches “zz”." }).waitFor();
    await search.getByLabel("Find yourself").fill("z");
    await search.getByRole("button", { name: "Find" }).click();
    await page.locator("#search-results-ambassadors", { hasText: "Type a full 0x address, or at least 2 characters of a name." }).waitFor();
    await page.close();
  });
});

describe("wallets: EIP-6963 discovery, a chooser when several announce, the switch to the claim's chain", () => {
  it("two wallets announce: the page asks which one, and connects only the one chosen", async () => {
    const other = testWallet({ key: keyOf(7), rpcUrl: node.rpcUrl, chainId: node.chainId, name: "Other Wallet" });
    const ada = adaWallet();
    const page = await openPage("/", [other, ada]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const chooser = page.getByRole("group", { name: "Several wallets are installed. Which one holds your rewards?" });
    await chooser.waitFor();
    expect(await chooser.getByRole("button").allTextContents()).toEqual(["Other Wallet", "Ada Wallet"]);
    expect(await chooser.locator("img").count()).toBe(2);
    await chooser.getByRole("button", { name: "Ada Wallet" }).click();
    await page.locator("#wallet-status", { hasText: `Connected to Ada Wallet as ${short(ADA)} on Hardhat (local).` }).waitFor();
    expect(await chooser.isHidden()).toBe(true);
    expect(other.calls).not.toContain("eth_requestAccounts");
    expect(ada.calls).toContain("eth_requestAccounts");
    expect(await page.getByRole("button", { name: "Change wallet" }).isEnabled()).toBe(true);
    await page.close();
  });

  it("a wallet on Base that does not know the local chain: Switch asks it to switch (4902), to add the chain, then to switch; the panel then reads the contract", async () => {
    const ada = adaWallet(8453, [8453]);
    const page = await openPage("/", [ada]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status", { hasText: "Switch your wallet to Hardhat (local) to read what you have claimed and to claim." }).waitFor();
    expect(await page.locator("#wallet-status").textContent()).toBe(`Connected to Ada Wallet as ${short(ADA)} on Base.`);
    expect(await page.locator("#claim-amount").textContent()).toBe("–");

    await page.getByRole("button", { name: "Switch to Hardhat (local)" }).click();
    await page.locator("#claim-amount", { hasText: "952.749340747817425451" }).waitFor();
    expect(ada.requests!.filter((request) => request.method.startsWith("wallet_")).map((request) => request.method)).toEqual([
      "wallet_switchEthereumChain",
      "wallet_addEthereumChain",
      "wallet_switchEthereumChain",
    ]);
    const added = ada.requests!.find((request) => request.method === "wallet_addEthereumChain")!.params[0];
    expect(added).toMatchObject({ chainId: `0x${node.chainId.toString(16)}`, chainName: "Hardhat (local)", nativeCurrency: { symbol: "ETH", decimals: 18 }, rpcUrls: ["http://127.0.0.1:8545"] });
    expect(await page.locator("#wallet-status").textContent()).toBe(`Connected to Ada Wallet as ${short(ADA)} on Hardhat (local).`);
    expect(await page.locator("#switch-chain").isHidden()).toBe(true);
    expect(ada.calls).toContain("eth_call"); // root(), pending(), claimed(ada) through the wallet
    await page.close();
  });
});

describe("the SogniRewards panel (SPEC 8): earned and vested per season, claimable now, one claim, a pending root", () => {
  it("Ada sees season 7 fully vested, season 8 at 40 % with its next tranche on 2026-12-01, and 952.749340747817425451 SOGNI claimable", async () => {
    const page = await openPage("/", [adaWallet()]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-amount", { hasText: "952.749340747817425451" }).waitFor();
    expect(await page.locator("#amount-label").textContent()).toBe("Claimable now");
    expect(await page.locator("#claimed-so-far").textContent()).toBe("0");
    const rows = await page.locator("#season-rewards tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ["Season 7", "745.818856836676312297", "745.818856836676312297 (100%)", "fully vested"],
      ["Season 8", "517.326209777852782885", "206.930483911141113154 (40%)", "2026-12-01 00:00 UTC: 100% vested"],
    ]);
    expect(await page.locator("#pending-root").isHidden()).toBe(true);
    expect(await page.getByRole("button", { name: "Claim 952.749340747817425451 SOGNI" }).isEnabled()).toBe(true);
    await page.locator("#claim").screenshot({ path: join(SCREENSHOT_DIR, "page-vesting.png") });
    await page.close();
  });

  it("served by `sogni-season serve --rpc`: the server reads the contract, so a wallet still on Base sees claimable and claimed at once, and is asked to switch only to claim", async () => {
    const served = await serveCli([seasons.out, "--rpc", node.rpcUrl, "--deployments", deployments]);
    try {
      const ada = adaWallet(8453, [8453]);
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await injectWallets(page, [ada]);
      await page.goto(served.url);
      await page.getByRole("button", { name: "Connect wallet" }).click();
      await page.locator("#claim-amount", { hasText: "952.749340747817425451" }).waitFor();
      expect(await page.locator("#claimed-so-far").textContent()).toBe("0");
      await expect.poll(() => page.locator("#claim-status").textContent()).toBe("Switch your wallet to Hardhat (local) to claim.");
      expect(await page.getByRole("button", { name: "Claim 952.749340747817425451 SOGNI" }).isDisabled()).toBe(true);
      expect(await page.getByRole("button", { name: "Switch to Hardhat (local)" }).isVisible()).toBe(true);
      expect(ada.calls).not.toContain("eth_call"); // the server answered for the chain
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it("Ada claims: the page sends SogniRewards.claim(ada, cumulative, proof) of the live publication, as viem encodes it; claimed so far becomes the cumulative", async () => {
    const ada = adaWallet();
    const page = await openPage("/", [ada]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Claim 952.749340747817425451 SOGNI" }).click();
    const status = page.locator("#claim-status.ok");
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/^Claimed 952\.749340747817425451 SOGNI, confirmed on-chain \(transaction 0x[0-9a-f]{64}\)\. Balance 0 → 952\.749340747817425451 SOGNI\.$/);
    expect(await page.locator("#claimed-so-far").textContent()).toBe("952.749340747817425451");
    expect(await page.locator("#claim-amount").textContent()).toBe("0");
    expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);

    const entry = findCumulativeProof(publication1, ADA)!;
    expect(ada.sent!.map((tx) => ({ to: tx.to.toLowerCase(), data: tx.data }))).toEqual([
      { to: rewards.toLowerCase(), data: encodeFunctionData({ abi: SogniRewardsAbi, functionName: "claim", args: [ADA, entry.amount, entry.proof as Hex[]] }) },
    ]);
    expect(await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "claimed", args: [ADA] })).toBe(952_749_340_747_817_425_451n);

    await page.reload();
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status", { hasText: "Everything vested so far is claimed." }).waitFor();
    await page.close();
  });

  it("publication 2 proposed: the page shows it pending, the countdown to validAt, Ada's amount in it, and the command that verifies it first", async () => {
    await expectOk(runSeason(["publish", "--seasons", seasons.season7, seasons.season8, "--at", "2026-12-01T00:00:00Z", "--previous", publication1, "--out", seasons.out, "--quiet"]));
    const publication2 = join(seasons.out, "publication-2");
    // Proposed from 2026-11-30 on, it can go live no earlier than season 8's last tranche.
    await mineAt(chain.publicClient, parseIsoTime("2026-11-30T00:00:00Z"));
    await expectOk(rewardsRun(["propose", publication2]));
    await syncClock();
    const [root, , , validAt] = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "pending" });
    expect(root).toBe(manifestOf(publication2).merkleRoot);

    const page = await openPage("/", [adaWallet()]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const pending = page.locator("#pending-root");
    await pending.waitFor();
    const iso = new Date(Number(validAt) * 1000).toISOString();
    const when = `${iso.slice(0, 10)} ${iso.slice(11, iso.slice(17, 19) === "00" ? 16 : 19)}`;
    expect(await page.locator("#pending-text").textContent()).toMatch(
      new RegExp(
        `^Publication 2 \\(root ${short(root).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\) is proposed to SogniRewards and can go live at ${when} UTC, in (1 d|23 h( \\d+ min)?( \\d+ s)?)\\. Your cumulative amount in it: 1,263\\.145066614529095182 SOGNI\\.$`,
      ),
    );
    expect(["00", "01"]).toContain(await page.locator("#pending-days").textContent());
    expect(await page.locator("#verify-command").textContent()).toBe(
      `npx sogni-season verify out/publication-2 --seasons out/season-7 out/season-8 --rpc http://127.0.0.1:8545 --rewards ${rewards}`,
    );
    // Publication 1 is still the live root: Ada has claimed all of it, and on 2026-11-30 season 8 is still 40 % vested
    // by its schedule (publication 2 lists it at 100 %, as it will be on 2026-12-01).
    await expect.poll(() => page.locator("#claim-status").textContent()).toBe("Everything vested so far is claimed.");
    expect(await page.locator("#season-rewards tbody tr").nth(1).locator("td").nth(1).textContent()).toBe("206.930483911141113154 (40%)");
    await page.locator("#claim").screenshot({ path: join(SCREENSHOT_DIR, "page-pending-root.png") });
    await page.close();
  });

  it("past validAt and season 8's last tranche, still pending: anyone may accept it; the rest of season 8 has vested but is not claimable yet", async () => {
    const [, , , validAt] = await chain.publicClient.readContract({ address: rewards, abi: SogniRewardsAbi, functionName: "pending" });
    await mineAt(chain.publicClient, validAt + 60n);
    await syncClock();
    const page = await openPage("/", [adaWallet()]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#pending-text", { hasText: "anyone may accept it now" }).waitFor();
    expect(await page.locator("#pending-text").textContent()).toMatch(/^Publication 2 \(root 0x[0-9a-f]{4}…[0-9a-f]{4}\) is proposed to SogniRewards and could go live from 2026-12-01 00:00(:\d\d)? UTC: anyone may accept it now\./);
    expect(await page.locator(".pending .digits").allTextContents()).toEqual(["00", "00", "00", "00"]);
    expect(await page.locator("#season-rewards tbody tr").nth(1).locator("td").allTextContents()).toEqual(["517.326209777852782885", "517.326209777852782885 (100%)", "fully vested"]);
    // 517.326209777852782885 − 206.930483911141113154 vested since publication 1.
    await expect.poll(() => page.locator("#claim-status").textContent()).toBe(
      "Everything in the live publication is claimed. 310.395725866711669731 SOGNI more has vested: it becomes claimable once a publication that holds it goes live.",
    );
    // On a phone nothing but a table's own region scrolls sideways, the verify command included.
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5 && !element.closest(".table-wrap, .tabs"))
        .map((element) => `${element.tagName}#${element.id}.${element.className}`),
    );
    expect(wide).toEqual([]);
    await page.close();
  });
});
