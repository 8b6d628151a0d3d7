import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';

/** Ogg (Telegram's .oga, Discord's voice messages) by its magic bytes. */
export const isOgg = (data: Buffer): boolean => data.subarray(0, 4).toString('latin1') === 'OggS';

/**
 * OGG/Opus -> 16 kHz mono WAV file with opus-tools' `opusdec`: a fifth of ffmpeg's start-up cost,
 * which counts when the whole note must be understood in half a second. Rejects when opusdec is
 * missing or the file is not Opus, so the caller can fall back to ffmpeg.
 */
export async function decodeOpus(opusdecPath: string, data: Buffer, wavPath: string): Promise<void> {
  const oggPath = `${wavPath}.ogg`;
  await writeFile(oggPath, data);
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(opusdecPath, ['--quiet', '--rate', '16000', oggPath, wavPath], { timeout: 30_000 }, (err) =>
        err ? reject(new Error(err.message)) : resolve(),
      );
    });
  } finally {
    await rm(oggPath, { force: true });
  }
}
