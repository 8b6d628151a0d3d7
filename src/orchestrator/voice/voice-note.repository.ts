import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';

/** A voice note that could not be transcribed, with its audio read back from disk. */
export interface KeptVoiceNote {
  id: string;
  audioPath: string;
  audioSeconds: number | undefined;
  data: Buffer;
}

/**
 * Voice notes kept so a failed transcription can be retried: the audio under
 * `<dataDir>/voice/<user>/`, and the `voice_interactions` rows marked `untranscribed` that point to it.
 */
@Injectable()
export class VoiceNoteRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  /** Writes the audio of a new voice note and returns where it is kept. */
  async keep(userId: string, filename: string, data: Buffer): Promise<string> {
    const dir = join(this.config.dataDir, 'voice', userId);
    await mkdir(dir, { recursive: true });
    const ext = /\.([A-Za-z0-9]{1,5})$/.exec(filename)?.[1] ?? 'ogg';
    const path = join(dir, `${Date.now()}-${randomUUID().slice(0, 8)}.${ext}`);
    await writeFile(path, data);
    return path;
  }

  /** The person's latest voice note that was not transcribed and whose audio is still there. */
  async lastUntranscribed(userId: string): Promise<KeptVoiceNote | null> {
    const [last] = await this.db.query<{ id: string; audio_path: string; audio_seconds: number | null }[]>(
      `SELECT id, audio_path, audio_seconds FROM voice_interactions
       WHERE user_id = $1 AND execution_status = 'untranscribed' AND audio_path IS NOT NULL
       ORDER BY created_at DESC LIMIT 1`,
      [userId],
    );
    if (!last) return null;
    const data = await readFile(last.audio_path).catch(() => null);
    if (!data) return null;
    return { id: last.id, audioPath: last.audio_path, audioSeconds: last.audio_seconds ?? undefined, data };
  }

  /** The note was heard on a retry: it is no longer waiting. */
  async markRetranscribed(id: string): Promise<void> {
    await this.db.query(`UPDATE voice_interactions SET execution_status = 'retranscribed' WHERE id = $1`, [id]);
  }
}
