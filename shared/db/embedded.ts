/**
 * The embedded database: PGlite (Postgres in WASM) served on a loopback socket by
 * pglite-socket, so the same postgres.js client talks to it as to a real server.
 *
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** A running embedded database and the URL to reach it. */
export type EmbeddedDatabase = {
  url: string;
  stop(): Promise<void>;
};

/**
 * Boots PGlite from `dataDir` (a folder, created if missing; `"memory://"` for a
 * throw-away database) and serves it on 127.0.0.1:`port` (0 picks a free port).
 */
export async function startEmbedded(dataDir: string, port = 0): Promise<EmbeddedDatabase> {
  if (!dataDir.startsWith("memory://")) await Deno.mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 32 });
  await server.start();
  // getServerConn() is "host:port" once listening, with the port the OS picked.
  const actualPort = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${actualPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
