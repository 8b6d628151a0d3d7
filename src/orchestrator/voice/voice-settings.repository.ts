import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** How one person's spoken replies sound (the seed's voice settings). */
export interface VoiceSettings {
  /** A voice of the speech engine (OpenAI: alloy, nova...; espeak-ng: a voice such as en+f3); null: the server's. */
  voice: string | null;
  /** 1 is normal; 0.5 half as fast, 2 twice as fast. */
  speed: number;
  /** Whether a voice note is answered in speech as well as in words. */
  spokenReplies: boolean;
  /** BCP 47 tag such as en or de-DE; null: the engine's default. */
  language: string | null;
}

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = { voice: null, speed: 1, spokenReplies: true, language: null };

interface Row {
  voice: string | null;
  speed: number;
  spoken_replies: boolean;
  language: string | null;
}

/** `voice_settings`: one row per person, written on first change; the defaults until then. */
@Injectable()
export class VoiceSettingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(userId: string): Promise<VoiceSettings> {
    const [row] = await this.db.query<Row[]>(
      `SELECT voice, speed, spoken_replies, language FROM voice_settings WHERE user_id = $1`,
      [userId],
    );
    return row ? toSettings(row) : { ...DEFAULT_VOICE_SETTINGS };
  }

  /** Changes the given fields (null clears voice or language) and returns the whole settings. */
  async update(userId: string, change: Partial<VoiceSettings>): Promise<VoiceSettings> {
    const next = { ...(await this.get(userId)), ...change };
    const [row] = await this.db.query<Row[]>(
      `INSERT INTO voice_settings (user_id, voice, speed, spoken_replies, language, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (user_id) DO UPDATE SET voice = EXCLUDED.voice, speed = EXCLUDED.speed,
         spoken_replies = EXCLUDED.spoken_replies, language = EXCLUDED.language, updated_at = now()
       RETURNING voice, speed, spoken_replies, language`,
      [userId, next.voice, next.speed, next.spokenReplies, next.language],
    );
    return toSettings(row!);
  }
}

function toSettings(row: Row): VoiceSettings {
  return {
    voice: row.voice,
    // REAL holds 1.1 as 1.100000023841858: two decimals are what anyone sets.
    speed: Math.round(Number(row.speed) * 100) / 100,
    spokenReplies: row.spoken_replies,
    language: row.language,
  };
}
