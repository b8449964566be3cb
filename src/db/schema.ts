// Every module's tables: what drizzle-kit reads and what the Drizzle client is typed with.
export * from '../modules/reference/tables.ts'
export * from '../modules/keys/tables.ts'
export * from '../modules/audit/tables.ts'
export * from '../modules/villages/tables.ts'
export * from '../modules/producers/tables.ts'
export * from '../modules/products/tables.ts'
export * from '../modules/evaluations/tables.ts'
export * from '../plugins/idempotency.tables.ts'
