import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { returnedRows } from '../../database/query-result.js';
import type { Referents, RememberedCall } from './referents.js';

/** How long a conversation remembers a turn: after half an hour of quiet, "them" means nobody. */
export const CONVERSATION_MEMORY_SECONDS = 30 * 60;
/** How many turns a conversation keeps. */
export const CONVERSATION_TURNS_KEPT = 20;
/** A result bigger than this is kept as its answer's words only. */
const RESULT_BYTES_KEPT = 16 * 1024;

/** Said in place of a sensitive turn's words and answer. */
export const WITHHELD_TURN = '(withheld)';

export interface TurnRecord {
  said: string;
  reply: string;
  /** The tool call the words became, if one ran. */
  call?: RememberedCall;
  /** Its result data (kept when small). */
  result?: unknown;
  referents: Referents;
  /** Kept as that a turn happened, never what it said (vault answers, `AgentResponse.sensitive`). */
  sensitive: boolean;
}

export interface RememberedTurn extends TurnRecord {
  at: Date;
}

interface Row {
  said: string;
  reply: string | null;
  agent_number: number | null;
  tool: string | null;
  parameters: Record<string, unknown> | string | null;
  result: unknown;
  referents: Referents | string;
  sensitive: boolean;
  created_at: Date;
}

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * `conversation_turns`: the recent turns of one person's conversation (a chat, or a thread of one),
 * tool calls and results included, for pointing back ("send it") and for whoever reads the history
 * next (an LLM). Per user, never across users; expiry by the injected clock.
 */
@Injectable()
export class ConversationHistoryRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(userId: string, conversation: string, turn: TurnRecord): Promise<void> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + CONVERSATION_MEMORY_SECONDS * 1000);
    const hidden = turn.sensitive;
    const result = hidden || turn.result === undefined ? null : JSON.stringify(turn.result);
    await this.db.query(
      `INSERT INTO conversation_turns
         (user_id, conversation, said, reply, agent_number, tool, parameters, result, referents, sensitive, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        userId,
        conversation,
        hidden ? WITHHELD_TURN : turn.said,
        hidden ? WITHHELD_TURN : turn.reply,
        turn.call?.agentNumber ?? null,
        turn.call?.tool ?? null,
        hidden || !turn.call ? null : JSON.stringify(turn.call.parameters),
        result && result.length <= RESULT_BYTES_KEPT ? result : null,
        JSON.stringify(hidden ? {} : turn.referents),
        hidden,
        now,
        until,
      ],
    );
    // A conversation forgets after a quiet spell, not while it goes on: its live turns last as long as this one.
    await this.db.query(
      `UPDATE conversation_turns SET expires_at = $4 WHERE user_id = $1 AND conversation = $2 AND expires_at > $3`,
      [userId, conversation, now, until],
    );
    // Forgotten: this person's expired turns, and whatever this conversation holds beyond its last turns.
    await this.db.query(`DELETE FROM conversation_turns WHERE user_id = $1 AND expires_at <= $2`, [userId, now]);
    await this.db.query(
      `DELETE FROM conversation_turns WHERE user_id = $1 AND conversation = $2 AND id NOT IN (
         SELECT id FROM conversation_turns WHERE user_id = $1 AND conversation = $2
          ORDER BY id DESC LIMIT $3)`,
      [userId, conversation, CONVERSATION_TURNS_KEPT],
    );
  }

  /** The turns of this conversation that have not expired, newest first. */
  async recent(userId: string, conversation: string, limit = CONVERSATION_TURNS_KEPT): Promise<RememberedTurn[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT said, reply, agent_number, tool, parameters, result, referents, sensitive, created_at
         FROM conversation_turns
        WHERE user_id = $1 AND conversation = $2 AND expires_at > $3
        ORDER BY id DESC LIMIT $4`,
      [userId, conversation, this.clock.now(), limit],
    );
    return rows.map((r) => {
      const parameters = json(r.parameters);
      return {
        said: r.said,
        reply: r.reply ?? '',
        call:
          r.agent_number !== null && r.tool !== null
            ? { agentNumber: r.agent_number, tool: r.tool, parameters: parameters ?? {} }
            : undefined,
        result: json(r.result as string | null) ?? undefined,
        referents: json(r.referents) ?? {},
        sensitive: r.sensitive,
        at: new Date(r.created_at),
      };
    });
  }

  /** Removes every expired turn (of people who said nothing since); the hourly memory clean-up calls it. */
  async pruneExpired(): Promise<number> {
    const removed = await this.db.query<unknown[]>(
      `DELETE FROM conversation_turns WHERE expires_at <= $1 RETURNING 1`,
      [this.clock.now()],
    );
    return returnedRows(removed).length;
  }
}
