import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { generateContract } from '../../src/cli/openapi.ts'
import { commonJsDefault } from '../../src/lib/interop.ts'
import { DESCRIBED_HEADERS } from '../../src/lib/response-headers.ts'

const addFormats = commonJsDefault<typeof addFormatsModule.default>(addFormatsModule)

/** The generated contract, and an Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) that knows it. */
async function contractAjv<D extends object = Record<string, unknown>> () {
  const doc = JSON.parse(await generateContract()) as D
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema({ ...doc, $id: 'https://ocop.example/openapi.json' })
  return { doc, ajv }
}

/**
 * Checks a webhook body against the contract's `webhooks` section with Ajv (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses), independently of the TypeBox code that generated it. Returns the errors, or [].
 */
export async function webhookBodyChecker (): Promise<(body: { type: string, [field: string]: unknown }) => string[]> {
  const { doc, ajv } = await contractAjv<{ webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } } }> }>()
  return (body) => {
    const webhook = doc.webhooks[body.type]
    if (!webhook) return [`${body.type} is not a webhook of the contract`]
    const validate = ajv.getSchema(`https://ocop.example/openapi.json${webhook.post.requestBody.content['application/json'].schema.$ref}`)!
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
  }
}

/** Checks a value against a named schema of the contract's components with Ajv: the errors, or []. */
export async function componentChecker (name: string): Promise<(value: unknown) => string[]> {
  const { ajv } = await contractAjv()
  const validate = ajv.getSchema(`https://ocop.example/openapi.json#/components/schemas/${name}`)!
  return (value) => validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

/** The headers an answer carries that the contract knows of but does not document on that operation's answer with this status. */
export function undocumentedHeaders (operation: { responses: Record<string, { headers?: object } | undefined> }, res: { statusCode: number, headers: Record<string, unknown> }): string[] {
  const documented = Object.keys(operation.responses[String(res.statusCode)]?.headers ?? {}).map((h) => h.toLowerCase())
  return Object.keys(res.headers).filter((h) => DESCRIBED_HEADERS.includes(h) && !documented.includes(h))
}
