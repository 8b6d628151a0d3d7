import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';

/**
 * `npm run trace:turn`: which src/ files run while paios answers ONE Telegram voice note, from the
 * webhook to the tool and back. The app runs in-process as in the Telegram integration suite (the
 * Telegram fake, STT and TTS through the OpenAI audio fake, test agent #91 "add"); one voice note
 * warms it up, then V8 precise coverage (call counts) is reset, a second voice note is answered, and
 * every src/ file with a function that ran is listed, in the order a CPU profile taken at the same
 * time first saw it. What runs anyway while nothing is asked (timers, job polling) is measured in an
 * idle window of the same length and listed apart. TRACE_JSON=<file> also writes the result as JSON.
 */

const ROOT = process.cwd();
/**
 * What a file is to the turn, by where it lives: the turn path (the platform adapter, the chat core,
 * the turn pipeline and its voice intake: what the message crosses), the services it calls (the
 * conversation, router, registry, executor, tools), or shared utilities.
 */
const KINDS = [
  {
    kind: 'path',
    title: 'Turn path (adapter, chat core, turn pipeline, voice)',
    test: /^src\/(adapters|orchestrator\/(turn|voice))\//,
  },
  {
    kind: 'shared',
    title: 'Shared utilities (common, config, database, logging)',
    test: /^src\/(common|config|database|logging|types)\//,
  },
  {
    kind: 'services',
    title: 'Services the turn calls (conversation, router, registry, executor, tools)',
    test: /^src\//,
  },
] as const;

interface Traced {
  file: string;
  functions: number;
  calls: number;
  firstSeenUs?: number;
}

function srcFile(url: string): string | undefined {
  if (!url) return undefined;
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const rel = relative(ROOT, path).replace(/\\/g, '/');
  return rel.startsWith('src/') && !rel.endsWith('.spec.ts') ? rel : undefined;
}

/** Files with at least one function called since the last take (the counters reset on each take). */
function ranFiles(coverage: Profiler.ScriptCoverage[]): Map<string, Traced> {
  const files = new Map<string, Traced>();
  for (const script of coverage) {
    const file = srcFile(script.url);
    if (!file) continue;
    for (const fn of script.functions) {
      const calls = fn.ranges[0]?.count ?? 0;
      if (calls === 0) continue;
      const t = files.get(file) ?? { file, functions: 0, calls: 0 };
      t.functions += 1;
      t.calls += calls;
      files.set(file, t);
    }
  }
  return files;
}

/** When the CPU profile first sampled code of each file (microseconds since it started). */
function firstSeen(profile: Profiler.Profile): Map<string, number> {
  const fileOf = new Map<number, string | undefined>();
  for (const node of profile.nodes) fileOf.set(node.id, srcFile(node.callFrame.url));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const seen = new Map<string, number>();
  let t = 0;
  (profile.samples ?? []).forEach((id, i) => {
    t += profile.timeDeltas?.[i] ?? 0;
    // Every src/ file on the sampled stack was in use at that moment.
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const file = fileOf.get(n);
      if (file && !seen.has(file)) seen.set(file, t);
    }
  });
  return seen;
}

function lineCount(file: string): number {
  return readFileSync(join(ROOT, file), 'utf8').split('\n').length;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** After the answers arrived, the turn's last steps finish (logging, bookkeeping) within this. */
const SETTLE_MS = 1000;

it('traces one Telegram voice-note turn', async () => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // Before anything of paios is loaded, so that every function gets exact call counts.
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  await session.post('Profiler.setSamplingInterval', { interval: 50 });

  const { runVoiceTurns } = await import('./voice-turn.js');
  await runVoiceTurns(async (phase, turn) => {
    if (phase === 'warm-up') return turn();
    await pause(SETTLE_MS);
    await session.post('Profiler.takePreciseCoverage');
    await session.post('Profiler.start');
    const started = performance.now();
    await turn();
    const ms = performance.now() - started;
    await pause(SETTLE_MS);
    const { result } = await session.post('Profiler.takePreciseCoverage');
    const { profile } = await session.post('Profiler.stop');
    const order = firstSeen(profile);
    const during = [...ranFiles(result).values()].map((t) => ({ ...t, firstSeenUs: order.get(t.file) }));
    // As long with nothing asked: what runs anyway (timers, job polling) is marked.
    await pause(ms + SETTLE_MS);
    const idle = ranFiles((await session.post('Profiler.takePreciseCoverage')).result);
    report(during, idle, ms);
  });
  await session.post('Profiler.stopPreciseCoverage');
  session.disconnect();
});

function report(traced: Traced[], idle: Map<string, Traced>, ms: number): void {
  const ordered = traced.sort(
    (a, b) => (a.firstSeenUs ?? Infinity) - (b.firstSeenUs ?? Infinity) || a.file.localeCompare(b.file),
  );
  const row = (t: Traced, i: number) =>
    `${String(i + 1).padStart(3)}. ${t.file.padEnd(66)}${String(lineCount(t.file)).padStart(4)} lines` +
    `${String(t.functions).padStart(4)} fns${String(t.calls).padStart(6)} calls` +
    `${t.firstSeenUs === undefined ? '  (not sampled)' : ''}${idle.has(t.file) ? '  (also runs idle)' : ''}`;
  const groups = KINDS.map((k) => ({
    ...k,
    files: ordered.filter((t) => KINDS.find((x) => x.test.test(t.file)) === k),
  }));
  const lines = [
    `One Telegram voice-note turn (${Math.round(ms)} ms to both answers): ${ordered.length} src/ files ran, in the order first sampled.`,
    ...groups.flatMap((g) => ['', `${g.title}: ${g.files.length} files`, ...g.files.map(row)]),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (process.env.TRACE_JSON) {
    const json = Object.fromEntries(groups.map((g) => [g.kind, g.files.map((t) => t.file)]));
    writeFileSync(process.env.TRACE_JSON, JSON.stringify({ ms, ...json, idle: [...idle.keys()] }, null, 2) + '\n');
  }
}
