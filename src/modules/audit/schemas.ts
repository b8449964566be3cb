import { Type } from 'typebox'
import { Page, PageQuery, ref } from '../../lib/schema.ts'

const example = {
  id: 42,
  at: '2026-11-23T09:15:00.000Z',
  keyId: '0b9f4a53-3f0e-4d4b-9a57-3c1a3f3f2a11',
  keyName: 'Thường Tín operator',
  entity: 'api_key',
  entityId: '5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  action: 'revoke',
  changes: { revokedAt: { old: null, new: '2026-11-23T09:15:00.000Z' } },
  requestId: 'b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a'
}

export const AuditEntry = Type.Object({
  id: Type.Integer({ description: 'Increases with every entry', examples: [42] }),
  at: Type.String({ format: 'date-time', examples: ['2026-11-23T09:15:00.000Z'] }),
  keyId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The API key that made the change' }),
  keyName: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  entity: Type.String({ maxLength: 50, examples: ['api_key'] }),
  entityId: Type.String({ maxLength: 100 }),
  action: Type.String({ maxLength: 50, examples: ['create', 'update', 'revoke'] }),
  changes: Type.Record(Type.String(), Type.Object({ old: Type.Unknown(), new: Type.Unknown() }), { description: 'Each changed field with its old and new value' }),
  requestId: Type.Union([Type.String({ maxLength: 100 }), Type.Null()])
}, { $id: 'AuditEntry', additionalProperties: false, examples: [example] })

export const AuditPage = Page(ref(AuditEntry), 'AuditPage', example)

export const AuditQuery = Type.Object({
  entity: Type.Optional(Type.String({ maxLength: 50, description: 'Entity type', examples: ['api_key'] })),
  entityId: Type.Optional(Type.String({ maxLength: 100, description: 'Entity id' })),
  keyId: Type.Optional(Type.String({ format: 'uuid', description: 'Changes made with this API key' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'At or after this instant', examples: ['2026-11-01T00:00:00Z'] })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'At or before this instant', examples: ['2026-11-30T23:59:59Z'] })),
  ...PageQuery
}, { additionalProperties: false })

export const auditSchemas = [AuditEntry, AuditPage]
