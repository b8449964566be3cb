import { Type, type Static } from 'typebox'
import { COUNCIL_LEVELS } from '../../lib/principal.ts'
import { ROLES } from '../../lib/permissions.ts'
import { Page, PageQuery, ref, StringEnum } from '../../lib/schema.ts'

const example = {
  id: '5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  name: 'Thường Tín district operator',
  role: 'operator',
  prefix: 'ocop_3fa85f64',
  adminUnits: ['279'],
  councilLevel: null,
  state: 'active',
  expiresAt: '2027-12-31T16:59:59.000Z',
  revokedAt: null,
  rotatedFrom: null,
  createdAt: '2026-11-23T09:00:00.000Z'
}

export const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ maxLength: 200 }),
  role: StringEnum([...ROLES]),
  prefix: Type.String({ maxLength: 20, description: 'The first characters of the key, to recognise it; never the secret' }),
  adminUnits: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 200, description: 'Operator keys: the administrative units the key may write in (empty: all)' }),
  councilLevel: Type.Union([StringEnum([...COUNCIL_LEVELS]), Type.Null()], { description: 'Council keys: the council level the key acts for' }),
  state: StringEnum(['active', 'revoked', 'expired'], { description: 'Derived from revokedAt and expiresAt' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rotatedFrom: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The key this one replaces, when made by rotation' }),
  createdAt: Type.String({ format: 'date-time' })
}, { $id: 'ApiKey', additionalProperties: false, description: 'An API key as listed: never its secret', examples: [example] })
export type ApiKeyBody = Static<typeof ApiKey>

export const ApiKeyWithSecret = Type.Object({
  key: Type.String({ description: 'The API key. Shown this once: store it now; only its hash is kept.', examples: ['ocop_3fa85f64_Jq8m0kq3XcVt6yHq0b2q8L4fYz9tW1vB7nC5xR2sE0a'] }),
  apiKey: ref(ApiKey)
}, { $id: 'ApiKeyWithSecret', additionalProperties: false, examples: [{ key: 'ocop_3fa85f64_Jq8m0kq3XcVt6yHq0b2q8L4fYz9tW1vB7nC5xR2sE0a', apiKey: example }] })

export const ApiKeyCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Who holds the key', examples: ['Thường Tín district operator'] }),
  role: StringEnum([...ROLES], { examples: ['operator'] }),
  adminUnits: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{3,5}$' }), { maxItems: 200, uniqueItems: true, description: 'Operator keys only: limit writes to these administrative units', examples: [['279']] })),
  councilLevel: Type.Optional(StringEnum([...COUNCIL_LEVELS], { description: 'Required for council keys, refused for others', examples: ['city'] })),
  expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the key stops working (must be in the future)', examples: ['2027-12-31T16:59:59Z'] }))
}, { $id: 'ApiKeyCreate', additionalProperties: false, examples: [{ name: 'Thường Tín district operator', role: 'operator', adminUnits: ['279'], expiresAt: '2027-12-31T16:59:59Z' }] })
export type ApiKeyCreateBody = Static<typeof ApiKeyCreate>

export const ApiKeyPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['Thường Tín operator (2027)'] })),
  adminUnits: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{3,5}$' }), { maxItems: 200, uniqueItems: true, description: 'Operator keys only', examples: [['279', '281']] })),
  expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'A new expiry in the future, or null for none', examples: ['2028-06-30T16:59:59Z'] }))
}, { $id: 'ApiKeyPatch', additionalProperties: false, minProperties: 1, examples: [{ name: 'Thường Tín operator (2027)', expiresAt: '2028-06-30T16:59:59Z' }] })
export type ApiKeyPatchBody = Static<typeof ApiKeyPatch>

export const ApiKeyPage = Page(ref(ApiKey), 'ApiKeyPage', example)

export const ApiKeyParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'Key id', examples: [example.id] }) }, { additionalProperties: false })

export const ApiKeyQuery = Type.Object({
  role: Type.Optional(StringEnum([...ROLES], { description: 'Only keys of this role', examples: ['partner'] })),
  state: Type.Optional(StringEnum(['active', 'revoked', 'expired'], { description: 'Only keys in this state', examples: ['active'] })),
  ...PageQuery
}, { additionalProperties: false })

export const keySchemas = [ApiKey, ApiKeyWithSecret, ApiKeyCreate, ApiKeyPatch, ApiKeyPage]
