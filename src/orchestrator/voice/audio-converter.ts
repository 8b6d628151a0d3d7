import { runProgram } from './run-program.js';
import { VoiceError } from './speech.port.js';

/**
 * ffmpeg through pipes: bytes in, bytes out, nothing written to disk. Used where a format needs it
 * (espeak-ng's WAV to OGG/Opus, containers a transcription API does not take).
 */
export class AudioConverter {
  constructor(
    private readonly ffmpegPath: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Any audio ffmpeg reads -> OGG/Opus mono 48 kHz (Telegram voice notes, Discord voice messages). */
  toOggOpus(input: Buffer): Promise<Buffer> {
    return this.run(input, ['-c:a', 'libopus', '-b:a', '32k', '-ac', '1', '-ar', '48000', '-f', 'ogg']);
  }

  /** Any audio -> 16 kHz mono WAV, which every speech-to-text engine reads. */
  toWav16k(input: Buffer): Promise<Buffer> {
    return this.run(input, ['-ac', '1', '-ar', '16000', '-f', 'wav']);
  }

  private async run(input: Buffer, outputArgs: string[]): Promise<Buffer> {
    const run = await runProgram(
      this.ffmpegPath,
      ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', ...outputArgs, 'pipe:1'],
      {
        name: 'ffmpeg',
        missing: `ffmpeg is not installed (looked for "${this.ffmpegPath}")`,
        timeoutMs: this.timeoutMs,
        input,
      },
    );
    if (run.code === 0) return run.stdout;
    throw new VoiceError(
      run.signal
        ? `ffmpeg timed out after ${this.timeoutMs} ms`
        : `ffmpeg could not convert the audio: ${lastLine(run.stderr)}`,
    );
  }
}

const lastLine = (s: string) => s.trim().split('\n').pop()?.slice(0, 200) || 'unknown error';
