// The service under faults, as an operations engineer would try it: the real entry point, a bounded write
// load, and a PostgreSQL cluster of the test's own whose backends are terminated, which is stopped hard and
// restarted. Nothing a client was told was saved may be lost, and the process never dies.
// `npm run test:faults` runs longer variants (FAULT_LOAD_SECONDS, FAULT_ROUNDS).
import { spawn } from 'node:child_process'
import t from 'tap'
import { createDb } from '../../src/db/client.ts'
import { createKey } from '../../src/modules/keys/service.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { BROWSER_ACCEPT } from '../helpers/labels.ts'
import { entryArgs } from '../helpers/runner.ts'
import { waitFor } from '../helpers/wait.ts'
import { freePort, postgresBin, startCluster } from './cluster.ts'

const LOAD_SECONDS = Number(process.env.FAULT_LOAD_SECONDS ?? 2)
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 1)
const WORKERS = 4
const bin = postgresBin()

t.setTimeout(10 * 60_000)

// With the PostgreSQL suite (DATABASE_URL set, as in CI) or FAULT_TESTS=1; it needs the machine's initdb and pg_ctl.
const skip = !bin ? 'no PostgreSQL binaries (initdb, pg_ctl) on this machine' : !process.env.DATABASE_URL && !process.env.FAULT_TESTS ? 'runs with the PostgreSQL suite (or FAULT_TESTS=1)' : false

t.test('faults: terminated backends, a hard restart, SIGTERM under load', { skip }, async (t) => {
  const cluster = await startCluster(bin!)
  t.teardown(() => cluster.destroy())
  const port = await freePort()
  const child = spawn(process.execPath, [...entryArgs, 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: cluster.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DB_CONNECT_TIMEOUT_MS: '1000', RATE_LIMIT_STAFF: '1000000', JOB_POLLING_SECONDS: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += String(chunk) })
  child.stderr.on('data', (chunk: Buffer) => { output += String(chunk) })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const base = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${base}/health/ready`).catch(() => null))?.status === 200 || child.exitCode !== null, 120_000, 'the service to start')
  let admin = await createDb({ databaseUrl: cluster.url, poolMax: 2 })
  t.teardown(() => admin.close())
  const { key } = await createKey(admin.db, anonymous('faults'), { name: 'faults', role: 'admin' }, new Date())
  const alive = () => child.exitCode === null

  // The write load: each acknowledged producer is remembered, with when its request started.
  const acknowledged: string[] = []
  const outcomes: { started: number, ended: number, status: number, problem: boolean }[] = []
  let running = false
  let n = 0
  let retriedWithKey = 0
  // Odd workers are careful clients: each write carries an Idempotency-Key, and a write whose outcome they
  // do not know (no answer, a 5xx, a 409 while the first is running) is sent again with the same key.
  async function worker (_: unknown, index: number) {
    let unsure: { name: string, key?: string } | undefined
    // eslint-disable-next-line no-unmodified-loop-condition -- `load` clears it while the workers run
    while (running) {
      const started = Date.now()
      let status = 0
      let problem = false
      if (unsure?.key) retriedWithKey++
      const write = unsure?.key ? unsure : { name: `HTX chịu lỗi ${++n}`, key: index % 2 ? `faults-${n}` : undefined }
      try {
        const res = await fetch(`${base}/v1/producers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(write.key ? { 'idempotency-key': write.key } : {}) },
          body: JSON.stringify({ name: write.name, type: 'cooperative', address: 'Hà Nội', adminUnitCode: '018', registeredOn: '2024-01-15' }),
          signal: AbortSignal.timeout(15_000)
        })
        status = res.status
        problem = String(res.headers.get('content-type')).startsWith('application/problem+json')
        const body = await res.json() as { id?: string }
        if (status === 201 && body.id) acknowledged.push(body.id)
      } catch {}
      unsure = status === 0 || status >= 500 || status === 409 ? write : undefined
      outcomes.push({ started, ended: Date.now(), status, problem })
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const load = async (during: () => Promise<void>) => {
    running = true
    const workers = Array.from({ length: WORKERS }, worker)
    try {
      await during()
    } finally {
      running = false
      await Promise.all(workers)
    }
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const firstSuccessAfter = (at: number) => outcomes.filter((o) => o.status === 201 && o.started >= at).reduce((min, o) => Math.min(min, o.ended), Infinity) - at
  // The service's own latency under this load just before a fault (median of successful writes): a busy
  // machine makes every request slower, which is not slowness to recover.
  const latencyBefore = (at: number) => {
    const times = outcomes.filter((o) => o.status === 201 && o.ended < at).slice(-40).map((o) => o.ended - o.started).sort((a, b) => a - b)
    return times.length ? times[Math.floor(times.length / 2)]! : 0
  }

  for (let round = 1; round <= ROUNDS; round++) {
    // (a) Every session of the service terminated, mid-load.
    let terminatedAt = 0
    let terminated = 0
    await load(async () => {
      await sleep(LOAD_SECONDS * 500)
      terminatedAt = Date.now()
      const rows = await admin.query<{ n: number }>("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'ocop-api' AND pid <> pg_backend_pid()")
      terminated = rows[0]!.n
      await sleep(LOAD_SECONDS * 500)
    })
    const recoveredA = firstSuccessAfter(terminatedAt)
    const latencyA = latencyBefore(terminatedAt)
    t.ok(alive(), `round ${round}: the process survived ${terminated} terminated sessions`, { output: output.slice(-3000) })
    t.ok(terminated > 0, 'the service had sessions to terminate')
    t.ok(recoveredA - latencyA < 1000, `round ${round}: first success ${recoveredA} ms after pg_terminate_backend, ${recoveredA - latencyA} ms beyond the ${latencyA} ms a write took just before (under 1 s)`)
    t.comment(`faults round ${round}: ${terminated} sessions terminated; first success ${recoveredA} ms later (median write ${latencyA} ms before)`)

    // (b) A hard stop, 3 s without a database, then a start.
    let stoppedAt = 0
    let startedAt = 0
    const readiness: number[] = []
    const scans: { status: number, type: string | null, unavailable: boolean }[] = []
    await load(async () => {
      await sleep(LOAD_SECONDS * 500)
      await admin.close()
      stoppedAt = Date.now()
      cluster.stop('immediate')
      await sleep(1500)
      readiness.push((await fetch(`${base}/health/ready`)).status)
      // A shopper scanning a label now gets a page that says so, not JSON and not a crash.
      const scan = await fetch(`${base}/v1/labels/HN000000001-7QK2M9XW4P`, { headers: { accept: BROWSER_ACCEPT } })
      scans.push({ status: scan.status, type: scan.headers.get('content-type'), unavailable: (await scan.text()).includes('<h1 id="verdict">Chưa kiểm tra được tem lúc này</h1>') })
      await sleep(1500)
      cluster.start()
      startedAt = Date.now()
      await sleep(Math.max(5000, LOAD_SECONDS * 500))
    })
    const outage = outcomes.filter((o) => o.started >= stoppedAt + 200 && o.ended <= startedAt)
    const recoveredB = firstSuccessAfter(startedAt)
    const latencyB = latencyBefore(stoppedAt)
    t.ok(alive(), `round ${round}: the process survived an immediate stop and restart`, { output: output.slice(-3000) })
    t.same(readiness, [503], 'readiness is 503 while the database is down')
    t.same(scans, [{ status: 503, type: 'text/html; charset=utf-8', unavailable: true }], 'the label page says the label cannot be checked now (503)')
    t.ok(outage.length > 0 && outage.every((o) => o.status === 503 && o.problem), `round ${round}: ${outage.length} requests during the outage, each a 503 problem`, { statuses: [...new Set(outage.map((o) => o.status))] })
    t.ok(recoveredB - latencyB < 5000, `round ${round}: first success ${recoveredB} ms after the database started, ${recoveredB - latencyB} ms beyond the usual ${latencyB} ms (under 5 s)`)
    t.comment(`faults round ${round}: ${outage.length} answers during the 3 s outage, all 503; first success ${recoveredB} ms after the start (median write ${latencyB} ms before)`)
    admin = await createDb({ databaseUrl: cluster.url, poolMax: 2 })
  }

  // (c) Every write acknowledged with a 2xx is in the database.
  const [{ found } = { found: -1 }] = await admin.query<{ found: number }>('SELECT count(*)::int AS found FROM producers WHERE id = ANY($1::uuid[])', [acknowledged])
  t.equal(found, acknowledged.length, `${acknowledged.length} acknowledged writes, ${acknowledged.length - found} lost`)
  t.comment(`faults: ${outcomes.length} requests, ${acknowledged.length} acknowledged, ${acknowledged.length - found} lost`)
  // A write retried with its Idempotency-Key after an unknown outcome is in the database once at most.
  const twice = await admin.query<{ name: string }>("SELECT name FROM producers WHERE name LIKE 'HTX chịu lỗi %' GROUP BY name HAVING count(*) > 1")
  t.same(twice, [], `${retriedWithKey} writes retried with their Idempotency-Key, none written twice`)
  t.comment(`faults: ${retriedWithKey} writes retried with their Idempotency-Key, ${twice.length} written twice`)

  // (d) SIGTERM with requests in flight: each finishes, the exit code is 0, no session is left. The
  // requests are held inside the database (a lock on producers) until the signal has been sent, so they
  // are truly in flight when it arrives.
  const holder = await admin.pool!.connect()
  let statuses: number[] = []
  let signalledAt = 0
  try {
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE producers IN EXCLUSIVE MODE')
    const inFlight = Array.from({ length: 8 }, (_, i) => fetch(`${base}/v1/producers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `HTX lúc dừng ${i}`, type: 'cooperative', address: 'Hà Nội', adminUnitCode: '018', registeredOn: '2024-01-15' })
    }).then((res) => res.status, () => 0))
    // Some wait on the lock, the rest for a pooled connection: all are in the service's hands.
    await waitFor(async () => (await holder.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ocop-api' AND wait_event_type = 'Lock'")).rows[0].n >= 1, 20_000, 'writes waiting in the database')
    await sleep(500)
    child.kill('SIGTERM')
    signalledAt = Date.now()
    await sleep(500)
    await holder.query('COMMIT')
    statuses = await Promise.all(inFlight)
  } finally {
    await holder.query('ROLLBACK').catch(() => {})
    holder.release()
  }
  t.same(statuses, Array(8).fill(201), 'every request in flight at SIGTERM finished with its answer')
  t.equal(await exited, 0, 'exit code 0', { output: output.slice(-3000) })
  t.comment(`faults: SIGTERM to exit in ${Date.now() - signalledAt} ms, 8 writes in flight answered ${statuses.join(', ')}`)
  const [{ left } = { left: -1 }] = await admin.query<{ left: number }>("SELECT count(*)::int AS left FROM pg_stat_activity WHERE application_name = 'ocop-api' AND pid <> pg_backend_pid()")
  t.equal(left, 0, 'no database session left')
})
