/**
 * `Atomics.waitAsync` that keeps the process alive while it waits. The
 * threads that flip these words are unref'd workers, and a pending
 * waitAsync holds no reference on the event loop: without the timer here
 * Node would see nothing left to do, and end with the build unfinished.
 * Resolves once `state[index]` is no longer `value`, or after `timeoutMs`.
 *
 * @example
 * await waitForChange(state, 0, written, 60_000); // the writer thread moved on
 */
export async function waitForChange(state: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const waiting = Atomics.waitAsync(state, index, value, timeoutMs);
  if (!waiting.async) return;
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    await waiting.value;
  } finally {
    clearInterval(keepAlive);
  }
}
