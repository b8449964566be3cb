import type { FastifyReply, FastifyRequest } from 'fastify'
import { secondsToHanoiMidnight } from '../../lib/clock.ts'
import { LANGUAGES, languageOf, type Lang } from '../../lib/i18n.ts'
import { addVary } from '../../lib/vary.ts'
import { etagOf, noneMatch } from '../../plugins/etag.ts'

/** What the label's URL answers, by `Accept`: the verification as data (the default), the page, or the linkset. */
const MEDIA = { 'application/json': 'json', 'text/html': 'html', 'application/linkset+json': 'linkset' } as const
type LabelFormat = typeof MEDIA[keyof typeof MEDIA]

/**
 * The answer `Accept` asks for. A browser's `text/html, …, *∕*;q=0.8` gets the page; `*∕*`, no `Accept`
 * or a type not offered gets JSON, as API clients always have.
 */
export function formatOf (req: FastifyRequest): LabelFormat {
  const type = req.accepts().type(Object.keys(MEDIA)) as keyof typeof MEDIA | false
  return type ? MEDIA[type] : 'json'
}

/** The page's language: `?lang=` (the page's own link), else `Accept-Language`, else Vietnamese. */
export function pageLanguage (req: FastifyRequest): Lang {
  const asked = (req.query as { lang?: unknown } | undefined)?.lang
  return LANGUAGES.includes(asked as Lang) ? asked as Lang : languageOf(req)
}

/** How long a browser may reuse a verdict without asking again. */
const VERDICT_MAX_AGE = 60

/**
 * Caching of a label's answer (README, "The label page"). The verdict (everything but the count: status,
 * product, certificate, the day it holds for, whether the count warns of a copy) gets a weak ETag;
 * the count changes at every scan, so it is left out of the tag, and a body that differs only by its
 * count is the same verdict. `private`: a shared cache must not answer in the service's place, or the
 * scans it answered would go uncounted. The browser may reuse the answer for a minute, never past
 * midnight in Hanoi, when a certificate's last day ends. A request that reaches the service is counted,
 * a revalidation too; the answer is 304 when the verdict is unchanged. Returns whether it is.
 */
export function cacheVerdict (req: FastifyRequest, reply: FastifyReply, verdict: unknown, now: Date): boolean {
  const tag = `W/${etagOf(JSON.stringify(verdict))}`
  reply.header('etag', tag).header('cache-control', `private, max-age=${Math.min(VERDICT_MAX_AGE, secondsToHanoiMidnight(now))}`)
  addVary(reply, 'Accept')
  addVary(reply, 'Accept-Language')
  return noneMatch(req, tag)
}
