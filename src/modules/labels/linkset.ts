import { Type, type Static } from 'typebox'
import type { LabelVerificationBody } from './schemas.ts'

/** GS1 Digital Link's link types (https://ref.gs1.org/voc/), as a resolver names them in a linkset. */
const GS1 = 'https://gs1.org/voc/'
const LINK_TYPES = {
  defaultLink: `${GS1}defaultLink`,
  verificationService: `${GS1}verificationService`,
  pip: `${GS1}pip`,
  certificationInfo: `${GS1}certificationInfo`
} as const

const Target = Type.Object({
  href: Type.String({ format: 'uri' }),
  type: Type.String({ description: 'The media type to ask for (`Accept`)' }),
  hreflang: Type.Optional(Type.Array(Type.String(), { maxItems: 5 })),
  title: Type.String()
}, { additionalProperties: false })
const Targets = Type.Array(Target, { minItems: 1, maxItems: 5 })

const anchor = 'https://ocop.example.vn/v1/labels/HN000000001-7QK2M9XW4P'
const api = 'https://ocop.example.vn/v1'
const linksetExample = {
  linkset: [{
    anchor,
    [LINK_TYPES.defaultLink]: [{ href: anchor, type: 'text/html', hreflang: ['vi', 'en'], title: 'Kiểm tra tem OCOP (Verify the OCOP label)' }],
    [LINK_TYPES.verificationService]: [
      { href: anchor, type: 'text/html', hreflang: ['vi', 'en'], title: 'Kiểm tra tem OCOP (Verify the OCOP label)' },
      { href: anchor, type: 'application/json', title: 'Kết quả kiểm tra tem (the verification, as data)' }
    ],
    [LINK_TYPES.pip]: [{ href: `${api}/products/6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d`, type: 'application/json', hreflang: ['vi'], title: 'Bình gốm men lam Bát Tràng' }],
    [LINK_TYPES.certificationInfo]: [{ href: `${api}/products/6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d/recognitions`, type: 'application/json', title: 'Giấy chứng nhận OCOP HN-OCOP-2024-0123 (OCOP certificate)' }]
  }]
}

/** RFC 9264 (`application/linkset+json`): the links of one label, in the GS1 Digital Link style. */
export const LabelLinkset = Type.Object({
  linkset: Type.Array(Type.Object({
    anchor: Type.String({ format: 'uri', description: 'The label: the URL its QR code encodes' }),
    [LINK_TYPES.defaultLink]: Targets,
    [LINK_TYPES.verificationService]: Targets,
    [LINK_TYPES.pip]: Targets,
    [LINK_TYPES.certificationInfo]: Targets
  }, { additionalProperties: false }), { minItems: 1, maxItems: 1 })
}, { $id: 'LabelLinkset', additionalProperties: false, examples: [linksetExample] })
export type LabelLinksetBody = Static<typeof LabelLinkset>

/**
 * The links of a genuine label: the page and the data at the label's own URL (`anchor`, what its QR
 * code encodes), the product and its certificates in this API (`api`: the origin the caller reached,
 * then `/v1`). What it links to, not whether it is valid today: that is the verification.
 */
export function labelLinkset (anchor: string, api: string, label: Pick<LabelVerificationBody, 'product' | 'certificateNumber' | 'current'>): LabelLinksetBody {
  const page = { href: anchor, type: 'text/html', hreflang: ['vi', 'en'], title: 'Kiểm tra tem OCOP (Verify the OCOP label)' }
  const product = `${api}/products/${label.product.id}`
  return {
    linkset: [{
      anchor,
      [LINK_TYPES.defaultLink]: [page],
      [LINK_TYPES.verificationService]: [page, { href: anchor, type: 'application/json', title: 'Kết quả kiểm tra tem (the verification, as data)' }],
      [LINK_TYPES.pip]: [{ href: product, type: 'application/json', hreflang: ['vi'], title: label.product.nameVi }],
      [LINK_TYPES.certificationInfo]: [{ href: `${product}/recognitions`, type: 'application/json', title: `Giấy chứng nhận OCOP ${label.current?.certificateNumber ?? label.certificateNumber} (OCOP certificate)` }]
    }]
  }
}
