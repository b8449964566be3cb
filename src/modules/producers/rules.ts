import { badRequest, bodyField } from '../../lib/problem.ts'

// Vietnamese numbers: mobiles 0[35789] + 8 digits; landlines 02 + area code + number (11 digits);
// +84 or 84 stands for the leading 0. Spaces, dots, dashes and brackets are ignored.
const MOBILE = /^0[35789]\d{8}$/
const LANDLINE = /^02\d{9}$/

export function normalizePhone (raw: string): string {
  let digits = raw.replace(/[\s.()-]/g, '')
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`
  else if (/^84\d{9,10}$/.test(digits)) digits = `0${digits.slice(2)}`
  if (!MOBILE.test(digits) && !LANDLINE.test(digits)) {
    throw badRequest({ vi: 'phone không phải là số điện thoại Việt Nam', en: 'phone is not a Vietnamese phone number' }, [bodyField('phone', {
      vi: 'phải là số di động Việt Nam (0[35789] và 8 chữ số) hoặc số cố định (02 và 9 chữ số), có thể kèm +84',
      en: 'must be a Vietnamese mobile (0[35789] and 8 digits) or landline (02 and 9 digits), optionally with +84'
    })])
  }
  return digits
}

// Tax or business registration code: 10 digits, or 10 digits and a 3-digit branch suffix
// (written 0101234567-001, or as 13 digits). Stored with the hyphen.
export function normalizeTaxCode (raw: string): string {
  const m = /^(\d{10})(?:-?(\d{3}))?$/.exec(raw.replace(/\s/g, ''))
  if (!m) {
    throw badRequest({ vi: 'taxCode phải gồm 10 chữ số, hoặc 10 chữ số và 3 chữ số mã chi nhánh', en: 'taxCode must be 10 digits, or 10 digits and a 3-digit branch suffix' }, [bodyField('taxCode', {
      vi: 'phải gồm 10 chữ số, hoặc 10 chữ số và 3 chữ số mã chi nhánh (0101234567-001)',
      en: 'must be 10 digits, or 10 digits and a 3-digit branch suffix (0101234567-001)'
    })])
  }

  return m[2] ? `${m[1]}-${m[2]}` : m[1]!
}
