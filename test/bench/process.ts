import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'

// Children still running when the bench ends (or fails) are stopped with it.
const children = new Set<ChildProcess>()
process.on('exit', () => { for (const child of children) child.kill('SIGTERM') })

const found = new Map<string, string>()
const which = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).stdout.toString().trim()

/**
 * The path of `command` (a tool the bench runs: wrk, perf, valgrind), installing Debian's `debianPackage`
 * when this process runs as root; otherwise an error that says what needs it and how to install it.
 * Looked up once per bench run, not before every wrk run.
 */
export function requireTool (command: string, debianPackage: string, neededFor: string): string {
  let path = found.get(command) ?? which(command)
  if (!path) {
    if (process.getuid?.() !== 0) throw new Error(`${neededFor} needs ${command}: install it with \`sudo apt-get install ${debianPackage}\``)
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackage}`], { stdio: 'ignore' })
    path = which(command)
    if (!path) throw new Error(`${neededFor} needs ${command}, which the package ${debianPackage} did not install`)
  }
  found.set(command, path)
  return path
}

/** Builds the service (npm run build: the JavaScript and the label page's template) and answers the production entry point, dist/server.js. */
export function built (): string {
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' })
  return 'dist/server.js'
}

/**
 * The bare node:http + pg server (baseline.ts) on `port`, sending the statements recorded in `scenarios`
 * (recordScenarios' file), as named prepared statements when `prepared`, otherwise unnamed (replayed).
 */
export const startBaseline = (url: string, port: number, scenarios: string, prepared: boolean, nodeFlags: string[] = []) =>
  start(['test/bench/baseline.ts'], { DATABASE_URL: url, PORT: String(port), SCENARIOS: scenarios, DB_POOL_MAX: '10', ...(prepared ? { PREPARED: '1' } : {}) }, `http://127.0.0.1:${port}/health`, nodeFlags)

/**
 * The built service (`entry`, built()'s) on `port` against the bench database, as the bench measures
 * it: request log at `level`, rate limits out of reach, 10 connections, no migrations at start; `env`
 * adds to or overrides that (READ_CACHE_MB=0: without its read cache).
 */
export const startService = (entry: string, url: string, port: number, nodeFlags: string[] = [], level = 'info', env: Record<string, string> = {}) =>
  start([entry], { DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: level, MIGRATE_ON_START: 'false', RATE_LIMIT_ANONYMOUS: '1000000', DB_POOL_MAX: '10', ...env }, `http://127.0.0.1:${port}/health/ready`, nodeFlags)

// Logs go to /dev/null rather than through a pipe this process would have to read while measuring.
// `launcher` runs Node under another program (valgrind), which may take `seconds` to be ready.
export async function start (args: string[], env: Record<string, string>, probe: string, nodeFlags: string[] = [], launcher: string[] = [], seconds = 60): Promise<ChildProcess> {
  // Built JavaScript (dist/) runs as production runs it; TypeScript through tsx.
  const loader = args[0]!.endsWith('.js') ? [] : ['--import', 'tsx']
  const [command, ...prefix] = [...launcher, process.execPath]
  const child = spawn(command!, [...prefix, ...nodeFlags, ...loader, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  let exited: number | null = null
  children.add(child)
  child.on('exit', (code) => { exited = code; children.delete(child) })
  for (let i = 0; i < seconds * 10; i++) {
    if (exited !== null) throw new Error(`${args[0]} exited with ${exited}`)
    if (await fetch(probe).then((r) => r.ok, () => false)) return child
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${args[0]} did not start`)
}
