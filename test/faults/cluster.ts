// A throwaway PostgreSQL cluster of a test's own (initdb and pg_ctl from the machine's PostgreSQL, on a
// free port, in a temporary folder), to stop, kill and restart under a running service.
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The machine's PostgreSQL binaries (Debian's layout), newest first, or undefined. */
export function postgresBin (): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const version = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0]
  return version && join(root, version, 'bin')
}

export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

export interface Cluster { port: number, url: string, stop: (mode: 'fast' | 'immediate') => void, start: () => void, destroy: () => void }

/** initdb refuses to run as root: as root, the cluster belongs to the postgres user. */
const asOwner = (bin: string, args: string[]) => {
  const root = process.getuid?.() === 0
  return root ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' }) : execFileSync(bin, args, { stdio: 'pipe' })
}

export async function startCluster (bin: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-faults-'))
  chmodSync(dir, 0o755)
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  const port = await freePort()
  asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`
  const start = () => { asOwner(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']) }
  const stop = (mode: 'fast' | 'immediate') => { asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']) }
  start()
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try { stop('immediate') } catch {}
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
