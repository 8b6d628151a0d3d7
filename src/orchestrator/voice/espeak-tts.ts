import { execFile } from 'node:child_process';
import type { AudioConverter } from './audio-converter.js';
import { type SpeakOptions, type SpeechAudio, TextToSpeech, VoiceError } from './speech.port.js';

/** espeak-ng's words per minute at speed 1. */
const WORDS_PER_MINUTE = 165;

/** Local speech with espeak-ng (WAV on stdout), turned into OGG/Opus by ffmpeg. No network. */
export class EspeakTextToSpeech extends TextToSpeech {
  readonly provider = 'espeak';

  constructor(
    private readonly espeakPath: string,
    private readonly converter: AudioConverter,
  ) {
    super();
  }

  async synthesize(text: string, options: SpeakOptions = {}): Promise<SpeechAudio> {
    const rate = Math.round(WORDS_PER_MINUTE * (options.speed ?? 1));
    // espeak-ng names its voices by language (en, de, en-gb) with variants (en+f3).
    const voice = options.voice ?? options.language?.toLowerCase();
    const wav = await new Promise<Buffer>((resolve, reject) => {
      execFile(
        this.espeakPath,
        ['--stdout', '-s', String(rate), ...(voice ? ['-v', voice] : []), '--', text.slice(0, 4000)],
        { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 30_000 },
        (err, stdout) => {
          if (!err) return resolve(stdout);
          const code = (err as NodeJS.ErrnoException).code;
          reject(
            new VoiceError(
              code === 'ENOENT'
                ? `espeak-ng is not installed (looked for "${this.espeakPath}")`
                : `espeak-ng failed: ${err.message}`,
            ),
          );
        },
      );
    });
    return { data: await this.converter.toOggOpus(wav), mimeType: 'audio/ogg', filename: 'reply.ogg' };
  }
}
