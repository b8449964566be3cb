import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { postJson } from '../../../src/modules/webhooks/post.ts'

t.test('the connection itself refuses non-public addresses, whatever the check before saw', async (t) => {
  let hits = 0
  const server = createServer((_req, res) => { hits++; res.writeHead(200).end() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.address() as AddressInfo).port
  await t.rejects(postJson(`http://localhost:${port}/hooks`, {}, '{}', { timeoutMs: 2000, allowInsecure: false }), { code: 'ENOTPUBLIC', message: /localhost resolves to 127\.0\.0\.1 \(loopback\)/ })
  t.equal(hits, 0, 'nothing reached the receiver')
  t.equal(await postJson(`http://localhost:${port}/hooks`, {}, '{}', { timeoutMs: 2000, allowInsecure: true }), 200, 'allowed when insecure targets are allowed (tests)')
  t.equal(hits, 1)
})

t.test('a receiver that does not answer in time is an error', async (t) => {
  const server = createServer(() => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  const port = (server.address() as AddressInfo).port
  await t.rejects(postJson(`http://127.0.0.1:${port}/`, {}, '{}', { timeoutMs: 300, allowInsecure: true }), { name: /TimeoutError|AbortError/ })
})
