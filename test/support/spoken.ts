import { execFileSync } from 'node:child_process';

/**
 * `text` spoken by espeak-ng and encoded by ffmpeg as OGG/Opus mono 48 kHz: a voice note as Telegram
 * clients record it, made on the spot instead of kept as a fixture.
 */
export function spokenNote(text: string, voice = 'en-us', wordsPerMinute = 165): Buffer {
  const wav = execFileSync('espeak-ng', ['--stdout', '-v', voice, '-s', String(wordsPerMinute), text]);
  return execFileSync(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-i',
      'pipe:0',
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
      'pipe:1',
    ],
    { input: wav },
  );
}
