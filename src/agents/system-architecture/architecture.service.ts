import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { CHAT_STATUS, type ChatStatusSource } from '../../orchestrator/system/chat-status.port.js';
import type { ArchitectureView, SystemModel, WorkflowEdge } from './architecture.model.js';
import { MermaidRenderer, RenderError, RendererUnavailableError, type DrawingFormat } from './mermaid-renderer.js';
import { toMermaid } from './mermaid.js';

export interface Drawing {
  model: SystemModel;
  mermaid: string;
  /** PNG or SVG bytes (absent when only the Mermaid text was asked for, or when it could not be drawn). */
  data?: Buffer;
  /** Why there is no drawing (no browser, Mermaid refused, timeout); the Mermaid text is still there. */
  error?: string;
}

/**
 * The live system as a model and as drawings: the registry's slots, the asker's workflows, the chat
 * adapters' states and the infrastructure this process runs on; Mermaid from that, rendered by the
 * warm MermaidRenderer.
 */
@Injectable()
export class ArchitectureService implements OnModuleDestroy {
  readonly renderer: MermaidRenderer;

  constructor(
    private readonly registry: AgentRegistry,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Optional() @Inject(CHAT_STATUS) private readonly chat?: ChatStatusSource,
  ) {
    this.renderer = new MermaidRenderer({
      executablePath: config.diagrams.chromiumPath,
      timeoutMs: config.diagrams.timeoutMs,
      pages: config.diagrams.pages,
      pageUses: 50,
      cacheEntries: 64,
      scale: 2,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.renderer.close();
  }

  async model(userId?: string): Promise<SystemModel> {
    const agents = this.registry
      .list()
      .map((s) => ({
        number: s.agentNumber,
        name: s.name,
        description: s.description,
        version: s.version,
        state: s.enabled ? (s.state === 'disabled' ? 'disabled' : s.state) : 'disabled',
        inFlight: s.inFlight,
        source: s.source,
        tools: s.tools,
      }))
      .sort((a, b) => a.number - b.number) as SystemModel['agents'];
    const llm = this.config.llm.provider
      ? `${this.config.llm.provider}${this.config.llm.model ? ` ${this.config.llm.model}` : ''}`
      : undefined;
    return {
      takenAt: new Date().toISOString(),
      version: this.config.version,
      agents,
      workflows: userId ? await this.workflows(userId) : [],
      adapters: (this.chat?.statuses() ?? [])
        .filter((a) => a.state !== 'disabled')
        .map((a) => ({ platform: a.platform, state: a.state, modes: a.modes })),
      infrastructure: {
        database: this.config.database.url ? 'PostgreSQL' : 'PGlite',
        cache: this.config.redis.url ? 'Redis' : 'in-process',
        jobs: this.config.redis.url ? 'BullMQ' : 'in-process',
        ...(llm ? { llm } : {}),
      },
    };
  }

  /**
   * The model, Mermaid for a view, and its drawing when a format is asked for. A drawing that cannot be
   * made is reported in `error`, not thrown: the Mermaid text is the answer then.
   */
  async draw(view: ArchitectureView, format: DrawingFormat | 'mermaid', userId?: string): Promise<Drawing> {
    const model = await this.model(userId);
    const mermaid = toMermaid(model, view);
    if (format === 'mermaid') return { model, mermaid };
    try {
      return { model, mermaid, data: await this.renderer.render(mermaid, format) };
    } catch (err) {
      if (err instanceof RendererUnavailableError || err instanceof RenderError)
        return { model, mermaid, error: err.message };
      throw err;
    }
  }

  private async workflows(userId: string): Promise<WorkflowEdge[]> {
    const rows = await this.db.query<
      {
        id: string;
        source: number;
        target: number;
        trigger_conditions: { event?: string } | null;
        actions: { tool?: string } | null;
        is_active: boolean | null;
      }[]
    >(
      `SELECT w.id, s.agent_number AS source, t.agent_number AS target, w.trigger_conditions, w.actions, w.is_active
       FROM agent_workflows w
       JOIN agents s ON s.id = w.source_agent_id
       JOIN agents t ON t.id = w.target_agent_id
       WHERE w.user_id = $1 ORDER BY w.created_at`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.id,
      from: r.source,
      to: r.target,
      event: r.trigger_conditions?.event ?? 'event',
      tool: r.actions?.tool ?? 'action',
      active: r.is_active !== false,
    }));
  }
}
