/**
 * What the scale benchmarks share (bench/build-1m.ts, bench/publish.ts): run
 * `node bin/sogni-season.mjs …` as a child process and measure its wall
 * time, CPU (user + system) and peak RSS, with /usr/bin/time -v when present,
 * else by polling /proc/<pid>/status (VmHWM) and /proc/<pid>/stat; a line
 * naming the machine; a child process that must succeed.
 *
 * @example const measured = await measureCli(["publish", "--seasons", …, "--quiet"], "publish:");
 */
import { execSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TIME = "/usr/bin/time";

export interface Measured {
  wallS: number;
  cpuS: number | null;
  peakRssMb: number;
  how: string;
  stderr: string;
  /** Seconds from start at which each progress line (starting with the prefix) arrived. */
  lines: { at: number; text: string }[];
}

/** Runs `node bin/sogni-season.mjs <args>` and measures it; rejects when it exits non-zero. */
export function measureCli(args: string[], progressPrefix: string): Promise<Measured> {
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : process.execPath;
  const argv = useTime ? ["-v", process.execPath, join(ROOT, "bin/sogni-season.mjs"), ...args] : [join(ROOT, "bin/sogni-season.mjs"), ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const lines: Measured["lines"] = [];
    let partial = "";
    child.stderr.on("data", (chunk: Buffer) => {
      const at = (performance.now() - started) / 1000;
      stderr += chunk.toString();
      partial += chunk.toString();
      const parts = partial.split("\n");
      partial = parts.pop()!;
      for (const text of parts) if (text.startsWith(progressPrefix)) lines.push({ at, text });
    });
    // Fallback meter: the process's VmHWM and CPU ticks, sampled every 50 ms.
    let hwmKb = 0;
    let ticks = 0;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
            hwmKb = Math.max(hwmKb, Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0));
            const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
            ticks = Number(stat[11]) + Number(stat[12]);
          } catch {
            // exited between samples
          }
        }, 50);
    child.on("error", reject);
    child.on("close", (code) => {
      if (poll) clearInterval(poll);
      const wallS = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`season ${args[0]} exited with ${code}:\n${stderr.slice(-3000)}`));
      if (useTime) {
        const field = (name: string): number => Number(stderr.match(new RegExp(`${name}:\\s*([\\d.]+)`))?.[1] ?? NaN);
        resolve({ wallS, cpuS: field("User time \\(seconds\\)") + field("System time \\(seconds\\)"), peakRssMb: field("Maximum resident set size \\(kbytes\\)") / 1024, how: "/usr/bin/time -v", stderr, lines });
      } else {
        resolve({ wallS, cpuS: ticks / 100, peakRssMb: hwmKb / 1024, how: "polling /proc/<pid>/status VmHWM every 50 ms", stderr, lines });
      }
    });
  });
}

/** Runs a command from the repository root with inherited output; rejects when it exits non-zero. */
export function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

/** "AMD EPYC (lscpu), 2 CPUs (nproc), 24 GB RAM, Node v24…". */
export function machine(): string {
  let model = "unknown";
  try {
    model = /^Model name:\s*(.+)$/m.exec(execSync("lscpu", { encoding: "utf8" }))?.[1]?.trim() ?? model;
  } catch {
    // no lscpu
  }
  const memory = existsSync("/proc/meminfo") ? `${Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1]) / 1024 / 1024)} GB RAM, ` : "";
  return `${model} (lscpu), ${availableParallelism()} CPUs (nproc), ${memory}Node ${process.version}`;
}

/**
 * A fresh Postgres database for one benchmark run, beside the one env
 * DATABASE_URL names (default postgresql://postgres@127.0.0.1:5432/postgres):
 * a new database rather than a schema, because Ponder's `ponder_sync` tables
 * are database-wide. `drop()` removes it, sessions and all.
 *
 * @example const database = await freshDatabase("bench_api"); … await database.drop();
 */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = `${prefix}_${process.pid}_${Date.now()}`;
  const { default: pg } = await import("pg");
  const admin = async (sql: string): Promise<void> => {
    const db = new pg.Client({ connectionString: adminUrl });
    await db.connect();
    try {
      await db.query(sql);
    } finally {
      await db.end();
    }
  };
  await admin(`CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`) };
}
