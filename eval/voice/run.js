// Offline speech evaluation: local speech-to-text (pocketsphinx, STT_PROVIDER=local) followed by the
// router, on the built code in dist/. Every command of commands.jsonl is spoken by espeak-ng in
// several voices and speeds, with and without background noise, into a temporary folder, sent
// through VoiceService.transcribe as a Telegram voice note would be (OGG/Opus), then routed.
// The person who speaks has two clients (Northwind, Contoso) and a project (Garden Design), so the
// grammar is built from the live vocabulary exactly as for a real person.
//   npm run eval:voice                          (builds first)
//   node eval/voice/run.js [--json] [--variants N] [--misses N]
// Writes eval/voice/last-run.json. Exits 0 whatever the figures: it measures, it does not judge.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../dist/config/config.schema.js';
import { startCliContext } from '../../dist/main.js';
import { UserRepository } from '../../dist/orchestrator/identity/user.repository.js';
import { RouterService } from '../../dist/orchestrator/router/router.service.js';
import { VoiceService } from '../../dist/orchestrator/voice/voice.service.js';
import { InvoiceRepository } from '../../dist/agents/invoicing/invoice.repository.js';
import { ProjectRepository } from '../../dist/agents/business-intelligence/project.repository.js';
import { parseCommands } from '../router/score.js';

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    variants: { type: 'string', default: '3' },
    misses: { type: 'string', default: '20' },
  },
});

/** Voice, words per minute and noise of each rendering; command i uses variants i, i+1, ... of this list. */
const RENDERINGS = [
  { voice: 'en-us', wpm: 165, noise: null },
  { voice: 'en-gb+m3', wpm: 140, noise: 'pink' },
  { voice: 'en-us+f3', wpm: 190, noise: 'white' },
  { voice: 'en-us+m7', wpm: 150, noise: 'brown' },
  { voice: 'en-gb+f2', wpm: 175, noise: null },
  { voice: 'en-us+m2', wpm: 210, noise: 'pink' },
];
/** Noise level in dBFS of the generated noise (speech from espeak-ng peaks near -3 dBFS). */
const NOISE_DB = -32;

const items = parseCommands(readFileSync(new URL('./commands.jsonl', import.meta.url), 'utf8'));
const variants = Math.max(1, Math.min(RENDERINGS.length, Number(opts.variants) || 3));
const work = mkdtempSync(join(tmpdir(), 'paios-eval-voice-'));
// pocketsphinx runs through a wrapper that logs each run's own CPU time (bash's `times`), so the
// critical path (decode, cepstral mean, then grammar and phone loop side by side) can be told apart
// from the sum of all CPU spent.
const timesLog = join(work, 'times.log');
const wrapper = join(work, 'pocketsphinx');
writeFileSync(
  wrapper,
  `#!/bin/bash\n${process.env.POCKETSPHINX_PATH ?? 'pocketsphinx_continuous'} "$@"\nrc=$?\n` +
    `kind=command; case "$*" in *-lm*) kind=open;; *"-ds 4"*) kind=mean;; *phones.gram*) kind=phones;; esac\n` +
    // \`times\` in a pipe would run in a subshell, which has no children: redirect it instead.
    `times > ${timesLog}.$$\necho "$kind $(tail -1 ${timesLog}.$$)" >> ${timesLog}\nrm -f ${timesLog}.$$\nexit $rc\n`,
  { mode: 0o755 },
);
const env = {
  NODE_ENV: 'production',
  PAIOS_DATA_DIR: join(work, 'data'),
  LOG_LEVEL: 'warn',
  STT_PROVIDER: 'local',
  POCKETSPHINX_PATH: wrapper,
};
const config = parseConfig(env, 'eval');

/** espeak-ng speech with optional noise, as Telegram's OGG/Opus voice note. */
function render(text, { voice, wpm, noise }, file) {
  const wav = join(work, 'speech.wav');
  execFileSync('espeak-ng', ['-v', voice, '-s', String(wpm), '-w', wav, text]);
  const mix = noise
    ? [
        '-f',
        'lavfi',
        '-i',
        `anoisesrc=color=${noise}:amplitude=1:seed=7`,
        '-filter_complex',
        `[1]volume=${NOISE_DB}dB[n];[0][n]amix=inputs=2:duration=first:normalize=0`,
      ]
    : [];
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-i',
    wav,
    ...mix,
    '-ac',
    '1',
    '-ar',
    '48000',
    '-c:a',
    'libopus',
    '-b:a',
    '24k',
    '-f',
    'ogg',
    file,
  ]);
  return readFileSync(file);
}

/** CPU ms of each pocketsphinx run logged since `from` (a line count), by kind. */
function passes(from) {
  const seconds = (t) => Number(/(\d+)m([\d.]+)s/.exec(t)?.[1] ?? 0) * 60 + Number(/m([\d.]+)s/.exec(t)?.[1] ?? 0);
  const lines = readFileSync(timesLog, 'utf8').trim().split('\n').slice(from);
  const out = { lines: from + lines.length };
  for (const l of lines) {
    const [kind, user, sys] = l.split(/\s+/);
    out[kind] = (out[kind] ?? 0) + Math.round((seconds(user) + seconds(sys)) * 1000);
  }
  return out;
}
const logLines = () => (existsSync(timesLog) ? readFileSync(timesLog, 'utf8').trim().split('\n').length : 0);

/** CPU seconds of this process and of the children it has waited for (pocketsphinx, ffmpeg). */
function cpuSeconds() {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return ticks / 100;
}

const running = await startCliContext(config);
const rows = [];
try {
  const voice = running.app.get(VoiceService);
  const router = running.app.get(RouterService);
  const user = await running.app.get(UserRepository).upsertByEmail('voice-eval@paios.local');
  const invoices = running.app.get(InvoiceRepository);
  const northwind = await invoices.createClient(user.id, { name: 'Northwind', currency: 'EUR' });
  await invoices.createClient(user.id, { name: 'Contoso', currency: 'EUR' });
  await running.app.get(ProjectRepository).createProject(user.id, northwind.id, 'Garden Design', null);
  await router.route('warm up');
  // The first note builds and caches this person's grammar: measured apart, as a cold start.
  const warm = render('list my clients', RENDERINGS[0], join(work, 'warm.ogg'));
  const coldStarted = performance.now();
  await voice.transcribe({ data: warm, mimeType: 'audio/ogg', filename: 'voice.oga' }, { userId: user.id });
  const coldMs = performance.now() - coldStarted;

  for (const [i, item] of items.entries()) {
    for (let v = 0; v < variants; v++) {
      const rendering = RENDERINGS[(i + v) % RENDERINGS.length];
      const audio = render(item.text, rendering, join(work, `${i}-${v}.ogg`));
      const cpu = cpuSeconds();
      const own = process.cpuUsage();
      const mark = logLines();
      const started = performance.now();
      let heard;
      try {
        heard = await voice.transcribe(
          { data: audio, mimeType: 'audio/ogg', filename: 'voice.oga' },
          { userId: user.id },
        );
      } catch (err) {
        heard = { text: '', confidence: 0, error: err.message };
      }
      const sttMs = performance.now() - started;
      const sttCpu = cpuSeconds() - cpu;
      const ownCpu = process.cpuUsage(own);
      const pass = passes(mark);
      const ownMs = Math.round((ownCpu.user + ownCpu.system) / 1000);
      const sphinxMs = (pass.mean ?? 0) + (pass.command ?? 0) + (pass.phones ?? 0) + (pass.open ?? 0);
      // Everything but the two side-by-side passes runs one after the other; of those two, the longer.
      const criticalMs =
        Math.round(sttCpu * 1000) -
        sphinxMs +
        (pass.mean ?? 0) +
        Math.max(pass.command ?? 0, pass.phones ?? 0) +
        (pass.open ?? 0);
      const decision = heard.text ? await router.route(heard.text) : { agentNumber: null, tool: null };
      const right = decision.agentNumber === item.agent && decision.tool === item.tool;
      const asked = (heard.confidence ?? 1) < voice.confirmBelow;
      rows.push({
        text: item.text,
        heldOut: item.note === 'held-out',
        rendering: `${rendering.voice} ${rendering.wpm}wpm ${rendering.noise ?? 'clean'}`,
        heard: heard.text,
        confidence: heard.confidence,
        seconds: heard.durationSeconds,
        sttMs: Math.round(sttMs),
        sttCpuMs: Math.round(sttCpu * 1000),
        nodeCpuMs: ownMs,
        criticalCpuMs: criticalMs,
        passes: pass,
        routed: decision.agentNumber !== null ? `#${decision.agentNumber} ${decision.tool}` : null,
        right,
        asked,
      });
    }
  }
  const pct = (n, d) => (d ? Math.round((1000 * n) / d) / 10 : null);
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.floor(s.length / 2)] : null;
  };
  const p90 = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] : null;
  };
  const group = (rs) => ({
    clips: rs.length,
    routedRight: pct(rs.filter((r) => r.right).length, rs.length),
    routedRightWithoutAsking: pct(rs.filter((r) => r.right && !r.asked).length, rs.length),
    askedBack: pct(rs.filter((r) => r.asked).length, rs.length),
    wrongWithoutAsking: pct(rs.filter((r) => !r.right && !r.asked).length, rs.length),
  });
  const threeSecond = rows.filter((r) => r.seconds >= 2.5 && r.seconds <= 3.5);
  const summary = {
    ranAt: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 10) / 10),
    commands: items.length,
    variantsPerCommand: variants,
    confirmBelow: voice.confirmBelow,
    coldFirstNoteMs: Math.round(coldMs),
    all: group(rows),
    examplePhrasing: group(rows.filter((r) => !r.heldOut)),
    heldOutPhrasing: group(rows.filter((r) => r.heldOut)),
    byRendering: Object.fromEntries(
      [...new Set(rows.map((r) => r.rendering))].map((k) => [k, group(rows.filter((r) => r.rendering === k))]),
    ),
    timing: {
      medianMs: median(rows.map((r) => r.sttMs)),
      p90Ms: p90(rows.map((r) => r.sttMs)),
      medianCpuMs: median(rows.map((r) => r.sttCpuMs)),
      p90CpuMs: p90(rows.map((r) => r.sttCpuMs)),
      medianNodeCpuMs: median(rows.map((r) => r.nodeCpuMs)),
      medianCriticalCpuMs: median(rows.map((r) => r.criticalCpuMs)),
      p90CriticalCpuMs: p90(rows.map((r) => r.criticalCpuMs)),
      threeSecondNotes: {
        clips: threeSecond.length,
        medianMs: median(threeSecond.map((r) => r.sttMs)),
        medianCpuMs: median(threeSecond.map((r) => r.sttCpuMs)),
        p90CpuMs: p90(threeSecond.map((r) => r.sttCpuMs)),
        medianCriticalCpuMs: median(threeSecond.map((r) => r.criticalCpuMs)),
        p90CriticalCpuMs: p90(threeSecond.map((r) => r.criticalCpuMs)),
        maxCriticalCpuMs: Math.max(...threeSecond.map((r) => r.criticalCpuMs)),
      },
    },
    misses: rows.filter((r) => !r.right),
  };
  writeFileSync(new URL('./last-run.json', import.meta.url), `${JSON.stringify({ ...summary, rows }, null, 2)}\n`);
  if (opts.json) console.log(JSON.stringify(summary, null, 2));
  else {
    const line = (name, g) =>
      `${name.padEnd(28)} ${String(g.clips).padStart(4)} clips  routed right ${g.routedRight}%  ` +
      `(without asking ${g.routedRightWithoutAsking}%, asked back ${g.askedBack}%, wrong without asking ${g.wrongWithoutAsking}%)`;
    console.log(`voice eval: ${items.length} commands x ${variants} renderings, confirm below ${voice.confirmBelow}`);
    console.log(line('all', summary.all));
    console.log(line('example phrasing', summary.examplePhrasing));
    console.log(line('held-out phrasing', summary.heldOutPhrasing));
    for (const [k, g] of Object.entries(summary.byRendering)) console.log(line(`  ${k}`, g));
    const t = summary.timing;
    console.log(
      `critical path (CPU of the steps that run one after another, 2 cores): median ${t.medianCriticalCpuMs} ms ` +
        `(p90 ${t.p90CriticalCpuMs}); 2.5-3.5 s notes: median ${t.threeSecondNotes.medianCriticalCpuMs} ms ` +
        `(p90 ${t.threeSecondNotes.p90CriticalCpuMs}, max ${t.threeSecondNotes.maxCriticalCpuMs})`,
    );
    console.log(
      `speech-to-text: median ${t.medianMs} ms (p90 ${t.p90Ms}) wall, median ${t.medianCpuMs} ms (p90 ${t.p90CpuMs}) CPU (node itself ${t.medianNodeCpuMs} ms); ` +
        `2.5-3.5 s notes (${t.threeSecondNotes.clips}): median ${t.threeSecondNotes.medianMs} ms wall, ` +
        `${t.threeSecondNotes.medianCpuMs} ms CPU (p90 ${t.threeSecondNotes.p90CpuMs}); cold first note ${summary.coldFirstNoteMs} ms; ` +
        `load average ${summary.loadAverageAtEnd.join(' ')} on ${summary.cores} cores`,
    );
    for (const m of summary.misses.slice(0, Number(opts.misses) || 20))
      console.log(
        `  miss: "${m.text}" [${m.rendering}] heard "${m.heard}" (${m.confidence}) -> ${m.routed ?? 'nothing'}`,
      );
  }
} finally {
  await running.shutdown();
  rmSync(work, { recursive: true, force: true });
}
