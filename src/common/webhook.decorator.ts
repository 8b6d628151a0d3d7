import { applyDecorators, SetMetadata } from '@nestjs/common';
import { IS_PUBLIC } from './public.decorator.js';

export const IS_WEBHOOK = 'paios:webhook';

/**
 * A platform webhook (Slack events, Telegram updates, Discord interactions): no bearer token (the
 * platform's own signature or secret is checked instead) and no per-IP request limit, since every
 * event of a platform comes from the same few addresses; chat messages are limited per person.
 */
export const Webhook = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(IS_WEBHOOK, true));
