/**
 * Headless Chromium from Debian's `chromium` package, driven by
 * playwright-core (no browser download), with injected wallets: EIP-1193
 * providers that sign with a local test key in Node (viem) and send to a
 * real node, announced the EIP-6963 way (one or several) and/or put at
 * `window.ethereum`. A wallet keeps its own chain id: wallet_switchEthereumChain
 * moves it to a chain it knows (and emits `chainChanged`), answers 4902 for
 * one it does not, and wallet_addEthereumChain teaches it one.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.context.newPage();
 * const wallet = testWallet({ key, rpcUrl, chainId });
 * await injectWallets(page, [wallet]);
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createWalletClient, http, type Address, type Hex } from "viem";
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
  /** The chain the wallet is on; wallet_switchEthereumChain changes it. */
  chainId: number;
  /** Every method the page called, in order (for assertions). */
  calls: string[];
  /** Every request with its parameters, in order. */
  requests?: { method: string; params: unknown[] }[];
  /** The transactions the page asked the wallet to send. */
  sent?: { to: Hex; data: Hex }[];
  /** The wallet's EIP-6963 name (default "Test Wallet"). */
  name?: string;
  /** Chains the wallet can switch to without being asked to add them (default: `chainId` and the node's). */
  knownChains?: number[];
  /** Overrides the account the wallet shares (it still signs with `key`; a send from another account is refused). */
  account?: Address;
}

/** A wallet for `key` on `chainId`, with empty call logs. */
export function testWallet(options: { key: Hex; rpcUrl: string; chainId: number; name?: string; knownChains?: number[] }): InjectedWallet {
  return { ...options, calls: [], requests: [], sent: [] };
}

export interface InjectOptions {
  /** Announce the wallets through EIP-6963 (default true). */
  eip6963?: boolean;
  /** Also put the first wallet at window.ethereum (default true). */
  windowEthereum?: boolean;
}

/** What the Node side answers: a result, or an EIP-1193 error the page side throws with its code. */
type Answer = { result: unknown } | { error: { code: number; message: string } };

/** Puts one wallet into the page at window.ethereum only (a wallet that predates EIP-6963). */
export async function injectWallet(page: Page, wallet: InjectedWallet): Promise<void> {
  await injectWallets(page, [wallet], { eip6963: false, windowEthereum: true });
}

/**
 * Puts `wallets` into the page before its scripts run. Accounts, chain ids
 * and chain switching answer locally; eth_sendTransaction is signed in Node
 * with the wallet's key; everything else goes to the node as plain JSON-RPC.
 */
export async function injectWallets(page: Page, wallets: InjectedWallet[], options: InjectOptions = {}): Promise<void> {
  const nodeChainIds = new Map<string, number>();
  const handle = async (index: number, method: string, params: unknown[]): Promise<Answer> => {
    const wallet = wallets[index]!;
    wallet.calls.push(method);
    wallet.requests?.push({ method, params });
    const account = privateKeyToAccount(wallet.key);
    const shared = wallet.account ?? account.address;
    try {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return { result: [shared] };
        case "eth_chainId":
          return { result: `0x${wallet.chainId.toString(16)}` };
        case "wallet_switchEthereumChain": {
          const target = Number(BigInt((params[0] as { chainId: string }).chainId));
          const known = new Set([wallet.chainId, ...(wallet.knownChains ?? [await nodeChainId(wallet.rpcUrl)])]);
          if (!known.has(target)) return { error: { code: 4902, message: `Unrecognized chain ID ${target}. Try adding the chain using wallet_addEthereumChain first.` } };
          wallet.chainId = target;
          return { result: null };
        }
        case "wallet_addEthereumChain": {
          const target = Number(BigInt((params[0] as { chainId: string }).chainId));
          wallet.knownChains = [...(wallet.knownChains ?? [wallet.chainId]), target];
          return { result: null };
        }
        case "eth_sendTransaction": {
          const [tx] = params as [{ from: string; to: Hex; data: Hex }];
          if (tx.from.toLowerCase() !== account.address.toLowerCase()) return { error: { code: 4100, message: `the wallet holds ${account.address}, not ${tx.from}` } };
          wallet.sent?.push({ to: tx.to, data: tx.data });
          const chainId = await nodeChainId(wallet.rpcUrl);
          const signer = createWalletClient({ account, chain: chainFor(chainId, wallet.rpcUrl), transport: http(wallet.rpcUrl) });
          return { result: await signer.sendTransaction({ to: tx.to, data: tx.data }) };
        }
        default: {
          const response = await fetch(wallet.rpcUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
          });
          const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
          if (body.error) return { error: { code: body.error.code, message: body.error.message } };
          return { result: body.result ?? null };
        }
      }
    } catch (error) {
      return { error: { code: -32603, message: (error as Error).message } };
    }
  };
  const nodeChainId = async (rpcUrl: string): Promise<number> => {
    const known = nodeChainIds.get(rpcUrl);
    if (known !== undefined) return known;
    const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
    const chainId = Number(BigInt(((await response.json()) as { result: string }).result));
    nodeChainIds.set(rpcUrl, chainId);
    return chainId;
  };
  await page.exposeFunction("__testWalletRequest", handle);
  const infos = wallets.map((wallet, index) => ({
    uuid: `00000000-0000-4000-8000-00000000000${index}`,
    name: wallet.name ?? "Test Wallet",
    rdns: `test.wallet.${index}`,
    // A one-colour square: EIP-6963 icons are data: URIs.
    icon: `data:image/svg+xml;base64,${Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" fill="${["#f6851b", "#3b99fc", "#7ee2a8"][index % 3]}"/></svg>`).toString("base64")}`,
  }));
  await page.addInitScript(
    ({ infos, eip6963, windowEthereum }) => {
      type Listener = (value: unknown) => void;
      const call = (window as unknown as { __testWalletRequest: (index: number, method: string, params: unknown[]) => Promise<{ result?: unknown; error?: { code: number; message: string } }> })
        .__testWalletRequest;
      const providers = infos.map((_, index) => {
        const listeners = new Map<string, Set<Listener>>();
        const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((listener) => listener(value));
        return {
          isTestWallet: true,
          async request({ method, params }: { method: string; params?: unknown[] }) {
            const answer = await call(index, method, params ?? []);
            if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
            if (method === "wallet_switchEthereumChain") emit("chainChanged", (params as [{ chainId: string }])[0].chainId);
            return answer.result;
          },
          on(event: string, listener: Listener) {
            if (!listeners.has(event)) listeners.set(event, new Set());
            listeners.get(event)!.add(listener);
          },
          removeListener(event: string, listener: Listener) {
            listeners.get(event)?.delete(listener);
          },
        };
      });
      if (windowEthereum && providers[0]) (window as unknown as { ethereum: unknown }).ethereum = providers[0];
      if (eip6963) {
        const announce = () =>
          providers.forEach((provider, index) =>
            window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info: infos[index], provider }) })),
          );
        window.addEventListener("eip6963:requestProvider", announce);
        announce();
      }
    },
    { infos, eip6963: options.eip6963 ?? true, windowEthereum: options.windowEthereum ?? true },
  );
}
