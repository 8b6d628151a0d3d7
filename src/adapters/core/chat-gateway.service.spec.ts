import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { SecretAnswers } from '../../orchestrator/turn/secret-answers.service.js';
import type { TurnPipeline } from '../../orchestrator/turn/turn.pipeline.js';
import type { ChatCapabilities, InboundMessage, TurnMessage } from '../../orchestrator/turn/turn.contract.js';
import { ChatGateway } from './chat-gateway.service.js';

Logger.overrideLogger(false);

function setup() {
  const runs: { msg: TurnMessage; capabilities: ChatCapabilities }[] = [];
  const pipeline = {
    run: async (msg: TurnMessage, _outlet: unknown, capabilities: ChatCapabilities) => {
      runs.push({ msg, capabilities });
      return 'answered' as const;
    },
  } as unknown as TurnPipeline;
  return { gateway: new ChatGateway(pipeline, {} as SecretAnswers), runs };
}

const voiceNote = (load: () => Promise<Buffer>): InboundMessage => ({
  platform: 'telegram',
  eventId: '7',
  address: { platform: 'telegram', workspace: '', channel: '42' },
  sender: { id: '42' },
  direct: true,
  audio: { load, mimeType: 'audio/ogg', filename: 'voice.ogg', durationSeconds: 2 },
});

const outlet = { reply: async () => undefined };

describe('ChatGateway', () => {
  it("fetches a voice note's bytes before the turn, which never calls back into the adapter", async () => {
    const { gateway, runs } = setup();
    let loads = 0;
    await gateway.receive(
      voiceNote(async () => (loads++, Buffer.from('OggS'))),
      outlet,
    );
    expect(loads).toBe(1);
    expect(runs[0]!.msg.audio).toEqual({
      data: Buffer.from('OggS'),
      mimeType: 'audio/ogg',
      filename: 'voice.ogg',
      durationSeconds: 2,
    });
    expect(runs[0]!.capabilities).toMatchObject({ secretEntry: 'next-message-deleted' });
  });

  it('hands a note the platform would not give on without its bytes, for the turn to answer', async () => {
    const { gateway, runs } = setup();
    await gateway.receive(
      voiceNote(() => Promise.reject(new Error('404'))),
      outlet,
    );
    expect(runs[0]!.msg.audio).toMatchObject({ data: null, filename: 'voice.ogg' });
  });
});
