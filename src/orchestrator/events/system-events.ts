import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { AgentView } from '../registry/agent.view.js';
import type { WorkflowView } from '../workflows/workflow.view.js';

/**
 * The seed's real-time events, published by services and delivered by the Socket.io gateway to the
 * user they concern. Names are the seed's.
 */
export interface SystemEventMap {
  'system:agent_added': [userId: string, agent: AgentView];
  'system:workflow_updated': [userId: string, workflow: WorkflowView & { deleted?: boolean }];
}

export type SystemEventName = keyof SystemEventMap;

@Injectable()
export class SystemEvents {
  private readonly emitter = new EventEmitter();

  emit<E extends SystemEventName>(event: E, ...args: SystemEventMap[E]): void {
    this.emitter.emit(event, ...args);
  }

  on<E extends SystemEventName>(event: E, listener: (...args: SystemEventMap[E]) => void): () => void {
    this.emitter.on(event, listener as (...a: unknown[]) => void);
    return () => this.emitter.off(event, listener as (...a: unknown[]) => void);
  }
}
