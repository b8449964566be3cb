// Every module's tables: what drizzle-kit reads and what the Drizzle client is typed with.
export * from '../modules/reference/tables.ts'
