// Swagger UI as an operator uses it: a real Chromium (Debian's, driven by playwright-core; no browser
// download), opened by a host name other than localhost, authorised with a key, then Try it out on a
// list, a write and a read. Screenshots go to .tap/screenshots/.
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.ts'
import { launchChromium, needsChromium } from '../helpers/browser.ts'
import { makeKey } from '../helpers/keys.ts'

const shots = '.tap/screenshots'

t.test('Swagger UI by a host name: no console error, Authorize, Try it out on a list, a write and a read', { skip: needsChromium }, async (t) => {
  const { app, db } = await buildTestApp(t)
  const { token } = await makeKey(db, 'admin')
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`))
  mkdirSync(shots, { recursive: true })

  await page.goto(`http://ocop.test:${port}/docs`)
  await page.waitForSelector('#operations-catalogue-listProducers', { timeout: 30_000 })
  await page.screenshot({ path: `${shots}/docs.png` })
  const tags = await page.locator('.opblock-tag-section h3 .opblock-tag, .opblock-tag-section h3').allInnerTexts()
  t.ok(tags.length >= 10, 'the tags are shown', { tags })

  // Authorize: one scheme, the API key.
  await page.click('.auth-wrapper button.authorize')
  t.equal(await page.locator('.modal-ux .auth-container').count(), 1, 'Authorize offers one scheme')
  await page.fill('.modal-ux .auth-container input', token)
  await page.click('.modal-ux .auth-container button.authorize')
  await page.click('.modal-ux button.btn-done')

  const execute = async (operation: string, fill?: (op: ReturnType<Page['locator']>) => Promise<void>) => {
    const op = page.locator(`#operations-catalogue-${operation}`)
    await op.locator('.opblock-summary').first().click()
    await op.locator('button.try-out__btn').click()
    if (fill) await fill(op)
    await op.locator('button.execute').click()
    const status = op.locator('.live-responses-table tbody .response-col_status').first()
    await status.waitFor({ timeout: 30_000 })
    await page.screenshot({ path: `${shots}/${operation}.png` })
    return { status: Number((await status.innerText()).trim()), body: JSON.parse(await op.locator('.live-responses-table tbody .response-col_description pre').first().innerText()) }
  }

  const list = await execute('listProducers')
  t.equal(list.status, 200, 'the list answers with what is prefilled')
  t.ok(Array.isArray(list.body.items))
  const created = await execute('createProducer')
  t.equal(created.status, 201, 'the example body creates a producer')
  t.match(created.body, { id: String, name: String })
  const read = await execute('getProducer', async (op) => { await op.locator('tr[data-param-name="id"] input').fill(created.body.id) })
  t.equal(read.status, 200, 'and it reads back')
  t.equal(read.body.id, created.body.id)
  t.same(problems, [], 'no console error, warning or failed request')
})
