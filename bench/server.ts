/**
 * Server load benchmark (issue 6), on loopback against the real server in a child process:
 *  1. p95 latency of the dashboards' procedures with 50 concurrent clients (autocannon; every
 *     response time is recorded, so the percentile is exact, not interpolated), per procedure
 *     and for the mixed first-screen load of the three dashboards;
 *  2. live-stream latency: a subscriber's delay from the push request that carries an event to
 *     the event's arrival on the SSE stream, while 200 events/s are pushed through the push API.
 * The database is the demo database of the given scale (generated once, cached under var/bench).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { percentile, type BenchRow } from './bench-row.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 50;
const SECONDS_PER_PROCEDURE = 6;
const PUSH_RATE = 200;
const PUSH_SECONDS = 20;

/**
 * CITYOPS_BENCH_SERVER narrows a run while iterating (default: everything): a comma-separated
 * list of parts, each `live`, `mixed` or a piece of a procedure's name (`city: overview.kpis`,
 * `workOrders`, `district:`). Figures of a narrowed run are the same measurements, just fewer.
 */
function selectedParts(): ((name: string) => boolean) {
  const spec = process.env['CITYOPS_BENCH_SERVER']?.trim();
  if (!spec) return () => true;
  const parts = spec.split(',').map((part) => part.trim()).filter(Boolean);
  return (name) => parts.some((part) => (part === 'live' || part === 'mixed' ? name === part : name.includes(part)));
}

export interface ServerBenchOptions {
  scales: number[];
  log?: (line: string) => void;
}

/** The demo database of a scale, generated once by `pnpm cityops generate` and reused. */
async function cachedDemoDatabase(scale: number, log: (line: string) => void): Promise<string> {
  const file = path.join(ROOT, 'var/bench', `demo-${scale}.duckdb`);
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  log(`  generating the demo database at scale ${scale} (cached in ${path.relative(ROOT, file)}) …`);
  await run(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', 'generate', '--db', file, '--scale', String(scale)]);
  return file;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

async function startServer(dbPath: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', 'serve', '--db', dbPath, '--demo', '--live-rate', '0', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { base, child };
}

export async function login(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'cityops2026' }),
  });
  if (response.status !== 200) throw new Error(`login ${username}: HTTP ${response.status}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

async function latestMonth(base: string, cookie: string): Promise<string> {
  const response = await fetch(`${base}/api/trpc/overview.months`, { headers: { cookie } });
  const body = (await response.json()) as { result: { data: { months: string[] } } };
  return body.result.data.months.at(-1)!;
}

interface Call { name: string; user: string; path: string; input: unknown }

/** CPU time (user + system, ms) the server process has used so far (Linux /proc; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

/** The 1-minute load average, printed beside every timing (the machine is shared). */
function load1(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
  } catch {
    return '?';
  }
}

/** What each dashboard asks for when it opens (city command, district hub, street desk). */
function dashboardCalls(month: string): Call[] {
  return [
    { name: 'city: overview.kpis', user: 'city', path: 'overview.kpis', input: { unitCode: '5101', month } },
    { name: 'city: overview.childVolumes', user: 'city', path: 'overview.childVolumes', input: { unitCode: '5101', month } },
    { name: 'city: overview.monthlyVolumes', user: 'city', path: 'overview.monthlyVolumes', input: { unitCode: '5101', months: 12 } },
    { name: 'city: overview.topItems', user: 'city', path: 'overview.topItems', input: { unitCode: '5101', month, limit: 10 } },
    { name: 'city: index.ranking', user: 'city', path: 'index.ranking', input: { unitCode: '5101', month } },
    { name: 'district: overview.kpis', user: 'jinjiang', path: 'overview.kpis', input: { unitCode: '510104', month } },
    { name: 'district: overview.childVolumes', user: 'jinjiang', path: 'overview.childVolumes', input: { unitCode: '510104', month } },
    { name: 'district: index.ranking', user: 'jinjiang', path: 'index.ranking', input: { unitCode: '510104', month } },
    { name: 'district: hotspots.gi', user: 'jinjiang', path: 'hotspots.gi', input: { unitCode: '510104', month } },
    { name: 'district: events.list', user: 'jinjiang', path: 'events.list', input: { unitCode: '510104', month, limit: 50 } },
    { name: 'street: overview.kpis', user: 'jgy', path: 'overview.kpis', input: { unitCode: '510104017', month } },
    { name: 'street: workOrders.list', user: 'jgy', path: 'workOrders.list', input: { unitCode: '510104017' } },
  ];
}

/** Runs autocannon with every connection cycling through `calls`; returns each response's time (ms). */
async function load(base: string, cookies: Map<string, string>, calls: Call[], seconds: number): Promise<{ times: number[]; errors: number; non2xx: number }> {
  const times: number[] = [];
  // Without a callback autocannon returns its tracker (an EventEmitter that is also thenable); the types only say Promise.
  const instance = autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: calls.map((call) => ({
      method: 'GET' as const,
      path: `/api/trpc/${call.path}?input=${encodeURIComponent(JSON.stringify(call.input))}`,
      headers: { cookie: cookies.get(call.user)! },
    })),
  }) as unknown as EventEmitter & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const result = await instance;
  return { times, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/** Pushes PUSH_RATE events/s for PUSH_SECONDS while a city subscriber listens; returns each event's push→arrival delay (ms). */
export async function liveLatency(base: string, cookie: string): Promise<{ delays: number[]; pushed: number; lost: number; pushSeconds: number }> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/trpc/live.stream`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const sentAt = new Map<string, number>();
  const delays: number[] = [];
  const reader = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('');
          if (!data) continue;
          const message = JSON.parse(data) as { kind?: string; summary?: string };
          const key = message.kind === 'event' ? /BENCH-\d+/.exec(message.summary ?? '')?.[0] : undefined;
          const start = key ? sentAt.get(key) : undefined;
          if (start !== undefined) delays.push(performance.now() - start);
        }
      }
    } catch {
      // aborted at the end
    }
  })();

  const perBatch = 20;
  const batches = (PUSH_RATE / perBatch) * PUSH_SECONDS;
  const interval = 1000 / (PUSH_RATE / perBatch);
  const started = performance.now();
  const now = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  let sequence = 0;
  const posts: Promise<unknown>[] = [];
  for (let batch = 0; batch < batches; batch += 1) {
    const due = started + batch * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const events = Array.from({ length: perBatch }, () => {
      sequence += 1;
      const key = `BENCH-${sequence}`;
      return {
        externalId: `${key}-${Date.now()}`, receivedAt: now, category: '噪音扰民', summary: `${key} 反映夜间施工噪音`,
        lng: 104.03 + (sequence % 97) * 0.001, lat: 30.62 + (sequence % 89) * 0.001, nature: '投诉',
      };
    });
    const t = performance.now();
    for (const event of events) sentAt.set(event.summary.split(' ')[0]!, t);
    posts.push(fetch(`${base}/api/push/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-hotline-push-token', 'idempotency-key': `bench-${Date.now()}-${batch}` },
      body: JSON.stringify({ events }),
    }).then(async (r) => {
      if (r.status !== 200) throw new Error(`push HTTP ${r.status}: ${await r.text()}`);
    }));
  }
  await Promise.all(posts);
  const pushSeconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  controller.abort();
  await reader;
  return { delays, pushed: sequence, lost: sequence - delays.length, pushSeconds };
}

export async function runServerBench(options: ServerBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: BenchRow[] = [];
  for (const scale of options.scales) {
    const cached = await cachedDemoDatabase(scale, log);
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-bench-server-'));
    const dbPath = path.join(dir, 'server.duckdb');
    copyFileSync(cached, dbPath);
    const { base, child } = await startServer(dbPath);
    try {
      const cookies = new Map<string, string>();
      for (const user of ['city', 'jinjiang', 'jgy']) cookies.set(user, await login(base, user));
      const month = await latestMonth(base, cookies.get('city')!);
      const calls = dashboardCalls(month);
      log(`  server at scale ${scale}, month ${month}: ${CONNECTIONS} connections`);
      const selected = selectedParts();
      for (const call of calls) {
        if (!selected(call.name)) continue;
        await load(base, cookies, [call], 1); // warm-up
        const cpu0 = cpuMs(child.pid);
        const { times, errors, non2xx } = await load(base, cookies, [call], SECONDS_PER_PROCEDURE);
        const cpu = (cpuMs(child.pid) - cpu0) / Math.max(1, times.length);
        if (errors + non2xx > 0) throw new Error(`${call.name}: ${errors} errors, ${non2xx} non-2xx responses`);
        rows.push({ suite: 'server', name: `${call.name} p95 (${CONNECTIONS} clients)`, scale, value: percentile(times, 95), unit: 'ms', target: '≤ 50' });
        log(`  ${call.name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, ${(times.length / SECONDS_PER_PROCEDURE).toFixed(0)} req/s, server CPU ${cpu.toFixed(2)} ms/req, load ${load1()}`);
      }
      if (selected('mixed')) {
        const mixedCpu0 = cpuMs(child.pid);
        const mixed = await load(base, cookies, calls, SECONDS_PER_PROCEDURE * 2);
        const mixedCpu = (cpuMs(child.pid) - mixedCpu0) / Math.max(1, mixed.times.length);
        rows.push({ suite: 'server', name: `mixed dashboard load p95 (${CONNECTIONS} clients)`, scale, value: percentile(mixed.times, 95), unit: 'ms', target: '≤ 50' });
        rows.push({ suite: 'server', name: 'mixed dashboard load throughput', scale, value: mixed.times.length / (SECONDS_PER_PROCEDURE * 2), unit: 'req/s' });
        log(`  mixed: p50 ${percentile(mixed.times, 50).toFixed(1)} ms, p95 ${percentile(mixed.times, 95).toFixed(1)} ms, server CPU ${mixedCpu.toFixed(2)} ms/req, load ${load1()}`);
      }
      if (!selected('live')) continue;

      const liveCpu0 = cpuMs(child.pid);
      const live = await liveLatency(base, cookies.get('city')!);
      rows.push({ suite: 'server', name: 'push API throughput (all pushes answered)', scale, value: live.pushed / (live.pushSeconds || 1), unit: 'events/s', target: '≥ 200' });
      log(`  push: ${live.pushed} events answered in ${live.pushSeconds.toFixed(1)} s = ${(live.pushed / (live.pushSeconds || 1)).toFixed(0)} events/s, server CPU ${((cpuMs(child.pid) - liveCpu0) / live.pushed).toFixed(2)} ms/event, load ${load1()}`);
      rows.push({ suite: 'server', name: `live event latency p95 at ${PUSH_RATE} events/s pushed`, scale, value: percentile(live.delays, 95), unit: 'ms', target: '≤ 1,000' });
      rows.push({ suite: 'server', name: 'live events not delivered', scale, value: live.lost, unit: 'events', target: '0' });
      log(`  live: ${live.pushed} pushed, p50 ${percentile(live.delays, 50).toFixed(0)} ms, p95 ${percentile(live.delays, 95).toFixed(0)} ms, ${live.lost} lost, load ${load1()}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
