import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { returnedRows } from '../../database/query-result.js';
import type { RouteChoice } from '../router/route-decision.js';
import type { LoopState } from './tool-loop.service.js';

/** A clarifying question stays answerable this long; after that a reply is a new request. */
export const PENDING_CHOICE_SECONDS = 15 * 60;

/** A question paios asked in a chat: the request it could not place, and the choices it offered. */
export interface PendingChoice {
  id: string;
  /** The request as the person said it ("bill acme"), re-run against the chosen tool. */
  text: string;
  channelAgent?: number;
  choices: RouteChoice[];
  /** A request for several tools waiting for the person's yes to its next step (no choices then). */
  loop?: LoopState;
}

/**
 * `conversation_state`: per person and chat, the clarifying question waiting for an answer. Kept in
 * the database so that every process (and every `paios chat` run) sees it; expiry by the injected
 * clock. A chat holds one question: asking another replaces it.
 */
@Injectable()
export class ConversationStateRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async keep(userId: string, chat: string, pending: Omit<PendingChoice, 'id'>): Promise<PendingChoice> {
    const kept: PendingChoice = { ...pending, id: randomBytes(9).toString('base64url') };
    const now = this.clock.now();
    const until = new Date(now.getTime() + PENDING_CHOICE_SECONDS * 1000);
    // Questions of this person nobody answered go when the next one is asked (reads ignore them anyway).
    await this.db.query(`DELETE FROM conversation_state WHERE user_id = $1 AND expires_at <= $2`, [userId, now]);
    await this.db.query(
      `INSERT INTO conversation_state (user_id, chat, pending_choice, expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, chat) DO UPDATE
         SET pending_choice = EXCLUDED.pending_choice, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
      [userId, chat, JSON.stringify(kept), until, now],
    );
    return kept;
  }

  /** The open question in this chat, if it has not expired. */
  async pending(userId: string, chat: string): Promise<PendingChoice | undefined> {
    const [row] = await this.db.query<{ pending_choice: PendingChoice | string }[]>(
      `SELECT pending_choice FROM conversation_state WHERE user_id = $1 AND chat = $2 AND expires_at > $3`,
      [userId, chat, this.clock.now()],
    );
    if (!row) return undefined;
    return typeof row.pending_choice === 'string'
      ? (JSON.parse(row.pending_choice) as PendingChoice)
      : row.pending_choice;
  }

  /**
   * Removes the question `id` (or whatever is open, without an id); true when this call removed it,
   * so a choice pressed twice (two devices, a redelivered press) runs once.
   */
  async clear(userId: string, chat: string, id?: string): Promise<boolean> {
    const removed = await this.db.query<unknown[]>(
      `DELETE FROM conversation_state
        WHERE user_id = $1 AND chat = $2 AND ($3::text IS NULL OR pending_choice->>'id' = $3)
        RETURNING 1`,
      [userId, chat, id ?? null],
    );
    return returnedRows(removed).length > 0;
  }
}
