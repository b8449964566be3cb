import type { Config } from '../config.ts'
import { createDb, DatabaseInUseError, type DbHandle } from '../db/client.ts'
import { migrate } from '../db/migrate.ts'
import { migrationLines } from './progress.ts'

/**
 * The database a command works on: PostgreSQL with DATABASE_URL, else the embedded one in DATA_DIR.
 * When the service (or another command) has the embedded one open, says so and exits (status 2)
 * rather than writing where the running service would not see it. Pending migrations are applied
 * first, each one printed as it lands.
 */
export async function openDatabase (config: Config): Promise<DbHandle> {
  let db: DbHandle
  try {
    db = await createDb({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` })
  } catch (err) {
    if (!(err instanceof DatabaseInUseError)) throw err
    process.stderr.write(`${err.message}\n`)
    process.exit(2)
  }
  try {
    await migrate(db, migrationLines())
  } catch (err) {
    await db.close()
    throw err
  }
  return db
}
