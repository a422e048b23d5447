/**
 * The indexer's Postgres database, made to exist before Ponder connects: a
 * DATABASE_URL naming a database the server lacks would otherwise only get
 * Ponder's "Connection terminated unexpectedly", over and over. The one edge
 * of indexer/ (it talks to the server), run once when ponder.config.ts loads.
 *
 * @example
 * await ensurePostgresDatabase("postgresql://postgres@127.0.0.1:5432/sogni");
 * // stderr: "indexer: created the Postgres database "sogni" on 127.0.0.1:5432 (it did not exist)"
 */
import pg from "pg";

/** Postgres could not be reached, or the database could not be created; the message says what to do. */
export class DatabaseSetupError extends Error {
  override name = "DatabaseSetupError";
}

export type DatabaseState = "exists" | "created";

/**
 * Connects to the database of `url`; when the server says it does not exist
 * (SQLSTATE 3D000), connects to the server's `postgres` database instead and
 * creates it. Resolves to what it found. Throws a DatabaseSetupError that
 * names the server and the fix when the server is unreachable or refuses.
 */
export async function ensurePostgresDatabase(url: string, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<DatabaseState> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ""));
  const server = `${target.hostname || "localhost"}:${target.port || "5432"}`;
  if (database === "") return "exists"; // the server's default database (the user's name): nothing to create

  const probe = await tryConnect(url);
  if (probe === undefined) return "exists";
  if (probe.code !== "3D000") throw unreachable(server, probe);

  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseSetupError(
      `the Postgres database "${database}" does not exist on ${server}, and its "postgres" database is not reachable to create it (${(error as Error).message}): create it with \`createdb -h ${target.hostname || "localhost"} -p ${target.port || "5432"} ${database}\``,
    );
  }
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount !== 0) return "exists";
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "42P04") return "exists"; // created by someone else meanwhile
      throw new DatabaseSetupError(
        `the Postgres database "${database}" does not exist on ${server} and could not be created (${(error as Error).message}): create it with \`createdb -h ${target.hostname || "localhost"} -p ${target.port || "5432"} ${database}\`, or ask its administrator`,
      );
    }
    log(`indexer: created the Postgres database "${database}" on ${server} (it did not exist)`);
    return "created";
  } finally {
    await client.end();
  }
}

/** Undefined when the connection works; the driver's error otherwise. */
async function tryConnect(url: string): Promise<(Error & { code?: string }) | undefined> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await client.end().catch(() => {});
  }
}

function unreachable(server: string, error: Error & { code?: string }): DatabaseSetupError {
  return new DatabaseSetupError(`cannot connect to Postgres at ${server} (${error.message}): is the server running, and is DATABASE_URL right?`);
}

/** A Postgres identifier in double quotes (any name, any case). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
