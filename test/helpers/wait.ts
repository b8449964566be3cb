/** Polls until `check` holds (or fails the wait after `ms`). */
export async function waitFor (check: () => Promise<boolean> | boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}
