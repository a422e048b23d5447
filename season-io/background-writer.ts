/**
 * Writes files on a second thread while the caller renders the next one. A
 * million-recipient season writes a few hundred MB (recipients.csv, leaderboards, tree.bin):
 * on the caller's thread the write system calls would add seconds to the
 * build, on a worker they overlap with rendering. The bytes cross through a
 * shared ring buffer: the caller's only cost is `Buffer.write` of each
 * string into it (a memcpy for ASCII), where posting the strings or UTF-8
 * Buffers themselves costs seconds of serialising and copying. `write`
 * returns at once (it blocks only while the ring is full); {@link
 * BackgroundWriter.finish} resolves once every file is on disk, or rejects
 * with the first write error, and lets the event loop run meanwhile (a
 * signal handler among it); {@link BackgroundWriter.abort} stops the thread
 * and resolves once it can no longer write.
 *
 * @example
 * const writer = new BackgroundWriter();
 * writer.write("out/a.json", "{}\n");
 * writer.write("out/b.csv", "x\n");
 * writer.write("out/b.csv", "y\n", true); // appended, in order
 * await writer.finish(); // a.json is written, or this throws
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { waitForChange } from "./wait-async.js";

/** Plain JavaScript, so the worker needs no TypeScript loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { appendFileSync, writeFileSync } = require("node:fs");
const state = new Int32Array(workerData.state);
const ring = new Uint8Array(workerData.ring);
parentPort.on("message", ({ path, start, length, append }) => {
  if (Atomics.load(state, 1) === 0) {
    try {
      const data = ring.subarray(start, start + length);
      if (append) appendFileSync(path, data);
      else writeFileSync(path, data);
    } catch (error) {
      workerData.errors.postMessage(String(error && error.message ? error.message : error));
      Atomics.store(state, 1, 1);
    }
  }
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
});
`;

/** The shared ring: bytes queued but not yet written; `write` waits when it is full. */
const RING_BYTES = 64 * 1024 * 1024;
/** The most ring bytes one write reserves (3 per UTF-16 unit of a string): a longer write goes in pieces, appended. */
const PIECE_BYTES = 24 * 1024 * 1024;

export class BackgroundWriter {
  private readonly worker: Worker;
  /** [0] messages handled (written, or skipped after an error), [1] 1 once a write failed. */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly errors = new MessageChannel();
  private readonly ring = Buffer.from(new SharedArrayBuffer(RING_BYTES));
  /** Where the next piece goes in the ring. */
  private head = 0;
  /** Ring bytes each posted message holds until handled (its piece, plus any gap skipped before it). */
  private readonly sizes: number[] = [];
  private posted = 0;
  private inFlight = 0;
  private accounted = 0;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { state: this.state.buffer, ring: this.ring.buffer, errors: this.errors.port2 },
      transferList: [this.errors.port2],
    });
    this.worker.unref();
  }

  /** Queues `data` (a string is written as UTF-8) for `path`, or to be appended to it; returns at once unless the ring is full. */
  write(path: string, data: string | Uint8Array, append = false): void {
    let start: number;
    let length: number;
    if (typeof data === "string") {
      // Room for the worst case (3 bytes per UTF-16 unit), then give back what the encoding did not use:
      // no separate pass to measure the UTF-8 length.
      if (3 * data.length > PIECE_BYTES) return this.writeInPieces(path, data, append);
      start = this.reserve(3 * data.length);
      length = this.ring.write(data, start, 3 * data.length, "utf8");
      this.giveBack(3 * data.length - length);
    } else {
      if (data.byteLength > PIECE_BYTES) return this.writeInPieces(path, data, append);
      start = this.reserve(data.byteLength);
      length = data.byteLength;
      this.ring.set(data, start);
    }
    this.worker.postMessage({ path, start, length, append });
    this.posted += 1;
    this.throwIfFailed();
  }

  /** Resolves once every queued file is written; rejects with the first write error. Ends the worker. */
  async finish(): Promise<void> {
    try {
      for (let written = this.accountedWritten(); written < this.posted; written = this.accountedWritten()) {
        // Waits without blocking this thread, so a signal handler can run meanwhile.
        await waitForChange(this.state, 0, written, 60_000);
      }
      this.throwIfFailed();
    } finally {
      void this.worker.terminate();
    }
  }

  /**
   * Stops the worker (after an error elsewhere, or an interrupt): resolves once the thread has
   * exited, so no write of it can land after this (a write under way finishes first).
   */
  async abort(): Promise<void> {
    await this.worker.terminate();
  }

  /** A long string or byte array as consecutive pieces of at most PIECE_BYTES (whole characters each). */
  private writeInPieces(path: string, data: string | Uint8Array, append: boolean): void {
    let first = true;
    if (typeof data !== "string") {
      for (let at = 0; at < data.byteLength; at += PIECE_BYTES, first = false) this.write(path, data.subarray(at, at + PIECE_BYTES), append || !first);
      return;
    }
    const units = Math.floor(PIECE_BYTES / 3); // a UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair 4 for 2)
    for (let at = 0; at < data.length; first = false) {
      let end = Math.min(data.length, at + units);
      const code = data.charCodeAt(end - 1);
      if (end < data.length && code >= 0xd800 && code <= 0xdbff) end -= 1; // keep a surrogate pair together
      this.write(path, data.slice(at, end), append || !first);
      at = end;
    }
  }

  /** The ring offset of `bytes` free contiguous bytes, waiting for the writer as needed. */
  private reserve(bytes: number): number {
    let gap = 0;
    if (this.head + bytes > RING_BYTES) {
      gap = RING_BYTES - this.head; // skipped; freed with this piece
      this.head = 0;
    }
    while (this.inFlight + gap + bytes > RING_BYTES) this.waitForOne();
    const start = this.head;
    this.head += bytes;
    this.sizes.push(gap + bytes);
    this.inFlight += gap + bytes;
    return start;
  }

  /** Returns the unused tail of the last reservation to the ring. */
  private giveBack(bytes: number): void {
    this.head -= bytes;
    this.sizes[this.sizes.length - 1]! -= bytes;
    this.inFlight -= bytes;
  }

  private accountedWritten(): number {
    const written = Atomics.load(this.state, 0);
    while (this.accounted < written) this.inFlight -= this.sizes[this.accounted++]!;
    return written;
  }

  private waitForOne(): void {
    const written = this.accountedWritten();
    if (written >= this.posted) return;
    Atomics.wait(this.state, 0, written, 60_000);
    this.accountedWritten();
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.state, 1) === 0) return;
    const message = receiveMessageOnPort(this.errors.port1)?.message as string | undefined;
    throw new Error(`writing the season failed: ${message ?? "unknown error"}`);
  }
}
