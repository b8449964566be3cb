import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import type { Db } from '../../../src/db/client.ts'
import { VerificationCounts } from '../../../src/modules/labels/counts.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

/** A product with a batch of three labels; the tokens, from the printer's file. */
async function labelled (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock, env: { LABEL_COUNTS_FLUSH_MS: '60000', ...env } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const recognitionId = await makeRecognition(db)
  const [{ productId } = { productId: '' }] = await db.query<{ productId: string }>('SELECT product_id AS "productId" FROM recognitions WHERE id = $1', [recognitionId])
  const batch = (await app.inject({ method: 'POST', url: `/v1/products/${productId}/label-batches`, headers: admin, payload: { quantity: 3 } })).json()
  const file = await app.inject({ url: `/v1/label-batches/${batch.id}/labels`, headers: admin })
  const tokens = file.body.trim().split('\n').slice(1).map((l) => l.split(',')[1]!)
  const scan = async (token: string) => (await app.inject({ url: `/v1/labels/${token}` })).json().verifications
  const stored = () => db.query<{ serial: number, count: number, firstAt: string, lastAt: string }>('SELECT serial::int, count, first_at AS "firstAt", last_at AS "lastAt" FROM label_verifications ORDER BY serial')
  return { app, db, clock, batch, tokens, scan, stored }
}

t.test('scans are counted in memory and written in one batch; answers add the unwritten ones to the stored', async (t) => {
  const { app, clock, tokens, scan, stored } = await labelled(t)
  t.match(await scan(tokens[0]!), { count: 1, firstAt: '2026-11-23T03:00:00.000Z', lastAt: '2026-11-23T03:00:00.000Z' })
  clock.set('2026-11-23T03:01:00Z')
  t.match(await scan(tokens[0]!), { count: 2, firstAt: '2026-11-23T03:00:00.000Z', lastAt: '2026-11-23T03:01:00.000Z' })
  await scan(tokens[1]!)
  t.same(await stored(), [], 'nothing written before the flush')
  await app.labelCounts.flush()
  const written = await stored()
  t.same(written.map((r) => [r.serial, r.count]), [[1, 2], [2, 1]], 'both serials, one statement')
  t.equal(new Date(written[0]!.lastAt).toISOString(), '2026-11-23T03:01:00.000Z')
  clock.set('2026-11-23T03:02:00Z')
  t.match(await scan(tokens[0]!), { count: 3, firstAt: '2026-11-23T03:00:00.000Z', lastAt: '2026-11-23T03:02:00.000Z' }, 'stored 2 + unwritten 1')
  await app.labelCounts.flush()
  t.same((await stored()).map((r) => [r.serial, r.count]), [[1, 3], [2, 1]], 'added to the stored count, not replacing it')
})

t.test('closing the service writes the scans it holds', async (t) => {
  const { app, tokens, scan, stored } = await labelled(t)
  await scan(tokens[2]!)
  await scan(tokens[2]!)
  await app.close()
  t.same((await stored()).map((r) => [r.serial, r.count]), [[3, 2]])
})

t.test('a write that fails is kept, merged with later scans, and written on the next round', async (t) => {
  const { db, batch } = await labelled(t)
  let failing = true
  const flaky = new Proxy(db.db, { get: (target, key) => key === 'execute' && failing ? () => Promise.reject(new Error('connection terminated')) : Reflect.get(target, key) }) as Db
  const errors: unknown[] = []
  const counts = new VerificationCounts(flaky, (err) => errors.push(err))
  counts.add(1, batch.id, '2026-11-23T03:00:00.000Z')
  counts.add(1, batch.id, '2026-11-23T03:00:01.000Z')
  await counts.flush()
  t.equal(errors.length, 1, 'the failure is reported')
  t.same(counts.add(1, batch.id, '2026-11-23T03:00:02.000Z'), { batchId: batch.id, count: 3, firstAt: '2026-11-23T03:00:00.000Z', lastAt: '2026-11-23T03:00:02.000Z' }, 'the unwritten scans are still counted')
  failing = false
  await counts.stop()
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 3 }])
})

t.test('a scan answered while its serial\'s count is being written still counts it', async (t) => {
  const { db, batch } = await labelled(t)
  // The write is held until released: the window in which a scan reads the stored count without it.
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const slow = new Proxy(db.db, { get: (target, key) => key === 'execute' ? (...args: unknown[]) => held.then(() => (Reflect.get(target, key) as (...a: unknown[]) => unknown).apply(target, args)) : Reflect.get(target, key) }) as Db
  const counts = new VerificationCounts(slow, (err) => t.error(err))
  counts.add(1, batch.id, '2026-11-23T03:00:00.000Z')
  counts.add(1, batch.id, '2026-11-23T03:00:01.000Z')
  const writing = counts.flush()
  await new Promise((resolve) => setImmediate(resolve))
  t.same(await db.query('SELECT count FROM label_verifications'), [], 'the write is under way, not committed')
  t.equal(counts.add(1, batch.id, '2026-11-23T03:00:02.000Z').count, 3, 'stored 0 + the two being written + this one')
  release()
  await writing
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 2 }], 'the two sent are written')
  t.equal(counts.add(1, batch.id, '2026-11-23T03:00:03.000Z').count, 2, 'once written, only what is still unwritten: the scan during the write and this one')
  await counts.stop()
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 4 }], 'nothing counted twice or lost')
})
