type Node = Record<string, unknown>

const isNull = (s: unknown) => typeof s === 'object' && s !== null && Object.keys(s).length === 1 && (s as Node).type === 'null'

/**
 * The contract writes a nullable field as a type array (`"type": ["string", "null"]`), not as TypeBox's
 * `anyOf` of the value and null, wherever the value is a plain typed schema (a `$ref` or a union stays an
 * `anyOf`). The same JSON Schema meaning, read more easily by generators. A copy: the route schemas that
 * validate and serialise are not touched.
 */
export function nullableAsTypeArrays<T> (value: T): T {
  if (Array.isArray(value)) return value.map(nullableAsTypeArrays) as T
  if (typeof value !== 'object' || value === null) return value
  const node = Object.fromEntries(Object.entries(value as Node).map(([k, v]) => [k, nullableAsTypeArrays(v)])) as Node
  const branches = node.anyOf as Node[] | undefined
  if (!branches || branches.length !== 2 || !branches.some(isNull)) return node as T
  const other = branches.find((b) => !isNull(b))!
  if (typeof other.type !== 'string' || other.$ref || other.anyOf) return node as T
  const { anyOf: _anyOf, ...wrapper } = node
  const merged: Node = { ...other, ...wrapper, type: [other.type, 'null'] }
  if (Array.isArray(other.enum)) merged.enum = [...other.enum, null]
  return merged as T
}
