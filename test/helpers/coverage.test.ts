import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { type ProcessCoverage, withoutTsxScripts } from './coverage.ts'

// The source map tsx gives a module, as a child process started the way Node 20 starts the service sees it.
const tsxMap = (file: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
  import { findSourceMap } from 'node:module'
  await import(${JSON.stringify(file)})
  console.log(JSON.stringify(findSourceMap(${JSON.stringify(file)}).payload))`], { encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: '' } })) as { sourcesContent?: (string | null)[] }

t.test('coverage a tsx child left is taken out; what ran as the tests ran stays', async (t) => {
  const tsxUrl = pathToFileURL('src/modules/labels/rules.ts').href
  const plainUrl = pathToFileURL('src/lib/text.ts').href
  const mapped = pathToFileURL('src/lib/csv.ts').href
  const map = tsxMap(tsxUrl)
  t.ok(map.sourcesContent?.every((text) => text == null), 'tsx leaves the sources out of its map (what the rule relies on)')
  const coverage: ProcessCoverage = {
    result: [{ url: tsxUrl }, { url: plainUrl }, { url: mapped }],
    'source-map-cache': { [tsxUrl]: { data: map }, [mapped]: { data: { sourcesContent: ['export const x = 1\n'] } } }
  }
  const kept = withoutTsxScripts(coverage)
  t.same(kept?.result, [{ url: plainUrl }, { url: mapped }], 'the tsx script is left out, the stripped and the ts-node ones stay')
  t.same(Object.keys(kept?.['source-map-cache'] ?? {}), [mapped], 'and its map with it')
  t.equal(withoutTsxScripts({ result: [{ url: plainUrl }] }), undefined, 'a process without tsx is left as it is')
})
