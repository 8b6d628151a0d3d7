import { Inject, Injectable, Optional } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { OnJob } from '../../orchestrator/jobs/job-handler.registry.js';
import { USER_NOTIFIER, type UserNotifier } from '../../orchestrator/notifications/user-notifier.port.js';
import { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { VaultService } from '../../vault/vault.service.js';
import { SocialAccounts } from './connectors/accounts.js';
import { Publisher, type PublisherOptions } from './publisher.js';
import { SocialPostRepository } from './social-post.repository.js';
import { SocialService } from './social.service.js';
import { postTools } from './tools/post.tools.js';

export const AGENT_NUMBER = 8;
export const DUE_JOB = 'social.due';

declare module '../../orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'social.due': Record<string, never>;
  }
}

/** Tries in a row and their spacing; a post still not through waits for the next sweep. */
export const PUBLISHER_OPTIONS: PublisherOptions = { tries: 3, retryDelayMs: 500, maxImageBytes: 5 * 1024 * 1024 };

/**
 * Agent #8, Social Media: posts composed for each network (length rules, numbered threads, links,
 * hashtags, images with alt text), shown for approval, sent exactly once (now or when scheduled) to
 * Mastodon, Bluesky, X and LinkedIn with the person's own accounts from their vault; metrics after.
 */
@BuiltinAgent()
@Injectable()
export class SocialMediaAgent implements AgentProvider {
  private readonly def: AgentDefinition;
  readonly social: SocialService;

  constructor(
    repo: SocialPostRepository,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    outbound: OutboundClient,
    clock: Clock,
    @Optional() @Inject(USER_NOTIFIER) notifier?: UserNotifier,
    @Optional() vault?: VaultService,
  ) {
    const accounts = new SocialAccounts(AGENT_NUMBER, outbound, clock, config.social, vault);
    const publisher = new Publisher(repo, accounts, outbound, clock, PUBLISHER_OPTIONS);
    this.social = new SocialService(repo, accounts, publisher, clock, config.timezone, notifier);
    this.def = defineAgent({
      manifest: {
        number: AGENT_NUMBER,
        name: 'social-media',
        description: 'Social media posts to Mastodon, Bluesky, X and LinkedIn: drafts, approval, scheduling, metrics',
        version: '0.1.0',
        configSchema: z.object({}),
        secrets: ['mastodon', 'bluesky', 'x', 'linkedin'],
        events: [],
      },
      tools: postTools(this.social, { repo, accounts, clock }),
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }

  /** Every minute (and once at start): what is due goes out, late ones included after downtime. */
  @OnJob(DUE_JOB)
  async publishDue(): Promise<number> {
    return (await this.social.publishDue()).length;
  }
}
