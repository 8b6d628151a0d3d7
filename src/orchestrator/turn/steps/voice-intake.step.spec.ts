import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { InteractionRepository } from '../../executor/interaction.repository.js';
import { VoiceError } from '../../voice/speech.port.js';
import type { KeptVoiceNote, VoiceNoteRepository } from '../../voice/voice-note.repository.js';
import type { VoiceService } from '../../voice/voice.service.js';
import { fakeTurn } from '../turn-context.fake.js';
import { VoiceIntakeStep } from './voice-intake.step.js';

Logger.overrideLogger(false);

const NOTE = Buffer.from('OggS voice');
/** A voice note as the chat gateway hands it on: fetched, or `null` when the platform refused it. */
const audio = (data: Buffer | null = NOTE) => ({
  data,
  mimeType: 'audio/ogg',
  filename: 'voice/file_12.oga',
  durationSeconds: 3,
});

function setup(
  hear: (data: Buffer) => string | Error | { text: string; confidence: number },
  kept: KeptVoiceNote | null = null,
) {
  const heard: Buffer[] = [];
  const stored: { userId: string; filename: string }[] = [];
  const recorded: { status: string; responseText: string | null; audioPath?: string }[] = [];
  const retranscribed: string[] = [];
  const voice = {
    transcribe: async (a: { data: Buffer }) => {
      heard.push(a.data);
      const said = hear(a.data);
      if (said instanceof Error) throw said;
      return typeof said === 'string' ? { text: said, transcriptionMs: 12 } : { ...said, transcriptionMs: 12 };
    },
    confirmBelow: 0.5,
  } as unknown as VoiceService;
  const notes = {
    keep: async (userId: string, filename: string) => (stored.push({ userId, filename }), '/data/voice/user-1/1.oga'),
    lastUntranscribed: async () => kept,
    markRetranscribed: async (id: string) => void retranscribed.push(id),
  } as unknown as VoiceNoteRepository;
  const interactions = {
    record: async (row: { status: string; responseText: string | null; origin?: { audioPath?: string } }) => {
      recorded.push({ status: row.status, responseText: row.responseText, audioPath: row.origin?.audioPath });
      return 'row-1';
    },
  } as unknown as InteractionRepository;
  return { step: new VoiceIntakeStep(voice, notes, interactions), heard, stored, recorded, retranscribed };
}

describe('VoiceIntakeStep', () => {
  it('asks "did you mean ...?" about words heard below the confidence, runs nothing, and keeps the note', async () => {
    const { step, stored, recorded } = setup(() => ({ text: 'list my clients', confidence: 0.3 }));
    const t = fakeTurn({ audio: audio() });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(0);
    expect(t.ctx.reply?.text).toContain('Did you mean "list my clients"?');
    expect(t.ctx.reply?.buttons).toEqual([{ label: 'Yes', value: 'list my clients', style: 'primary' }]);
    expect(stored).toHaveLength(1);
    expect(recorded).toEqual([expect.objectContaining({ status: 'clarify', audioPath: '/data/voice/user-1/1.oga' })]);
  });

  it('goes ahead with words heard at or above the confidence', async () => {
    const { step } = setup(() => ({ text: 'list my clients', confidence: 0.5 }));
    const t = fakeTurn({ audio: audio() });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(1);
    expect(t.ctx.text).toBe('list my clients');
  });

  it('hands typed words on as they are', async () => {
    const { step, heard } = setup(() => 'unused');
    const t = fakeTurn({ text: '  #91 add 2 3 ' });
    await step.run(t.ctx, t.next);
    expect(heard).toEqual([]);
    expect(t.ctx.text).toBe('#91 add 2 3');
    expect(t.nextCalls()).toBe(1);
  });

  it('keeps a voice note, transcribes it, and hands on the words as spoken input', async () => {
    const { step, heard, stored } = setup(() => 'add two and three');
    const t = fakeTurn({ audio: audio() });
    await step.run(t.ctx, t.next);
    expect(t.activity).toEqual(['transcribing']);
    expect(heard).toEqual([NOTE]);
    expect(stored).toEqual([{ userId: 'user-1', filename: 'voice/file_12.oga' }]);
    expect(t.ctx.text).toBe('add two and three');
    expect(t.ctx.origin).toMatchObject({
      inputKind: 'voice',
      audioPath: '/data/voice/user-1/1.oga',
      audioSeconds: 3,
      transcriptionMs: 12,
    });
    expect(t.nextCalls()).toBe(1);
  });

  it('says it could not transcribe, keeps the recording and records it for a retry', async () => {
    const { step, recorded } = setup(() => new VoiceError('the speech server is down'));
    const t = fakeTurn({ audio: audio() });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(0);
    expect(t.ctx.outcome).toBe('untranscribed');
    expect(t.ctx.reply!.text).toBe(
      'I could not transcribe your voice note (the speech server is down). I kept the recording: say "retry voice note" to try again.',
    );
    expect(recorded).toEqual([
      {
        status: 'untranscribed',
        responseText: 'not transcribed: the speech server is down',
        audioPath: '/data/voice/user-1/1.oga',
      },
    ]);
  });

  it('says so when a voice note holds no words', async () => {
    const { step } = setup(() => '');
    const t = fakeTurn({ audio: audio() });
    await step.run(t.ctx, t.next);
    expect(t.ctx.outcome).toBe('untranscribed');
    expect(t.ctx.reply!.text).toMatch(/could not make out any words/);
  });

  it('asks for the note again when the platform would not hand it over', async () => {
    const { step, stored } = setup(() => 'unused');
    const t = fakeTurn({ audio: audio(null) });
    await step.run(t.ctx, t.next);
    expect(stored).toEqual([]);
    expect(t.ctx.reply!.text).toMatch(/could not download that voice note/);
  });

  it('transcribes the kept note again on "retry voice note" and marks it heard', async () => {
    const kept = { id: 'row-9', audioPath: '/data/voice/user-1/0.oga', audioSeconds: 2, data: NOTE };
    const { step, retranscribed } = setup(() => 'add two and three', kept);
    const t = fakeTurn({ text: 'retry voice note' });
    await step.run(t.ctx, t.next);
    expect(retranscribed).toEqual(['row-9']);
    expect(t.ctx.text).toBe('add two and three');
    expect(t.ctx.origin).toMatchObject({ inputKind: 'voice', audioPath: '/data/voice/user-1/0.oga' });
    expect(t.nextCalls()).toBe(1);
  });

  it('says there is nothing to retry when no note waits', async () => {
    const { step } = setup(() => 'unused');
    const t = fakeTurn({ text: 'try again' });
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply!.text).toBe('There is no voice note of yours waiting to be transcribed again.');
    expect(t.nextCalls()).toBe(0);
  });

  it('answers an empty message instead of handing it on', async () => {
    const { step } = setup(() => 'unused');
    const t = fakeTurn({ text: '   ' });
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply!.text).toMatch(/^I got an empty message/);
    expect(t.nextCalls()).toBe(0);
  });
});
