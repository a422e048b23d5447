// web/: the page's bundle, web/app.js and all it imports compiled by esbuild into the one ES module served as /page/app.js.
// Imports esbuild and node: only; the bundle itself compiles viem, mipd, chain/abis and season/. See docs/page.md.
/**
 * The page ships as one script from our own origin (CSP `script-src 'self'`):
 * esbuild bundles `app.js` with its imports, minified, for browsers. Same
 * sources, same bytes; nothing is left for the browser to fetch elsewhere
 * (an import esbuild would leave external is refused here).
 *
 * @example
 * const script = await bundlePage(); // at server start, then served from memory
 * app.get("/page/app.js", (c) => c.body(script, 200, { "content-type": "text/javascript; charset=utf-8" }));
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Message } from "esbuild";

/** The page's bundle could not be made; the message names the file and the import. */
export class PageBundleError extends Error {
  override name = "PageBundleError";
}

/** This module's folder: web/ holds app.js next to it. */
const WEB_DIR = dirname(fileURLToPath(import.meta.url));

/** The browsers the page supports: bigint, optional chaining, top-level modules (every browser with a wallet today). */
const TARGET = ["es2022"];

/**
 * Bundles `<webDir>/app.js` into one minified ES module (a string).
 * Throws {@link PageBundleError} when an import cannot be resolved or
 * would be left to the browser to fetch.
 *
 * @example const script = await bundlePage("web");
 */
export async function bundlePage(webDir: string = WEB_DIR): Promise<string> {
  const entry = join(webDir, "app.js");
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: TARGET,
      minify: true,
      legalComments: "none",
      charset: "utf8",
      write: false,
      metafile: true,
      logLevel: "silent",
      // Packages resolve from this repository's node_modules, wherever webDir is (tests copy it).
      nodePaths: [join(WEB_DIR, "..", "node_modules")],
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors ?? [];
    const detail = errors.map((message) => `${message.location ? `${message.location.file}:${message.location.line}: ` : ""}${message.text}`).join("; ");
    throw new PageBundleError(`cannot bundle the page from ${entry}: ${detail || (error as Error).message}`);
  }
  const outputs = Object.values(result.metafile.outputs);
  const external = outputs.flatMap((output) => output.imports.filter((imported) => imported.external).map((imported) => imported.path));
  if (external.length > 0) {
    throw new PageBundleError(`the page's bundle would load ${external.join(", ")} from elsewhere: the page may only run what its own server sends (import it from node_modules instead)`);
  }
  const [file] = result.outputFiles;
  if (file === undefined || result.outputFiles.length !== 1) throw new PageBundleError(`esbuild made ${result.outputFiles.length} files from ${relative(process.cwd(), entry)}, expected one`);
  return file.text;
}
