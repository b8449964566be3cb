import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import type { Db } from '../../../src/db/client.ts'
import { endedIn, VerificationCounts, type Seen } from '../../../src/modules/labels/counts.ts'
import { verifyLabel } from '../../../src/modules/labels/verify.ts'
import type { TestDb } from '../../helpers/db.ts'
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

/** A read of the stored counts as a scan's statement makes one: its ticket, then its snapshot. */
async function seen (db: TestDb, counts: VerificationCounts): Promise<Seen> {
  const reading = counts.reading()
  const [{ snapshot } = { snapshot: '' }] = await db.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot')
  return { reading, snapshot }
}

/** `db` with `transaction` (how the counts are written) replaced. */
const writingThrough = (db: Db, transaction: (real: Db['transaction'], ...args: Parameters<Db['transaction']>) => Promise<unknown>) =>
  new Proxy(db, { get: (target, key) => key === 'transaction' ? (...args: Parameters<Db['transaction']>) => transaction(target.transaction.bind(target), ...args) : Reflect.get(target, key) }) as Db

t.test('a write that fails is kept, merged with later scans, and written on the next round', async (t) => {
  const { db, batch } = await labelled(t)
  let failing = true
  const errors: unknown[] = []
  const counts = new VerificationCounts(writingThrough(db.db, (real, ...args) => failing ? Promise.reject(new Error('connection terminated')) : real(...args)), (err) => errors.push(err))
  counts.add(1, batch.id, '2026-11-23T03:00:00.000Z', await seen(db, counts))
  counts.add(1, batch.id, '2026-11-23T03:00:01.000Z', await seen(db, counts))
  await counts.flush()
  t.equal(errors.length, 1, 'the failure is reported')
  t.same(counts.add(1, batch.id, '2026-11-23T03:00:02.000Z', await seen(db, counts)), { batchId: batch.id, count: 3, firstAt: '2026-11-23T03:00:00.000Z', lastAt: '2026-11-23T03:00:02.000Z' }, 'the unwritten scans are still counted')
  failing = false
  await counts.stop()
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 3 }])
})

t.test('a scan answered while its serial\'s count is being written still counts it', async (t) => {
  const { db, batch } = await labelled(t)
  // The write is held until released: the window in which a scan reads the stored count without it.
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const counts = new VerificationCounts(writingThrough(db.db, (real, ...args) => held.then(() => real(...args))), (err) => t.error(err))
  counts.add(1, batch.id, '2026-11-23T03:00:00.000Z', await seen(db, counts))
  counts.add(1, batch.id, '2026-11-23T03:00:01.000Z', await seen(db, counts))
  const writing = counts.flush()
  await new Promise((resolve) => setImmediate(resolve))
  t.same(await db.query('SELECT count FROM label_verifications'), [], 'the write is under way, not committed')
  t.equal(counts.add(1, batch.id, '2026-11-23T03:00:02.000Z', await seen(db, counts)).count, 3, 'stored 0 + the two being written + this one')
  release()
  await writing
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 2 }], 'the two sent are written')
  t.equal(counts.add(1, batch.id, '2026-11-23T03:00:03.000Z', await seen(db, counts)).count, 2, 'once written, only what is still unwritten: the scan during the write and this one')
  await counts.stop()
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 4 }], 'nothing counted twice or lost')
})

/** The count a scan answers, through the same code as GET /v1/labels/{token}. */
const scanCount = async (db: TestDb, counts: VerificationCounts, token: string) =>
  (await verifyLabel(db.db, counts, token, '2026-11-23', '2026-11-23T03:00:00.000Z')).verifications.count

t.test('a write that commits while a scan\'s statement is under way is counted once: not missed', async (t) => {
  const { db, tokens } = await labelled(t)
  const counts = new VerificationCounts(db.db, (err) => t.error(err))
  t.equal(await scanCount(db, counts, tokens[0]!), 1)
  t.equal(await scanCount(db, counts, tokens[0]!), 2)
  // The next scan's statement has read the stored count (none yet) when the two scans are written and
  // committed; only then is its answer counted.
  const client = (db.db as unknown as { $client: { query: (...args: unknown[]) => Promise<unknown> } }).$client
  const query = client.query
  let written = false
  client.query = async (...args) => {
    const result = await query.apply(client, args)
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text
    if (!written && /from "label_batches"/.test(text)) {
      written = true
      await counts.flush()
    }
    return result
  }
  t.teardown(() => { client.query = query })
  t.equal(await scanCount(db, counts, tokens[0]!), 3, 'stored 0, as its statement read; the two written since, and this one')
  t.ok(written, 'the write committed between the statement and its answer')
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 2 }])
  t.equal(await scanCount(db, counts, tokens[0]!), 4, 'stored 2 + the one unwritten + this one')
  await counts.stop()
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 4 }])
})

t.test('a write that has committed before a scan\'s statement, but is not yet known written, is counted once: not doubled', async (t) => {
  const { db, tokens } = await labelled(t)
  const answers: number[] = []
  // Right after the write commits, before the counts hear of it, a scan is answered.
  const afterCommit = writingThrough(db.db, async (real, ...args) => {
    const result = await real(...args)
    answers.push(await scanCount(db, counts, tokens[0]!))
    return result
  })
  const counts: VerificationCounts = new VerificationCounts(afterCommit, (err) => t.error(err))
  t.equal(await scanCount(db, counts, tokens[0]!), 1)
  t.equal(await scanCount(db, counts, tokens[0]!), 2)
  await counts.flush()
  t.same(answers, [3], 'stored 2, which its statement saw, + this one')
  t.equal(await scanCount(db, counts, tokens[0]!), 4)
  await counts.stop()
  t.same(await db.query('SELECT serial::int, count FROM label_verifications'), [{ serial: 1, count: 4 }])
})

t.test('a transaction ended in a snapshot: below xmin, or below xmax and not in progress', async (t) => {
  t.ok(endedIn('100:105:101,103', 99n))
  t.ok(endedIn('100:105:101,103', 102n))
  t.notOk(endedIn('100:105:101,103', 101n), 'in progress')
  t.notOk(endedIn('100:105:101,103', 105n), 'began after')
  t.ok(endedIn('100:100:', 99n))
  t.notOk(endedIn('100:100:', 100n))
})
