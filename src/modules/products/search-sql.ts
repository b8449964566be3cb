import { sql } from 'drizzle-orm'
import { containsSql } from '../../lib/keyset.ts'
import { products } from './tables.ts'

// A product search's conditions, on the placeholder `q` (list.ts, typo-tier.ts).
const q = sql.placeholder('q')
/** The names, in lower case with their diacritics, contain the query as typed. */
export const exact = sql`${products.searchExact} LIKE ${containsSql(sql`lower(${q}::text)`)}`
/** The unaccented names, producer or village contain the unaccented query. */
export const unaccented = sql`${products.searchDoc} LIKE ${containsSql(sql`search_text(${q}::text)`)}`
/** Some extent of the search text resembles the query (word similarity at pg_trgm.word_similarity_threshold; the trigram index can read it). */
export const fuzzy = sql`search_text(${q}::text) <% ${products.searchDoc}`
/** One minus that word similarity: the typo tier's order. */
export const distance = sql`(search_text(${q}::text) <<-> ${products.searchDoc})`
/** The typo tier's rows: resembling the query without containing it (list.ts, typo-tier.ts). */
export const typoMatch = sql`${fuzzy} AND NOT ${unaccented}`
