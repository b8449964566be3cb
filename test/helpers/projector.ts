import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { App } from '../../src/app.ts'
import { hanoiDate } from '../../src/lib/clock.ts'
import { drainOutbox } from '../../src/modules/listings/projector.ts'

/** What the running service's projector does within a moment of each write (tests run without it). */
export const project = (app: App) => drainOutbox(app.db, hanoiDate(app.clock.now()), { wait: true })

/** app.inject, and after a write the projector's work: what a client sees a moment after each write. */
export const projecting = (app: App) => async (options: InjectOptions): Promise<LightMyRequestResponse> => {
  const res = await app.inject(options)
  if (options.method && options.method !== 'GET') await project(app)
  return res
}
