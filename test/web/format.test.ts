/**
 * The page's text rule is the CLI's: names and hardware from the exports are
 * shown with invisible and control characters as `\u{…}` (web/format.js
 * cannot import season/text.ts, so this holds the two to the same output).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeInvisible } from "../../season/text.js";
// @ts-expect-error: plain browser JavaScript without type declarations
import { visibleText } from "../../web/format.js";

const show = visibleText as (text: string) => string;

describe("the page shows a name as the CLI does: control and bidi characters visible, never obeyed", () => {
  it("a right-to-left override, a zero-width space and an escape sequence", () => {
    expect(show("ada\u202e")).toBe("ada\\u{202e}");
    expect(show("bo\u200bb")).toBe("bo\\u{200b}b");
    expect(show("\u001b[2Jcy")).toBe("\\u{1b}[2Jcy");
    expect(show("bob, the builder")).toBe("bob, the builder");
  });

  it("gives exactly season/text.ts's escapeInvisible for any text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => show(text) === escapeInvisible(text)), { numRuns: 2000 });
  });
});
