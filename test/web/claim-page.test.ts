/**
 * The claim and leaderboard page in headless Chromium (Debian's package,
 * playwright-core), with an injected EIP-1193 wallet signing with a local
 * test key against a real Hardhat node: connect, see the amount and its
 * breakdown, click Claim, see the claimed state and the balance change.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { encodeFunctionData, parseUnits, toFunctionSelector, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, hardhatAccount, walletFor, type ChainConnection } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { setBalance, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { REPO_ROOT, runSeason } from "../e2e/support/cli.js";
import { writeSeasonFixture, type SeasonFixture } from "../e2e/support/season-fixture.js";
import { injectWallet, launchChromium, type Chromium, type InjectedWallet } from "./support/browser.js";
import { servePage, type PageServer } from "./support/page-server.js";
// The page's own module: the calldata it sends must be what viem would encode.
// @ts-expect-error plain JavaScript served to the browser, no type declarations
import { encodeClaim, formatUnits, groupThousands, SELECTORS } from "../../web/app.js";

/** Screenshots go to a temporary directory; `SCREENSHOT_DIR=docs` refreshes the README's. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "claim-page-shots-"));

const SOGNI = (text: string): bigint => parseUnits(text, 18);

let node: HardhatNode;
let chain: ChainConnection;
let work: string;
let token: Address;
let season: SeasonFixture;
let server: PageServer;
let browser: Chromium;
const treasuryKey = generatePrivateKey();
const aliceKey = generatePrivateKey();
const alice = privateKeyToAccount(aliceKey);
const others = Array.from({ length: 12 }, () => privateKeyToAccount(generatePrivateKey()).address);

async function balanceOf(account: Address): Promise<bigint> {
  return chain.publicClient.readContract({ address: token, abi: SogniTokenAbi, functionName: "balanceOf", args: [account] });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "claim-page-"));
  node = await startHardhatNode();
  chain = await connectChain(node.rpcUrl);
  const owner = walletFor(chain, hardhatAccount(0));
  const { abi, bytecode } = loadArtifact("SogniToken");
  token = (await chain.publicClient.waitForTransactionReceipt({ hash: await owner.deployContract({ abi, bytecode, args: [] }) })).contractAddress!;
  const treasury = privateKeyToAccount(treasuryKey).address;
  await chain.publicClient.waitForTransactionReceipt({
    hash: await owner.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [treasury, SOGNI("100000")] }),
  });
  // Alice already holds 7 SOGNI, so the page must show the balance change, not just the claim.
  await chain.publicClient.waitForTransactionReceipt({
    hash: await owner.writeContract({ address: token, abi: SogniTokenAbi, functionName: "mint", args: [alice.address, SOGNI("7")] }),
  });
  await setBalance(chain.publicClient, treasury, SOGNI("10"));
  await setBalance(chain.publicClient, alice.address, SOGNI("10"));

  season = writeSeasonFixture(work, {
    season: 7,
    chainId: node.chainId,
    token,
    allocations: [
      // 1,234.5 SOGNI: 1,000 as an artist, 200 as an ambassador, 34.5 as a fast worker.
      { account: alice.address, amount: SOGNI("1234.5"), name: "alice", pools: { artists: SOGNI("1000"), ambassadors: SOGNI("200"), fastWorkers: SOGNI("34.5") } },
      ...others.map((account, i) => ({
        account,
        amount: SOGNI(String(100 * (i + 1))),
        name: i % 3 === 0 ? `artist, "${i}"` : `user${i}`,
        pools: { artists: SOGNI(String(50 * (i + 1))), stakers: SOGNI(String(25 * (i + 1))), relaxedWorkers: SOGNI(String(25 * (i + 1))) },
      })),
    ],
  });
  const deployed = await runSeason(["deploy", season.dir, "--rpc", node.rpcUrl], { SEASON_PRIVATE_KEY: treasuryKey });
  expect(deployed.code, deployed.stderr).toBe(0);
  server = await servePage({ seasonDir: season.dir });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function openPage(wallet?: InjectedWallet, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (wallet) await injectWallet(page, wallet);
  await page.goto(server.url);
  await page.getByRole("heading", { name: /Leaderboard Season 7/ }).waitFor();
  expect(errors).toEqual([]);
  return page;
}

describe("the page encodes the claim exactly as the ABI does (SPEC 7: claim(uint256,address,uint256,bytes32[]))", () => {
  it("uses the selectors of claim, isClaimed and balanceOf", () => {
    expect(SELECTORS).toEqual({
      claim: toFunctionSelector("claim(uint256,address,uint256,bytes32[])"),
      isClaimed: toFunctionSelector("isClaimed(uint256)"),
      balanceOf: toFunctionSelector("balanceOf(address)"),
    });
  });

  it("encodes index 5, 1234.5 SOGNI and a 3-node proof byte for byte like viem", () => {
    const proof: Hex[] = [`0x${"ab".repeat(32)}`, `0x${"01".repeat(32)}`, `0x${"ff".repeat(32)}`];
    expect(encodeClaim(5, alice.address, SOGNI("1234.5").toString(), proof)).toBe(
      encodeFunctionData({ abi: SeasonDistributorAbi, functionName: "claim", args: [5n, alice.address, SOGNI("1234.5"), proof] }),
    );
    expect(encodeClaim(0, alice.address, "1", [])).toBe(encodeFunctionData({ abi: SeasonDistributorAbi, functionName: "claim", args: [0n, alice.address, 1n, []] }));
  });

  it("shows amounts exactly, rounding down only when asked: 1000000000000000001 wei is 1.000000000000000001 SOGNI, 1.00 cut to 2 digits", () => {
    expect(formatUnits("1000000000000000001", 18)).toBe("1.000000000000000001");
    expect(formatUnits("1009999999999999999", 18, 2)).toBe("1");
    expect(formatUnits("1019999999999999999", 18, 2)).toBe("1.01");
    expect(groupThousands("10000000.5")).toBe("10,000,000.5");
  });
});

describe("the leaderboards: five pools with their amounts, rank, name, address, days active, points, reward (hardware for workers)", () => {
  it("shows the pool headings with amounts and the artists' table first", async () => {
    const page = await openPage();
    const lead = page.locator("#panel-artists .pool-lead");
    await lead.waitFor();
    // artists: alice's 1,000 + 50 × (1 + … + 12) = 4,900 SOGNI in the fixture
    expect(await lead.textContent()).toBe("4,900 SOGNI awarded to the top 200 artists.");
    const headers = await page.locator("#panel-artists thead th").allTextContents();
    expect(headers).toEqual(["Rank", "Name", "Address", "Days Active", "Points", "Reward (SOGNI)"]);
    const firstRow = await page.locator("#panel-artists tbody tr").first().locator("td").allTextContents();
    // The largest artist amount is alice's 1,000 SOGNI (others reach 600).
    expect(firstRow).toEqual(["1", "alice", `${alice.address.toLowerCase().slice(0, 6)}…${alice.address.toLowerCase().slice(-4)}`, "42", "1,000", "1,000"]);
    expect(await page.locator("#panel-artists tbody tr").count()).toBe(13);
    // A name with a comma and quotes survives the CSV round trip.
    await expect(page.locator("#panel-artists tbody").getByText('artist, "9"').count()).resolves.toBe(1);
    await page.close();
  });

  it("switches pools with the keyboard (arrow keys on the tabs) and shows hardware for workers", async () => {
    const page = await openPage();
    await page.locator("#tab-artists").focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    expect(await page.locator("#tab-fastWorkers").getAttribute("aria-selected")).toBe("true");
    expect(await page.locator("#panel-fastWorkers").isVisible()).toBe(true);
    expect(await page.locator("#panel-artists").isVisible()).toBe(false);
    const headers = await page.locator("#panel-fastWorkers thead th").allTextContents();
    expect(headers).toEqual(["Rank", "Name", "Address", "Hardware", "Days Active", "Points", "Reward (SOGNI)"]);
    expect(await page.locator("#panel-fastWorkers tbody td").nth(3).textContent()).toBe("RTX 4090");
    expect(await page.locator("#panel-fastWorkers .pool-lead").textContent()).toBe("34.5 SOGNI awarded to Fast Workers based on their share of the point pool.");
    await page.close();
  });

  it("counts down to the season's end and says when it ended (the fixture's window closed 2026-11-24)", async () => {
    const page = await openPage();
    expect(await page.locator("#season-status").textContent()).toBe("ended");
    expect(await page.locator("#window-text").textContent()).toContain("Season 7 ended on 2026-11-24 00:00 UTC.");
    expect(await page.locator("#cd-days").textContent()).toBe("00");
    await page.close();
  });

  it("fits a phone: no horizontal scrolling of the page at 390 px with the claim panel open, tables scroll inside their own region", async () => {
    const page = await openPage({ key: aliceKey, rpcUrl: node.rpcUrl, chainId: node.chainId, calls: [] }, { width: 390, height: 844 });
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-amount", { hasText: "1,234.5" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5 && !element.closest(".table-wrap, .tabs"))
        .map((element) => `${element.tagName}#${element.id}.${element.className}`),
    );
    expect(wide).toEqual([]);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.locator("#panel-artists .table-wrap").getAttribute("role")).toBe("region");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "claim-page-phone.png"), fullPage: false });
    await page.close();
  });
});

describe("the claim panel: connect an EIP-1193 wallet, see the amount and its breakdown, claim, see it confirmed", () => {
  it("alice connects, sees 1,234.5 SOGNI split 1,000 / 200 / 34.5, claims, and sees the claimed state and her balance go from 7 to 1,241.5", async () => {
    const wallet: InjectedWallet = { key: aliceKey, rpcUrl: node.rpcUrl, chainId: node.chainId, calls: [] };
    const page = await openPage(wallet);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-amount", { hasText: "1,234.5" }).waitFor();
    expect(await page.locator("#claim-address").textContent()).toBe(alice.address.toLowerCase());
    const breakdown = await page.locator("#breakdown tbody tr").allTextContents();
    expect(breakdown).toEqual(["Artists1,000", "Ambassadors200", "Fast Workers34.5"]);
    await page.locator("#balance", { hasText: /^7$/ }).waitFor();

    const claimButton = page.getByRole("button", { name: "Claim", exact: true });
    expect(await claimButton.isEnabled()).toBe(true);
    await claimButton.click();
    const status = page.locator("#claim-status.ok");
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/^Claimed 1,234\.5 SOGNI, confirmed (by the indexer|on-chain) \(transaction 0x[0-9a-f]{64}\)\. Balance 7 → 1,241\.5 SOGNI\.$/);
    expect(await page.locator("#balance").textContent()).toBe("1,241.5");
    expect(await page.getByRole("button", { name: "Claimed" }).isDisabled()).toBe(true);
    expect(wallet.calls).toContain("eth_sendTransaction");

    // The chain agrees: alice's balance, and her index is spent.
    expect(await balanceOf(alice.address)).toBe(SOGNI("1241.5"));
    const index = season.recipients.findIndex((r) => r.account === alice.address.toLowerCase());
    expect(await chain.publicClient.readContract({ address: (await readDistributor()) as Address, abi: SeasonDistributorAbi, functionName: "isClaimed", args: [BigInt(index)] })).toBe(true);

    await page.screenshot({ path: join(SCREENSHOT_DIR, "claim-page.png"), fullPage: true });
    await page.close();
  });

  it("after a reload the panel shows 'Claimed' at once, with the button disabled", async () => {
    const page = await openPage({ key: aliceKey, rpcUrl: node.rpcUrl, chainId: node.chainId, calls: [] });
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status.ok", { hasText: "Claimed: 1,234.5 SOGNI went to" }).waitFor();
    expect(await page.getByRole("button", { name: "Claimed" }).isDisabled()).toBe(true);
    await page.close();
  });

  it("a wallet with nothing in the season is told so, and Claim stays disabled", async () => {
    const page = await openPage({ key: generatePrivateKey(), rpcUrl: node.rpcUrl, chainId: node.chainId, calls: [] });
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#wallet-status", { hasText: "has nothing in Season 7." }).waitFor();
    expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);
    await page.close();
  });

  it("a wallet on another chain is asked to switch to the distributor's chain", async () => {
    const page = await openPage({ key: generatePrivateKey(), rpcUrl: node.rpcUrl, chainId: 8453, calls: [] });
    // Reuse a recipient's address via a wallet on chain 8453: the page reads the amount, but will not send.
    await page.evaluate((account) => {
      const original = (window as unknown as { ethereum: { request: (args: { method: string }) => Promise<unknown> } }).ethereum;
      const request = original.request;
      original.request = (args: { method: string }) => (args.method === "eth_requestAccounts" ? Promise.resolve([account]) : request(args));
    }, others[0]!);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status", { hasText: `Switch your wallet to chain ${node.chainId} to claim.` }).waitFor();
    expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);
    await page.close();
  });
});

describe("while the season runs: projected rewards, a live countdown, no claim yet", () => {
  it("a season ending 30 days from now shows 'active', 'Projected reward' and keeps Claim disabled", async () => {
    const end = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const iso = (unix: number) => new Date(unix * 1000).toISOString().replace(".000Z", "Z");
    const running = writeSeasonFixture(mkdtempSync(join(work, "running-")), {
      season: 8,
      chainId: node.chainId,
      token,
      window: { start: iso(end - 42 * 86_400), end: iso(end) },
      allocations: [{ account: alice.address, amount: SOGNI("12"), name: "alice" }],
    });
    const live = await servePage({ seasonDir: running.dir });
    const page = await browser.context.newPage();
    try {
      await injectWallet(page, { key: aliceKey, rpcUrl: node.rpcUrl, chainId: node.chainId, calls: [] });
      await page.goto(live.url);
      await page.getByRole("heading", { name: /Leaderboard Season 8/ }).waitFor();
      expect(await page.locator("#season-status").textContent()).toBe("active");
      expect(await page.locator("#countdown-title").textContent()).toBe("6-Week Snapshot Ends In");
      // 30 days minus the seconds the test has taken so far.
      expect(["29", "30"]).toContain(await page.locator("#cd-days").textContent());
      expect(await page.locator("#intro").textContent()).toContain("projected rewards from the latest build over the data so far");
      expect(await page.locator("#panel-artists thead th").last().textContent()).toBe("Projected reward (SOGNI)");
      expect(await page.locator("#panel-artists .pool-lead").textContent()).toBe("12 SOGNI to be awarded to the top 200 artists.");
      await page.getByRole("button", { name: "Connect wallet" }).click();
      await page.locator("#claim-amount", { hasText: "12" }).waitFor();
      expect(await page.locator("#amount-label").textContent()).toBe("Projected reward");
      expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);
      expect(await page.locator("#claim-status").textContent()).toBe("Projected amount: claims open after the season ends and its distributor is deployed.");
    } finally {
      await page.close();
      await live.close();
    }
  });
});

async function readDistributor(): Promise<string> {
  const response = await fetch(`${server.url}/page/api/season`);
  const body = (await response.json()) as { distributor: { address: string } };
  return body.distributor.address;
}
