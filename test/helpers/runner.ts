/**
 * How a test starts the service as its own process. The image runs `node src/server.ts`: Node 22.18
 * and later strip the types themselves. Older Node loads tsx, as `npm start` does. CI runs the
 * PostgreSQL suite on Node 24 and the PGlite suite on Node 20, so both ways are tried.
 */
export const serverArgs = (process.features as { typescript?: string }).typescript ? [] : ['--import', 'tsx']
