/**
 * Writes files on a second thread while the caller renders the next one. A
 * million-recipient season writes about 1.8 GB (1.5 GB of it proof shards):
 * on the caller's thread the UTF-8 encoding and the write system calls would
 * add seconds to the build, on a worker they overlap with rendering. The caller stays
 * synchronous: {@link BackgroundWriter.finish} blocks (Atomics.wait) until
 * every file is on disk and rethrows the first write error.
 *
 * @example
 * const writer = new BackgroundWriter();
 * writer.write("out/a.json", "{}\n");
 * writer.write("out/b.csv", "x\n");
 * writer.write("out/b.csv", "y\n", true); // appended, in order
 * writer.finish(); // a.json is written, or this throws
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/** Plain JavaScript, so the worker needs no TypeScript loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { appendFileSync, writeFileSync } = require("node:fs");
const state = new Int32Array(workerData.state);
parentPort.on("message", ({ path, data, append }) => {
  if (Atomics.load(state, 1) === 0) {
    try {
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

/** Bytes queued but not yet written before `write` waits: bounds the extra memory. */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export class BackgroundWriter {
  private readonly worker: Worker;
  /** [0] files written (or skipped after an error), [1] 1 once a write failed. */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly errors = new MessageChannel();
  private readonly sizes: number[] = [];
  private posted = 0;
  private inFlight = 0;
  private accounted = 0;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { state: this.state.buffer, errors: this.errors.port2 }, transferList: [this.errors.port2] });
    this.worker.unref();
  }

  /**
   * Queues `text` for `path` (strings are written as UTF-8), or to be
   * appended to it; returns at once unless too much is already queued.
   * Strings cross to the writer as strings: a one-byte string is copied
   * there with one memcpy, and the UTF-8 encoding happens on that thread.
   */
  write(path: string, text: string | Uint8Array, append = false): void {
    // The backpressure bound counts string length: bytes for the ASCII our files are made of.
    const size = typeof text === "string" ? text.length : text.byteLength;
    this.sizes.push(size);
    this.inFlight += size;
    this.worker.postMessage({ path, data: text, append });
    this.posted += 1;
    while (this.inFlight > MAX_IN_FLIGHT_BYTES) this.waitForOne();
    this.throwIfFailed();
  }

  /** Blocks until every queued file is written; throws the first write error. Ends the worker. */
  finish(): void {
    try {
      while (this.accountedWritten() < this.posted) this.waitForOne();
      this.throwIfFailed();
    } finally {
      void this.worker.terminate();
    }
  }

  /** Ends the worker without waiting (after an error elsewhere). */
  abort(): void {
    void this.worker.terminate();
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
