import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

// A dataset of three fairs over two years, four producers in two units, three partner kinds and
// eighteen MOUs; the expected figures are computed here from the inputs, not read from the service.
t.test('fair and MOU figures match totals computed independently', async (t) => {
  const TODAY = '2026-11-23'
  const { app, db } = await buildTestApp(t, { clock: fixedClock(`${TODAY}T03:00:00Z`) })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url, headers: admin, payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    return res.json()
  }
  const units = ['018', '279', '018', '279']
  const producers = await Promise.all(units.map((adminUnitCode) => makeProducer(db, { adminUnitCode, registeredOn: '2019-03-01' })))
  const products = await Promise.all(producers.flatMap((p) => [0, 1, 2].map(() => makeProduct(db, { producerId: p.id, status: 'active' }))))
  const productsOf = (i: number) => products.filter((p) => p.producerId === producers[i]!.id).map((p) => p.id)
  const kinds = ['supermarket_chain', 'ecommerce_platform', 'exporter'] as const
  const partners = await Promise.all(kinds.map((kind, i) => post('/v1/distribution-partners', { name: `Đối tác ${i}`, kind })))
  const fairs = await Promise.all([
    { startsOn: '2020-12-25', endsOn: '2020-12-27', adminUnitCode: '002' },
    { startsOn: '2021-07-10', endsOn: '2021-07-12', adminUnitCode: '018' },
    { startsOn: '2021-11-05', endsOn: '2021-11-07', adminUnitCode: '279' }
  ].map((dates, i) => post('/v1/fairs', { name: `Hội chợ ${i}`, kind: 'ocop_fair', organiser: 'Sở Công Thương', address: 'Hà Nội', ...dates })))

  // Booths: fair f has producers 0..f+1 (fair 2: all four), each showing its first f+1 products.
  const booths: { fair: number, producer: number, products: string[] }[] = []
  for (const [f, fair] of fairs.entries()) {
    for (let p = 0; p <= Math.min(f + 1, 3); p++) {
      const shown = productsOf(p).slice(0, f + 1)
      await post(`/v1/fairs/${fair.id}/booths`, { number: `B${p}`, producerId: producers[p]!.id, productIds: shown })
      booths.push({ fair: f, producer: p, products: shown })
    }
  }
  // MOUs: i = 0..17, signed at fair i % 3 (or, every fourth, outside fairs in the fair's year).
  const moves = ['signed', 'in_effect', 'fulfilled', 'terminated', 'in_effect', 'signed']
  const mous: { producer: number, kind: string, year: number, fair: number | null, value: number, status: string }[] = []
  for (let i = 0; i < 18; i++) {
    const f = i % 3
    const atFair = i % 4 !== 3
    const signedOn = atFair ? fairs[f]!.startsOn : `${fairs[f]!.startsOn.slice(0, 4)}-03-0${1 + (i % 8)}`
    const termEnd = i % 2 ? '2030-12-31' : '2023-06-30'
    const producer = i % 4
    const value = (i + 1) * 100_000_000
    const mou = await post('/v1/mous', { producerId: producers[producer]!.id, partnerId: partners[i % 3].id, fairId: atFair ? fairs[f]!.id : null, signedOn, termStart: signedOn, termEnd, valueVnd: value, market: 'domestic', productIds: productsOf(producer).slice(0, 1) })
    const recorded = moves[i % moves.length]!
    if (recorded !== 'signed') {
      if (recorded === 'fulfilled') await post(`/v1/mous/${mou.id}/status`, { status: 'in_effect', on: signedOn })
      await post(`/v1/mous/${mou.id}/status`, { status: recorded, on: signedOn, ...(recorded === 'terminated' ? { reason: 'Ngừng hợp tác' } : {}) })
    }
    const status = (recorded === 'signed' || recorded === 'in_effect') && termEnd < TODAY ? 'expired' : recorded
    mous.push({ producer, kind: kinds[i % 3]!, year: Number(signedOn.slice(0, 4)), fair: atFair ? f : null, value, status })
  }

  for (const [f, fair] of fairs.entries()) {
    const mine = booths.filter((b) => b.fair === f)
    const signed = mous.filter((m) => m.fair === f)
    const res = await app.inject({ url: `/v1/fairs/${fair.id}/figures` })
    t.same(res.json(), {
      fairId: fair.id,
      booths: mine.length,
      producers: new Set(mine.map((b) => b.producer)).size,
      productsShown: new Set(mine.flatMap((b) => b.products)).size,
      mousSigned: signed.length,
      mouValueVnd: signed.reduce((sum, m) => sum + m.value, 0)
    }, `fair ${f}`)
  }

  const expected = new Map<string, { year: number, adminUnitCode: string, mous: number, valueVnd: number, byPartnerKind: Record<string, number>, byStatus: Record<string, number> }>()
  for (const m of mous) {
    const key = `${m.year}/${units[m.producer]}`
    const e = expected.get(key) ?? { year: m.year, adminUnitCode: units[m.producer]!, mous: 0, valueVnd: 0, byPartnerKind: {}, byStatus: {} }
    expected.set(key, e)
    e.mous++
    e.valueVnd += m.value
    e.byPartnerKind[m.kind] = (e.byPartnerKind[m.kind] ?? 0) + 1
    e.byStatus[m.status] = (e.byStatus[m.status] ?? 0) + 1
  }
  const all = [...expected.values()].sort((a, b) => a.year - b.year || a.adminUnitCode.localeCompare(b.adminUnitCode))
  t.same((await app.inject({ url: '/v1/mou-figures' })).json().items, all, 'per year and unit, by partner kind and by status')
  t.same((await app.inject({ url: '/v1/mou-figures?year=2021&adminUnit=279' })).json().items, all.filter((e) => e.year === 2021 && e.adminUnitCode === '279'), 'filtered')
  t.equal(all.reduce((n, e) => n + e.mous, 0), 18)

  const ofProducer = (await app.inject({ url: `/v1/producers/${producers[1]!.id}/mous?limit=100` })).json().items
  t.equal(ofProducer.length, mous.filter((m) => m.producer === 1).length, 'a producer\'s MOUs')
  t.equal((await app.inject({ url: `/v1/mous?fair=${fairs[0]!.id}&limit=100` })).json().items.length, mous.filter((m) => m.fair === 0).length)
})
