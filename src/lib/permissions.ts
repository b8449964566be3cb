// What each role may do. A route declares one permission in its options (`config.permission`);
// the auth plugin checks it and the contract shows it as `security` plus a line in the description.
export const ROLES = ['partner', 'operator', 'council', 'admin'] as const
export type Role = typeof ROLES[number]

export const PERMISSIONS = {
  public: { roles: 'anyone' as const, text: 'Public: no API key needed; a key is accepted.', vi: 'Công khai: không cần khóa API; có khóa vẫn được nhận.' },
  'reference:write': { roles: ['admin'] as Role[], text: 'Needs an `admin` key.', vi: 'Cần khóa `admin`.' },
  'keys:manage': { roles: ['admin'] as Role[], text: 'Needs an `admin` key.', vi: 'Cần khóa `admin`.' },
  'audit:read': { roles: ['admin'] as Role[], text: 'Needs an `admin` key.', vi: 'Cần khóa `admin`.' },
  'metrics:read': { roles: ['admin'] as Role[], text: 'Needs an `admin` key.', vi: 'Cần khóa `admin`.' },
  'listings:reconcile': { roles: ['admin'] as Role[], text: 'Needs an `admin` key.', vi: 'Cần khóa `admin`.' },
  'catalogue:write': { roles: ['operator', 'admin'] as Role[], text: 'Needs an `operator` key (limited to the administrative units on the key, if any) or an `admin` key.', vi: 'Cần khóa `operator` (giới hạn ở các đơn vị hành chính ghi trên khóa, nếu có) hoặc khóa `admin`.' },
  'evaluations:prepare': { roles: ['operator', 'council', 'admin'] as Role[], text: 'Needs an `operator` key (drafts for its units), a `council` key (its level) or an `admin` key.', vi: 'Cần khóa `operator` (bản nháp cho các đơn vị của khóa), khóa `council` (cấp của hội đồng) hoặc khóa `admin`.' },
  'evaluations:decide': { roles: ['council', 'admin'] as Role[], text: 'Needs a `council` key at the evaluation\'s level, or an `admin` key.', vi: 'Cần khóa `council` đúng cấp của hồ sơ đánh giá, hoặc khóa `admin`.' },
  'partner:sync': { roles: ['partner', 'operator', 'admin'] as Role[], text: 'Needs a `partner`, `operator` or `admin` key.', vi: 'Cần khóa `partner`, `operator` hoặc `admin`.' }
}
export type Permission = keyof typeof PERMISSIONS

/** Why a caller without a key is refused (401), in every language. */
export const needsKey = (permission: Permission) => ({ vi: `Thao tác này cần khóa API. ${PERMISSIONS[permission].vi}`, en: `This operation needs an API key. ${PERMISSIONS[permission].text}` })
/** Why a key of this role is refused (403), in every language. */
export const roleMayNot = (role: string, permission: Permission) => ({ vi: `Khóa ${role} không được làm việc này. ${PERMISSIONS[permission].vi}`, en: `A ${role} key may not do this. ${PERMISSIONS[permission].text}` })

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission
  }
}

export function roleMay (role: Role | undefined, permission: Permission): boolean {
  const rule = PERMISSIONS[permission]
  if (rule.roles === 'anyone') return true
  return role !== undefined && rule.roles.includes(role)
}
