import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { migrationsFolder } from '../../src/db/migrate.ts'
import { createTestDb } from '../helpers/db.ts'
import { entryArgs } from '../helpers/runner.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('the entry point migrates, serves, and closes gracefully on SIGTERM', async (t) => {
  const port = 3900 + Math.floor(Math.random() * 90)
  // Lines as they come (LOG_BUFFER_BYTES=0): the test watches for a request's arrival line below. The
  // buffer the service keeps by default is tested in logging.test.ts.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'ocop-server-')), LOG_LEVEL: 'debug', LOG_BUFFER_BYTES: '0' }
  if (process.env.DATABASE_URL) {
    // A database of its own, empty: the server applies the migrations itself.
    const db = await createTestDb({ migrated: false })
    t.teardown(() => db.close())
    env.DATABASE_URL = db.url
  } else {
    delete env.DATABASE_URL
  }
  const child = spawn(process.execPath, [...entryArgs, 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += String(chunk) })
  child.stderr.on('data', (chunk: Buffer) => { output += String(chunk) })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

  await waitFor(() => /OCOP API ready/.test(output) || child.exitCode !== null, 60_000, 'the service to start').catch(() => {})
  t.match(output, /OCOP API ready on http:\/\/localhost:\d+\/docs/)
  t.match(output, /"msg":"applying \d+ migrations[^"]*"/, 'start-up says it is migrating')
  t.match(output, /"msg":"applied \d+ migrations in \d+\.\d s"/, 'and how long it took')
  const tags = (JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag)
  const each = [...output.matchAll(/"msg":"migration (\d+)\/(\d+) (\S+) applied in \d+ ms"/g)].map((m) => `${m[1]}/${m[2]} ${m[3]}`)
  t.same(each, tags.map((tag, i) => `${i + 1}/${tags.length} ${tag}`), 'each migration is logged as it is applied, in order')
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`)
  t.equal(ready.status, 200)
  const docs = await fetch(`http://127.0.0.1:${port}/docs/`)
  t.equal(docs.status, 200)
  t.match(await docs.text(), /swagger/i)

  // First start on an empty database: one admin key, printed once in a frame, never in a log line.
  const token = /^ {2}(ocop_\S+)$/m.exec(output)?.[1]
  t.ok(token, 'the first admin key is printed', { output: output.slice(-2000) })
  t.match(output, /No API key existed, so this admin key was created/)
  t.equal((await fetch(`http://127.0.0.1:${port}/v1/api-keys`, { headers: { authorization: `Bearer ${token}` } })).status, 200, 'and it works at once')
  t.notOk(output.split('\n').some((line) => line.startsWith('{') && line.includes(token!)), 'no log line holds it')
  if (!env.DATABASE_URL) {
    // The embedded database belongs to the running service: a command on the same directory refuses.
    const cli = spawn(process.execPath, [...entryArgs, 'src/cli/key-create.ts', '--role', 'admin', '--name', 'second'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let said = ''
    cli.stderr.on('data', (chunk: Buffer) => { said += String(chunk) })
    t.equal(await new Promise((resolve) => cli.on('exit', resolve)), 2, 'key:create exits with 2')
    t.match(said, /open in another process \(pid \d+\)/)
    t.equal(((await (await fetch(`http://127.0.0.1:${port}/v1/api-keys`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] }).items.length, 1, 'and wrote nothing')
  }

  // A request in flight when the signal arrives still gets its answer.
  // The signal is sent once the server has read the request (its "incoming request" line, logged at debug): a request
  // still on the wire when the listener closes is refused, as on any server (Node 24 showed that race).
  const inFlight = fetch(`http://127.0.0.1:${port}/v1/products?q=bat%20trang`, { headers: { 'x-request-id': 'in-flight-at-sigterm' } })
  await waitFor(() => /"reqId":"in-flight-at-sigterm"/.test(output), 10_000, 'the server to read the request')
  child.kill('SIGTERM')
  t.equal((await inFlight).status, 200)
  t.equal(await exited, 0, 'exits cleanly', { output: output.slice(-2000) })
  t.match(output, /"signal":"SIGTERM".*closing/)
  await t.rejects(fetch(`http://127.0.0.1:${port}/health/live`), 'no longer listening')
})
