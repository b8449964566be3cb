import { badRequest } from '../../lib/problem.ts'

// Vietnamese numbers: mobiles 0[35789] + 8 digits; landlines 02 + area code + number (11 digits);
// +84 or 84 stands for the leading 0. Spaces, dots, dashes and brackets are ignored.
const MOBILE = /^0[35789]\d{8}$/
const LANDLINE = /^02\d{9}$/

export function normalizePhone (raw: string): string {
  let digits = raw.replace(/[\s.()-]/g, '')
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`
  else if (/^84\d{9,10}$/.test(digits)) digits = `0${digits.slice(2)}`
  if (!MOBILE.test(digits) && !LANDLINE.test(digits)) {
    throw badRequest('phone is not a Vietnamese phone number', [{ in: 'body', pointer: '/phone', detail: 'must be a Vietnamese mobile (0[35789] and 8 digits) or landline (02 and 9 digits), optionally with +84' }])
  }
  return digits
}

// Tax or business registration code: 10 digits, or 10 digits and a 3-digit branch suffix
// (written 0101234567-001, or as 13 digits). Stored with the hyphen.
export function normalizeTaxCode (raw: string): string {
  const m = /^(\d{10})(?:-?(\d{3}))?$/.exec(raw.replace(/\s/g, ''))
  if (!m) throw badRequest('taxCode must be 10 digits, or 10 digits and a 3-digit branch suffix', [{ in: 'body', pointer: '/taxCode', detail: 'must be 10 digits, or 10 digits and a 3-digit branch suffix (0101234567-001)' }])
  return m[2] ? `${m[1]}-${m[2]}` : m[1]!
}
