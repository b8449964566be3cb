import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Eta } from 'eta'
import { hanoiDate } from '../../../lib/clock.ts'
import type { Lang } from '../../../lib/i18n.ts'
import type { LabelVerificationBody } from '../schemas.ts'
import { civilDate, TEXTS } from './texts.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
// Eta escapes every `<%= %>` value (& < > " '); `<%~ %>` (unescaped) is used only for the stylesheet below.
const eta = new Eta({ views: here, cache: true, autoEscape: true, autoTrim: [false, 'nl'] })
const css = readFileSync(new URL('./label.css', import.meta.url), 'utf8').trim()
/** Changes with the template or the stylesheet: part of the page's ETag, so a new layout is not answered 304. */
export const PAGE_VERSION = createHash('sha256').update(readFileSync(new URL('./label.eta', import.meta.url))).update(css).digest('base64url').slice(0, 12)

/**
 * The page's Content-Security-Policy: nothing but its own stylesheet (inline, allowed by its hash, so one
 * request loads the page on a slow connection), no script at all, images from the service and from the
 * image origins the deployment trusts (LABEL_IMAGE_ORIGINS), no frames, no forms.
 */
export function pageSecurityPolicy (imageOrigins: string[]): string {
  const style = `'sha256-${createHash('sha256').update(css).digest('base64')}'`
  return [
    "default-src 'none'",
    `style-src ${style}`,
    `img-src 'self' data: ${imageOrigins.join(' ')}`.trim(),
    "script-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

type Verdict = 'valid' | 'lapsed' | 'voided' | 'counterfeit' | 'unavailable'
const ICONS: Record<Verdict, string> = { valid: '✓', lapsed: '!', voided: '✕', counterfeit: '✕', unavailable: '…' }

/** What stands in place of a verification when there is none: the token is not ours, or the check failed. */
type Failure = 'counterfeit' | 'unavailable' | 'too-many' | 'bad-address'

export interface PageInput {
  lang: Lang
  /** The verification, or why there is none. */
  label: LabelVerificationBody | Failure
  /** Origins whose images may be shown (`https://cdn.example`): a product image elsewhere is left out. */
  imageOrigins: string[]
  /** The path of this page (for the language link), and today's date. */
  path: string
  today: string
}

const allowedImage = (url: string | null, origins: string[]) => {
  if (!url) return null
  try { return origins.includes(new URL(url).origin) ? url : null } catch { return null }
}

/** The page's content, every word chosen here; the template only lays it out. */
function pageModel ({ lang, label, imageOrigins, path, today }: PageInput) {
  const t = TEXTS[lang]
  const date = (d: string) => civilDate(d, lang)
  const other: Lang = lang === 'vi' ? 'en' : 'vi'
  const base = { lang, t, switchTo: { lang: other, href: `${path}?lang=${other}`, label: t.other }, checkedOn: t.checkedOn(date(today)) }
  if (typeof label === 'string') {
    const verdict: Verdict = label === 'counterfeit' ? 'counterfeit' : 'unavailable'
    const lines = [{ counterfeit: t.counterfeit, 'too-many': t.tooMany, 'bad-address': t.badAddress, unavailable: t.unavailable }[label]]
    return { ...base, title: t.title(t.verdicts[verdict]), verdict: { kind: verdict, icon: ICONS[verdict], heading: t.verdicts[verdict], lines, stars: null }, label: null }
  }
  const verdict: Verdict = label.status === 'valid' ? 'valid' : label.status === 'voided' ? 'voided' : 'lapsed'
  const certificate = label.current ?? { certificateNumber: label.certificateNumber, star: label.star, issuedOn: label.issuedOn, validThrough: label.expiresOn }
  const lines: string[] = {
    valid: () => [t.validThrough(date(label.validUntil!)), ...(label.current!.certificateNumber !== label.certificateNumber ? [t.printedUnderEarlier] : [])],
    expired: () => [t.expired(date(label.lapsedOn!))],
    revoked: () => [t.revoked(date(label.lapsedOn!))],
    'not-yet-valid': () => [t.notYetValid],
    'product-archived': () => [t.archived],
    voided: () => [t.voided]
  }[label.status]()
  const name = lang === 'en' && label.product.nameEn ? label.product.nameEn : label.product.nameVi
  const place = [label.producer.adminUnit?.name, label.producer.province.name].filter(Boolean).join(', ')
  const image = allowedImage(label.product.imageUrl, imageOrigins)
  return {
    ...base,
    title: t.title(t.verdicts[verdict]),
    verdict: { kind: verdict, icon: ICONS[verdict], heading: t.verdicts[verdict], lines, stars: verdict === 'valid' ? { count: certificate.star, label: `${t.mark}, ${t.stars(certificate.star)}` } : null },
    label: {
      name,
      image: image ? { src: image, alt: t.imageAlt(name) } : null,
      facts: [
        [t.facts.code, label.product.code],
        [t.facts.producer, label.producer.name],
        [t.facts.place, place],
        [t.facts.star, t.stars(certificate.star)],
        [t.facts.certificate, certificate.certificateNumber],
        [t.facts.issuedOn, date(certificate.issuedOn)],
        label.lapsedOn ? [t.facts.lapsedOn, date(label.lapsedOn)] : [t.facts.validThrough, date(certificate.validThrough)],
        [t.facts.serial, label.serial]
      ] as [string, string][],
      counted: t.counted(label.verifications.count, date(hanoiDate(new Date(label.verifications.firstAt)))),
      copyWarning: label.verifications.likelyCopied ? t.copyWarning : null
    }
  }
}

/** The label page: HTML rendered on the server, every value escaped by Eta. */
export const renderPage = (input: PageInput): string => eta.render('label', { ...pageModel(input), css })
