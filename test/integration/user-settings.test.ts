import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import type { InboundMessage, Reply } from '../../src/adapters/chat.contract.js';
import { ChatGateway } from '../../src/adapters/core/chat-gateway.service.js';
import { PairingService } from '../../src/orchestrator/identity/pairing.service.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { voiceSettingsSchema } from '../../src/api/voice/voice.schemas.js';
import { ZodValidationPipe } from '../../src/api/common/zod-validation.pipe.js';
import { commandLineUser, NO_OWNER } from '../../src/cli/owner.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { AgentsService } from '../../src/orchestrator/registry/agents.service.js';
import { VoiceSettingsRepository } from '../../src/orchestrator/voice/voice-settings.repository.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiAudioFake } from '../fakes/openai.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';

const SPOKEN = readFileSync(join(process.cwd(), 'test/fixtures/audio/five.ogg'));
const VOICE_NOTE = readFileSync(join(process.cwd(), 'test/fixtures/audio/add-two-and-three.ogg'));

describe('agents, voice settings and the owner, per user', () => {
  let app: ChatApp;
  let audio: HttpFake;
  const spoken: SpeechCreateParams[] = [];

  beforeAll(async () => {
    audio = await openAiAudioFake({
      transcribe: () => '#91 add 2 3',
      speak: (_input, _voice, params) => {
        spoken.push(params);
        return SPOKEN;
      },
    }).start();
    app = await startChatApp({
      env: { STT_BASE_URL: `${audio.url}/v1`, TTS_BASE_URL: `${audio.url}/v1`, TTS_VOICE: 'alloy' },
      modules: [InvoicingModule],
    });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await audio?.stop();
  });

  const newUser = () => app.app.get(UserRepository).upsertByEmail(`s-${randomUUID().slice(0, 8)}@example.test`);

  it('lists the agents that serve a user, with their own config rows made on first use', async () => {
    const agents = app.app.get(AgentsService);
    const { id: userId } = await newUser();
    const first = await agents.list(userId);
    expect(first.map((a) => [a.agentNumber, a.name])).toEqual([
      [15, 'invoicing'],
      [90, 'notes'],
      [91, 'calculator'],
    ]);
    expect(first.every((a) => a.isActive && JSON.stringify(a.config) === '{}')).toBe(true);

    const invoicing = first.find((a) => a.agentNumber === 15)!;
    await agents.update(userId, invoicing.id, { config: { currency: 'USD' } });
    const again = await agents.list(userId);
    expect(again).toHaveLength(3);
    expect(again.find((a) => a.agentNumber === 15)).toMatchObject({ id: invoicing.id, config: { currency: 'USD' } });

    const other = await newUser();
    const theirs = await agents.list(other.id);
    expect(theirs.map((a) => a.agentNumber)).toEqual([15, 90, 91]);
    expect(theirs.find((a) => a.agentNumber === 15)!.id).not.toBe(invoicing.id);
  });

  it('keeps voice settings per user, refuses bad ones clearly, and speaks replies with them', async () => {
    const settings = app.app.get(VoiceSettingsRepository);
    const gateway = app.app.get(ChatGateway);
    const userId = await app.pair('telegram', `tg-${randomUUID().slice(0, 6)}`);
    const platformId = (
      await app.db.dataSource.query<{ platform_user_id: string }[]>(
        `SELECT platform_user_id FROM user_identities WHERE user_id = $1`,
        [userId],
      )
    )[0]!.platform_user_id;
    expect(await settings.get(userId)).toEqual({ voice: null, speed: 1, spokenReplies: true, language: null });

    const pipe = new ZodValidationPipe(voiceSettingsSchema);
    expect(() => pipe.transform({ speed: 9 })).toThrow(/speed: expected a speed between 0.5 and 2/);
    expect(() => pipe.transform({ voice: 'nova; rm -rf /' })).toThrow(/voice: expected a voice name/);
    expect(() => pipe.transform({ language: 'english please' })).toThrow(/language: expected a language tag/);
    expect(() => pipe.transform({ spokenReplies: 'yes' })).toThrow(/spokenReplies: expected true or false/);
    expect(() => pipe.transform({})).toThrow(/expected at least one of/);
    expect(() => pipe.transform({ volume: 11 })).toThrow(/volume/);

    const saved = await settings.update(userId, pipe.transform({ voice: 'nova', speed: 1.25, language: 'en-GB' }));
    expect(saved).toEqual({ voice: 'nova', speed: 1.25, spokenReplies: true, language: 'en-GB' });
    expect(await settings.get(userId)).toEqual(saved);
    expect(await settings.get((await newUser()).id)).toMatchObject({ voice: null, speed: 1 });

    const voiceNote = async (): Promise<Reply> => {
      const replies: Reply[] = [];
      const msg: InboundMessage = {
        platform: 'telegram',
        eventId: randomUUID(),
        address: { platform: 'telegram', workspace: '', channel: platformId },
        sender: { id: platformId },
        audio: {
          load: () => Promise.resolve(VOICE_NOTE),
          mimeType: 'audio/ogg',
          filename: 'voice.oga',
        },
        direct: true,
      };
      await gateway.receive(msg, { reply: async (r) => void replies.push(r) });
      return replies.at(-1)!;
    };

    const before = spoken.length;
    const answered = await voiceNote();
    expect(answered.text).toContain('2 + 3 = 5');
    expect(answered.voice?.mimeType).toBe('audio/ogg');
    expect(spoken.slice(before)).toEqual([expect.objectContaining({ voice: 'nova', speed: 1.25 })]);

    await settings.update(userId, pipe.transform({ spokenReplies: false }));
    const quiet = await voiceNote();
    expect(quiet.text).toContain('2 + 3 = 5');
    expect(quiet.voice).toBeUndefined();
    expect(spoken.length).toBe(before + 1);
  });

  it('has no owner until one is made; the first token or init makes it, and only it approves', async () => {
    const users = app.app.get(UserRepository);
    // A fresh installation: nobody owns it, and the command line says what to do instead of inventing one.
    await app.db.dataSource.query(`UPDATE users SET is_owner = false`);
    await expect(commandLineUser(users, app.config)).rejects.toThrow(NO_OWNER);
    await expect(app.app.get(PairingService).ownerEmail()).rejects.toThrow(/paios init --owner/);
    expect(await users.findOwner([])).toBeNull();

    const person = await newUser();
    expect(await users.claimOwnerIfNone(person.id)).toBe(true);
    const later = await newUser();
    expect(await users.claimOwnerIfNone(later.id)).toBe(false);
    expect(await users.isAdmin(person, [])).toBe(true);
    expect(await users.isAdmin(later, [])).toBe(false);
    expect((await commandLineUser(users, app.config)).id).toBe(person.id);
    expect(await app.app.get(PairingService).ownerEmail()).toBe(person.email);

    await expect(users.makeOwner(later.email)).rejects.toThrow(/the owner is already/);
    expect(await users.isAdmin(person, [])).toBe(true);
    const handed = await users.makeOwner(later.email, true);
    expect(handed.previous).toBe(person.email);
    expect(await users.isAdmin(later, [])).toBe(true);
    expect(await users.isAdmin(person, [])).toBe(false);
  });
});
