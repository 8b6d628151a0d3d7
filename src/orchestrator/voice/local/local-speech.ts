import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AudioInput, SpeechToText, type TranscriptionHints, type Transcript, VoiceError } from '../speech.port.js';
import { buildGrammar, type GrammarSource, grammarWords } from './command-grammar.js';
import { COMMAND_BEAMS, type Decoded, runPocketsphinx } from './pocketsphinx.runner.js';
import { decodeOpus, isOgg } from './opus-decoder.js';
import { Pronunciations } from './pronunciations.js';
import { wordsToNumbers } from './spoken-numbers.js';

export interface LocalSpeechOptions {
  /** `pocketsphinx_continuous` (Debian's pocketsphinx package). */
  binary: string;
  /** An acoustic model folder with `en-us/`, `en-us.lm.bin` and `cmudict-en-us.dict` (pocketsphinx-en-us). */
  modelDir: string;
  espeakPath: string;
  /** opus-tools' opusdec, the fast path for OGG/Opus notes (ffmpeg otherwise). */
  opusdecPath?: string;
}

interface LocalModel {
  hmm: string[];
  phones: string[];
  openModel: string[];
  defaultMean: string;
}

/** The 39 phones of the model as one-phone words: a loop of them scores any speech at all. */
const PHONES = 'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH';

/**
 * How much worse per 10 ms frame the command path may score than free phones for a confidence of 0.5
 * (STT_CONFIDENCE's default): set from `npm run eval:voice`, where it asks back about one note in six
 * and lets through almost no wrong one.
 */
const GAP_PER_FRAME_AT_HALF = 9;

/** Only the cepstral mean is wanted from this pass: the least search pocketsphinx will do. */
const MEAN_ONLY = ['-ds', '4', '-beam', '1e-2', '-pbeam', '1e-2', '-wbeam', '1e-1', '-maxhmmpf', '5'];

/** Confidence from the grammar path's score and the free phone loop's score over the same frames. */
export function confidenceOf(command: Decoded, phones: Decoded): number {
  if (command.score === null) return 0;
  if (phones.score === null || command.frames === 0) return 0.5;
  const gap = Math.max(0, (phones.score - command.score) / command.frames);
  return Math.round((1 / (1 + (gap / GAP_PER_FRAME_AT_HALF) ** 2)) * 1000) / 1000;
}

/**
 * Speech-to-text on this machine, no network: pocketsphinx with a JSGF grammar of every tool's
 * example utterances and the person's own names (clients, projects, agents), rebuilt whenever those
 * change. A free phone loop decoded beside it says how well the command fits (the confidence); when
 * no command fits, the open language model gives its best reading at low confidence.
 */
export class LocalSpeechToText extends SpeechToText {
  readonly provider = 'local';
  private readonly dir = mkdtempSync(join(tmpdir(), 'paios-stt-'));
  private readonly pronunciations: Pronunciations;
  private readonly grammars = new Map<string, Promise<string[]>>();
  private prepared?: Promise<LocalModel>;

  constructor(
    private readonly options: LocalSpeechOptions,
    private readonly toWav16k: (audio: AudioInput) => Promise<Buffer>,
    private readonly source: (hints: TranscriptionHints) => Promise<GrammarSource>,
  ) {
    super();
    this.pronunciations = new Pronunciations(join(options.modelDir, 'cmudict-en-us.dict'), options.espeakPath);
  }

  async transcribe(audio: AudioInput, hints: TranscriptionHints = {}): Promise<Transcript> {
    const wavPath = join(this.dir, `${process.pid}-${process.hrtime.bigint()}.wav`);
    try {
      const [bytes, grammar, model] = await Promise.all([
        this.decode(audio, wavPath),
        this.source(hints).then((s) => this.grammar(s)),
        this.model(),
      ]);
      const run = (args: string[]) => runPocketsphinx(this.options.binary, wavPath, [...model.hmm, ...args]);
      // The model starts from a fixed cepstral mean, so the first words of a short note are heard as
      // noise. A near-free pass (no real search, every fourth frame) measures this note's own mean;
      // then the command grammar and free phones (the yardstick of the confidence) run side by side.
      const measured = await run([...model.phones, ...MEAN_ONLY, '-cmninit', model.defaultMean]);
      const mean = ['-cmninit', measured.cepstralMean ?? model.defaultMean];
      const [command, phones] = await Promise.all([
        run([...grammar, ...COMMAND_BEAMS, ...mean]),
        run([...model.phones, ...mean]),
      ]);
      const durationSeconds = Math.round(Math.max(0, bytes - 44) / 320) / 100;
      if (command.text) {
        const confidence = confidenceOf(command, phones);
        return { text: wordsToNumbers(command.text), confidence, durationSeconds, language: 'en' };
      }
      const open = await run([...model.openModel, ...mean]);
      // Words outside every command: shown back to the person, never acted on without asking.
      return { text: wordsToNumbers(open.text), confidence: open.text ? 0.1 : 0, durationSeconds, language: 'en' };
    } finally {
      rmSync(wavPath, { force: true });
    }
  }

  /** Writes the note as a 16 kHz mono WAV file and returns its size in bytes. */
  private async decode(audio: AudioInput, wavPath: string): Promise<number> {
    if (this.options.opusdecPath && isOgg(audio.data)) {
      const done = await decodeOpus(this.options.opusdecPath, audio.data, wavPath).then(
        () => true,
        () => false,
      );
      if (done) return (await stat(wavPath)).size;
    }
    const wav = await this.toWav16k(audio);
    await writeFile(wavPath, wav);
    return wav.length;
  }

  /** Removes the grammar files. */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The pocketsphinx arguments of the grammar for `source`, written once per distinct source. */
  private grammar(source: GrammarSource): Promise<string[]> {
    const key = createHash('sha1')
      .update(JSON.stringify([source.phrases, [...source.names].sort()]))
      .digest('hex')
      .slice(0, 16);
    let made = this.grammars.get(key);
    if (!made) {
      made = this.write(key, source);
      made.catch(() => this.grammars.delete(key));
      // A few people's vocabularies stay ready; the oldest goes first.
      if (this.grammars.size >= 32) this.grammars.delete(this.grammars.keys().next().value!);
      this.grammars.set(key, made);
    }
    return made;
  }

  private async write(key: string, source: GrammarSource): Promise<string[]> {
    const { lines, unknown } = await this.pronunciations.lines(grammarWords(source));
    const missing = new Set(unknown);
    const gram = join(this.dir, `${key}.gram`);
    const dict = join(this.dir, `${key}.dict`);
    await writeFile(
      gram,
      buildGrammar(source, (w) => !missing.has(w)),
    );
    await writeFile(dict, `${lines.join('\n')}\n`);
    return ['-jsgf', gram, '-dict', dict];
  }

  /**
   * The acoustic model as a folder of links whose feat.params leaves out the fixed cepstral mean
   * (pocketsphinx lets the model's file win over `-cmninit`), and the free phone loop.
   */
  private model(): Promise<LocalModel> {
    this.prepared ??= (async () => {
      const source = join(this.options.modelDir, 'en-us');
      const hmm = join(this.dir, 'hmm');
      await mkdir(hmm, { recursive: true });
      const params = await readFile(join(source, 'feat.params'), 'utf8').catch(() => {
        throw new VoiceError(
          `the speech model is not installed (looked in "${this.options.modelDir}"): install pocketsphinx-en-us`,
        );
      });
      for (const file of await readdir(source))
        if (file !== 'feat.params') await symlink(join(source, file), join(hmm, file));
      await writeFile(join(hmm, 'feat.params'), params.replace(/^-cmninit .*$/m, ''));
      const defaultMean = /^-cmninit (\S+)/m.exec(params)?.[1] ?? '40,3,-1';
      const words = PHONES.split(' ').map((p) => `ph_${p.toLowerCase()}`);
      const gram = join(this.dir, 'phones.gram');
      const dict = join(this.dir, 'phones.dict');
      await writeFile(gram, `#JSGF V1.0;\ngrammar phones;\npublic <loop> = (${words.join(' | ')})+;\n`);
      await writeFile(
        dict,
        `${PHONES.split(' ')
          .map((p) => `ph_${p.toLowerCase()} ${p}`)
          .join('\n')}\n`,
      );
      return {
        hmm: ['-hmm', hmm],
        phones: ['-jsgf', gram, '-dict', dict],
        openModel: [
          '-lm',
          join(this.options.modelDir, 'en-us.lm.bin'),
          '-dict',
          join(this.options.modelDir, 'cmudict-en-us.dict'),
        ],
        defaultMean,
      };
    })();
    this.prepared.catch(() => (this.prepared = undefined));
    return this.prepared;
  }
}
