import { setFlagsFromString } from 'node:v8'
import closeWithGrace from 'close-with-grace'
import { buildApp, type App } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createDb, DatabaseInUseError } from './db/client.ts'
import { migrate } from './db/migrate.ts'
import { ensureFirstAdminKey, firstKeyBanner } from './modules/keys/bootstrap.ts'
import { logDestination } from './lib/logging.ts'

// V8 may decide, from what survived its first collections, to allocate the objects of a code site
// straight into the old generation ("pretenuring"). Under load it did so for request objects that die
// within milliseconds in 4 of 7 starts of the service (2026-11-30): each collection of the young
// generation then took 5.5 ms instead of 1.1, the old generation filled with 140 MB of garbage every two
// seconds, and a point read cost a fifth more CPU. Off, 9 of 9 starts stayed as the good ones
// (npm run bench: the service's RSS under load and its CPU per request).
setFlagsFromString('--no-allocation-site-pretenuring')

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
}).catch((err: unknown) => {
  if (!(err instanceof DatabaseInUseError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
})
const logStream = logDestination(config.logBufferBytes)
const server = app = await buildApp({ config, db, logStream })
if (config.migrateOnStart) {
  // Start-up says what it does: how many migrations, each one as it lands, and how long they took.
  const started = Date.now()
  let count = 0
  await migrate(db, {
    pending: (tags) => {
      count = tags.length
      if (count) server.log.info({ pending: count, first: tags[0], last: tags.at(-1), database: db.kind }, `applying ${count} migrations${db.kind === 'pglite' ? ' to the embedded database' : ''}`)
    },
    applied: ({ tag, index, total, ms }) => server.log.info({ migration: tag, index, total, ms }, `migration ${index}/${total} ${tag} applied in ${ms} ms`)
  })
  if (count) server.log.info({ applied: count, seconds: (Date.now() - started) / 1000 }, `applied ${count} migrations in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

// On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, then close the database.
closeWithGrace({ delay: 10000 }, async ({ signal, err }) => {
  if (err) server.log.error({ err }, 'closing after an error')
  else server.log.info({ signal }, 'closing')
  await server.close()
  await db.close()
})

const firstKey = await ensureFirstAdminKey(db.db, new Date())
await server.listen({ port: config.port, host: config.host })
const docs = `http://localhost:${config.port}/docs`
// Start-up's lines are written before the banner and at once, not up to a second later.
logStream.flushSync()
if (firstKey) process.stdout.write(firstKeyBanner(firstKey, docs))
server.log.info({ database: db.kind, docs }, `OCOP API ready on ${docs}`)
logStream.flushSync()
