// The label page as a shopper's phone shows it: Debian's Chromium (driven by playwright-core) at 390×844,
// every verdict in both languages, under the page's own CSP (no console error: nothing blocked), then
// axe-core on each page (WCAG 2.2 A and AA rules): no serious or critical violation. Screenshots go to
// .tap/screenshots/label-<verdict>-<lang>.png; test/app/screenshots/ holds the two the README shows.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { PNG } from 'pngjs'
import t from 'tap'
import type { BrowserContext } from 'playwright-core'
import { fixedClock } from '../../src/lib/clock.ts'
import { buildTestApp } from '../helpers/app.ts'
import { launchChromium, needsChromium } from '../helpers/browser.ts'
import { IMAGE_ORIGIN, labelsOfEveryKind } from '../helpers/labels.ts'

const shots = '.tap/screenshots'
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** A product photo stand-in: a glazed-blue gradient, served for the trusted image origin. */
function photo (): Buffer {
  const png = new PNG({ width: 600, height: 400 })
  for (let y = 0; y < 400; y++) {
    for (let x = 0; x < 600; x++) {
      const i = (y * 600 + x) * 4
      const d = Math.hypot(x - 300, y - 200) / 360
      png.data[i] = Math.round(40 + 180 * d); png.data[i + 1] = Math.round(90 + 140 * d); png.data[i + 2] = Math.round(170 + 80 * d); png.data[i + 3] = 255
    }
  }
  return PNG.sync.write(png)
}

interface AxeResult { violations: { id: string, impact: string | null, help: string, nodes: { target: string[] }[] }[], passes: unknown[] }

t.test('the label page on a phone: every verdict, both languages, no CSP violation, no serious or critical axe-core violation', { skip: needsChromium }, async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock, env: { LABEL_IMAGE_ORIGINS: IMAGE_ORIGIN, RATE_LIMIT_ANONYMOUS: '10000' } })
  const labels = await labelsOfEveryKind(app, db, clock)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const image = photo()
  const phone = async (options: { bypassCSP?: boolean, locale: string }): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, ...options })
    await context.route(`${IMAGE_ORIGIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: image }))
    return context
  }
  mkdirSync(shots, { recursive: true })

  const pages: [string, string][] = [['valid', labels.valid.token], ['expired', labels.expired.token], ['revoked', labels.revoked.token], ['voided', labels.voided.token], ['counterfeit', labels.counterfeit]]
  for (const lang of ['vi', 'en']) {
    const context = await phone({ locale: lang === 'vi' ? 'vi-VN' : 'en-GB' })
    const audited = await phone({ locale: lang === 'vi' ? 'vi-VN' : 'en-GB', bypassCSP: true })
    for (const [kind, token] of pages) {
      const url = `http://ocop.test:${port}/v1/labels/${token}`
      const page = await context.newPage()
      const problems: string[] = []
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`))
      const response = await page.goto(url)
      t.equal(response?.status(), kind === 'counterfeit' ? 404 : 200, `${kind} (${lang}): status`)
      t.equal(await page.getAttribute('html', 'lang'), lang, `${kind} (${lang}): the page's language, from the phone's Accept-Language`)
      t.ok((await page.locator('h1').innerText()).length > 10, `${kind} (${lang}): a verdict in words`)
      if (kind === 'valid') {
        t.equal(await page.locator('main img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 600, 'the product image loads, from the trusted origin')
      }
      t.equal(await page.evaluate('document.scripts.length'), 0, 'no script')
      await page.screenshot({ path: `${shots}/label-${kind}-${lang}.png`, fullPage: true })
      // Chromium reports the 404 of the counterfeit's page itself in the console: that one is expected.
      const expected = kind === 'counterfeit' ? ['console error: Failed to load resource: the server responded with a status of 404 (Not Found)'] : []
      t.same(problems, expected, `${kind} (${lang}): no console error (a CSP violation would be one), nothing failed to load`)
      await page.close()

      // axe-core needs a script on the page: a second phone that lets it in, the page otherwise the same.
      const audit = await audited.newPage()
      await audit.goto(url)
      await audit.addScriptTag({ content: axeSource })
      const result = await audit.evaluate('axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } })') as AxeResult
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      t.same(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [], `${kind} (${lang}): no serious or critical axe-core violation`)
      t.same(result.violations.map((v) => v.id), [], `${kind} (${lang}): no violation at all`)
      t.ok(result.passes.length > 10, `${kind} (${lang}): axe-core ran its rules`)
      await audit.close()
    }
    // The language link switches the page, without JavaScript.
    const page = await context.newPage()
    await page.goto(`http://ocop.test:${port}/v1/labels/${labels.valid.token}`)
    await page.click('a.lang')
    t.equal(await page.getAttribute('html', 'lang'), lang === 'vi' ? 'en' : 'vi', `the language link, from ${lang}`)
    await context.close()
    await audited.close()
  }
})
