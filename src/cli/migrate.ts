// npm run db:migrate: applies pending migrations to DATABASE_URL (or the PGlite in DATA_DIR).
import { loadConfig } from '../config.ts'
import { openDatabase } from './database.ts'
import { migrate } from '../db/migrate.ts'

const config = loadConfig()
const db = await openDatabase(config)
try {
  await migrate(db)
  process.stdout.write(`Migrations applied (${db.kind}).\n`)
} finally {
  await db.close()
}
