import { runProgram } from '../run-program.js';
import { VoiceError } from '../speech.port.js';

/** What one pocketsphinx pass heard: the words, the path score and the length in frames (10 ms). */
export interface Decoded {
  text: string;
  /** Log score of the best path (pocketsphinx's scale; higher is better); null when nothing was heard. */
  score: number | null;
  frames: number;
  /** The cepstral mean it measured over the audio ("62.2,-4.1,..."): a better start for the next pass. */
  cepstralMean?: string;
}

/**
 * Beams of the command pass: wider than pocketsphinx's defaults, which prune the right path of a
 * fast command away, and narrow enough for a 3 s note in a fraction of a second.
 */
export const COMMAND_BEAMS = ['-beam', '1e-60', '-pbeam', '1e-60', '-wbeam', '1e-40'];

/**
 * Runs Debian's `pocketsphinx_continuous` over one 16 kHz WAV file with the given search (a JSGF
 * grammar or a language model) and reads the hypothesis and its score from what it prints.
 */
export async function runPocketsphinx(
  binary: string,
  wavPath: string,
  args: string[],
  timeoutMs = 20_000,
): Promise<Decoded> {
  const run = await runProgram(binary, ['-infile', wavPath, '-backtrace', 'yes', ...args], {
    name: 'pocketsphinx',
    missing: `pocketsphinx is not installed (looked for "${binary}"): install pocketsphinx and pocketsphinx-en-us, or set STT_BASE_URL or OPENAI_API_KEY`,
    timeoutMs,
  });
  if (run.signal) throw new VoiceError(`pocketsphinx timed out after ${timeoutMs} ms`);
  if (run.code !== 0) throw new VoiceError(`pocketsphinx could not read the audio: ${lastError(run.stderr)}`);
  return parseOutput(run.stdout.toString(), run.stderr);
}

/** The hypothesis lines (one per segment it heard) and their scores, summed over segments. */
export function parseOutput(stdout: string, log: string): Decoded {
  let score: number | null = null;
  let frames = 0;
  for (const m of log.matchAll(/\): (\d+) frames, /g)) frames += Number(m[1]);
  for (const m of log.matchAll(/pocketsphinx\.c\(\d+\): (.*) \((-?\d+)\)$/gm))
    if (m[1]!.trim()) score = (score ?? 0) + Number(m[2]);
  const mean = [...log.matchAll(/Update to\s+<([^>]+)>/g)].pop()?.[1]?.trim().split(/\s+/).join(',');
  const text = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(INFO|WARN|ERROR|FATAL)/.test(l))
    .join(' ')
    .replace(/\(\d+\)/g, '')
    .trim();
  return { text, score: text ? score : null, frames, ...(mean ? { cepstralMean: mean } : {}) };
}

const lastError = (log: string) =>
  log
    .split('\n')
    .filter((l) => /^(ERROR|FATAL)/.test(l))
    .pop()
    ?.slice(0, 200) ?? 'unknown error';
