/**
 * Text from outside: the one UTF-8 decoder of the inputs, and the characters
 * that must never make two ids look alike or reach a terminal raw.
 *
 * "Invisible" here means Unicode control (Cc), format (Cf: zero-width space,
 * BOM, bidi overrides…), line and paragraph separators (Zl, Zp) and every
 * other default-ignorable code point (variation selectors, fillers…): two
 * ids that differ only by one of them look the same to a person.
 *
 * @example
 * decodeUtf8(bytes, "users.csv"); // a BOM is dropped; bad bytes: InputError with line and column
 * idProblem("u1\u200b") // 'holds U+200B, an invisible or control character'
 * escapeInvisible("ada\u202e") === "ada\\u{202e}"
 */
import { InputError } from "./errors.js";

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** U+200B: how a code point is named in errors. */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Why `id` cannot be an id (an invisible or control character, or a space
 * at either end), or undefined when it can. Printable ASCII, the ids every
 * export uses, takes a loop of comparisons and no regex.
 *
 * @example idProblem("p-17") === undefined
 */
export function idProblem(id: string): string | undefined {
  const length = id.length;
  let ascii = true;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return `holds ${codePointName(id[i]!)}, a control character`;
    if (c > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (!ascii) {
    const match = INVISIBLE.exec(id);
    if (match) return `holds ${codePointName(match[0])}, an invisible or control character`;
    if (/^\s|\s$/.test(id)) return "starts or ends with a space";
  } else if (id.charCodeAt(0) === 0x20 || id.charCodeAt(length - 1) === 0x20) {
    return "starts or ends with a space";
  }
  return undefined;
}

/**
 * `text` with every invisible or control character written as `\u{…}`, so a
 * terminal shows it instead of obeying it (a bidi override cannot reverse a
 * line, an escape sequence cannot move the cursor). `keep` lists characters
 * to leave alone (e.g. "\n" in a multi-line message).
 *
 * @example escapeInvisible("\u202egnp.exe") === "\\u{202e}gnp.exe"
 */
export function escapeInvisible(text: string, keep = ""): string {
  if (!INVISIBLE.test(text)) return text;
  return text.replace(INVISIBLE_ALL, (char) => (keep.includes(char) ? char : `\\u{${char.codePointAt(0)!.toString(16)}}`));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * UTF-8 bytes to text, a leading BOM dropped. Invalid UTF-8 is an InputError
 * naming the line and column of the first bad byte.
 *
 * @example decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), "x.csv") === "a"
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    const at = firstInvalidUtf8(bytes);
    if (at === -1) throw error;
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    }
    const column = utf8.decode(bytes.subarray(lineStart, at)).length + 1;
    const byte = bytes[at]!.toString(16).padStart(2, "0");
    throw new InputError({ file, line, column }, `not valid UTF-8 (byte 0x${byte} at offset ${at}): export the file as UTF-8`);
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
