// A scenario's statements as the service sent them (recorded by scenarios.ts), and the one rule the
// bare servers and pgbench share to replay a point read for another product: its uuid parameter is the id.
import { readFileSync } from 'node:fs'

export interface Statement { sql: string, params: unknown[] }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Whether a recorded parameter is the point read's id. */
export const isId = (value: unknown) => UUID.test(String(value))

/** The statement's parameters with the point read's id replaced by `id`. */
export const valuesFor = (statement: Statement, id: string) => statement.params.map((p) => isId(p) ? id : p)

/** The scenarios file the bench wrote, named by the SCENARIOS variable (the bare servers read it at start). */
export const readScenarios = () => JSON.parse(readFileSync(process.env.SCENARIOS!, 'utf8')) as Record<string, Statement[]>
