import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { listOrCsv, problems, ref } from '../../lib/schema.ts'
import { AdminUnit, AdminUnitCreate, AdminUnitList, AdminUnitParams, AdminUnitQuery, CodeListQuery, ProductGroupList, ProductGroupQuery, Province, ProvinceList, ProvinceParams, ProvinceQuery, UnitListList } from './schemas.ts'
import { createAdminUnit, getAdminUnit, getProvince, listAdminUnits, listProductGroups, listProvinces, listUnitLists } from './service.ts'
import { sendItems } from '../../lib/pagination.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/admin-units', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'listAdminUnits',
      summary: 'List Hanoi\'s administrative units',
      description: 'The 30 districts of list `QD124-2004`, valid until 2025-06-30, and the 126 commune-level units (51 wards, 75 communes) of list `QD19-2025`, from 2025-07-01, each with the units its territory came from or went to. A unit is identified by its list and its code: the lists reuse numbers for different units. Filter by `validOn` to read the units as they stood on a date.',
      tags: ['reference'],
      querystring: AdminUnitQuery,
      response: { 200: listOrCsv('The units, by level then code', AdminUnitList), ...problems(400) }
    }
  }, async (req, reply) => sendItems(req, reply, AdminUnitList, { items: await listAdminUnits(req.db, req.query) }))

  app.get('/admin-units/:code', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'getAdminUnit',
      summary: 'Read one administrative unit',
      description: 'By code, with `list` when the code is in more than one list (a 422 says so).',
      tags: ['reference'],
      params: AdminUnitParams,
      querystring: CodeListQuery,
      response: { 200: { description: 'The unit', content: { 'application/json': { schema: ref(AdminUnit) } } }, ...problems(400, 404, 422) }
    }
  }, async (req) => getAdminUnit(req.db, req.params.code, req.query.list))

  app.post('/admin-units', {
    config: { permission: 'reference:write', etag: true },
    schema: {
      operationId: 'createAdminUnit',
      summary: 'Add an administrative unit',
      description: 'How a later change of the units is recorded (the 126 units of 2025-07-01 ship with the service). The unit goes into `list` (default: the list in force on `validFrom`). Kind and level must agree; `formerCodes` name the units of the list in force the day before `validFrom` that its territory came from, so filters on them also find records made under the new unit. A code already in the list is a 409.',
      tags: ['reference'],
      body: ref(AdminUnitCreate),
      response: { 201: { description: 'The unit', content: { 'application/json': { schema: ref(AdminUnit) } } }, ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const unit = await createAdminUnit(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/admin-units/${unit.code}?list=${unit.list}`).send(unit)
  })

  app.get('/unit-lists', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'listUnitLists',
      summary: 'List the code lists of administrative units',
      description: 'Codes of units and provinces are unique only within a list. Exactly one list is in force on any day: `QD124-2004` until 2025-06-30, `QD19-2025` from 2025-07-01. A code a client sends without a list is read in the list in force on the date the record is about (a registration, an opening, a start).',
      tags: ['reference'],
      response: { 200: listOrCsv('The lists, oldest first', UnitListList), ...problems(400) }
    }
  }, async (req, reply) => sendItems(req, reply, UnitListList, { items: await listUnitLists(req.db) }))

  app.get('/provinces', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'listProvinces',
      summary: 'List Vietnam\'s provinces and centrally-run cities',
      description: 'The 63 of list `QD124-2004` (valid until 2025-06-30) and the 34 of list `QD19-2025` (from 2025-07-01), each with the provinces merged into it or the one it was merged into. Hanoi is 01 in both. Products of other provinces are recognised by their own councils and recorded here as external recognitions.',
      tags: ['reference'],
      querystring: ProvinceQuery,
      response: { 200: listOrCsv('The provinces, by list then code', ProvinceList), ...problems(400) }
    }
  }, async (req, reply) => sendItems(req, reply, ProvinceList, { items: await listProvinces(req.db, req.query) }))

  app.get('/provinces/:code', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'getProvince',
      summary: 'Read one province',
      description: 'By code, with `list` when the code is in both lists (most are: 15 is Yên Bái in the old list and Lào Cai in the new one).',
      tags: ['reference'],
      params: ProvinceParams,
      querystring: CodeListQuery,
      response: { 200: { description: 'The province', content: { 'application/json': { schema: ref(Province) } } }, ...problems(400, 404, 422) }
    }
  }, async (req) => getProvince(req.db, req.params.code, req.query.list))

  app.get('/product-groups', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'listProductGroups',
      summary: 'List the OCOP product groups of a criteria set',
      description: 'Groups and sub-groups (QD148-2023) or groups and product sets (QD1048-2019), each with the group it maps to in the other taxonomy.',
      tags: ['reference'],
      querystring: ProductGroupQuery,
      response: { 200: listOrCsv('The taxonomy, in its published order', ProductGroupList), ...problems(400) }
    }
  }, async (req, reply) => sendItems(req, reply, ProductGroupList, { items: await listProductGroups(req.db, req.query.criteriaSet ?? 'QD148-2023') }))
}
export default routes
