import { spawn } from 'node:child_process';
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

  private run(input: Buffer, outputArgs: string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        this.ffmpegPath,
        ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', ...outputArgs, 'pipe:1'],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.timeoutMs);
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new VoiceError(
            e.code === 'ENOENT'
              ? `ffmpeg is not installed (looked for "${this.ffmpegPath}")`
              : `ffmpeg failed: ${e.message}`,
          ),
        );
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) return resolve(Buffer.concat(out));
        reject(
          new VoiceError(
            signal
              ? `ffmpeg timed out after ${this.timeoutMs} ms`
              : `ffmpeg could not convert the audio: ${lastLine(err)}`,
          ),
        );
      });
      // A broken pipe shows up as a non-zero exit with ffmpeg's own message; ignore EPIPE here.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }
}

const lastLine = (s: string) => s.trim().split('\n').pop()?.slice(0, 200) || 'unknown error';
