/**
 * The value a CommonJS module means as its default export. Such a module may set `exports.default` or
 * be the value itself; Node's ESM loader hands over `module.exports`, a loader that honours `__esModule`
 * the `default`. Either way, this returns what the module's types call its default export.
 */
export const commonJsDefault = <T> (imported: unknown): T =>
  ((imported as { default?: unknown }).default ?? imported) as T
