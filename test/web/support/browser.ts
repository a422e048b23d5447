/**
 * Headless Chromium from Debian's `chromium` package, driven by
 * playwright-core (no browser download), with an injected EIP-1193 wallet
 * that signs with a local test key in Node (viem) and sends to a real node.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.context.newPage();
 * await injectWallet(page, { key, rpcUrl, chainId });
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../../../chain/clients.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile; close() removes the profile too. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface InjectedWallet {
  key: Hex;
  rpcUrl: string;
  chainId: number;
  /** Every method the page called, in order (for assertions). */
  calls: string[];
}

/**
 * Puts `window.ethereum` into the page before its scripts run. Accounts and
 * chain id answer locally; eth_sendTransaction is signed in Node with the
 * test key; everything else goes to the node as plain JSON-RPC.
 */
export async function injectWallet(page: Page, wallet: InjectedWallet): Promise<void> {
  const account = privateKeyToAccount(wallet.key);
  const signer = createWalletClient({ account, chain: chainFor(wallet.chainId, wallet.rpcUrl), transport: http(wallet.rpcUrl) });
  await page.exposeFunction("__testWalletRequest", async (method: string, params: unknown[]) => {
    wallet.calls.push(method);
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [account.address];
      case "eth_chainId":
        return `0x${wallet.chainId.toString(16)}`;
      case "eth_sendTransaction": {
        const [tx] = params as [{ from: string; to: Hex; data: Hex }];
        if (tx.from.toLowerCase() !== account.address.toLowerCase()) throw new Error(`the wallet holds ${account.address}, not ${tx.from}`);
        return signer.sendTransaction({ to: tx.to, data: tx.data });
      }
      default: {
        const response = await fetch(wallet.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        });
        const body = (await response.json()) as { result?: unknown; error?: { message: string } };
        if (body.error) throw new Error(body.error.message);
        return body.result ?? null;
      }
    }
  });
  await page.addInitScript(() => {
    const call = (window as unknown as { __testWalletRequest: (method: string, params: unknown[]) => Promise<unknown> }).__testWalletRequest;
    (window as unknown as { ethereum: unknown }).ethereum = {
      isTestWallet: true,
      request: ({ method, params }: { method: string; params?: unknown[] }) => call(method, params ?? []),
      on: () => {},
      removeListener: () => {},
    };
  });
}
