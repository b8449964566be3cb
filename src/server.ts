import closeWithGrace from 'close-with-grace'
import { buildApp, type App } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createDb } from './db/client.ts'
import { migrate } from './db/migrate.ts'

let config
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exit(78) // EX_CONFIG
}

let app: App | undefined
const db = await createDb({
  databaseUrl: config.databaseUrl,
  dataDir: `${config.dataDir}/pglite`,
  poolMax: config.db.poolMax,
  connectTimeoutMs: config.db.connectTimeoutMs,
  statementTimeoutMs: config.db.statementTimeoutMs,
  onPoolError: (err) => app?.log.warn({ err }, 'database connection lost')
})
if (config.migrateOnStart) await migrate(db)
const server = app = await buildApp({ config, db })

// On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, then close the database.
closeWithGrace({ delay: 10000 }, async ({ signal, err }) => {
  if (err) server.log.error({ err }, 'closing after an error')
  else server.log.info({ signal }, 'closing')
  await server.close()
  await db.close()
})

await server.listen({ port: config.port, host: config.host })
server.log.info({ database: db.kind, docs: `http://localhost:${config.port}/docs` }, 'OCOP API ready')
