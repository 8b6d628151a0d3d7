// Local speech-to-text benchmark on the built code in dist/: one 3-second spoken command (espeak-ng,
// OGG/Opus as Telegram sends it) heard again and again by pocketsphinx with a grammar of every built-in
// tool's examples (read from the built agents' definitions, no database), as STT_PROVIDER=local does.
// Prints wall p50/p99 per note and the machine's load, since on a busy machine wall time is mostly waiting.
//   npm run bench            (BENCH_VOICE_NOTES=20 by default)
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { AudioConverter } from '../dist/orchestrator/voice/audio-converter.js';
import { LocalSpeechToText } from '../dist/orchestrator/voice/local/local-speech.js';
import { parseConfig } from '../dist/config/config.schema.js';

const NOTES = Number(process.env.BENCH_VOICE_NOTES ?? 20);
const SENTENCE = 'invoice Northwind for ten hours at one hundred fifty';
const config = parseConfig({ NODE_ENV: 'production', ...process.env }, 'bench').voice;

// The examples of every built-in tool, as the registry's catalog would list them.
const examples = [];
for (const module of [
  '../dist/agents/business-intelligence/tools/project.tools.js',
  '../dist/agents/business-intelligence/tools/revenue.tools.js',
  '../dist/agents/business-intelligence/tools/digest.tools.js',
  '../dist/agents/invoicing/tools/client.tools.js',
  '../dist/agents/invoicing/tools/invoice.tools.js',
  '../dist/agents/password-vault/tools/vault.tools.js',
  '../dist/agents/password-vault/tools/generate.tool.js',
  '../dist/agents/system-architecture/tools/architecture.tools.js',
]) {
  const mod = await import(module);
  for (const make of Object.values(mod)) {
    if (typeof make !== 'function') continue;
    try {
      const tools = make(...Array(4).fill(undefined));
      for (const t of [tools].flat()) if (Array.isArray(t?.examples)) examples.push(...t.examples);
    } catch {
      // a factory that needs real services: its examples are not needed for a timing
    }
  }
}

const wav = execFileSync('espeak-ng', ['--stdout', '-v', 'en-us', '-s', '165', SENTENCE]);
const note = execFileSync(
  'ffmpeg',
  ['-loglevel', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-f', 'ogg', 'pipe:1'],
  { input: wav },
);
const seconds = (wav.length - 44) / 2 / 22050;
const converter = new AudioConverter(config.ffmpegPath);
const stt = new LocalSpeechToText(
  {
    binary: config.stt.pocketsphinxPath,
    modelDir: config.stt.modelDir,
    espeakPath: config.espeakPath,
    opusdecPath: config.stt.opusdecPath,
  },
  (audio) => converter.toWav16k(audio.data),
  async () => ({ phrases: examples, names: ['Northwind', 'Contoso'] }),
);
const audio = { data: note, mimeType: 'audio/ogg', filename: 'voice.oga' };
try {
  let t0 = performance.now();
  const first = await stt.transcribe(audio);
  const cold = performance.now() - t0;
  const times = [];
  for (let i = 0; i < NOTES; i++) {
    t0 = performance.now();
    await stt.transcribe(audio);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))].toFixed(0);
  console.log(
    `local speech-to-text: a ${seconds.toFixed(1)} s note (${examples.length} example sentences) heard as ` +
      `"${first.text}" (confidence ${first.confidence}); cold ${cold.toFixed(0)} ms, then p50 ${pct(50)} ms, ` +
      `p99 ${pct(99)} ms over ${NOTES} notes (load average ${loadavg()[0].toFixed(1)})`,
  );
} finally {
  stt.close();
}
