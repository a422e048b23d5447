/**
 * The one way the edge reads a file it was given or finds in a season
 * directory: only a regular file (a symbolic link to one is followed), opened
 * non-blocking so a FIFO is refused instead of waited on, checked on the open
 * descriptor (what is checked is what is read), and refused over a size cap.
 * Each caller turns the problem into its own error (an InputError for build
 * inputs, a SeasonDirError for a season directory).
 *
 * @example
 * const bytes = readRegularFile("exports/users.csv", { maxBytes: 1 << 20, fail: (problem) => new Error(`users.csv ${problem}`) });
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { constants as bufferConstants } from "node:buffer";

/** The longest string V8 holds: a file read whole as text cannot be larger. */
export const MAX_TEXT_BYTES = bufferConstants.MAX_STRING_LENGTH;

export interface RegularFileOptions {
  /** Refuse a file larger than this many bytes. */
  maxBytes: number;
  /** The caller's error for a problem, e.g. "not found", "is a FIFO (named pipe), not a regular file". */
  fail: (problem: string) => Error;
}

/** What a path is, when it is not a regular file. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Opens `path` for reading if it is a regular file; the descriptor is the
 * caller's to close. Otherwise `fail(problem)` is thrown and nothing stays open.
 */
export function openRegularFile(path: string, fail: (problem: string) => Error): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw fail("not found");
    if (code === "ELOOP") throw fail("is a symbolic link loop, not a file");
    throw fail(`cannot be opened (${code ?? (error as Error).message})`);
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw fail(`is ${fileKind(stats)}, not a regular file`);
  }
  return { fd, size: stats.size };
}

/** The bytes of `path`, or `options.fail(problem)` thrown: missing, not a regular file, a link loop, too large, unreadable. */
export function readRegularFile(path: string, options: RegularFileOptions): Buffer {
  const { fd, size } = openRegularFile(path, options.fail);
  try {
    const tooBig = (bytes: number): Error =>
      options.fail(
        `is ${bytes.toLocaleString("en-US")} bytes, over the ${options.maxBytes.toLocaleString("en-US")}-byte limit` +
          (options.maxBytes === MAX_TEXT_BYTES ? " (the longest string V8 can hold: it is read whole)" : ""),
      );
    if (size > options.maxBytes) throw tooBig(size);
    let bytes: Buffer;
    try {
      bytes = readFileSync(fd);
    } catch (error) {
      throw options.fail(`cannot be read (${(error as Error).message})`);
    }
    if (bytes.length > options.maxBytes) throw tooBig(bytes.length); // it grew while being read
    return bytes;
  } finally {
    closeSync(fd);
  }
}
