import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { BusinessIntelligenceModule } from '../../src/agents/business-intelligence/business-intelligence.module.js';
import { SocialMediaAgent } from '../../src/agents/social-media/social-media.agent.js';
import { SocialMediaModule } from '../../src/agents/social-media/social-media.module.js';
import { FixedClock } from '../../src/common/clock.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { USER_NOTIFIER, type UserNotice } from '../../src/orchestrator/notifications/user-notifier.port.js';
import type { AgentResponse } from '../../src/sdk/agent.contract.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultService } from '../../src/vault/vault.service.js';
import { BlueskyFake } from '../fakes/bluesky.fake.js';
import { LinkedInFake } from '../fakes/linkedin.fake.js';
import { MastodonFake } from '../fakes/mastodon.fake.js';
import { XFake } from '../fakes/x.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';

const notices: { userId: string; notice: UserNotice }[] = [];

@Global()
@Module({
  providers: [
    {
      provide: USER_NOTIFIER,
      useValue: { notify: async (userId: string, notice: UserNotice) => (notices.push({ userId, notice }), 'console') },
    },
  ],
  exports: [USER_NOTIFIER],
})
class RecordingNotifierModule {}

const local = (url: string) => url.replace('127.0.0.1', 'localhost');
const sentence = (i: number) => `Point ${i}: our new pricing is simpler, with one plan per team size and no seat fees.`;

describe('agent #8 social media against fakes of Mastodon, Bluesky, X and LinkedIn', () => {
  const clock = new FixedClock('2026-12-01T10:00:00Z');
  const mastodon = new MastodonFake();
  const bluesky = new BlueskyFake();
  const x = new XFake();
  const linkedin = new LinkedInFake();
  let o: OrchestratorApp;
  let userId: string;
  let call: (tool: string, parameters: Record<string, unknown>) => Promise<AgentResponse>;
  let say: (text: string) => Promise<string>;
  /** Moves the clock; an unlock session ends with time, so the vault is opened again. */
  let moveTo: (at: string | number) => Promise<void>;

  beforeAll(async () => {
    await Promise.all([mastodon.start(), bluesky.start(), x.start(), linkedin.start()]);
    o = await startOrchestrator(
      'pglite',
      {
        PAIOS_ALLOW_HOSTS: 'localhost',
        PAIOS_TIMEZONE: 'UTC',
        SOCIAL_X_API_BASE: x.url,
        SOCIAL_LINKEDIN_API_BASE: linkedin.url,
        VAULT_ARGON2_MEMORY_KIB: '19456',
        VAULT_ARGON2_ITERATIONS: '2',
        VAULT_ARGON2_PARALLELISM: '1',
      },
      [SocialMediaModule, BusinessIntelligenceModule, VaultModule, RecordingNotifierModule],
      clock,
    );
    userId = (await o.app.get(UserRepository).upsertByEmail('social@example.test')).id;
    const executor = o.app.get(ExecutorService);
    call = (tool, parameters) => executor.execute({ userId, agentNumber: 8, tool, parameters });
    const conversation = o.app.get(ConversationService);
    say = async (text) => (await conversation.handle({ userId, text })).reply;
    const vault = o.app.get(VaultService);
    await vault.unlock(userId, 'social vault master');
    moveTo = async (at) => {
      clock.set(at);
      await vault.unlock(userId, 'social vault master');
    };
    await vault.store(userId, 'mastodon', { url: local(mastodon.url), token: 'masto-token' });
    await vault.store(userId, 'bluesky', {
      handle: 'paios.test',
      appPassword: 'app-pass-word',
      service: local(bluesky.url),
    });
    await vault.store(userId, 'x', { accessToken: 'x-token' });
    await vault.store(userId, 'linkedin', { accessToken: 'li-token', author: 'urn:li:person:paios' });
    for (const service of ['mastodon', 'bluesky', 'x', 'linkedin']) await vault.grant(userId, 8, service);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.all([mastodon.stop(), bluesky.stop(), x.stop(), linkedin.stop()]);
  });

  it('refuses an image without alt text, saying why, and posts nothing', async () => {
    const res = await call('draft_post', {
      text: 'Our new office',
      networks: ['mastodon'],
      images: [{ url: 'https://acme.test/office.png' }],
    });
    expect(res.success).toBe(false);
    expect(res.error).toMatch(
      /^Image 1 \(https:\/\/acme\.test\/office\.png\) has no alt text: every image needs a description/,
    );
    expect(mastodon.statuses).toHaveLength(0);
  });

  it('splits a long post into a numbered thread, previews it, and posts the parts as replies in order', async () => {
    const text = Array.from({ length: 8 }, (_, i) => sentence(i + 1)).join(' ');
    const draft = await call('draft_post', { text, networks: ['x'] });
    expect(draft.success).toBe(true);
    expect(draft.text).toMatch(/^Here is the post for X\. Post it\?\n\n\*\*X\*\* \(thread of \d\)/);
    expect(draft.buttons!.map((b) => b.label)).toEqual(['Post', 'Edit', 'Cancel']);
    expect(x.tweets).toHaveLength(0); // nothing before approval

    const posted = await call('approve_post', { post: (draft.data as { id: string }).id });
    expect(posted.text).toMatch(/^Posted: /);
    process.stdout.write(
      JSON.stringify(
        x.requests.map((r) => [r.method, r.path, r.headers['content-type'], r.raw.toString().slice(0, 200)]),
      ) + '\n',
    );
    const n = x.tweets.length;
    expect(n).toBeGreaterThan(1);
    x.tweets.forEach((t, i) => {
      expect(t.text.endsWith(` ${i + 1}/${n}`)).toBe(true);
      expect(t.inReplyTo).toBe(i === 0 ? undefined : x.tweets[i - 1]!.id);
    });
  });

  it('posts once to two networks after the Post button, though each fails once (same idempotency key)', async () => {
    mastodon.loseAnswers = 1; // saved, but the answer is a 500
    bluesky.failNext = 1; // a 500 before saving
    const draft = await call('draft_post', {
      text: 'Hello @alice.test, the new pricing is live: https://acme.test/pricing',
      networks: ['mastodon', 'bluesky'],
    });
    expect(draft.text).toContain('**Mastodon**');
    expect(draft.text).toContain('**Bluesky**');
    const post = draft.buttons!.find((b) => b.label === 'Post')!;
    expect(post.value).toMatch(/^#8 approve_post [0-9a-f]{8}$/);

    const reply = await say(post.value);
    expect(reply).toMatch(/^Posted: "Hello @alice\.test/);
    expect(reply).toContain(`- Mastodon: ${local(mastodon.url)}/@paios/`);
    expect(reply).toContain('- Bluesky: https://bsky.app/profile/paios.test/post/');
    expect(mastodon.statuses).toHaveLength(1);
    const keys = mastodon.requests
      .filter((r) => r.path === '/api/v1/statuses')
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(bluesky.records).toHaveLength(1);
    // Links and mentions are facets (the mention resolved to its DID).
    const features = bluesky.records[0]!.record.facets!.flatMap((f) => f.features);
    expect(features).toEqual(
      expect.arrayContaining([
        { $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:alice000000000000000000' },
        { $type: 'app.bsky.richtext.facet#link', uri: 'https://acme.test/pricing' },
      ]),
    );

    // Pressing Post again posts nothing more.
    expect(await say(post.value)).toMatch(/already posted/);
    expect(mastodon.statuses).toHaveLength(1);
    expect(bluesky.records).toHaveLength(1);
  });

  it('posts to LinkedIn once when its answer is lost, by finding the post the first try made', async () => {
    linkedin.loseAnswers = 1;
    const draft = await call('draft_post', { text: 'We are hiring a designer.', networks: ['linkedin'] });
    const res = await call('approve_post', { post: (draft.data as { id: string }).id });
    expect(res.text).toBe(
      'Posted: "We are hiring a designer."\n- LinkedIn: https://www.linkedin.com/feed/update/urn:li:share:7000/',
    );
    expect(linkedin.posts).toHaveLength(1);
  });

  it('schedules "tomorrow at 9", lists it, fires it on the clock with a receipt in chat, and cancels another', async () => {
    const draft = await call('draft_post', {
      text: 'Webinar starts in an hour',
      networks: ['mastodon'],
      when: 'tomorrow at 9',
    });
    expect(draft.buttons![0]!.label).toBe('Schedule');
    expect(await say(draft.buttons![0]!.value)).toMatch(/^Scheduled for Wed 2 Dec, 09:00 on Mastodon/);
    const other = await call('draft_post', { text: 'Doors open', networks: ['mastodon'] });
    await call('approve_post', { post: (other.data as { id: string }).id, when: 'tomorrow at 17:00' });
    expect(await say("what's scheduled")).toMatch(
      /^- Wed 2 Dec, 09:00, Mastodon: "Webinar starts in an hour" \([0-9a-f]{8}\)\n- Wed 2 Dec, 17:00, Mastodon: "Doors open"/,
    );

    const agent = o.app.get(SocialMediaAgent);
    const before = mastodon.statuses.length;
    expect(await agent.publishDue()).toBe(0);
    // paios was down at 9: the sweep at 9:30 catches up.
    await moveTo('2026-12-02T09:30:00Z');
    expect(await agent.publishDue()).toBe(1);
    expect(mastodon.statuses.slice(before).map((s) => s.status)).toEqual(['Webinar starts in an hour']);
    expect(notices.at(-1)).toMatchObject({
      userId,
      notice: {
        text: expect.stringMatching(
          /^Posted: "Webinar starts in an hour" \(scheduled for Wed 2 Dec, 09:00\)\n- Mastodon: /,
        ),
      },
    });

    expect(await say('cancel the 5 pm post')).toBe(
      'Cancelled the post scheduled for Wed 2 Dec, 17:00 ("Doors open"). Nothing was posted.',
    );
    await moveTo('2026-12-02T18:00:00Z');
    expect(await agent.publishDue()).toBe(0);
    expect(mastodon.statuses.map((s) => s.status)).not.toContain('Doors open');
    expect(await say("what's scheduled")).toBe('Nothing is scheduled.');
  });

  it('waits out a 429 until the reset and then posts once', async () => {
    x.rateLimit = 1;
    const before = x.tweets.length;
    const draft = await call('draft_post', { text: 'Rate limits are real', networks: ['x'] });
    const res = await call('approve_post', { post: (draft.data as { id: string }).id });
    expect(res.text).toMatch(/^Not everywhere yet: "Rate limits are real"\n- X: will try again at /);
    expect(x.tweets).toHaveLength(before);
    await moveTo(1796000000 * 1000 + 1000);
    expect(await o.app.get(SocialMediaAgent).publishDue()).toBe(1);
    expect(x.tweets.slice(before).map((t) => t.text)).toEqual(['Rate limits are real']);
  });

  it('reports likes, reposts and replies of recent posts', async () => {
    mastodon.statuses[0]!.favourites = 7;
    const res = await call('social_metrics', { days: 30 });
    expect(res.text).toMatch(/^Social, last 30 day\(s\): \d+ post\(s\)\. /);
    expect(res.text).toContain('Mastodon: 7 likes, 0 reposts, 0 replies');
    expect(res.text).toContain('Bluesky: 0 likes, 1 reposts, 0 replies');
    const digest = await o.app
      .get(ExecutorService)
      .execute({ userId, agentNumber: 1, tool: 'daily_digest', parameters: {} });
    // #1's daily digest asks #8 over MCP for the last day's line.
    expect(digest.text).toMatch(/\nSocial, last 1 day\(s\): \d+ post\(s\)\. Mastodon: 7 likes, 0 reposts, 0 replies\./);
    // #7 does not run here: no watched-pages line, and the digest is still whole.
    expect(digest.text).not.toContain('Watched pages');
  });

  it('routes what people say to #8', async () => {
    const conversation = o.app.get(ConversationService);
    const turn = await conversation.handle({ userId, text: 'post to mastodon: the beta is open' });
    expect(turn.decision.tool).toBe('draft_post');
    expect(turn.decision.parameters).toMatchObject({ text: 'the beta is open', networks: ['mastodon'] });
    expect(turn.reply).toContain('> the beta is open');
  });
});
