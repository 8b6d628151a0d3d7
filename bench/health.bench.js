// Benchmark: GET /api/system/health on paios (embedded mode, built dist) against a bare Node `http`
// server answering the same JSON. Both run as separate processes; autocannon drives them in turn.
// Prints requests/second and p50/p99 latency for each, and the ratio (the framework's overhead).
//   npm run bench            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 by default)
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const bin = new URL('../bin/paios.js', import.meta.url).pathname;

/** A free loopback port (paios logs at warn level here, so it cannot announce a port 0 choice). */
function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/system/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became healthy`);
}

function startChild(args, env, readyPattern) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      out += chunk.toString();
      const m = readyPattern.exec(out);
      if (m) resolve({ child, url: m[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

const BARE = `
const http = require('node:http');
const started = Date.now();
const server = http.createServer((req, res) => {
  if (req.url !== '/api/system/health') { res.statusCode = 404; return res.end(); }
  const app = { version: '0.1.0', mode: 'embedded', jobs: 'embedded', uptimeSeconds: Math.round((Date.now() - started) / 1000), status: 'up' };
  const body = JSON.stringify({ status: 'ok', info: { app, database: { responseTime: 0, status: 'up' } }, error: {}, details: { app, database: { responseTime: 0, status: 'up' } } });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

async function measure(name, url) {
  await autocannon({ url: `${url}/api/system/health`, connections: 10, duration: 2 }); // warm-up
  const r = await autocannon({ url: `${url}/api/system/health`, connections, duration: seconds });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total };
}

const dataDir = mkdtempSync(join(tmpdir(), 'paios-bench-'));
// Request logging off (warn level) so that the figure is the framework's, not the log pipe's.
const port = await freePort();
const paiosChild = spawn(process.execPath, [bin, 'start'], {
  env: {
    ...process.env,
    PORT: String(port),
    PAIOS_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    REDIS_URL: '',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const paios = { child: paiosChild, url: `http://127.0.0.1:${port}` };
await waitForHealth(paios.url);
const bare = await startChild(['-e', BARE], {}, /listening on (http:\/\/\S+)/);
try {
  const results = [
    await measure('bare node:http', bare.url),
    await measure('paios (NestJS, embedded PGlite ping)', paios.url),
  ];
  console.log(`\nGET /api/system/health — ${connections} connections, ${seconds} s each, Node ${process.version}\n`);
  console.log('server                                  req/s      p50 ms   p99 ms   requests');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(38)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(10)} ${String(r.p99).padStart(8)} ${String(r.total).padStart(10)}`,
    );
  }
  const [b, p] = results;
  console.log(`\nthroughput ratio bare/paios: ${(b.rps / p.rps).toFixed(1)}x; p50 ${p.p50} ms vs ${b.p50} ms`);
} finally {
  paios.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
  await new Promise((r) => paios.child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
