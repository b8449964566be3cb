import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type Schemas = Record<string, unknown>
type Factory = ReturnType<typeof SerializerSelector>

/** The `$id`s a schema reaches through `$ref`, following the shared schemas it names. */
function reachable (schema: unknown, shared: Schemas, found = new Set<string>()): Set<string> {
  const stack = [schema]
  while (stack.length) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    const ref = (node as { $ref?: unknown }).$ref
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      const id = ref.split('#')[0]!
      if (!found.has(id) && id in shared) { found.add(id); stack.push(shared[id]) }
    }
    stack.push(...Object.values(node))
  }
  return found
}

/**
 * Fastify's own response serializer compiler (fast-json-stringify), fed less. fast-json-stringify checks
 * every shared schema against the JSON Schema meta-schema each time it compiles a response, and Fastify
 * compiles one per route and status: with 130 shared schemas and about 600 responses, start-up spent
 * 5 s there. Here each compile gets only the shared schemas its response reaches, and a response schema
 * seen before (every route's problem+json answers are the same) reuses its serializer.
 */
export function buildSerializer (externalSchemas?: unknown, options?: Parameters<Factory>[1]): ReturnType<Factory> {
  const shared = (externalSchemas ?? {}) as Schemas
  const factory = SerializerSelector()
  const compiled = new Map<string, ReturnType<ReturnType<Factory>>>()
  return (route) => {
    const key = JSON.stringify(route.schema)
    let serializer = compiled.get(key)
    if (!serializer) {
      const used = Object.fromEntries([...reachable(route.schema, shared)].map((id) => [id, shared[id]]))
      serializer = factory(used, options)(route)
      compiled.set(key, serializer)
    }
    return serializer
  }
}
