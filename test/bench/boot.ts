// npm run bench -- boot: how long an app takes from buildApp() to ready (plugins, routes, validators and
// response serializers compiled), the median of 7 builds on one embedded database. Every test file and
// every instance start pays it.
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { createDb } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrate.ts'

export async function benchBoot (): Promise<void> {
  const db = await createDb({ dataDir: 'memory://' })
  await migrate(db)
  const config = loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' })
  const times: number[] = []
  for (let i = 0; i < 7; i++) {
    const started = performance.now()
    const app = await buildApp({ config, db })
    await app.ready()
    times.push(performance.now() - started)
    await app.close()
  }
  await db.close()
  times.sort((a, b) => a - b)
  console.log(`boot: buildApp() to ready: median ${times[3]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[6]!.toFixed(0)})`)
}
