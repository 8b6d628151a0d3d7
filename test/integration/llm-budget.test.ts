import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { InboundMessage, Reply } from '../../src/adapters/chat.contract.js';
import { ChatGateway } from '../../src/adapters/core/chat-gateway.service.js';
import { AuthGuard } from '../../src/api/auth/auth.guard.js';
import { AuthenticateMiddleware } from '../../src/api/auth/authenticate.middleware.js';
import { TokenService } from '../../src/api/auth/token.service.js';
import { LlmUsageController } from '../../src/api/llm/llm-usage.controller.js';
import { z } from 'zod';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { defineAgent, defineTool, type AgentDefinition } from '../../src/sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../src/sdk/builtin-agent.decorator.js';
import { LlmError } from '../../src/sdk/language-model.contract.js';
import { ToolError } from '../../src/sdk/tool-error.js';
import type { UsageReport } from '../../src/orchestrator/llm/llm-usage.service.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiFake } from '../fakes/openai.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';

/** Two agents whose tool asks the model (a summary), as a research or publishing agent would. */
function summariser(number: number, name: string): AgentDefinition {
  return defineAgent({
    manifest: {
      number,
      name,
      description: 'Summarises text',
      version: '1.0.0',
      configSchema: z.object({}),
      secrets: [],
      events: [],
    },
    tools: [
      defineTool({
        name: 'summarise',
        description: 'Summarise a text',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({ text: z.string() }),
        examples: ['summarise this', 'give me the gist', 'short version please', 'tl;dr of that', 'sum up the text'],
        handler: async ({ text }, ctx) => {
          if (!ctx.llm) throw new ToolError('no AI model is configured');
          try {
            return {
              text: (await ctx.llm.complete({ messages: [{ role: 'user', content: `Summarise: ${text}` }] })).text,
            };
          } catch (err) {
            if (err instanceof LlmError) throw new ToolError(err.message);
            throw err;
          }
        },
      }),
    ],
  });
}

@BuiltinAgent()
@Injectable()
class SummariserA implements AgentProvider {
  definition = () => summariser(93, 'summariser');
}

@BuiltinAgent()
@Injectable()
class SummariserB implements AgentProvider {
  definition = () => summariser(94, 'digest-writer');
}

/** GET /llm/usage with the API's own authentication (the whole ApiModule is exercised end to end). */
@Module({ controllers: [LlmUsageController], providers: [TokenService, { provide: APP_GUARD, useClass: AuthGuard }] })
class UsageApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthenticateMiddleware).forRoutes('*path');
  }
}

@Module({ providers: [SummariserA, SummariserB] })
class SummariserModule {}

// Each model call costs 45 tokens against a daily budget of 100: the second call passes 80%, the
// third is still allowed (90 < 100), the fourth is refused.
const PER_CALL = { input: 40, output: 5 };
const UNCLEAR = 'could you tot up twelve and thirty for me';

describe('AI budgets (OpenAI SDK, local fake)', () => {
  let fake: HttpFake;
  let chat: ChatApp;
  let gateway: ChatGateway;

  const say = async (platformUserId: string, text: string): Promise<string> => {
    const replies: Reply[] = [];
    const msg: InboundMessage = {
      platform: 'telegram',
      eventId: randomUUID(),
      address: { platform: 'telegram', workspace: '', channel: `dm-${platformUserId}` },
      sender: { id: platformUserId, name: platformUserId },
      text,
      direct: true,
    };
    await gateway.receive(msg, { reply: async (r) => void replies.push(r) });
    return replies.map((r) => r.text ?? '').join('\n');
  };

  beforeAll(async () => {
    fake = await openAiFake((req: ChatCompletionCreateParams) => {
      const said = JSON.stringify(req.messages.at(-1)?.content ?? '');
      if (said.includes('tot up')) return { tool: 'a91__add', arguments: { a: 12, b: 30 }, usage: PER_CALL };
      return { reply: 'plain words', usage: PER_CALL };
    }).start();
    chat = await startChatApp({
      env: {
        OPENAI_BASE_URL: `${fake.url}/v1`,
        OPENAI_API_KEY: 'sk-test',
        LLM_MODEL: 'gpt-4o-mini',
        LLM_DAILY_TOKENS: '100',
        LLM_MONTHLY_USD: '0',
        ACCESS_TOKEN_SECRET: 'budget-test-secret-0123456789-0123456789',
      },
      modules: [UsageApiModule, SummariserModule],
    });
    gateway = chat.app.get(ChatGateway);
    await chat.pair('telegram', 'ada', '', 'ada@example.test');
    await chat.pair('telegram', 'bob', '', 'bob@example.test');
  });
  afterAll(async () => {
    await chat?.close();
    await fake?.stop();
  });

  it('warns once at 80%, refuses clearly at 100%, and still runs what the local router places', async () => {
    expect(await say('ada', UNCLEAR)).not.toMatch(/budget/i);
    const warned = await say('ada', UNCLEAR);
    expect(warned).toContain('42');
    expect(warned).toMatch(/used 90% of today's AI budget \(90 tokens of 100 tokens\)/);
    expect(await say('ada', UNCLEAR)).not.toMatch(/budget/i); // 90 < 100: allowed, not warned twice

    const asked = fake.requests.length;
    const refused = await say('ada', UNCLEAR);
    expect(refused).toMatch(/You have used today's AI budget \(135 tokens of 100 tokens\)/);
    expect(refused).toContain('#15 list invoices');
    expect(fake.requests.length).toBe(asked);

    expect(await say('ada', '#91 add 1 and 2')).toContain('3');
    expect(await say('ada', 'what is 4 plus 5')).toContain('9');
    expect(fake.requests.length).toBe(asked);
  });

  it("keeps each person's budget their own", async () => {
    const asked = fake.requests.length;
    expect(await say('bob', UNCLEAR)).toContain('42');
    expect(fake.requests.length).toBe(asked + 1);
  });

  it('answers "how much AI did I use this month" in chat without asking a model', async () => {
    const asked = fake.requests.length;
    const answer = await say('ada', 'how much AI did I use this month?');
    expect(answer).toContain('AI use this month');
    expect(answer).toContain('Today: 135 tokens of 100 tokens');
    expect(answer).toContain('routing your messages: 135 tokens');
    expect(fake.requests.length).toBe(asked);
  });

  it('gives agents the model as ctx.llm, and refuses an agent whose own budget (config llm.dailyLimit) is used up', async () => {
    const carol = await chat.pair('telegram', 'carol', '', 'carol@example.test');
    const run = (agentNumber: number) =>
      chat.app
        .get(ExecutorService)
        .execute({ userId: carol, agentNumber, tool: 'summarise', parameters: { text: 'notes' } });
    await chat.app.get(AgentRegistry).reconfigure(93, { llm: { dailyLimit: 40 } });
    expect(await run(93)).toMatchObject({ success: true, text: 'plain words' });
    const [row] = await chat.db.dataSource.query<{ agent_number: number; purpose: string }[]>(
      `SELECT agent_number, purpose FROM llm_usage WHERE user_id = $1`,
      [carol],
    );
    expect(row).toEqual({ agent_number: 93, purpose: 'agent' });

    const refused = await run(93);
    expect(refused.success).toBe(false);
    expect(refused.error).toMatch(/Agent #93 summariser has used today's AI budget \(45 tokens of 40 tokens\)/);
    expect((await run(94)).text).toBe('plain words'); // another agent, the default budget
  });

  it('shows usage at GET /llm/usage to its owner only, per day, month and agent, as documented', async () => {
    const { token } = await chat.app.get(TokenService).mint('ada@example.test');
    const res = await fetch(`${chat.url}/llm/usage`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as UsageReport;
    expect(report.today).toMatchObject({ calls: 3, totalTokens: 135 });
    expect(report.thisMonth.totalTokens).toBe(135);
    // gpt-4o-mini: (3 x 40 x 0.15 + 3 x 5 x 0.60) / 1e6 dollars.
    expect(report.thisMonth.costUsd).toBeCloseTo((120 * 0.15 + 15 * 0.6) / 1e6, 9);
    expect(report.limits).toMatchObject({ dailyTokens: 100, monthlyUsd: 0 });
    expect(report.agents).toEqual([
      expect.objectContaining({
        agentNumber: null,
        agentName: 'router',
        thisMonth: expect.objectContaining({ calls: 3 }),
      }),
    ]);

    expect((await fetch(`${chat.url}/llm/usage`)).status).toBe(401);

    const doc = SwaggerModule.createDocument(chat.app, new DocumentBuilder().build());
    const op = doc.paths['/llm/usage']?.get;
    expect(op?.tags).toEqual(['llm']);
    expect(JSON.stringify(op?.responses['200'])).toContain('thisMonth');
  });
});
