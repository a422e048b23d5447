/**
 * The page's script (web/bundle.ts): web/app.js and all it imports (viem,
 * mipd, the generated ABIs, season/'s formatting) compiled by esbuild into
 * one minified ES module, the same bytes every time, with nothing left for
 * the browser to fetch from elsewhere (CSP script-src 'self').
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundlePage, PageBundleError } from "../../web/bundle.js";
import { REPO_ROOT } from "../e2e/support/cli.js";

const work = mkdtempSync(join(tmpdir(), "page-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("bundlePage: one ES module from web/app.js", () => {
  it("is the same string twice, minified, an ES module Node can load, and imports nothing", async () => {
    const [first, second] = [await bundlePage(), await bundlePage()];
    expect(second).toBe(first);
    expect(first.length).toBeGreaterThan(10_000);
    // Minified: no doc comments left, and lines thousands of characters long (newlines remain only inside template strings).
    expect(first).not.toContain("/**");
    expect(first.length / first.split("\n").length).toBeGreaterThan(2_000);
    // It loads as a module from a data: URL, where no import could resolve: everything is inside.
    // (Outside a browser it only defines functions: no document, so it does not start.)
    await import(`data:text/javascript;base64,${Buffer.from(first).toString("base64")}`);
  });

  it("holds viem's encoder, the SogniRewards ABI and the EIP-6963 request, not the page's sources by name", async () => {
    const script = await bundlePage();
    expect(script).toContain("eip6963:requestProvider");
    expect(script).toContain("wallet_switchEthereumChain");
    expect(script).toContain("NothingToClaim"); // an error of SogniRewards' generated ABI
    expect(script).not.toContain("claim-view.js");
  });

  it("refuses an import from another origin and names it; a missing module names the file", async () => {
    const web = join(work, "web-remote");
    cpSync(join(REPO_ROOT, "web"), web, { recursive: true });
    writeFileSync(join(web, "app.js"), 'import { x } from "https://cdn.example.com/x.js";\nconsole.log(x);\n');
    await expect(bundlePage(web)).rejects.toThrow(PageBundleError);
    await expect(bundlePage(web)).rejects.toThrow(/https:\/\/cdn\.example\.com\/x\.js/);

    const missing = join(work, "web-missing");
    cpSync(join(REPO_ROOT, "web"), missing, { recursive: true });
    writeFileSync(join(missing, "app.js"), 'import "./nowhere.js";\n');
    await expect(bundlePage(missing)).rejects.toThrow(/cannot bundle the page from .*app\.js: .*app\.js:1: Could not resolve "\.\/nowhere\.js"/);
  });
});
