import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import client from 'prom-client'
import { Type } from 'typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { serviceUnavailable } from '../../lib/problem.ts'
import { wantsCsv } from '../../lib/csv.ts'
import { sendAll, sendList } from '../../lib/pagination.ts'
import { listOrCsv, json, notModified, problems, ref } from '../../lib/schema.ts'
import { IdParams } from '../villages/schemas.ts'
import { exportListings } from './export.ts'
import { reconcileAll } from './reconcile.ts'
import { ChangePage, ChangeQuery, Eligibility, EligibilityQuery, ExportEndLine, ExportListingLine, Listing, ListingPage, ListingQuery, ReconcileResult } from './schemas.ts'
import { eligibility, getListing, listChanges, listListings } from './service.ts'
import { FeedSignal } from './wait.ts'

const ExportLine = Type.Union([ref(ExportListingLine), ref(ExportEndLine)], { description: 'Each line of the stream is one of these JSON objects: listings, then one end line' })

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const feed = new FeedSignal(app.config.feedMaxWaiters)
  // eslint-disable-next-line no-new
  new client.Gauge({
    name: 'ocop_feed_waiting_readers',
    help: 'Change-feed readers held by long polling (wait=) in this instance',
    registers: [app.metricsRegistry],
    collect () { this.set(feed.count) }
  })
  app.addHook('onReady', () => feed.start(app.dbHandle))
  app.addHook('preClose', () => feed.close())

  /** The feed after a cursor; with `wait`, held until a change commits when there is none yet (long polling). */
  async function waitForChanges (db: typeof app.db, after: string | undefined, limit: number, wait: number) {
    const waiter = wait > 0 ? feed.register(wait * 1000) : undefined
    if (wait > 0 && !waiter) throw serviceUnavailable({ vi: `Đã có ${feed.count} yêu cầu đang chờ feed; hãy thử lại sau`, en: `${feed.count} requests already wait on the feed; retry shortly` }, 1)
    const page = await listChanges(db, after, limit)
    if (!waiter || page.items.length) {
      waiter?.cancel()
      return page
    }
    await waiter.promise
    return listChanges(db, after, limit)
  }

  app.get('/listings', {
    config: { permission: 'partner:sync' },
    schema: {
      operationId: 'listListings',
      summary: 'Products that may carry the OCOP mark today',
      description: 'Ordered by product id. The same set a partner ends with by following the change feed from the start.',
      tags: ['partner sync'],
      querystring: ListingQuery,
      response: { 200: listOrCsv('A page of listings', ListingPage), ...problems(400, 401, 403, 429) }
    }
  }, async (req, reply) => sendList(req, reply, ListingPage, (page) => listListings(req.db, { ...req.query, ...page })))

  app.get('/listings/changes', {
    config: { permission: 'partner:sync' },
    schema: {
      operationId: 'listListingChanges',
      summary: 'The change feed: every listing change after a cursor',
      description: 'Upserts carry the full listing; removals are tombstones with a reason (`expired` at midnight Hanoi time, `revoked`, `archived`, `not-recognised`). Positions (`seq`) only grow and become visible in order, so no entry is ever skipped: apply a page in order, keyed by product, then keep its `nextCursor`. Follow it from the start (or from an export) and you hold exactly what GET /v1/listings returns. An empty page means nothing new: poll again with the same cursor. A cursor past the feed\'s latest position (kept from before a restore of the database) is a 400: sync again from the export. A write reaches the feed within about a second (the projector drains the listing outbox every `LISTINGS_PROJECTOR_INTERVAL_MS`). Rather than polling, send `wait=25`: with nothing after the cursor, the request is held until a change commits (woken by PostgreSQL LISTEN/NOTIFY) or the seconds pass; a waiting request holds no database connection. Past `FEED_MAX_WAITERS` waiting requests per instance, a 503 with `Retry-After`.',
      tags: ['partner sync'],
      querystring: ChangeQuery,
      response: { 200: listOrCsv('Changes in feed order (CSV: every change after `after`, up to the latest)', ChangePage), ...problems(400, 401, 403, 429) }
    }
  }, async (req, reply) => {
    if (!wantsCsv(req)) return waitForChanges(req.db, req.query.after, req.query.limit ?? 100, req.query.wait ?? 0)
    // The feed never ends (its cursor is always returned): a file ends with the latest change.
    return sendAll(req, reply, ChangePage, async (page) => {
      const { items, nextCursor } = await listChanges(req.db, page.cursor, page.limit)
      return { items, nextCursor: items.length === page.limit ? nextCursor : null }
    }, req.query.after)
  })

  app.get('/listings/export', {
    config: { permission: 'partner:sync' },
    schema: {
      operationId: 'exportListings',
      summary: 'Every listing as NDJSON, then the feed cursor of that snapshot',
      description: 'Streams one `{"type":"listing",…}` line per listing from a single snapshot, and ends with `{"type":"end","count":…,"nextCursor":…}`. Load the lines, then follow GET /v1/listings/changes?after=<nextCursor>: no change is missed or applied twice out of order.',
      tags: ['partner sync'],
      response: {
        200: { description: 'NDJSON stream', content: { 'application/x-ndjson': { schema: ExportLine } } },
        ...problems(401, 403, 429)
      }
    }
  }, async (req, reply) => {
    const stream = await exportListings(app.dbHandle, (err) => req.log.error({ err }, 'listing export failed'))
    return reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(stream as never)
  })

  app.post('/listings/reconcile', {
    config: { permission: 'listings:reconcile' },
    schema: {
      operationId: 'reconcileListings',
      summary: 'Recompute every listing now, and append what changed to the feed',
      description: 'For an operator after a restore or a repair: the projector normally keeps the listings within seconds of each write, and the scheduled job applies changes of date. Runs for every product in one transaction, one run at a time across instances (409 while another runs), and is recorded in the audit log. Idempotent: when the listings are right it changes nothing and answers `changed: 0`.',
      tags: ['partner sync'],
      response: { 200: json('What this run changed', ref(ReconcileResult)), ...problems(401, 403, 409, 429) }
    }
  }, async (req) => reconcileAll(req.db, req.principal, hanoiDate(app.clock.now())))

  app.get('/listings/:id', {
    config: { permission: 'partner:sync', etag: true },
    schema: {
      operationId: 'getListing',
      summary: 'One listing',
      description: '404 when the product may not carry the OCOP mark today (see its eligibility for why).',
      tags: ['partner sync'],
      params: IdParams,
      response: { 200: json('The listing', ref(Listing)), 304: notModified, ...problems(400, 401, 403, 404, 429) }
    }
  }, async (req) => getListing(req.db, req.params.id))

  app.get('/products/:id/eligibility', {
    config: { permission: 'public' },
    schema: {
      operationId: 'getProductEligibility',
      summary: 'May this product show the OCOP mark on a date?',
      description: 'From the recognitions on record: the star and certificate in force and the last valid day, or why not (never recognised, not yet recognised, expired on, revoked on, archived).',
      tags: ['partner sync'],
      params: IdParams,
      querystring: EligibilityQuery,
      response: { 200: json('The answer', ref(Eligibility)), ...problems(400, 401, 404, 429) }
    }
  }, async (req) => eligibility(req.db, req.params.id, req.query.at ?? hanoiDate(app.clock.now()), req.principal))
}
export default routes
