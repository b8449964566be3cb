import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import t from 'tap'
import { LOG_FLUSH_MS, logDestination } from '../../src/lib/logging.ts'
import { entryArgs } from '../helpers/runner.ts'
import { waitFor } from '../helpers/wait.ts'
import { buildTestApp } from '../helpers/app.ts'

t.test('each request is one log line, written when it is answered, with method, URL, status and time', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs })
  const res = await app.inject({ method: 'GET', url: '/v1/product-groups?criteriaSet=QD148-2023', headers: { 'x-request-id': 'one-line' } })
  t.equal(res.statusCode, 200)
  const lines = logs.filter((l) => l.reqId === 'one-line')
  t.equal(lines.length, 1, 'one line for the request')
  t.match(lines[0], { level: 30, msg: 'request completed', req: { method: 'GET', url: '/v1/product-groups?criteriaSet=QD148-2023' }, res: { statusCode: 200 }, responseTime: Number })
  t.notOk('headers' in (lines[0]!.req as object), 'the request is logged without its headers')
})

t.test('at debug the arrival of a request is logged too', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs, env: { LOG_LEVEL: 'debug' } })
  await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'arrives' } })
  t.same(logs.filter((l) => l.reqId === 'arrives').map((l) => l.msg), ['incoming request', 'request completed'])
})

t.test('an error that carries request headers is logged without their credentials', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs })
  app.get('/fails-with-headers', { config: { permission: 'public' } }, async () => {
    throw Object.assign(new Error('upstream refused'), { headers: { authorization: 'Bearer ocop_in_error', 'x-api-key': 'ocop_key_in_error', accept: 'application/json' } })
  })
  const res = await app.inject({ method: 'GET', url: '/fails-with-headers', headers: { 'x-request-id': 'err-headers' } })
  t.equal(res.statusCode, 500)
  const text = JSON.stringify(logs)
  t.notMatch(text, /ocop_in_error|ocop_key_in_error/)
  const logged = logs.find((l) => l.reqId === 'err-headers' && l.msg === 'unhandled error')
  t.match(logged, { err: { message: 'upstream refused', headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'application/json' } } })
})

t.test('the running service gathers its log lines and writes them together, at the latest a second later', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-log-'))
  const file = join(dir, 'buffered.log')
  const stream = logDestination(4096, file)
  await once(stream, 'ready')
  t.teardown(() => stream.end())
  const log = pino(stream)
  log.info({ n: 1 }, 'first')
  log.info({ n: 2 }, 'second')
  t.equal(readFileSync(file, 'utf8'), '', 'two short lines wait in the buffer')
  log.info({ filler: 'x'.repeat(4096) }, 'fills the buffer')
  t.same(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).msg), ['first', 'second', 'fills the buffer'], 'a full buffer is written at once, in order')
  log.info('alone')
  await waitFor(() => readFileSync(file, 'utf8').includes('"msg":"alone"'), LOG_FLUSH_MS * 3, 'the periodic flush')
  t.pass('a lone line is written by the periodic flush')

  const unbuffered = join(dir, 'unbuffered.log')
  const direct = logDestination(0, unbuffered)
  await once(direct, 'ready')
  t.teardown(() => direct.end())
  pino(direct).info('now')
  t.match(readFileSync(unbuffered, 'utf8'), /"msg":"now"/, 'LOG_BUFFER_BYTES=0 writes each line as it comes')
})

t.test('lines still in the buffer are written when the process exits, even on an uncaught error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-log-'))
  // The last: nothing is left to do, so the process ends (the flush timer does not hold it open).
  for (const [i, ending] of ['process.exit(0)', 'throw new Error("boom")', '/* nothing more */'].entries()) {
    const file = join(dir, `${i}.log`)
    const code = `import pino from 'pino'; import { logDestination } from './src/lib/logging.ts'; const s = logDestination(4096, ${JSON.stringify(file)}); s.once('ready', () => { pino(s).info('last words'); ${ending} })`
    const child = spawn(process.execPath, [...entryArgs, '--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] })
    const [exit] = await once(child, 'exit') as [number]
    t.equal(exit, ending.startsWith('throw') ? 1 : 0, ending)
    t.match(readFileSync(file, 'utf8'), /"msg":"last words"/, `${ending}: the buffered line is in the file`)
  }
})
