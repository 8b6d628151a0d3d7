import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { FixedClock } from '../../src/common/clock.js';
import { ConversationService, type Utterance } from '../../src/orchestrator/conversation/conversation.service.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { anthropicFake } from '../fakes/anthropic.fake.js';
import type { FakeUsage } from '../fakes/openai.fake.js';
import { openAiFake } from '../fakes/openai.fake.js';
import type { HttpFake, RecordedRequest } from '../fakes/http-fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';

/** One step of a scripted model: call a tool, or answer in words. */
type Step = { call: string; args: Record<string, unknown>; usage?: FakeUsage } | { reply: string };

/**
 * What the model does, by the request it is working on (a phrase of the first message) and by how
 * many tool results it has seen so far: a script, as a model would plan it.
 */
const SCRIPTS: [string, Step[]][] = [
  [
    'read back my notes and then add 2 and 3',
    [
      { call: 'a90__recall', args: {} },
      { call: 'a91__add', args: { a: 2, b: 3 } },
      { reply: 'Your note: buy milk. 2 + 3 = 5.' },
    ],
  ],
  [
    'put 5 on the tally and then show the total',
    [{ call: 'a91__tally', args: { amount: 5 } }, { call: 'a91__total', args: {} }, { reply: 'The tally is now 5.' }],
  ],
  ['add 1 and 1 for each of my notes', Array.from({ length: 10 }, () => ({ call: 'a91__add', args: { a: 1, b: 1 } }))],
  [
    'tot up my notes and then add 4 and 4',
    [{ call: 'a90__recall', args: {}, usage: { input: 5_000, output: 10 } }, { reply: 'unreachable' }],
  ],
];

function stepFor(body: unknown, toolResults: number): Step {
  const said = JSON.stringify(body);
  const script = SCRIPTS.find(([phrase]) => said.includes(phrase))?.[1];
  return script?.[toolResults] ?? { reply: 'Which one do you mean?' };
}

const bodyOf = (r: RecordedRequest) => JSON.stringify(r.body);

describe.each(['openai', 'anthropic'] as const)(
  'requests for several tools, through the %s SDK (local fake)',
  (provider) => {
    const clock = new FixedClock('2026-03-02T10:00:00Z');
    let fake: HttpFake;
    let o: OrchestratorApp;
    let conversation: ConversationService;
    let owner: string;
    let progress: string[];

    const say = (text: string, extra: Partial<Utterance> = {}) =>
      conversation.handle({
        userId: owner,
        text,
        chat: 'console::owner',
        caller: { kind: 'chat', platform: 'console', direct: true },
        progress: async (t) => void progress.push(t),
        ...extra,
      });

    const tally = async () =>
      (
        await o.app.get(ExecutorService).execute({
          userId: owner,
          agentNumber: 91,
          tool: 'total',
          parameters: {},
          caller: { kind: 'api', direct: true },
        })
      ).text;

    beforeAll(async () => {
      if (provider === 'openai') {
        fake = await openAiFake((req: ChatCompletionCreateParams) => {
          const step = stepFor(req.messages, req.messages.filter((m) => m.role === 'tool').length);
          return 'call' in step ? { tool: step.call, arguments: step.args, usage: step.usage } : step;
        }).start();
      } else {
        fake = await anthropicFake((req: MessageCreateParams) => {
          const results = JSON.stringify(req.messages).split('"tool_result"').length - 1;
          const step = stepFor(req.messages, results);
          return 'call' in step ? { tool: step.call, input: step.args, usage: step.usage } : step;
        }).start();
      }
      const env: Record<string, string> = {
        LLM_MODEL: 'test-model',
        LLM_TOOL_STEPS: '3',
        LLM_DAILY_TOKENS: '4000',
        ...(provider === 'openai'
          ? { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'sk-test' }
          : { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test' }),
      };
      o = await startOrchestrator('pglite', env, [VaultModule, PasswordVaultModule], clock);
      conversation = o.app.get(ConversationService);
      const users = o.app.get(UserRepository);
      owner = (await users.upsertByEmail(`loop-${provider}@example.test`)).id;
      await say('#90 remember buy milk');
    }, 240_000);
    afterAll(async () => {
      await o?.close();
      await fake?.stop();
    });

    it('works through several tools, each step seeing the results so far, with progress in the chat', async () => {
      progress = [];
      const before = fake.requests.length;
      const turn = await say('read back my notes and then add 2 and 3');
      expect(turn.reply).toBe('Your note: buy milk. 2 + 3 = 5.');
      const asked = fake.requests.slice(before);
      expect(asked).toHaveLength(3);
      // The second step saw what the first tool answered; the third saw both.
      expect(bodyOf(asked[1]!)).toContain('buy milk');
      expect(bodyOf(asked[2]!)).toContain('2 + 3 = 5');
      // One progress message: the clock stands still, and they are rate-limited.
      expect(progress).toEqual(['List saved notes… (step 1/3)']);
    });

    it('asks before a tool that changes something, and runs it only after the yes button', async () => {
      progress = [];
      const asked = await say('put 5 on the tally and then show the total');
      expect(asked.reply).toMatch(/#91 calculator tally \(amount: 5\).*Go ahead\?/s);
      const buttons = asked.response?.buttons ?? [];
      expect(buttons.map((b) => b.label)).toEqual(['Yes, go ahead', 'No, stop']);
      // Asked, not run: the tally (read without the chat, whose open question a new request would drop).
      expect(await tally()).toBe('tally is 0');

      const done = await say(buttons[0]!.value);
      expect(done.reply).toBe('The tally is now 5.');
      expect(await tally()).toBe('tally is 5');
      // The same button again answers nothing: the step ran once.
      expect((await say(buttons[0]!.value)).reply).toMatch(/expired or was already answered/);
    });

    it('a "no" runs nothing', async () => {
      const asked = await say('put 5 on the tally and then show the total');
      const no = asked.response!.buttons![1]!.value;
      expect((await say(no)).reply).toMatch(/^Cancelled: nothing more was run/);
      expect(await tally()).toBe('tally is 5');
    });

    it('says plainly when it stopped at the step limit', async () => {
      const before = fake.requests.length;
      const turn = await say('add 1 and 1 for each of my notes');
      expect(turn.reply).toMatch(/^I stopped after 3 steps without finishing\. I ran #91 add, #91 add\./);
      expect(turn.response?.success).toBe(false);
      expect(fake.requests.length - before).toBe(3);
    });

    it('offers the model a small prompt: the pruned catalog, never a tool that handles secrets', async () => {
      const turn = await say('read back my notes and then add 2 and 3');
      expect(turn.decision.via).toBe('llm');
      const first = fake.requests.filter((r) => bodyOf(r).includes('read back my notes')).at(-3)!;
      expect(first.raw.length).toBeLessThanOrEqual(6 * 1024);
      const offered = (first.body as { tools: { name?: string; function?: { name: string } }[] }).tools.map(
        (t) => t.function?.name ?? t.name,
      );
      const catalog = o.app.get(AgentRegistry).catalog();
      expect(offered.length).toBeLessThan(catalog.length);
      for (const secret of catalog.filter((t) => t.sensitive))
        expect(offered).not.toContain(`a${secret.agentNumber}__${secret.name}`);
    });

    it('refuses clearly when the budget runs out mid-way, while local routing still works without a model', async () => {
      const spender = (await o.app.get(UserRepository).upsertByEmail(`spender-${provider}@example.test`)).id;
      const turn = await say('tot up my notes and then add 4 and 4', { userId: spender, chat: 'console::spender' });
      expect(turn.reply).toMatch(/budget/i);
      expect(turn.reply).toContain('Before that I ran #90 recall.');
      const before = fake.requests.length;
      const local = await say('what is 4 plus 5', { userId: spender, chat: 'console::spender' });
      expect(local.reply).toBe('4 + 5 = 9');
      expect(fake.requests.length).toBe(before);
    });

    it('passes the last agent of the conversation to the router: vague words lean toward it', async () => {
      const vague = 'read it back';
      await say('#90 recall', { chat: 'console::notes' });
      const afterNotes = await say(vague, { chat: 'console::notes', dryRun: true });
      await say('#91 add 2 and 3', { chat: 'console::sums' });
      const afterSums = await say(vague, { chat: 'console::sums', dryRun: true });
      const best = (t: typeof afterNotes, agent: number) =>
        Math.max(0, ...t.decision.scores.filter((s) => s.agentNumber === agent).map((s) => s.score));
      expect(best(afterNotes, 90)).toBeGreaterThan(best(afterSums, 90));
      expect(best(afterSums, 91)).toBeGreaterThan(best(afterNotes, 91));
    });
  },
);
