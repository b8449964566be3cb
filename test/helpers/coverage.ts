/**
 * The V8 coverage records of one process, as tap writes them to .tap/coverage (the source maps Node
 * held are under 'source-map-cache', by script URL).
 */
export interface ProcessCoverage {
  result: { url: string }[]
  'source-map-cache'?: Record<string, { data?: { sourcesContent?: (string | null)[] } }>
}

/**
 * The records without the scripts tsx transformed, or undefined when there are none.
 *
 * The report merges each source file's V8 coverage over every process before mapping it to the .ts
 * lines, so every process must have run the same JavaScript for that file. The test files run under
 * Node's own type stripping (Node 22.18 and later: the offsets are the .ts file's) or ts-node (Node 20).
 * A child process a test starts on Node 20 runs under tsx (test/helpers/runner.ts), whose code and
 * source maps differ: whitespace minified, and the sources' text left out (`sourcesContent: [null]`).
 * Merged in, such a file's report took the missing text for the file and counted one statement in all.
 * tsx's are the only maps without the sources' text.
 */
export function withoutTsxScripts (coverage: ProcessCoverage): ProcessCoverage | undefined {
  const maps = coverage['source-map-cache'] ?? {}
  const tsx = new Set(Object.keys(maps).filter((url) => maps[url]?.data?.sourcesContent?.every((text) => text == null)))
  if (tsx.size === 0) return undefined
  return {
    ...coverage,
    result: coverage.result.filter((script) => !tsx.has(script.url)),
    'source-map-cache': Object.fromEntries(Object.entries(maps).filter(([url]) => !tsx.has(url)))
  }
}
