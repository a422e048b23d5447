/**
 * The one CSV reader of the project (RFC 4180: comma-separated, fields with
 * commas, quotes or line breaks are double-quoted, `""` is a quote). UTF-8
 * text in, one callback per data row out, so a million-row export is never
 * held twice in memory. Every problem is an InputError with file, line and
 * column.
 *
 * @example
 * readCsv(text, "users.csv", ["user_id", "username", "address", "referrer_id"], (fields, line) => {
 *   // fields[2] is the address of the row starting on `line`
 * });
 */
import { InputError } from "./errors.js";

export type CsvRowHandler = (fields: string[], line: number) => void;

/**
 * Reads `text` whose header must be exactly `columns`, calling `onRow` for
 * each data row with its fields and the 1-based line it starts on. A final
 * newline is optional; CRLF line ends are accepted; a UTF-8 BOM is ignored.
 * Returns the number of data rows.
 */
export function readCsv(text: string, file: string, columns: readonly string[], onRow: CsvRowHandler): number {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let rows = 0;
  let header = true;
  const length = text.length;
  while (pos < length) {
    const rowLine = line;
    let fields: string[];
    let newline = text.indexOf("\n", pos);
    if (newline === -1) newline = length;
    const end = newline > pos && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    const raw = text.slice(pos, end);
    if (raw.indexOf('"') === -1) {
      fields = raw.split(",");
      pos = newline + 1;
      line += 1;
    } else {
      const parsed = readQuotedRecord(text, pos, file, rowLine);
      fields = parsed.fields;
      pos = parsed.next;
      line += parsed.lines;
    }
    if (header) {
      checkHeader(fields, columns, file);
      header = false;
      continue;
    }
    if (fields.length !== columns.length) {
      if (fields.length === 1 && fields[0] === "") {
        throw new InputError({ file, line: rowLine, column: 1 }, `empty line: remove it (expected ${columns.length} fields: ${columns.join(",")})`);
      }
      throw new InputError(
        { file, line: rowLine, column: Math.min(fields.length, columns.length) + 1 },
        `expected ${columns.length} fields (${columns.join(",")}), found ${fields.length}`,
      );
    }
    rows += 1;
    onRow(fields, rowLine);
  }
  if (header) throw new InputError({ file, line: 1 }, `empty file: expected the header ${columns.join(",")}`);
  return rows;
}

/**
 * Reads a CSV whose header row names the columns (our own output files,
 * e.g. leaderboards): one record per data row, keyed by column name.
 *
 * @example readCsvRecords("rank,name\n1,ada\n", "artists.csv") // [{ rank: "1", name: "ada" }]
 */
export function readCsvRecords(text: string, file: string): Record<string, string>[] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.indexOf("\n", start);
  const first = text.slice(start, end === -1 ? undefined : end).replace(/\r$/, "");
  const header = first.indexOf('"') === -1 ? first.split(",") : readQuotedRecord(text, start, file, 1).fields;
  const records: Record<string, string>[] = [];
  readCsv(text, file, header, (fields) => records.push(Object.fromEntries(header.map((name, i) => [name, fields[i]!]))));
  return records;
}

function checkHeader(fields: string[], columns: readonly string[], file: string): void {
  for (let i = 0; i < Math.max(fields.length, columns.length); i++) {
    if (fields[i] !== columns[i]) {
      const found = fields[i] === undefined ? "nothing" : `"${fields[i]}"`;
      const wanted = columns[i] === undefined ? "no more columns" : `"${columns[i]}"`;
      throw new InputError({ file, line: 1, column: i + 1 }, `header: expected ${wanted}, found ${found} (the header must be ${columns.join(",")})`);
    }
  }
}

/** One record that holds at least one quote, possibly over several lines. */
function readQuotedRecord(text: string, start: number, file: string, line: number): { fields: string[]; next: number; lines: number } {
  const fields: string[] = [];
  let field = "";
  let pos = start;
  let lines = 1;
  let quoted = false;
  let fieldStart = true;
  while (pos <= text.length) {
    const ch = pos < text.length ? text[pos]! : "\n";
    if (quoted) {
      if (pos === text.length) throw new InputError({ file, line, column: fields.length + 1 }, "unterminated quoted field: close it with a double quote");
      if (ch === '"') {
        if (text[pos + 1] === '"') {
          field += '"';
          pos += 2;
          continue;
        }
        quoted = false;
        pos += 1;
        const after = pos < text.length ? text[pos]! : "\n";
        if (after !== "," && after !== "\n" && !(after === "\r" && text[pos + 1] === "\n")) {
          throw new InputError({ file, line, column: fields.length + 1 }, "text after a closing quote: quote the whole field");
        }
        continue;
      }
      if (ch === "\n") lines += 1;
      field += ch;
      pos += 1;
      continue;
    }
    if (ch === '"') {
      if (!fieldStart) throw new InputError({ file, line, column: fields.length + 1 }, "a quote inside an unquoted field: quote the whole field and double the quote");
      quoted = true;
      fieldStart = false;
      pos += 1;
      continue;
    }
    if (ch === ",") {
      fields.push(field);
      field = "";
      fieldStart = true;
      pos += 1;
      continue;
    }
    if (ch === "\n" || (ch === "\r" && text[pos + 1] === "\n")) {
      fields.push(field);
      return { fields, next: pos + (ch === "\r" ? 2 : 1), lines };
    }
    field += ch;
    fieldStart = false;
    pos += 1;
  }
  fields.push(field);
  return { fields, next: text.length, lines };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF,
 * or starts/ends with a space; inner quotes doubled.
 *
 * @example csvField('say "hi", bob') === '"say ""hi"", bob"'
 */
export function csvField(value: string): string {
  if (NEEDS_QUOTES.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/**
 * A free-text cell (a username, hardware, an id) that a spreadsheet shows
 * and never executes: text starting with `=`, `+`, `-`, `@`, a tab, CR or
 * LF (what spreadsheets read as a formula, OWASP's CSV injection list), a
 * space, the full-width `＝＋－＠`, or `'` itself gets a `'` in front, which
 * spreadsheets hide and {@link readCsvText} removes; then RFC 4180 quoting.
 *
 * @example csvTextField("=HYPERLINK(1)") === "'=HYPERLINK(1)"
 * @example csvTextField("ada") === "ada"
 */
export function csvTextField(value: string): string {
  return csvField(FORMULA_START.has(value.charCodeAt(0)) ? `'${value}` : value);
}

/** `=` `+` `-` `@` tab LF CR space `'` and the full-width ＝＋－＠. */
const FORMULA_START: ReadonlySet<number> = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0a, 0x0d, 0x20, 0x27, 0xff1d, 0xff0b, 0xff0d, 0xff20]);

/**
 * The text of a cell {@link csvTextField} wrote: its leading `'`, if any,
 * removed.
 *
 * @example readCsvText("'=HYPERLINK(1)") === "=HYPERLINK(1)"
 */
export function readCsvText(cell: string): string {
  return cell.charCodeAt(0) === 0x27 ? cell.slice(1) : cell;
}
