import type { App } from '../../../src/app.ts'
import { project } from '../../helpers/projector.ts'
import { RECONCILE_QUEUE } from '../../../src/plugins/jobs.ts'

export { project, projecting } from '../../helpers/projector.ts'

export interface Change { seq: number, eventId: string, productId: string, kind: 'upsert' | 'remove', reason: string, listing: Record<string, unknown> | null }

/** Follows the feed from a cursor to its end (after projecting what was written); returns the changes and the last cursor. */
export async function follow (app: App, headers: Record<string, string>, after?: string, projected = true): Promise<{ changes: Change[], cursor: string }> {
  if (projected) await project(app)
  const changes: Change[] = []
  let cursor = after
  for (;;) {
    const res = await app.inject({ url: `/v1/listings/changes?limit=7${cursor ? `&after=${cursor}` : ''}`, headers })
    if (res.statusCode !== 200) throw new Error(`feed answered ${res.statusCode}: ${res.body}`)
    const page = res.json() as { items: Change[], nextCursor: string }
    changes.push(...page.items)
    cursor = page.nextCursor
    if (!page.items.length) return { changes, cursor }
  }
}

/** What a partner holds after applying the changes in order. */
export function replay (changes: Change[], start = new Map<string, Record<string, unknown>>()) {
  const held = new Map(start)
  for (const c of changes) {
    if (c.kind === 'upsert') held.set(c.productId, c.listing!)
    else held.delete(c.productId)
  }
  return held
}

/** Every listing, page by page. */
export async function allListings (app: App, headers: Record<string, string>) {
  await project(app)
  const held = new Map<string, Record<string, unknown>>()
  let url: string | undefined = '/v1/listings?limit=50'
  while (url) {
    const res: Awaited<ReturnType<App['inject']>> = await app.inject({ url, headers })
    for (const l of res.json().items) held.set(l.productId, l)
    url = /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''))?.[1]
  }
  return held
}

/** Queues the scheduled job now and waits until a worker of some instance has run it. */
export async function runReconcile (app: App): Promise<{ changes: number }> {
  const id = await app.boss!.send(RECONCILE_QUEUE, {})
  for (let i = 0; i < 200; i++) {
    const job = await app.boss!.getJobById(RECONCILE_QUEUE, id!)
    if (job?.state === 'completed') return job.output as { changes: number }
    if (job?.state === 'failed') throw new Error(`reconcile failed: ${JSON.stringify(job.output)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('reconcile did not run')
}
