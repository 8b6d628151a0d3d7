import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { AgentLanguageModel } from './language-model.contract.js';

/**
 * The contract every paios agent implements: a manifest plus tools. Built-in agents are Nest
 * modules that provide a definition; the registry serves each one as an MCP server, so the router,
 * the LLM, workflows and outside MCP clients all see one tool catalog. Names follow the seed's
 * MCP Agent Framework (AgentCommand, AgentResponse, MCPMessage).
 */

/** The seed's command shape: what to do, with which parameters, for whom. */
export interface AgentCommand {
  action: string;
  parameters: Record<string, unknown>;
  context?: Record<string, unknown>;
  userId: string;
  requestId: string;
}

/** The seed's response shape; metadata.executionTime is milliseconds. */
export interface AgentResponse {
  success: boolean;
  data?: unknown;
  error?: string;
  /** Human-readable answer, as a chat reply would show it. */
  text?: string;
  attachments?: Attachment[];
  /** Choices for the person (confirm / cancel); chat adapters show them as buttons. */
  buttons?: ChoiceButton[];
  /** The tool asks for a secret (a master password): chat collects it privately and calls back. */
  secretPrompt?: SecretPrompt;
  /**
   * The words that asked or the answer may hold a secret. Decided once, by the executor, from the
   * tool (declared sensitive) and its result; every outlet honours it: the answer goes only to the
   * person who asked, by the reply of their own request, and events, history, agent memory, speech,
   * job payloads and logs keep the call without its content.
   */
  sensitive?: boolean;
  metadata?: {
    executionTime: number;
    resourcesUsed: string[];
    nextSuggestedActions?: string[];
    cached?: boolean;
  };
}

/** The seed's agent-to-agent envelope. */
export interface MCPMessage {
  id: string;
  from: string;
  to: string;
  type: 'command' | 'response' | 'error' | 'notification';
  data: unknown;
  timestamp: string;
  requiresResponse: boolean;
}

/**
 * A request for a secret the person must not type into an ordinary chat message: Slack and Discord
 * open a modal, Telegram and the console take the next message (deleted at once where possible).
 * What is entered is passed to `tool` of the same agent as parameter `parameter`.
 */
export interface SecretPrompt {
  tool: string;
  parameter: string;
  /** Shown above the input, e.g. "Master password". */
  label: string;
}

/** Who is calling a tool: a chat (direct message or not), the owner's API or CLI, or a machine. */
export interface CallerChannel {
  kind: 'chat' | 'api' | 'agent' | 'workflow' | 'mcp' | 'digest';
  /** slack, telegram, discord, console, ... for chat. */
  platform?: string;
  /** A private conversation with the owner (a DM, the console, the owner's own API token). */
  direct: boolean;
  /**
   * The chat the call came from (chat only): where a later answer to it belongs, e.g. a watched
   * page's change told in the group where someone asked to watch it (UserNotice.chat).
   */
  address?: ChatPlace;
}

/** A conversation on a chat platform, as the adapters address it. */
export interface ChatPlace {
  platform: string;
  /** Slack team id, Discord guild id; '' where the platform has none. */
  workspace: string;
  channel: string;
  thread?: string;
}

/** A choice offered in chat; pressing it says `value` as if the person had typed it. */
export interface ChoiceButton {
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export interface Attachment {
  filename: string;
  mimeType: string;
  /** Base64 content (PNG, PDF, audio). */
  data: string;
}

/** What a tool returns: a short answer for chat, structured data, files, and events it raises. */
export interface ToolResult {
  text: string;
  data?: unknown;
  attachments?: Attachment[];
  /** Choices to offer as buttons, e.g. a confirmation before a change. */
  buttons?: ChoiceButton[];
  secretPrompt?: SecretPrompt;
  /** This answer holds a secret although the tool is not declared sensitive (see AgentResponse.sensitive). */
  sensitive?: boolean;
  /**
   * Events of this agent (declared in the manifest) that workflows may react to, stored once the
   * tool has returned. An event that reports a state change belongs in `ctx.transaction` instead,
   * so that a crash between the change and the event cannot lose it.
   */
  events?: { name: string; payload: Record<string, unknown> }[];
  nextSuggestedActions?: string[];
}

/** Memory of one agent for one user (the seed's saveMemory / getMemory). */
export interface AgentMemory {
  save(type: string, content: unknown, options?: { ttlSeconds?: number; relevance?: number }): Promise<void>;
  get(type: string, limit?: number): Promise<unknown[]>;
}

/**
 * One database transaction of a tool, handed out by `ToolContext.transaction`. Everything done
 * through `manager` and every event passed to `emit` commit together or not at all.
 */
export interface ToolTransaction {
  /** Run the tool's queries here: other connections wait while the transaction is open. */
  manager: EntityManager;
  /**
   * Raises an event of this agent (declared in its manifest). It is stored with the transaction and
   * reaches workflows after commit, once, even if paios is killed right after the commit.
   */
  emit(name: string, payload: Record<string, unknown>): Promise<void>;
}

/** What a tool handler may use besides its parameters. */
export interface ToolContext {
  userId: string;
  requestId: string;
  /**
   * Set when the call may be a repeat (workflow actions, retried jobs): a tool with side effects
   * must do them at most once per key.
   */
  idempotencyKey?: string;
  /** The agent's effective configuration for this user (validated by the manifest's schema). */
  config: Record<string, unknown>;
  memory: AgentMemory;
  /**
   * The AI model paios is configured with, for this user and this agent: every call counts against
   * both budgets and is refused with LlmError (code LLM_BUDGET_EXHAUSTED) when one is used up. Absent
   * when no model is configured; a tool should then work without it or say what is missing.
   */
  llm?: AgentLanguageModel;
  /** Calls a tool of another agent through MCP (recorded as MCPMessage envelopes). */
  callAgent(target: number, tool: string, parameters: Record<string, unknown>): Promise<AgentResponse>;
  signal: AbortSignal;
  /** Where the call comes from; absent when an outside MCP client called without paios. */
  caller?: CallerChannel;
  /**
   * Tells whoever waits how a long call is going ("reading 6 sources…"): the chat that asked, or an
   * MCP client that sent a progressToken. Absent when nobody listens (workflows, jobs, agent-to-agent
   * calls). Cheap: call it at each stage and let the caller throttle.
   */
  progress?(text: string): void;
  /**
   * Runs `work` in one database transaction whose events (`tx.emit`) are written to the outbox in
   * that same transaction: a state change and the event that reports it commit together.
   */
  transaction<T>(work: (tx: ToolTransaction) => Promise<T>): Promise<T>;
}

/** An entity the router found in a message (numbers, money, dates, emails, URLs), normalised. */
export type Entity =
  | { type: 'number'; text: string; start: number; value: number }
  | { type: 'money'; text: string; start: number; value: number; currency?: string }
  | { type: 'percentage'; text: string; start: number; value: number }
  | { type: 'duration'; text: string; start: number; seconds: number }
  | { type: 'date'; text: string; start: number; date: string }
  | { type: 'daterange'; text: string; start: number; from: string; to: string }
  | { type: 'email'; text: string; start: number; value: string }
  | { type: 'url'; text: string; start: number; value: string };

/**
 * MCP tool annotations: what calling the tool does to the world. A model working through several
 * tools runs a tool that is not read-only only after the person confirmed it in chat.
 */
export interface ToolAnnotations {
  /** It only reads: calling it changes nothing. */
  readOnlyHint: boolean;
  /** What it changes may be lost or hard to take back (a delete, a sent email); meaningless when read-only. */
  destructiveHint: boolean;
  /** Calling it twice with the same arguments does no more than once. */
  idempotentHint: boolean;
  /** It reaches outside paios (the web, a payment provider, email). */
  openWorldHint?: boolean;
}

export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  input: S;
  /** What a call does to the world (MCP annotations), declared by every tool. */
  annotations: ToolAnnotations;
  /** At least five things a person would say to use this tool; they train the router. */
  examples: string[];
  /** Results may be cached for this long (read-only, idempotent tools only). */
  cacheTtlSeconds?: number;
  /** Parameters or results are secret: history records the call without them. */
  sensitive?: boolean;
  /**
   * Tool-specific reading of a message for the local router ("invoice Acme for 10 hours at 150" ->
   * client, quantity, rate), on top of what the router fills from entities by type and name.
   */
  extract?(text: string, entities: Entity[]): Partial<z.infer<S>>;
  handler(params: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}

export interface AgentManifest<C extends z.ZodObject = z.ZodObject> {
  number: number;
  /** kebab-case job name, also the `@name` address in chat. */
  name: string;
  description: string;
  version: string;
  configSchema: C;
  /** Names of vault secrets the agent needs (for example STRIPE_API_KEY). */
  secrets: string[];
  /** Events the agent emits (for workflows). */
  events: string[];
}

export interface AgentDefinition<C extends z.ZodObject = z.ZodObject> {
  manifest: AgentManifest<C>;
  tools: ToolDefinition[];
  /** Runs when an instance starts with a configuration; throw to refuse the start. */
  initialize?(config: z.infer<C>): Promise<void>;
  /** Runs after start and before an instance takes traffic; throw to fail the health check. */
  healthCheck?(): Promise<void>;
  cleanup?(): Promise<void>;
  /**
   * Names this person may say to this agent (their clients, their projects): local speech-to-text
   * listens for them. Read on every voice note, so keep it to one cheap query.
   */
  vocabulary?(userId: string): Promise<string[]>;
}

export class AgentDefinitionError extends Error {
  override name = 'AgentDefinitionError';
}

/** Type helper for a tool: infers the handler's parameter type from the zod schema. */
export function defineTool<S extends z.ZodObject>(tool: ToolDefinition<S>): ToolDefinition {
  return tool;
}

const AGENT_NAME = /^[a-z][a-z0-9-]*$/;
const TOOL_NAME = /^[a-z][a-z0-9_]*$/;

/** Checks a definition once, where it is written, so that a bad agent never reaches the registry. */
export function defineAgent<C extends z.ZodObject>(definition: AgentDefinition<C>): AgentDefinition {
  const { manifest, tools } = definition;
  const where = `agent #${manifest.number} ${manifest.name}`;
  if (!Number.isInteger(manifest.number) || manifest.number < 1 || manifest.number > 999) {
    throw new AgentDefinitionError(`${where}: number must be a whole number from 1 to 999`);
  }
  if (!AGENT_NAME.test(manifest.name)) throw new AgentDefinitionError(`${where}: name must be kebab-case`);
  if (!/^\d+\.\d+\.\d+/.test(manifest.version)) throw new AgentDefinitionError(`${where}: version must be semver`);
  if (tools.length === 0) throw new AgentDefinitionError(`${where}: needs at least one tool`);
  const seen = new Set<string>();
  for (const tool of tools) {
    if (!TOOL_NAME.test(tool.name)) throw new AgentDefinitionError(`${where}: tool "${tool.name}" must be snake_case`);
    if (seen.has(tool.name)) throw new AgentDefinitionError(`${where}: tool "${tool.name}" is defined twice`);
    seen.add(tool.name);
    if (tool.examples.length < 5) {
      throw new AgentDefinitionError(`${where}: tool "${tool.name}" needs at least 5 example utterances`);
    }
  }
  return definition;
}
