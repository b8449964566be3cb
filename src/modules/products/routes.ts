import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { unpublishedScope } from '../../lib/principal.ts'
import { wantsCsv } from '../../lib/csv.ts'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, IfMatchHeaders, json, notModified, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { IdParams } from '../villages/schemas.ts'
import { Product, ProductCreate, ProductPage, ProductPatch, ProductQuery, ProductReadQuery } from './schemas.ts'
import { archiveProduct, createProduct, deleteProduct, listProducts, readProduct, updateProduct, visibleProduct } from './service.ts'

const productRef = ref(Product)

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())

  app.get('/products', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listProducts',
      summary: 'List and search products',
      description: 'Filters combine with AND. `q` searches product names (both languages), producer and craft village, insensitive to case and Vietnamese diacritics (`bat trang` finds "Gốm Bát Tràng", `duong lam` finds "Đường Lâm") and tolerant of a typo (`bat trag`); matches with the exact diacritics rank first. Anonymous readers and partners see active products only.',
      tags: ['catalogue'],
      querystring: ProductQuery,
      response: { 200: listOrCsv('A page of products', ProductPage), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendList(req, reply, ProductPage, (page) => {
    const filter = { ...req.query, ...page }
    const day = today()
    const load = () => listProducts(req.db, filter, req.principal, day)
    // Pages every reader without unpublished records sees alike; not the pages of a CSV download.
    return unpublishedScope(req.principal) === 'none' && !wantsCsv(req) ? app.readCache.read(`products ${day} ${JSON.stringify(filter)}`, load) : load()
  }))

  app.get('/products/:id', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getProduct',
      summary: 'Read a product with its current OCOP rating',
      tags: ['catalogue'],
      params: IdParams,
      querystring: ProductReadQuery,
      response: { 200: json('The product', productRef), 304: notModified, ...problems(400, 401, 404, 429) }
    }
  }, async (req) => {
    const { id } = req.params
    const day = req.query.asOf ?? today()
    return visibleProduct(await app.readCache.read(`product ${id} ${day}`, () => readProduct(req.db, id, day)), id, req.principal)
  })

  app.post('/products', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'createProduct',
      summary: 'Add a product',
      description: 'The QD148-2023 group is required; the QD1048-2019 group is derived from the mapping unless given. The code and the rating are computed: sending them is a 400.',
      tags: ['catalogue'],
      body: ref(ProductCreate),
      response: { 201: json('The product', productRef), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const product = await createProduct(req.db, req.principal, req.body, today())
    return reply.code(201).header('location', `/v1/products/${product.id}`).send(product)
  })

  app.patch('/products/:id', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'updateProduct',
      summary: 'Change a product',
      tags: ['catalogue'],
      params: IdParams,
      headers: IfMatchHeaders,
      body: ref(ProductPatch),
      response: { 200: json('The product as it is now', productRef), ...problems(400, 401, 403, 404, 409, 412, 422, 429) }
    }
  }, async (req, reply) => updateProduct(req.db, req.principal, req.params.id, req.body, ifMatch(req, reply), today()))

  app.post('/products/:id/archive', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'archiveProduct',
      summary: 'Archive a product',
      description: 'Archived products disappear from public reads; their history stays. PATCH `{"status":"active"}` brings one back.',
      tags: ['catalogue'],
      params: IdParams,
      headers: IfMatchHeaders,
      response: { 200: json('The archived product', productRef), ...problems(400, 401, 403, 404, 409, 412, 429) }
    }
  }, async (req, reply) => archiveProduct(req.db, req.principal, req.params.id, ifMatch(req, reply, productRef), today()))

  app.delete('/products/:id', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'deleteProduct',
      summary: 'Delete a draft product',
      description: 'Only a draft without evaluations can be deleted (409 otherwise): archive anything else.',
      tags: ['catalogue'],
      params: IdParams,
      headers: IfMatchHeaders,
      response: { 204: { description: 'Deleted' }, ...problems(400, 401, 403, 404, 409, 412, 429) }
    }
  }, async (req, reply) => {
    await deleteProduct(req.db, req.principal, req.params.id, ifMatch(req, reply, productRef), today())
    return reply.code(204).send()
  })
}
export default routes
