/**
 * indexer/database.ts against the real Postgres of TEST_DATABASE_URL: a
 * DATABASE_URL naming a database the server lacks gets it created (Ponder
 * itself would only repeat "Connection terminated unexpectedly"), an
 * existing one is left alone, and an unreachable server is an error that
 * says what to check.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseSetupError, ensurePostgresDatabase } from "../../indexer/database.js";
import { testDatabaseUrl } from "./support.js";

const serverUrl = testDatabaseUrl();
const created: string[] = [];

async function onServer<T>(query: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return onServer(async (client) => (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1);
}

function urlFor(name: string): string {
  const url = new URL(serverUrl!);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

afterAll(async () => {
  if (serverUrl === undefined) return;
  for (const name of created) await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}"`));
});

describe.skipIf(serverUrl === undefined)("ensurePostgresDatabase: DATABASE_URL's database exists before Ponder connects", () => {
  it("creates a missing database, says so on its log, and a second call finds it", async () => {
    const name = `ensure_db_${randomBytes(6).toString("hex")}`;
    created.push(name);
    expect(await databaseExists(name)).toBe(false);
    const lines: string[] = [];
    expect(await ensurePostgresDatabase(urlFor(name), (line) => lines.push(line))).toBe("created");
    expect(await databaseExists(name)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`created the Postgres database "${name}" on .+:\\d+ \\(it did not exist\\)`))]);
    expect(await ensurePostgresDatabase(urlFor(name), (line) => lines.push(line))).toBe("exists");
    expect(lines).toHaveLength(1);
  });

  it("creates a name that needs quoting (upper case, a dash) exactly as written", async () => {
    const name = `Ensure-DB-${randomBytes(4).toString("hex")}`;
    created.push(name);
    expect(await ensurePostgresDatabase(urlFor(name), () => {})).toBe("created");
    expect(await databaseExists(name)).toBe(true);
  });

  it("leaves an existing database alone", async () => {
    const existing = new URL(serverUrl!).pathname.slice(1) || "postgres";
    expect(await ensurePostgresDatabase(urlFor(existing), () => {})).toBe("exists");
  });

  it("an unreachable server is a DatabaseSetupError naming the server and what to check", async () => {
    const error = await ensurePostgresDatabase("postgresql://postgres@127.0.0.1:9/sogni", () => {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect((error as Error).message).toMatch(/cannot connect to Postgres at 127\.0\.0\.1:9 .*is the server running, and is DATABASE_URL right\?/);
  });
});
