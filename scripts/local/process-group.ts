/**
 * A child started in its own process group (`detached: true`), ended as a
 * group: SIGTERM, then SIGKILL after a grace period; and every group still
 * alive is killed when this process exits, so no Hardhat node or indexer
 * outlives the demo or a test. The one place that stops local processes.
 *
 * @example
 * const group = processGroup(spawn(bin, args, { detached: true }), "hardhat node");
 * await group.stop(); // SIGTERM, SIGKILL after 10 s
 */
import type { ChildProcess } from "node:child_process";

export interface ProcessGroup {
  pgid: number;
  /** Resolves when the child has exited. */
  exit: Promise<void>;
  exited(): boolean;
  /** Signals the whole group and waits for the child to exit (SIGKILL after `graceMs` if it has not). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const live = new Set<number>();
let exitHookInstalled = false;

function kill(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/** Tracks `child` (spawned with `detached: true`) as a process group; throws when it has no pid. */
export function processGroup(child: ChildProcess, what: string): ProcessGroup {
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start ${what}`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const group of live) kill(group, "SIGKILL");
    });
  }
  live.add(pgid);
  let hasExited = false;
  const exit = new Promise<void>((done) =>
    child.once("exit", () => {
      hasExited = true;
      live.delete(pgid);
      done();
    }),
  );
  return {
    pgid,
    exit,
    exited: () => hasExited,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (hasExited || !kill(pgid, signal)) return;
      const timer = setTimeout(() => kill(pgid, "SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
