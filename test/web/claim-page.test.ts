/**
 * The claim and leaderboard page in headless Chromium (Debian's package,
 * playwright-core) for a season with its own SeasonDistributor and no
 * SogniRewards contract: injected wallets signing with local test keys
 * against a real Hardhat node; connect, see the amount and its breakdown,
 * click Claim, see the claimed state and the balance change. The page is
 * the real server's: web/server.ts serving the esbuild bundle of web/app.js.
 * The season is a formatVersion "2" directory (test/e2e/support/season-fixture.ts):
 * no stats, no work or nft columns, so the page hides them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { encodeFunctionData, parseUnits, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, hardhatAccount, walletFor, type ChainConnection } from "../../chain/clients.js";
import { SeasonDistributorAbi, SogniTokenAbi } from "../../chain/abis/index.js";
import { loadArtifact } from "../../chain/artifacts.js";
import { setBalance, startHardhatNode, type HardhatNode } from "../../scripts/local/hardhat-node.js";
import { runSeason } from "../e2e/support/cli.js";
import { writeSeasonFixture, type SeasonFixture } from "../e2e/support/season-fixture.js";
import { injectWallet, injectWallets, launchChromium, testWallet, type Chromium, type InjectedWallet } from "./support/browser.js";
import { servePage, type PageServer } from "./support/page-server.js";

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
const short = (address: string) => `${address.toLowerCase().slice(0, 6)}…${address.toLowerCase().slice(-4)}`;

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
        name: i % 3 === 0 ? `artist, "${i}"` : i === 4 ? "mallory\u202e" : `user${i}`,
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

/** Opens the page with `wallets` announced (EIP-6963, the first also at window.ethereum); fails on any script error. */
async function openPage(wallets: InjectedWallet[] = [], viewport?: { width: number; height: number }, url = server.url): Promise<Page> {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (wallets.length > 0) await injectWallets(page, wallets);
  await page.goto(url);
  await page.getByRole("heading", { name: /Leaderboard Season \d+/ }).waitFor();
  await page.locator("#panel-artists table").waitFor();
  expect(errors).toEqual([]);
  return page;
}

const aliceWallet = () => testWallet({ key: aliceKey, rpcUrl: node.rpcUrl, chainId: node.chainId, name: "Alice Wallet" });

describe("the leaderboards: five pools with their amounts, rank, name, address, days active, points, reward (hardware for workers)", () => {
  it("shows the pool headings with amounts and the artists' table first", async () => {
    const page = await openPage();
    const lead = page.locator("#panel-artists .pool-lead");
    // artists: alice's 1,000 + 50 × (1 + … + 12) = 4,900 SOGNI in the fixture
    expect(await lead.textContent()).toBe("4,900 SOGNI awarded to the top 200 artists.");
    const headers = await page.locator("#panel-artists thead th").allTextContents();
    expect(headers).toEqual(["Rank", "Name", "Address", "Days Active", "Points", "Reward (SOGNI)"]);
    const firstRow = await page.locator("#panel-artists tbody tr").first().locator("td").allTextContents();
    // The largest artist amount is alice's 1,000 SOGNI (others reach 600).
    expect(firstRow).toEqual(["1", "alice", short(alice.address), "42", "1,000", "1,000"]);
    expect(await page.locator("#panel-artists tbody tr").count()).toBe(13);
    expect(await page.locator("#panel-artists caption").textContent()).toBe("Artists: 13 ranked, showing 1–13");
    // A name with a comma and quotes survives the CSV round trip; a bidi override is shown, not obeyed.
    await expect(page.locator("#panel-artists tbody").getByText('artist, "9"').count()).resolves.toBe(1);
    await expect(page.locator("#panel-artists tbody").getByText("mallory\\u{202e}").count()).resolves.toBe(1);
    await page.close();
  });

  it("switches pools with the keyboard; a formatVersion 2 season has no Work or NFT column, only hardware", async () => {
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

  it("counts down to the season's end and says when it ended (the fixture's window closed 2026-11-24); no stats: no figures", async () => {
    const page = await openPage();
    expect(await page.locator("#season-status").textContent()).toBe("ended");
    expect(await page.locator("#window-text").textContent()).toContain("Season 7 ended on 2026-11-24 00:00 UTC.");
    expect(await page.locator("#cd-days").textContent()).toBe("00");
    expect(await page.locator("#figures").isHidden()).toBe(true);
    expect(await page.locator("#footer-contract").textContent()).toBe(`Claims: distributor ${await readDistributor()} on Hardhat (local)`);
    await page.close();
  });

  it("fits a phone: no horizontal scrolling of the page at 390 px with the claim panel open, tables scroll inside their own region", async () => {
    const page = await openPage([aliceWallet()], { width: 390, height: 844 });
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

describe("the one-shot claim (SPEC 7): connect, see the amount and its breakdown, claim, see it confirmed", () => {
  it("alice connects, sees 1,234.5 SOGNI split 1,000 / 200 / 34.5, claims with viem's calldata, and sees her balance go from 7 to 1,241.5", async () => {
    const wallet = aliceWallet();
    const page = await openPage([wallet]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-amount", { hasText: "1,234.5" }).waitFor();
    expect(await page.locator("#wallet-status").textContent()).toBe(`Connected to Alice Wallet as ${short(alice.address)} on Hardhat (local).`);
    expect(await page.locator("#claim-address").textContent()).toBe(alice.address.toLowerCase());
    const breakdown = await page.locator("#breakdown tbody tr").allTextContents();
    expect(breakdown).toEqual(["Artists1,000", "Ambassadors200", "Fast Workers34.5"]);
    await page.locator("#balance", { hasText: /^7$/ }).waitFor();
    expect(await page.locator("#switch-chain").isHidden()).toBe(true);

    const claimButton = page.getByRole("button", { name: "Claim", exact: true });
    expect(await claimButton.isEnabled()).toBe(true);
    await claimButton.click();
    const status = page.locator("#claim-status.ok");
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/^Claimed 1,234\.5 SOGNI, confirmed on-chain \(transaction 0x[0-9a-f]{64}\)\. Balance 7 → 1,241\.5 SOGNI\.$/);
    expect(await page.locator("#balance").textContent()).toBe("1,241.5");
    expect(await page.getByRole("button", { name: "Claimed" }).isDisabled()).toBe(true);

    // The calldata the page sent is exactly viem's encoding of claim(index, account, amount, proof).
    const recipient = season.recipients.find((r) => r.account === alice.address.toLowerCase())!;
    expect(wallet.sent!.map((tx) => ({ to: tx.to.toLowerCase(), data: tx.data }))).toEqual([
      {
        to: (await readDistributor()).toLowerCase(),
        data: encodeFunctionData({ abi: SeasonDistributorAbi, functionName: "claim", args: [BigInt(recipient.index), recipient.account, recipient.amount, recipient.proof] }),
      },
    ]);
    // The chain agrees: alice's balance, and her index is spent.
    expect(await balanceOf(alice.address)).toBe(SOGNI("1241.5"));
    expect(await chain.publicClient.readContract({ address: (await readDistributor()) as Address, abi: SeasonDistributorAbi, functionName: "isClaimed", args: [BigInt(recipient.index)] })).toBe(true);

    await page.screenshot({ path: join(SCREENSHOT_DIR, "claim-page.png"), fullPage: true });
    await page.close();
  });

  it("after a reload the panel shows 'Claimed' at once, with the button disabled (a wallet at window.ethereum only, no EIP-6963)", async () => {
    const page = await browser.context.newPage();
    await injectWallet(page, { key: aliceKey, rpcUrl: node.rpcUrl, chainId: node.chainId, calls: [] });
    await page.goto(server.url);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status.ok", { hasText: "Claimed: 1,234.5 SOGNI went to" }).waitFor();
    expect(await page.locator("#wallet-status").textContent()).toContain("Connected to Browser wallet as");
    expect(await page.getByRole("button", { name: "Claimed" }).isDisabled()).toBe(true);
    await page.close();
  });

  it("a wallet with nothing in the season is told so, and Claim stays disabled", async () => {
    const page = await openPage([testWallet({ key: generatePrivateKey(), rpcUrl: node.rpcUrl, chainId: node.chainId })]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status", { hasText: "has nothing in Season 7." }).waitFor();
    expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);
    await page.close();
  });

  it("a wallet on Base is asked to switch; the button calls wallet_switchEthereumChain and the panel follows the wallet to Hardhat", async () => {
    const wallet = { ...testWallet({ key: generatePrivateKey(), rpcUrl: node.rpcUrl, chainId: 8453 }), account: others[0]! };
    const page = await openPage([wallet]);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.locator("#claim-status", { hasText: "Switch your wallet to Hardhat (local) to claim." }).waitFor();
    expect(await page.locator("#wallet-status").textContent()).toBe(`Connected to Test Wallet as ${short(others[0]!)} on Base.`);
    expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);
    expect(await page.locator("#balance").textContent()).toBe("–");

    await page.getByRole("button", { name: "Switch to Hardhat (local)" }).click();
    await page.locator("#wallet-status", { hasText: "on Hardhat (local)." }).waitFor();
    expect(wallet.requests!.filter((request) => request.method === "wallet_switchEthereumChain")).toEqual([
      { method: "wallet_switchEthereumChain", params: [{ chainId: `0x${node.chainId.toString(16)}` }] },
    ]);
    expect(await page.locator("#switch-chain").isHidden()).toBe(true);
    await page.locator("#balance", { hasText: /^0$/ }).waitFor();
    expect(await page.getByRole("button", { name: "Claim", exact: true }).isEnabled()).toBe(true);
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
    try {
      const page = await openPage([aliceWallet()], undefined, live.url);
      expect(await page.getByRole("heading", { name: /Leaderboard Season 8/ }).count()).toBe(1);
      expect(await page.locator("#season-status").textContent()).toBe("active");
      expect(await page.locator("#countdown-title").textContent()).toBe("6-Week Snapshot Ends In");
      // 30 days minus the seconds the test has taken so far.
      expect(["29", "30"]).toContain(await page.locator("#cd-days").textContent());
      expect(await page.locator("#intro").textContent()).toBe(
        "12 SOGNI tokens up for grabs in Season 8 for top Ambassadors, Artists, Workers & Stakers! Amounts shown are projected rewards from the latest build over the data so far; they change until the season ends.",
      );
      expect(await page.locator("#panel-artists thead th").last().textContent()).toBe("Projected reward (SOGNI)");
      expect(await page.locator("#panel-artists .pool-lead").textContent()).toBe("12 SOGNI to be awarded to the top 200 artists.");
      await page.getByRole("button", { name: "Connect wallet" }).click();
      await page.locator("#claim-amount", { hasText: "12" }).waitFor();
      await page.locator("#claim-status", { hasText: "Projected amount: claims open after the season ends and its distributor is deployed." }).waitFor();
      expect(await page.locator("#amount-label").textContent()).toBe("Projected reward");
      expect(await page.getByRole("button", { name: "Claim", exact: true }).isDisabled()).toBe(true);
      await page.close();
    } finally {
      await live.close();
    }
  });
});

async function readDistributor(): Promise<string> {
  const response = await fetch(`${server.url}/page/api/season`);
  const body = (await response.json()) as { distributor: { address: string } };
  return body.distributor.address;
}
