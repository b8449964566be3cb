import type { FastifyReply, FastifyRequest } from 'fastify'
import { addVary } from './vary.ts'

/** The languages the API answers in: Vietnamese first (the default), then English. */
export const LANGUAGES = ['vi', 'en'] as const
export type Lang = typeof LANGUAGES[number]

/** A message in every language the API speaks. */
export interface Text { vi: string, en: string }

/** Joins messages with a separator, language by language. */
export const joinText = (texts: Text[], separator = '; '): Text =>
  ({ vi: texts.map((t) => t.vi).join(separator), en: texts.map((t) => t.en).join(separator) })

/**
 * The language of the answer, from `Accept-Language` (RFC 9110 §12.5.4, with q-values and prefixes:
 * `en-GB` is English): `en` when the caller prefers English, otherwise Vietnamese, also when the header
 * is missing or names only languages the API does not speak.
 */
export function languageOf (request: FastifyRequest): Lang {
  // Errors met before routing may come before @fastify/accepts has decorated the request.
  if (typeof request.accepts !== 'function') return 'vi'
  const best = request.accepts().language([...LANGUAGES])
  return best === 'en' ? 'en' : 'vi'
}

/** Marks an answer as written in `lang` and chosen by `Accept-Language`, for caches and clients. */
export function markLanguage (reply: FastifyReply, lang: Lang): void {
  reply.header('content-language', lang)
  addVary(reply, 'Accept-Language')
}
