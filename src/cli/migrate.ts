// npm run db:migrate: applies pending migrations to DATABASE_URL (or the PGlite in DATA_DIR), each one
// printed as it is applied (openDatabase migrates before it hands the database over).
import { loadConfig } from '../config.ts'
import { openDatabase } from './database.ts'

const db = await openDatabase(loadConfig())
await db.close()
process.stdout.write(`The ${db.kind === 'pglite' ? 'embedded database' : 'database'} is up to date.\n`)
