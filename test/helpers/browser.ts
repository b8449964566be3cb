import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Skips a browser test where Debian's Chromium is missing, and says how to get it; or where BROWSER_TESTS=0
 * (.ci/run's second suite: the pages do not depend on the database engine, and the first suite drove them).
 */
export const needsChromium = process.env.BROWSER_TESTS === '0'
  ? 'BROWSER_TESTS=0: the browser tests ran in the other suite'
  : existsSync(executablePath) ? false : `no Chromium at ${executablePath} (apt-get install chromium; .ci/run does)`

/**
 * Debian's Chromium, driven by playwright-core (no browser download): as root, without a sandbox; with
 * nothing that reaches for Google's hosts on this closed network; `ocop.test` resolving to this machine,
 * so pages are opened by a host name other than localhost, as users open them.
 */
export const launchChromium = (): Promise<Browser> => chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP ocop.test 127.0.0.1']
})
