import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import type { CallerChannel } from '../../sdk/agent.contract.js';
import { ExecutorService } from '../executor/executor.service.js';
import type { InteractionOrigin } from '../executor/interaction.repository.js';
import { LanguageModel, type LlmMessage, type LlmToolCall } from '../llm/language-model.port.js';
import { isBudgetExhausted } from '../llm/llm.errors.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import type { ToolInfo } from '../registry/agent-spec.js';
import { llmToolName, parseLlmToolName } from '../router/llm/llm-tools.js';

const LOOP_PROMPT = [
  'You carry out requests from the owner of paios, a personal AI operating system, with the tools given.',
  'Call tools one step at a time, read their results, and continue until the request is done.',
  'Never invent values the owner did not say or a tool did not return.',
  'When done, answer in one or two short sentences with the outcome (totals, what was sent).',
].join(' ');

/** A tool result longer than this is cut before the model sees it (a small prompt). */
const RESULT_CHARS = 2_000;

/** Where a request for several tools stands: kept while the person is asked to confirm a step. */
export interface LoopState {
  /** The request as the person said it. */
  text: string;
  messages: LlmMessage[];
  /** Model calls made so far. */
  step: number;
  /** The tools offered, as `#agent tool`. */
  tools: { agentNumber: number; name: string }[];
  /** Calls the model asked for that have not run yet; the first may wait for the person's yes. */
  pending: LlmToolCall[];
  /** What ran, for the answer when the loop stops early ("#91 add"). */
  done: string[];
  /** The first pending call was confirmed by the person. */
  confirmed?: boolean;
}

/** Who asks, from where, and how to tell them it is still working. */
export interface LoopRequest {
  userId: string;
  caller: CallerChannel;
  origin?: InteractionOrigin;
  /** An interim message in the chat ("List clients… (step 2/5)"); rate-limited here. */
  progress?: (text: string) => Promise<void>;
}

export type LoopOutcome =
  | { kind: 'answer'; text: string; success: boolean; notice?: string }
  | { kind: 'confirm'; state: LoopState; question: string; notice?: string };

const label = (t: { agentNumber: number; name: string }) => `#${t.agentNumber} ${t.name}`;

/**
 * A request that needs several tools ("invoice every client whose milestone finished this week and
 * send me the total"): the model calls tools of the offered catalog, sees their results and goes on,
 * up to a number of steps. A tool that is not read-only (MCP readOnlyHint) runs only after the person
 * said yes; the loop then resumes where it stopped. Answers of sensitive tools never reach the model.
 */
@Injectable()
export class ToolLoopService {
  private readonly logger = new Logger('ToolLoop');

  constructor(
    private readonly executor: ExecutorService,
    private readonly registry: AgentRegistry,
    private readonly clock: Clock,
    @Inject(PAIOS_CONFIG) private readonly config: Pick<PaiosConfig, 'llm'>,
    @Optional() private readonly model?: LanguageModel,
  ) {}

  get available(): boolean {
    return this.model !== undefined && this.model !== null;
  }

  start(text: string, tools: ToolInfo[], req: LoopRequest): Promise<LoopOutcome> {
    const state: LoopState = {
      text,
      messages: [{ role: 'user', content: text }],
      step: 0,
      tools: tools.map((t) => ({ agentNumber: t.agentNumber, name: t.name })),
      pending: [],
      done: [],
    };
    return this.continue(state, req);
  }

  /** The person answered the question about the first pending call. */
  resume(state: LoopState, yes: boolean, req: LoopRequest): Promise<LoopOutcome> {
    const call = state.pending[0];
    if (!yes || !call) {
      const did = state.done.length ? ` Before that I ran ${state.done.join(', ')}.` : '';
      return Promise.resolve({ kind: 'answer', success: false, text: `Cancelled: nothing more was run.${did}` });
    }
    return this.continue({ ...state, confirmed: true }, req);
  }

  private async continue(state: LoopState, req: LoopRequest): Promise<LoopOutcome> {
    const max = this.config.llm.tools.maxSteps;
    const gate = this.progressGate(req);
    let notice: string | undefined;
    for (;;) {
      while (state.pending.length > 0) {
        const call = state.pending[0]!;
        const tool = this.toolOf(state, call.name);
        if (tool && tool.annotations.readOnlyHint !== true && !state.confirmed)
          return { kind: 'confirm', state, question: this.question(tool, call), notice };
        state.confirmed = false;
        state.pending = state.pending.slice(1);
        state.messages.push({
          role: 'tool',
          toolCallId: call.id,
          content: await this.run(tool, call, state, req, gate),
        });
      }
      if (state.step >= max) return { kind: 'answer', success: false, text: this.stopped(state, max), notice };
      state.step++;
      let result;
      try {
        result = await this.model!.complete(
          {
            system: LOOP_PROMPT,
            messages: state.messages,
            tools: state.tools.flatMap((t) => {
              const info = this.info(t);
              return info
                ? [
                    {
                      name: llmToolName(t.agentNumber, t.name),
                      description: info.description,
                      parameters: info.inputSchema,
                    },
                  ]
                : [];
            }),
            temperature: 0,
            maxTokens: 1024,
          },
          { userId: req.userId, purpose: 'tool_loop' },
        );
      } catch (err) {
        const did = state.done.length ? ` Before that I ran ${state.done.join(', ')}.` : '';
        if (isBudgetExhausted(err)) return { kind: 'answer', success: false, text: `${err.message}${did}`, notice };
        this.logger.warn(`the tool loop stopped: ${(err as Error).message}`);
        return { kind: 'answer', success: false, text: `The AI model did not answer, so I stopped.${did}`, notice };
      }
      notice = result.budgetWarning ?? notice;
      if (result.toolCalls.length === 0) return { kind: 'answer', success: true, text: result.text || 'Done.', notice };
      if (state.step >= max) return { kind: 'answer', success: false, text: this.stopped(state, max), notice };
      state.messages.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls });
      state.pending = result.toolCalls;
    }
  }

  /** Runs one call through the executor (history, events, timeouts) and says its result for the model. */
  private async run(
    tool: ToolInfo | undefined,
    call: LlmToolCall,
    state: LoopState,
    req: LoopRequest,
    gate: (text: string) => Promise<void>,
  ): Promise<string> {
    if (!tool) return `There is no tool ${call.name} here; use only the tools offered.`;
    await gate(`${tool.description}… (step ${state.step}/${this.config.llm.tools.maxSteps})`);
    const response = await this.executor.execute({
      userId: req.userId,
      agentNumber: tool.agentNumber,
      tool: tool.name,
      parameters: call.arguments,
      commandText: state.text,
      requestId: randomUUID(),
      origin: req.origin,
      caller: req.caller,
    });
    state.done.push(label(tool));
    if (response.sensitive) return 'Done; the answer holds a secret and was shown to the owner only.';
    if (!response.success) return `Failed: ${response.error ?? 'the tool failed'}`;
    const data = response.data === undefined ? '' : `\n${JSON.stringify(response.data)}`;
    return `${response.text ?? 'done'}${data}`.slice(0, RESULT_CHARS);
  }

  private question(tool: ToolInfo, call: LlmToolCall): string {
    const args = Object.entries(call.arguments)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
    const what = tool.annotations.destructiveHint === false ? 'This changes something' : 'This cannot be undone';
    return `Next I would run #${tool.agentNumber} ${tool.agentName} ${tool.name}${args ? ` (${args})` : ''}: ${tool.description}. ${what}. Go ahead?`;
  }

  private stopped(state: LoopState, max: number): string {
    const did = state.done.length ? ` I ran ${state.done.join(', ')}.` : '';
    return `I stopped after ${max} steps without finishing.${did} Please ask for less at once, or step by step.`;
  }

  /** A tool the model may call: one of those offered, still in the catalog. */
  private toolOf(state: LoopState, name: string): ToolInfo | undefined {
    const target = parseLlmToolName(name);
    if (!target || !state.tools.some((t) => t.agentNumber === target.agentNumber && t.name === target.tool))
      return undefined;
    return this.info({ agentNumber: target.agentNumber, name: target.tool });
  }

  private info(t: { agentNumber: number; name: string }): ToolInfo | undefined {
    return this.registry.catalog().find((c) => c.agentNumber === t.agentNumber && c.name === t.name && !c.sensitive);
  }

  /** The first progress message goes out; after it, at most one per LLM_PROGRESS_SECONDS. */
  private progressGate(req: LoopRequest): (text: string) => Promise<void> {
    let last: number | undefined;
    const every = this.config.llm.tools.progressSeconds * 1000;
    return async (text) => {
      const now = this.clock.now().getTime();
      if (!req.progress || (last !== undefined && now - last < every)) return;
      last = now;
      await req.progress(text).catch(() => undefined);
    };
  }
}
