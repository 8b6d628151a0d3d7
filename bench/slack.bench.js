// Benchmark: signed Slack slash commands against `paios start` (embedded mode, built dist), with a
// local stand-in for the Slack Web API and response_url in this process. Every request is a fresh
// `/paios #1 daily_digest` with its own trigger_id, timestamp and HMAC signature, from a paired user.
// Prints commands/second, the p50/p99 of the ack (the HTTP answer Slack waits at most 3 s for), and
// how many answers reached the response_url.
//   npm run bench            (BENCH_SECONDS=10 BENCH_CONNECTIONS=20 by default)
import autocannon from 'autocannon';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const bin = new URL('../bin/paios.js', import.meta.url).pathname;
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-0000-paios';

// The Slack side: auth.test, chat.postMessage, and response_url posts (counted).
let answers = 0;
const pairingCodes = [];
const slack = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    if (req.url.startsWith('/respond/')) {
      answers += 1;
      const code = /\*([A-Z0-9]{4}-[A-Z0-9]{4})\*/.exec(body);
      if (code) pairingCodes.push(code[1]);
      return res.end('{"ok":true}');
    }
    if (req.url === '/api/auth.test')
      return res.end(
        JSON.stringify({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0BENCH', user: 'paios' }),
      );
    res.end(JSON.stringify({ ok: true, ts: '1.0', channel: 'C0BENCH' }));
  });
});
await new Promise((r) => slack.listen(0, '127.0.0.1', r));
const slackUrl = `http://127.0.0.1:${slack.address().port}`;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

let n = 0;
function slashCommand() {
  n += 1;
  const body = new URLSearchParams({
    command: '/paios',
    text: '#1 daily_digest',
    response_url: `${slackUrl}/respond/${n}`,
    trigger_id: `bench-${process.pid}-${n}`,
    user_id: 'U0BENCH',
    user_name: 'bench',
    team_id: 'T0BENCH',
    channel_id: 'C0BENCH',
    channel_name: 'bench',
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    path: '/slack/events',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signature,
    },
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'paios-slack-bench-'));
const port = await freePort();
const env = {
  ...process.env,
  PORT: String(port),
  PAIOS_DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  REDIS_URL: '',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_API_URL: `${slackUrl}/api/`,
  CHAT_RATE_LIMIT_PER_MINUTE: '100000000',
};
const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const url = `http://127.0.0.1:${port}`;
try {
  // Wait until Slack events are taken (503 until auth.test has answered).
  for (let i = 0; ; i++) {
    const probe = slashCommand();
    const status = await fetch(url + probe.path, probe).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (i > 300) throw new Error('paios never took Slack events');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Pair the benchmark's Slack user the way a person would: the code from chat, approved on the CLI.
  while (pairingCodes.length === 0) await new Promise((r) => setTimeout(r, 50));
  execFileSync(process.execPath, [bin, 'users', 'approve', pairingCodes[0]], { env, stdio: 'ignore' });

  const run = (duration) =>
    autocannon({ url, connections, duration, requests: [{ setupRequest: () => slashCommand() }] });
  await run(2); // warm-up
  const before = answers;
  const r = await run(seconds);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx responses, ${r.errors} errors`);
  await new Promise((res) => setTimeout(res, 3000)); // answers keep arriving after the load stops
  console.log(
    `\nSigned Slack slash commands (/paios #1 daily_digest) — ${connections} connections, ${seconds} s, Node ${process.version}\n`,
  );
  console.log(
    `commands/s ${r.requests.average.toFixed(0)}   ack p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   max ${r.latency.max} ms`,
  );
  console.log(
    `acked ${r.requests.total}, answered through response_url ${answers - before} (the rest still queued when measured)`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  slack.close();
  rmSync(dataDir, { recursive: true, force: true });
}
