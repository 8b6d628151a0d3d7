import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { AgentResponse, MCPMessage } from '../../sdk/agent.contract.js';
import type { AgentView } from '../registry/agent.view.js';
import type { WorkflowView } from '../workflows/workflow.view.js';

/**
 * The seed's real-time events, published by services and delivered by the Socket.io gateway to the
 * user they concern. Names are the seed's.
 */
export interface SystemEventMap {
  'system:agent_added': [userId: string, agent: AgentView];
  'system:workflow_updated': [userId: string, workflow: WorkflowView & { deleted?: boolean }];
  'agent:status': [userId: string, payload: { agentNumber: number; status: 'working' | 'idle'; requestId: string }];
  'agent:response': [userId: string, payload: { agentNumber: number; requestId: string; response: AgentResponse }];
  'agent:error': [userId: string, payload: { agentNumber: number; requestId: string; error: string }];
  'agent:message': [userId: string, message: MCPMessage];
  'workflow:triggered': [userId: string, payload: { workflowId: string; data: unknown }];
  'voice:command_received': [userId: string, command: string];
  'voice:processing': [userId: string, status: string];
  'voice:response': [userId: string, response: string];
  /** A chat message for the user's own clients (the console adapter: digests, follow-ups). */
  'chat:message': [
    userId: string,
    message: { text: string; attachments?: { filename: string; mimeType: string; data: string }[] },
  ];
  /** An event a tool raised (declared in its agent's manifest); workflows listen to these. */
  'agent:event': [
    userId: string,
    payload: { agentNumber: number; name: string; payload: Record<string, unknown>; requestId: string },
  ];
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
