import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { Reply } from '../../adapters/chat.contract.js';
import { ChatGateway, type GatewayOutcome } from '../../adapters/core/chat-gateway.service.js';

const MAX_AUDIO_BYTES = 20 * 1024 * 1024;

export const chatMessageSchema = z
  .object({
    text: z.string().max(8000).optional(),
    /** A voice note, base64 (OGG/Opus, MP3, WAV, M4A, WebM). */
    audio: z
      .object({
        data: z.base64().refine((b) => (b.length * 3) / 4 <= MAX_AUDIO_BYTES, 'expected at most 20 MB of audio'),
        mimeType: z.string().regex(/^audio\/[\w.+-]+$/, 'expected an audio/* type'),
        filename: z.string().min(1).max(200).default('voice.ogg'),
      })
      .optional(),
    /** Send to this agent without addressing it. */
    agentNumber: z.number().int().min(1).max(999).optional(),
    /** Your own id for this message: sending it again does not run it twice. */
    messageId: z.string().min(1).max(200).optional(),
  })
  .refine((b) => (b.text?.trim() ?? '') !== '' || b.audio, { message: 'expected text or audio' });

type ChatMessageInput = z.infer<typeof chatMessageSchema>;

/** The console adapter over REST: a message (typed or a voice note) in, the replies out. */
@ApiTags('chat')
@ApiBearerAuth()
@Controller('chat')
export class ChatController {
  constructor(private readonly gateway: ChatGateway) {}

  @Post()
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(chatMessageSchema) })
  @ApiOkResponse({ description: '{ outcome, replies }: what paios answered, as platform-neutral replies' })
  async send(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(chatMessageSchema)) body: ChatMessageInput,
  ): Promise<{ outcome: GatewayOutcome; replies: Reply[] }> {
    const replies: Reply[] = [];
    const audio = body.audio;
    const outcome = await this.gateway.receive(
      {
        platform: 'console',
        eventId: body.messageId ? `${user.id}:${body.messageId}` : randomUUID(),
        address: { platform: 'console', workspace: '', channel: user.id },
        sender: { id: user.id, name: user.email },
        text: body.text,
        audio: audio && {
          load: () => Promise.resolve(Buffer.from(audio.data, 'base64')),
          mimeType: audio.mimeType,
          filename: audio.filename,
        },
        agentHint: body.agentNumber,
        direct: true,
      },
      { reply: async (r) => void replies.push(r) },
    );
    return { outcome, replies };
  }
}
