import { Type, type Static } from 'typebox'
import { Page, PageQuery, ref } from '../../lib/schema.ts'
import { RecordedList, UnitFilter, WrittenList } from '../reference/schemas.ts'

const example = { id: '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c', name: 'Bát Tràng', adminUnitList: 'QD124-2004', adminUnitCode: '018', trade: 'Gốm sứ (ceramics)', recognised: true, createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z' }

export const CraftVillage = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ maxLength: 200 }),
  adminUnitList: RecordedList,
  adminUnitCode: Type.String({ maxLength: 10, description: 'Administrative unit (GSO code)' }),
  trade: Type.String({ maxLength: 200 }),
  recognised: Type.Boolean({ description: 'Recognised as a craft village by the city' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'CraftVillage', additionalProperties: false, examples: [example] })
export type CraftVillageBody = Static<typeof CraftVillage>

export const CraftVillageCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Bát Tràng'] }),
  adminUnitCode: Type.String({ pattern: '^[0-9]{3,5}$', examples: ['018'] }),
  adminUnitList: WrittenList,
  trade: Type.String({ minLength: 1, maxLength: 200, examples: ['Gốm sứ (ceramics)'] }),
  recognised: Type.Optional(Type.Boolean({ default: false, examples: [true] }))
}, { $id: 'CraftVillageCreate', additionalProperties: false, examples: [{ name: 'Bát Tràng', adminUnitCode: '018', trade: 'Gốm sứ (ceramics)', recognised: true }] })
export type CraftVillageCreateBody = Static<typeof CraftVillageCreate>

export const CraftVillagePatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  trade: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  recognised: Type.Optional(Type.Boolean())
}, { $id: 'CraftVillagePatch', additionalProperties: false, minProperties: 1, examples: [{ recognised: true }] })

export const CraftVillagePage = Page(ref(CraftVillage), 'CraftVillagePage', example)

export const CraftVillageQuery = Type.Object({
  ...UnitFilter,
  recognised: Type.Optional(Type.Boolean({ description: 'Only recognised (or only unrecognised) villages', examples: [true] })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name or trade, accent-insensitive', examples: ['bat trang'] })),
  ...PageQuery
}, { additionalProperties: false })

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'Id', examples: [example.id] }) }, { additionalProperties: false })

export const villageSchemas = [CraftVillage, CraftVillageCreate, CraftVillagePatch, CraftVillagePage]
