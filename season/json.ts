/**
 * The one JSON reader of the project's inputs (season.json, onchain.json).
 * JSON.parse lets the last of two equal keys win silently, overflows the
 * stack on deep nesting and names a position, not a key: this reader refuses
 * a repeated key (naming it, its path and where it was first), refuses
 * nesting deeper than {@link MAX_JSON_DEPTH}, ignores a leading UTF-8 BOM
 * (the same in `season build` and `season verify`), and every error is an
 * InputError with the file, line and column. Values are what JSON.parse
 * gives for the same text.
 *
 * @example
 * parseJsonText('{"season": 7}', "season.json") // { season: 7 }
 * parseJsonText('{"season": 7, "season": 8}', "season.json") // InputError: season.json, line 1, column season: duplicate key …
 * locateJsonPath('{\n  "pools": {\n    "artists": {}\n  }\n}', ["pools", "artists"]) // { line: 3, column: 5 }
 */
import { InputError } from "./errors.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deeper than any of our formats needs (onchain.json is 3 levels), far below the stack's limit. */
export const MAX_JSON_DEPTH = 64;

/** One step of a path into a JSON value: an object key or an array index. */
export type JsonPathStep = string | number;

/** `pools.artists.amount`, `locks[3].account`: how a path is named in errors. */
export function formatJsonPath(path: readonly JsonPathStep[]): string {
  let text = "";
  for (const step of path) text += typeof step === "number" ? `[${step}]` : text === "" ? step : `.${step}`;
  return text === "" ? "(top)" : text;
}

/** Parses `text` strictly (see the module comment); `file` names it in errors. */
export function parseJsonText(text: string, file: string): JsonValue {
  const parser = new Parser(text, file, undefined);
  return parser.document();
}

/**
 * The line and column where the value at `path` starts (for an object member:
 * where its key starts), or of the nearest ancestor that exists. Used to
 * point an error at the right line; `text` must be valid JSON.
 */
export function locateJsonPath(text: string, path: readonly JsonPathStep[]): { line: number; column: number } {
  const parser = new Parser(text, "", path.map(String));
  try {
    parser.document();
  } catch {
    // Not reachable for text that parsed; fall back to the best position found.
  }
  return lineColumn(text, parser.found);
}

/** 1-based line and column (in UTF-16 code units) of a position in `text`. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < position; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: position - lineStart + 1 };
}

const QUOTE = 34;
const BACKSLASH = 92;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class Parser {
  private pos: number;
  private readonly path: JsonPathStep[] = [];
  /** Locate mode: the deepest prefix of `target` reached so far, and where. */
  found = 0;
  private foundDepth = -1;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly target: readonly string[] | undefined,
  ) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  document(): JsonValue {
    this.skipSpace();
    const value = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describe()} after the JSON value`);
    return value;
  }

  private fail(reason: string, at = this.pos): never {
    const { line, column } = lineColumn(this.text, at);
    throw new InputError({ file: this.file, line, column }, `not valid JSON: ${reason}`);
  }

  private describe(): string {
    if (this.pos >= this.text.length) return "end of the file";
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  private skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos += 1;
      else break;
    }
    this.pos = pos;
  }

  /** Locate mode: note where the current path starts when it is a prefix of the target. */
  private mark(at: number): void {
    const target = this.target;
    if (target === undefined) return;
    const depth = this.path.length;
    if (depth > target.length || depth <= this.foundDepth) return;
    for (let i = 0; i < depth; i++) if (String(this.path[i]) !== target[i]) return;
    this.found = at;
    this.foundDepth = depth;
  }

  private value(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === 123) return this.object();
    if (c === 91) return this.array();
    if (c === QUOTE) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (this.text.startsWith("true", this.pos)) return this.literal(4, true);
    if (this.text.startsWith("false", this.pos)) return this.literal(5, false);
    if (this.text.startsWith("null", this.pos)) return this.literal(4, null);
    return this.fail(`expected a value, found ${this.describe()}`);
  }

  private literal<T extends JsonValue>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private enter(): void {
    if (this.path.length >= MAX_JSON_DEPTH) {
      const { line, column } = lineColumn(this.text, this.pos);
      throw new InputError(
        { file: this.file, line, column: formatJsonPath(this.path) },
        `nested deeper than ${MAX_JSON_DEPTH} levels at column ${column}: none of the season formats nests this deep`,
      );
    }
  }

  private object(): { [key: string]: JsonValue } {
    this.enter();
    const result: { [key: string]: JsonValue } = {};
    /** Where each key was first seen, for the duplicate-key error. */
    const starts = new Map<string, number>();
    this.pos += 1;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail(`expected a quoted key, found ${this.describe()}`);
      const keyStart = this.pos;
      const key = this.string();
      this.path.push(key);
      if (Object.hasOwn(result, key)) {
        const first = lineColumn(this.text, starts.get(key)!);
        const { line } = lineColumn(this.text, keyStart);
        throw new InputError(
          { file: this.file, line, column: formatJsonPath(this.path) },
          `duplicate key "${key}" (first on line ${first.line}, column ${first.column}): JSON readers disagree on which one counts; keep one`,
        );
      }
      starts.set(key, keyStart);
      this.mark(keyStart);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 58) this.fail(`expected ":" after the key "${key}", found ${this.describe()}`);
      this.pos += 1;
      this.skipSpace();
      const value = this.value();
      // A key named __proto__ is an ordinary own property, as with JSON.parse.
      if (key === "__proto__") Object.defineProperty(result, key, { value, writable: true, enumerable: true, configurable: true });
      else result[key] = value;
      this.path.pop();
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos += 1;
        this.skipSpace();
        continue;
      }
      if (c === 125) {
        this.pos += 1;
        return result;
      }
      this.fail(`expected "," or "}" after the value of "${key}", found ${this.describe()}`);
    }
  }

  private array(): JsonValue[] {
    this.enter();
    const result: JsonValue[] = [];
    this.pos += 1;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      this.path.push(result.length);
      this.mark(this.pos);
      result.push(this.value());
      this.path.pop();
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos += 1;
        this.skipSpace();
        continue;
      }
      if (c === 93) {
        this.pos += 1;
        return result;
      }
      this.fail(`expected "," or "]" in the array, found ${this.describe()}`);
    }
  }

  private string(): string {
    const text = this.text;
    const start = this.pos + 1;
    let pos = start;
    // The common case: no escapes, one slice.
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === BACKSLASH) break;
      if (c < 32 || Number.isNaN(c)) this.stringFail(pos);
      pos += 1;
    }
    let value = text.slice(start, pos);
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return value;
      }
      if (c < 32 || Number.isNaN(c)) this.stringFail(pos);
      if (c !== BACKSLASH) {
        value += text[pos];
        pos += 1;
        continue;
      }
      const escape = text[pos + 1];
      if (escape === "u") {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("\\u must be followed by 4 hex digits", pos);
        value += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
        continue;
      }
      const replacement = escape === undefined ? undefined : ESCAPES[escape];
      if (replacement === undefined) this.fail(`unknown escape \\${escape ?? ""} in a string`, pos);
      value += replacement;
      pos += 2;
    }
  }

  private stringFail(pos: number): never {
    if (pos >= this.text.length) this.fail("unterminated string: close it with a double quote", pos);
    return this.fail(`a control character (U+${this.text.charCodeAt(pos).toString(16).toUpperCase().padStart(4, "0")}) inside a string: escape it`, pos);
  }

  private number(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === 45) pos += 1;
    const digits = (): number => {
      const from = pos;
      while (text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos += 1;
      return pos - from;
    };
    if (text.charCodeAt(pos) === 48) pos += 1;
    else if (digits() === 0) this.fail("a number needs digits", pos);
    if (text.charCodeAt(pos) === 46) {
      pos += 1;
      if (digits() === 0) this.fail("a number needs digits after the decimal point", pos);
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69) {
      pos += 1;
      const sign = text.charCodeAt(pos);
      if (sign === 43 || sign === 45) pos += 1;
      if (digits() === 0) this.fail("a number needs digits in its exponent", pos);
    }
    this.pos = pos;
    return Number(text.slice(start, pos));
  }
}
