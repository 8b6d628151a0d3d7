import { Inject, Injectable, Optional } from '@nestjs/common';
import { join } from 'node:path';
import { Calendar, Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { EventOutbox } from '../../orchestrator/events/event-outbox.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { OnJob } from '../../orchestrator/jobs/job-handler.registry.js';
import { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { VaultService } from '../../vault/vault.service.js';
import { PostRepository } from './post.repository.js';
import { AGENT_NUMBER } from './post.types.js';
import { Publisher } from './publisher.js';
import { publishingConfigSchema } from './publishing.config.js';
import { RemotePublisher } from './remote/remote-publisher.js';
import { SiteStore, type SiteFile } from './site-store.js';
import { findBy, type PublishingDeps } from './tools/post-view.js';
import { postTools } from './tools/post.tools.js';
import { publishTools } from './tools/publish.tools.js';

export const DUE_JOB = 'publishing.due';

declare module '../../orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'publishing.due': Record<string, never>;
  }
}

/**
 * Agent #29, Publishing: markdown drafts with front matter and revisions, published to the person's
 * own site (HTML, tag pages, RSS and Atom, sitemap) served at /site/ and written under
 * <dataDir>/sites/, and to Ghost or WordPress when granted; scheduled posts go out on a
 * once-a-minute job; `post.published` lets a workflow ask #8 to announce a post.
 */
@BuiltinAgent()
@Injectable()
export class PublishingAgent implements AgentProvider {
  private readonly def: AgentDefinition;
  readonly publisher: Publisher;
  readonly store: SiteStore;
  readonly siteUrl: string;

  constructor(
    repo: PostRepository,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    outbound: OutboundClient,
    outbox: EventOutbox,
    clock: Clock,
    calendar: Calendar,
    private readonly users: UserRepository,
    @Optional() vault?: VaultService,
  ) {
    this.siteUrl = `${(config.publicUrl ?? `http://localhost:${config.http.port}`).replace(/\/+$/, '')}/site/`;
    this.store = new SiteStore(join(config.dataDir, 'sites'));
    const remote = new RemotePublisher(repo, outbound.fetch, () => clock.now().getTime(), vault);
    this.publisher = new Publisher(repo, this.store, remote, clock, outbox, this.siteUrl);
    const deps: PublishingDeps = {
      siteUrl: this.siteUrl,
      find: findBy,
      republish: async (post) => {
        await this.publisher.rebuild(post.userId);
        await remote.publish(post);
      },
    };
    this.def = defineAgent({
      manifest: {
        number: AGENT_NUMBER,
        name: 'publishing',
        description: 'Blog posts: markdown drafts, publishing to my site with RSS/Atom feeds, Ghost and WordPress',
        version: '0.1.0',
        configSchema: publishingConfigSchema,
        secrets: [],
        events: ['post.published', 'post.unpublished'],
      },
      tools: [...postTools(repo, deps), ...publishTools(repo, this.publisher, calendar, deps)],
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }

  /** Every minute: scheduled posts whose time has come (and any missed while paios was down). */
  @OnJob(DUE_JOB)
  async publishDue(): Promise<void> {
    await this.publisher.publishDue();
  }

  /** A file of the owner's site, for GET /site/… ; undefined when there is none. */
  async siteFile(path: string): Promise<SiteFile | undefined> {
    const owner = await this.users.findOwner(this.config.adminEmails);
    return owner ? this.store.read(owner.id, path) : undefined;
  }
}
