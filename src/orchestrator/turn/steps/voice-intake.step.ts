import { Injectable, Logger } from '@nestjs/common';
import { InteractionRepository } from '../../executor/interaction.repository.js';
import { VoiceError } from '../../voice/speech.port.js';
import { VoiceNoteRepository } from '../../voice/voice-note.repository.js';
import { VoiceService } from '../../voice/voice.service.js';
import { answer, type Next, type TurnContext, type TurnStep, showActivity, userOf } from '../turn.context.js';

const RETRY_VOICE = /^(retry|try again)(\s+(that|the|my)?\s*(voice( note)?|recording))?[.!]?$/i;

type Heard = { text: string; unsure?: boolean } | { failure: string };

/**
 * Turns what was sent into words: a voice note is kept on disk and transcribed; "retry voice note"
 * transcribes the last one that failed. A note that cannot be heard is answered as such (and kept),
 * never as if nothing had been said; an empty message is answered too.
 */
@Injectable()
export class VoiceIntakeStep implements TurnStep {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly voice: VoiceService,
    private readonly notes: VoiceNoteRepository,
    private readonly interactions: InteractionRepository,
  ) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    if (ctx.msg.audio) {
      await showActivity(ctx, 'transcribing');
      const heard = await this.transcribeNew(ctx);
      if ('failure' in heard) return answer(ctx, { text: heard.failure }, 'untranscribed');
      if (heard.unsure) return this.askBack(ctx, heard.text);
      ctx.text = heard.text;
    } else if (RETRY_VOICE.test(ctx.text)) {
      const heard = await this.retryLast(ctx);
      if (heard === null)
        return answer(ctx, { text: 'There is no voice note of yours waiting to be transcribed again.' });
      if ('failure' in heard) return answer(ctx, { text: heard.failure }, 'untranscribed');
      ctx.origin.inputKind = 'voice';
      if (heard.unsure) return this.askBack(ctx, heard.text);
      ctx.text = heard.text;
    }
    if (!ctx.text) return answer(ctx, { text: 'I got an empty message. Try `/paios help` to see what I can do.' });
    await next();
  }

  private async transcribeNew(ctx: TurnContext): Promise<Heard> {
    const { data, ...audio } = ctx.msg.audio!;
    if (!data) return { failure: 'I could not download that voice note from the platform. Please send it again.' };
    ctx.origin.audioPath = await this.notes.keep(userOf(ctx).id, audio.filename, data);
    ctx.origin.audioSeconds = audio.durationSeconds;
    return this.transcribe(ctx, { data, mimeType: audio.mimeType, filename: audio.filename });
  }

  private async retryLast(ctx: TurnContext): Promise<Heard | null> {
    const last = await this.notes.lastUntranscribed(userOf(ctx).id);
    if (!last) return null;
    ctx.origin.audioPath = last.audioPath;
    ctx.origin.audioSeconds = last.audioSeconds;
    const heard = await this.transcribe(ctx, { data: last.data, mimeType: 'audio/ogg', filename: last.audioPath });
    if ('text' in heard) await this.notes.markRetranscribed(last.id);
    return heard;
  }

  private async transcribe(
    ctx: TurnContext,
    audio: { data: Buffer; mimeType: string; filename: string },
  ): Promise<Heard> {
    const started = performance.now();
    try {
      const transcript = await this.voice.transcribe(audio, { userId: userOf(ctx).id });
      ctx.origin.transcriptionMs = transcript.transcriptionMs;
      ctx.origin.audioSeconds ??= transcript.durationSeconds;
      if (transcript.text)
        return { text: transcript.text, unsure: (transcript.confidence ?? 1) < this.voice.confirmBelow };
      await this.recordUntranscribed(ctx, performance.now() - started, 'nothing recognisable was said');
      return { failure: 'I could not make out any words in that voice note. Could you say it again, or type it?' };
    } catch (err) {
      const reason = err instanceof VoiceError ? err.message : 'the transcription failed';
      if (!(err instanceof VoiceError)) this.logger.error(`transcription failed: ${String(err)}`);
      await this.recordUntranscribed(ctx, performance.now() - started, reason);
      return {
        failure: `I could not transcribe your voice note (${reason}). I kept the recording: say "retry voice note" to try again.`,
      };
    }
  }

  /**
   * The engine is not sure of what it heard (local speech-to-text far from any known command): nothing
   * runs; the person confirms with one press, or says it again.
   */
  private async askBack(ctx: TurnContext, heard: string): Promise<void> {
    const question = `I am not sure I heard that right. Did you mean "${heard}"? Press Yes to go ahead, or say it again.`;
    await this.interactions.record({
      userId: userOf(ctx).id,
      agentId: null,
      commandText: heard,
      responseText: question,
      status: 'clarify',
      executionTimeMs: ctx.origin.transcriptionMs ?? 0,
      origin: ctx.origin,
    });
    answer(ctx, { text: question, buttons: [{ label: 'Yes', value: heard, style: 'primary' }] });
  }

  private async recordUntranscribed(ctx: TurnContext, ms: number, reason: string): Promise<void> {
    await this.interactions.record({
      userId: userOf(ctx).id,
      agentId: null,
      commandText: '(voice note)',
      responseText: `not transcribed: ${reason}`,
      status: 'untranscribed',
      executionTimeMs: ms,
      origin: ctx.origin,
    });
  }
}
