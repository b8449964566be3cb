// npm test's posttest step: the coverage report of the run that just passed, printed as a summary and
// written to .tap/report/coverage-summary.json (CI's coverage floor reads it), once the records of
// scripts a child process ran under tsx are taken out (see withoutTsxScripts).
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Report } from 'c8'
import { type ProcessCoverage, withoutTsxScripts } from './coverage.ts'

const tempDirectory = join(process.cwd(), '.tap', 'coverage')
for (const name of (await readdir(tempDirectory).catch(() => [])).filter((f) => f.endsWith('.json'))) {
  const path = join(tempDirectory, name)
  const kept = withoutTsxScripts(JSON.parse(await readFile(path, 'utf8')) as ProcessCoverage)
  if (kept) await writeFile(path, JSON.stringify(kept))
}
await new Report({
  reporter: ['text-summary', 'json-summary'],
  reportsDirectory: join(process.cwd(), '.tap', 'report'),
  tempDirectory,
  excludeNodeModules: true
}).run()
