import type { FastifyReply, FastifyRequest } from 'fastify'
import { csvColumns, itemSchemaOf, sendCsv, wantsCsv, type CsvColumn } from './csv.ts'
import { addVary } from './vary.ts'

/** Sets `Link: <…>; rel="next"` for a page that has a next one. */
export function linkNext (request: FastifyRequest, reply: FastifyReply, nextCursor: string | null): void {
  if (!nextCursor) return
  const url = new URL(request.url, 'http://placeholder')
  url.searchParams.set('cursor', nextCursor)
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`)
}

/** Answers a list: the page, with its `Link: rel="next"` header. */
export function sendPage<T extends { nextCursor: string | null }> (request: FastifyRequest, reply: FastifyReply, page: T): T {
  linkNext(request, reply, page.nextCursor)
  return page
}

/** A list's page for a page size and a cursor, with every other filter of the request already applied. */
export type PageFetcher<T> = (page: { limit: number, cursor?: string }) => Promise<{ items: T[], nextCursor: string | null }>

// The page size a CSV download reads the list by: big enough to keep queries few, small enough to
// keep memory flat.
const CSV_PAGE = 1000

const columnsByList = new WeakMap<object, CsvColumn[]>()
/** The CSV columns of a list schema (a page or `{ items }`), computed once. */
export function listColumns (listSchema: object): CsvColumn[] {
  let columns = columnsByList.get(listSchema)
  if (!columns) columnsByList.set(listSchema, columns = csvColumns(itemSchemaOf(listSchema as Record<string, unknown>)))
  return columns
}

/** The file name of a download: the list's last fixed path segment (`/v1/products/:id/label-batches` → `label-batches`). */
const fileName = (request: FastifyRequest) => (request.routeOptions.url ?? '').split('/').filter((s) => s && !s.startsWith(':')).slice(-2).join('-').replace(/^v1-/, '') || 'list'

/** Every item from `cursor` on, page after page; the first page is read before anything is sent. */
async function allItems<T> (fetch: PageFetcher<T>, cursor?: string): Promise<AsyncIterable<T>> {
  const first = await fetch({ limit: CSV_PAGE, cursor })
  return (async function * () {
    yield * first.items
    for (let next = first.nextCursor; next;) {
      const page = await fetch({ limit: CSV_PAGE, cursor: next })
      yield * page.items
      next = page.nextCursor
    }
  })()
}

/** Every item from `cursor` on as one streamed CSV file, in the columns of the list's items. */
export async function sendAll<T> (request: FastifyRequest, reply: FastifyReply, listSchema: object, fetch: PageFetcher<T>, cursor?: string) {
  return sendCsv(reply, fileName(request), listColumns(listSchema), await allItems(fetch, cursor))
}

/**
 * Answers a paged list: a page of JSON (`limit`, `cursor`, `Link`), or on `Accept: text/csv` every
 * item that matches the filters as one streamed CSV file (from `cursor` if given; `limit` does not apply).
 */
export async function sendList<T> (request: FastifyRequest & { query: { limit?: number, cursor?: string } }, reply: FastifyReply, listSchema: object, fetch: PageFetcher<T>) {
  const { limit, cursor } = request.query
  if (wantsCsv(request)) return sendAll(request, reply, listSchema, fetch, cursor)
  addVary(reply, 'Accept')
  return sendPage(request, reply, await fetch({ limit: limit ?? 20, cursor }))
}

/** Answers a body as JSON or, on `Accept: text/csv`, as the CSV of its rows in the given columns. */
export function sendTable<B> (request: FastifyRequest, reply: FastifyReply, columns: CsvColumn[], body: B, rows: (body: B) => unknown[]) {
  if (wantsCsv(request)) return sendCsv(reply, fileName(request), columns, rows(body))
  addVary(reply, 'Accept')
  return body
}

/** Answers a whole list (`{ items, … }`), as JSON or, on `Accept: text/csv`, its items as CSV. */
export const sendItems = <B extends { items: unknown[] }> (request: FastifyRequest, reply: FastifyReply, listSchema: object, body: B) =>
  sendTable(request, reply, listColumns(listSchema), body, (b) => b.items)
