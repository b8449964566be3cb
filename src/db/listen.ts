import pg from 'pg'

/**
 * LISTEN on PostgreSQL with a connection of its own (outside the pool, so waiting readers hold no pooled
 * connection). A lost connection is opened again with a growing delay (1 s to 10 s); each time it is
 * back, `onNotify` runs once, since notifications sent meanwhile were lost and readers must look again;
 * `onLost` runs when an established LISTEN connection ends (until then no notification can arrive).
 * Resolves once the first LISTEN is in place (or failed: the retries go on in the background).
 */
export async function listenPostgres (connectionString: string, channel: string, onNotify: () => void, onError: (err: Error) => void, onLost?: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined
  let closed = false
  let delay = 1000
  let timer: NodeJS.Timeout | undefined
  const connect = async (): Promise<void> => {
    if (closed) return
    const next = new pg.Client({ connectionString, application_name: 'ocop-api-listen', connectionTimeoutMillis: 5000 })
    next.on('notification', (message) => { if (message.channel === channel) onNotify() })
    next.on('error', (err) => onError(err))
    next.on('end', () => {
      if (client === next) {
        client = undefined
        onLost?.()
      }
      if (!closed) retry()
    })
    try {
      await next.connect()
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      client = next
      delay = 1000
      onNotify()
    } catch (err) {
      onError(err as Error)
      await next.end().catch(() => {})
    }
  }
  const retry = () => {
    if (closed || timer) return
    timer = setTimeout(() => { timer = undefined; connect().catch(onError) }, delay)
    timer.unref()
    delay = Math.min(delay * 2, 10_000)
  }
  await connect()
  return async () => {
    closed = true
    if (timer) clearTimeout(timer)
    await client?.end().catch(() => {})
  }
}
