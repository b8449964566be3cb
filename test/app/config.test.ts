import { spawnSync } from 'node:child_process'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { entryArgs } from '../helpers/runner.ts'

t.test('defaults apply when the environment is empty', async (t) => {
  const config = loadConfig({})
  t.match(config, { port: 3000, host: '0.0.0.0', dataDir: './data', migrateOnStart: true, corsOrigins: '*', databaseUrl: undefined, labelVerifyUrl: 'http://localhost:3000/v1/labels/', labelImageOrigins: [] })
})

t.test('values are converted to their types', async (t) => {
  const config = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'false', CORS_ORIGINS: 'https://a.vn, https://b.vn', DB_POOL_MAX: '4', LABEL_IMAGE_ORIGINS: 'https://cdn.ocop.vn, https://anh.hanoi.gov.vn' })
  t.match(config, { port: 8080, migrateOnStart: false, corsOrigins: ['https://a.vn', 'https://b.vn'], db: { poolMax: 4 }, labelImageOrigins: ['https://cdn.ocop.vn', 'https://anh.hanoi.gov.vn'] })
  t.equal(config.labelVerifyUrl, 'http://localhost:8080/v1/labels/', 'the default label URL is this service\'s own, on its port')
})

const bad: [string, string, RegExp][] = [
  ['PORT', 'abc', /PORT must be integer/],
  ['PORT', '70000', /PORT must be <= 65535/],
  ['LOG_LEVEL', 'loud', /LOG_LEVEL .*info/],
  ['DATABASE_URL', 'mysql://localhost/x', /DATABASE_URL must match/],
  ['MIGRATE_ON_START', 'yes', /MIGRATE_ON_START/],
  ['REDIS_URL', 'localhost:6379', /REDIS_URL/],
  ['LABEL_IMAGE_ORIGINS', 'http://cdn.example', /LABEL_IMAGE_ORIGINS must match/],
  ['LABEL_IMAGE_ORIGINS', 'https://cdn.example/images', /LABEL_IMAGE_ORIGINS must match/]
]
for (const [variable, value, message] of bad) {
  t.test(`a bad ${variable} is refused with a message naming it`, async (t) => {
    const err = (() => { try { loadConfig({ [variable]: value }) } catch (e) { return e } })()
    t.ok(err instanceof ConfigError, 'throws a ConfigError')
    t.equal((err as ConfigError).variable, variable)
    t.match((err as ConfigError).message, message)
  })
}

t.test('the service refuses to start on a bad value and names the variable', async (t) => {
  const run = spawnSync(process.execPath, [...entryArgs, 'src/server.ts'], {
    env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 60000
  })
  t.equal(run.status, 78)
  t.match(run.stderr, /Invalid configuration: PORT must be integer/)
})
