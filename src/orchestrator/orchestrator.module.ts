import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PAIOS_CONFIG } from '../config/config.module.js';
import type { PaiosConfig } from '../config/config.schema.js';
import { ConversationService } from './conversation/conversation.service.js';
import { ConversationStateRepository } from './conversation/conversation-state.repository.js';
import { ToolLoopService } from './conversation/tool-loop.service.js';
import { ConversationHistoryRepository } from './conversation/conversation-history.repository.js';
import { ConversationMemory } from './conversation/conversation-memory.service.js';
import { EventOutbox } from './events/event-outbox.js';
import { SystemEvents } from './events/system-events.js';
import { ExecutorService } from './executor/executor.service.js';
import { InteractionRepository } from './executor/interaction.repository.js';
import { ResultCache } from './executor/result-cache.js';
import { UserRepository } from './identity/user.repository.js';
import { KeyValueModule } from './kv/key-value.module.js';
import { LanguageModel } from './llm/language-model.port.js';
import { LlmBudgetService } from './llm/llm-budget.service.js';
import { LLM_PROVIDERS } from './llm/llm.providers.js';
import { LlmUsageCommand } from './llm/llm-usage.command.js';
import { LlmUsageService } from './llm/llm-usage.service.js';
import { MemoryService } from './memory/memory.service.js';
import { AgentHandles } from './registry/agent-handles.js';
import { AgentRegistry } from './registry/agent-registry.js';
import { AgentRuntimeServices } from './registry/agent-runtime.services.js';
import { AgentRepository } from './registry/agent.repository.js';
import { AgentsService } from './registry/agents.service.js';
import { ModificationStore } from './registry/modification.store.js';
import { RegistryLifecycle } from './registry/registry.lifecycle.js';
import { RegistrySync } from './registry/registry.sync.js';
import { OutboundClient } from './outbound/outbound.client.js';
import { PluginLoader } from './plugins/plugin-loader.js';
import { llmRouterProvider } from './router/llm/llm-router.provider.js';
import { RouterService } from './router/router.service.js';
import { VoiceService } from './voice/voice.service.js';
import { VoiceNoteRepository } from './voice/voice-note.repository.js';
import { VoiceSettingsRepository } from './voice/voice-settings.repository.js';
import { WorkflowEngine } from './workflows/workflow.engine.js';
import { WorkflowRepository } from './workflows/workflow.repository.js';
import { WorkflowsService } from './workflows/workflows.service.js';
import { WorkflowValidator } from './workflows/workflow-validator.js';

/**
 * Users, agents and their registry, the executor, memory, workflows, the events they raise, and the
 * guarded client for connections users aim (OutboundClient).
 */
@Global()
@Module({
  imports: [DiscoveryModule, KeyValueModule],
  providers: [
    SystemEvents,
    EventOutbox,
    UserRepository,
    AgentRepository,
    WorkflowRepository,
    AgentsService,
    WorkflowsService,
    WorkflowValidator,
    MemoryService,
    ModificationStore,
    InteractionRepository,
    ResultCache,
    AgentRuntimeServices,
    {
      provide: OutboundClient,
      useFactory: (config: PaiosConfig) => new OutboundClient({ allowHosts: config.outbound.allowHosts }),
      inject: [PAIOS_CONFIG],
    },
    {
      provide: AgentRegistry,
      useFactory: (
        journal: ModificationStore,
        services: AgentRuntimeServices,
        config: PaiosConfig,
        outbound: OutboundClient,
      ) =>
        new AgentRegistry(journal, services, {
          startTimeoutMs: config.agents.startTimeoutMs,
          drainTimeoutMs: config.agents.drainTimeoutMs,
          outbound,
        }),
      inject: [ModificationStore, AgentRuntimeServices, PAIOS_CONFIG, OutboundClient],
    },
    RegistryLifecycle,
    ExecutorService,
    ...LLM_PROVIDERS,
    llmRouterProvider,
    RouterService,
    ConversationService,
    ConversationStateRepository,
    ToolLoopService,
    ConversationHistoryRepository,
    ConversationMemory,
    PluginLoader,
    WorkflowEngine,
    AgentHandles,
    RegistrySync,
    VoiceService,
    VoiceSettingsRepository,
    VoiceNoteRepository,
  ],
  exports: [
    OutboundClient,
    VoiceService,
    VoiceSettingsRepository,
    VoiceNoteRepository,
    AgentHandles,
    WorkflowEngine,
    ConversationService,
    ConversationMemory,
    PluginLoader,
    ModificationStore,
    SystemEvents,
    EventOutbox,
    UserRepository,
    AgentRepository,
    AgentsService,
    WorkflowsService,
    MemoryService,
    AgentRegistry,
    ExecutorService,
    InteractionRepository,
    RouterService,
    LanguageModel,
    LlmBudgetService,
    LlmUsageService,
    LlmUsageCommand,
  ],
})
export class OrchestratorModule {}
