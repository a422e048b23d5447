/**
 * Errors raised by the season engine. Each says where the problem is and what
 * to do next, so a person can fix the input without reading the code.
 */

/** Where in an input file a problem was found (1-based line and column). */
export interface InputLocation {
  file: string;
  line?: number;
  column?: number | string;
}

/**
 * Bad input: a file, line, column and reason. The CLI prints it and exits
 * non-zero without writing any output.
 *
 * @example
 * throw new InputError({ file: "users.csv", line: 4, column: "address" }, "bad checksum: 0xAbC…");
 */
export class InputError extends Error {
  override name = "InputError";
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | string | undefined;
  readonly reason: string;

  constructor(location: InputLocation, reason: string) {
    const where = [
      location.file,
      location.line !== undefined ? `line ${location.line}` : undefined,
      location.column !== undefined ? `column ${location.column}` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(", ");
    super(`${where}: ${reason}`);
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.reason = reason;
  }
}
