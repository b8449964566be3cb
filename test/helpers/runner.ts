/**
 * The Node arguments a test runs one of the service's entry points with, in a process of its own:
 * the server (`[...entryArgs, 'src/server.ts']`) or a command (src/cli). The image runs
 * `node src/server.ts`: Node 22.18 and later strip the types themselves. Older Node loads tsx, as
 * `npm start` does. CI runs the PostgreSQL suite on Node 24 and the PGlite suite on Node 20, so both
 * ways are tried. (Where Node strips the types, the child's coverage lines up with the test's own;
 * withoutTsxScripts in test/helpers/coverage.ts says why what a child ran under tsx is left out.)
 */
export const entryArgs = (process.features as { typescript?: string }).typescript ? [] : ['--import', 'tsx']
