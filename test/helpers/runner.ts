/**
 * How a test starts the service, or one of its commands, as its own process. The image runs
 * `node src/server.ts`: Node 22.18 and later strip the types themselves. Older Node loads tsx, as
 * `npm start` does. CI runs the PostgreSQL suite on Node 24 and the PGlite suite on Node 20, so both
 * ways are tried. (Where Node strips the types, the child's coverage lines up with the test's own;
 * test/helpers/coverage-report.ts explains why a child run under tsx is left out of the report.)
 */
export const serverArgs = (process.features as { typescript?: string }).typescript ? [] : ['--import', 'tsx']
