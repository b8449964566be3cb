import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { listOrCsv, problems, ref } from '../../lib/schema.ts'
import { AdminUnit, AdminUnitCreate, AdminUnitList, AdminUnitParams, AdminUnitQuery, ProductGroupList, ProductGroupQuery } from './schemas.ts'
import { createAdminUnit, getAdminUnit, listAdminUnits, listProductGroups } from './service.ts'
import { sendItems } from '../../lib/pagination.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/admin-units', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'listAdminUnits',
      summary: 'List Hanoi\'s administrative units',
      description: 'The 30 district-level units valid until 2025-06-30 and, once loaded, the commune-level units from 2025-07-01. Filter by `validOn` to read the units as they stood on a date.',
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
      tags: ['reference'],
      params: AdminUnitParams,
      response: { 200: { description: 'The unit', content: { 'application/json': { schema: ref(AdminUnit) } } }, ...problems(400, 404) }
    }
  }, async (req) => getAdminUnit(req.db, req.params.code))

  app.post('/admin-units', {
    config: { permission: 'reference:write' },
    schema: {
      operationId: 'createAdminUnit',
      summary: 'Add an administrative unit',
      description: 'How the commune-level units of 2025-07-01 (or later changes) are loaded. Kind and level must agree; `formerCodes` name the units its territory came from, so filters on a historical district also find records made under its successors. A code already used is a 409.',
      tags: ['reference'],
      body: ref(AdminUnitCreate),
      response: { 201: { description: 'The unit', content: { 'application/json': { schema: ref(AdminUnit) } } }, ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const unit = await createAdminUnit(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/admin-units/${unit.code}`).send(unit)
  })

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
