import type { Clock } from '../../common/clock.js';
import type { UserNotifier } from '../../orchestrator/notifications/user-notifier.port.js';
import type { ChoiceButton, ToolContext } from '../../sdk/agent.contract.js';
import { compose, preview, type Draft } from './compose/composer.js';
import { NETWORK_NAMES, type Network } from './compose/networks.js';
import type { SocialAccounts } from './connectors/accounts.js';
import type { PublishOutcome, Publisher } from './publisher.js';
import type { SocialPost, SocialPostRepository } from './social-post.repository.js';
import { localTime, parseWhen, showTime } from './when.js';

export class SocialError extends Error {
  override name = 'SocialError';
}

export interface DraftInput extends Omit<Draft, 'scheduleAt'> {
  networks?: Network[];
  about?: string;
  when?: string;
  autoApprove?: boolean;
}

const short = (id: string) => id.slice(0, 8);
const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
const networksOf = (post: SocialPost) => list(post.composed.map((c) => NETWORK_NAMES[c.network]));

/** A post-writing brief for the model: the person's request in, the post's words out. */
const WRITER =
  'You write social media posts for the person you work for, in their voice: plain text, concrete, no ' +
  'emoji spam, at most two hashtags, no quotation marks around the post. Answer with the post only. ' +
  'Keep it under 280 characters unless the request asks for a thread or a long post.';

/**
 * What #8 does for a person: drafts a post for each network with a preview and Post / Edit / Cancel
 * buttons; posts only what was approved (now, or at the time asked); lists and cancels scheduled
 * posts; sweeps posts that are due (catching up after downtime) and tells the chat when they go out.
 */
export class SocialService {
  constructor(
    private readonly repo: SocialPostRepository,
    private readonly accounts: SocialAccounts,
    private readonly publisher: Publisher,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly notifier?: UserNotifier,
  ) {}

  async draft(
    input: DraftInput,
    ctx: ToolContext,
    keepTime?: string,
  ): Promise<{ text: string; buttons?: ChoiceButton[]; data: unknown }> {
    let words = input.text.trim();
    if (input.about && ctx.llm) {
      const result = await ctx.llm.complete({
        system: WRITER,
        messages: [{ role: 'user', content: `Write a post about ${input.about}` }],
        maxTokens: 600,
        temperature: 0.7,
      });
      words = result.text.trim().replace(/^["“]|["”]$/g, '') || words;
    }
    const networks = input.networks?.length ? input.networks : await this.accounts.granted(ctx.userId);
    if (networks.length === 0)
      throw new SocialError(
        'Which network? You have no account granted to #8 yet: store one in your vault (service "mastodon", "bluesky", "x" or "linkedin") and grant it to agent #8, or name the network.',
      );
    const scheduleAt = input.when ? parseWhen(input.when, this.clock.now(), this.timeZone).toISOString() : keepTime;
    const draft: Draft = { text: words, link: input.link, hashtags: input.hashtags, images: input.images, scheduleAt };
    const composed = compose(draft, networks);
    const { post, created } = await this.repo.create(
      ctx.userId,
      draft,
      composed,
      ctx.caller?.address,
      ctx.idempotencyKey,
    );
    // A workflow its owner set to autoApprove posts without asking (once, even when its job is retried).
    if (input.autoApprove && ctx.caller?.kind === 'workflow') {
      if (!created && post.status !== 'draft')
        return { text: `Already handled (${post.status}).`, data: this.view(post) };
      return this.approve(ctx.userId, post.id, undefined);
    }
    const when = scheduleAt ? ` at ${showTime(new Date(scheduleAt), this.timeZone)}` : '';
    const id = short(post.id);
    return {
      text: `Here is the post for ${networksOf(post)}${when}. Post it?\n\n${composed.map(preview).join('\n\n')}`,
      buttons: [
        { label: scheduleAt ? 'Schedule' : 'Post', value: `#8 approve_post ${id}`, style: 'primary' },
        { label: 'Edit', value: `#8 edit_post ${id}` },
        { label: 'Cancel', value: `#8 cancel_post ${id}`, style: 'danger' },
      ],
      data: this.view(post),
    };
  }

  async edit(userId: string, ref: string | undefined, text: string | undefined, ctx: ToolContext) {
    const post = await this.repo.find(userId, ref, ['draft']);
    if (!post) throw new SocialError('There is no draft to edit; say "post: …" to start one.');
    if (!text?.trim())
      return {
        text: `What should it say instead? Send \`#8 edit_post ${short(post.id)} <the new words>\`.`,
        data: this.view(post),
      };
    // The new words are a new draft (previewed again); the old one is set aside.
    await this.repo.transition(post.id, ['draft'], 'cancelled');
    const { scheduleAt, ...kept } = post.draft;
    const networks = post.composed.map((c) => c.network);
    return this.draft({ ...kept, text: text.trim(), networks }, { ...ctx, idempotencyKey: undefined }, scheduleAt);
  }

  /** Approves a draft: posts it now, or schedules it (`when`, else the time the draft was made for). */
  async approve(userId: string, ref: string | undefined, when: string | undefined) {
    const post = await this.repo.find(userId, ref, ['draft']);
    if (!post) {
      const done = ref
        ? await this.repo.find(userId, ref, ['approved', 'scheduled', 'posted', 'partly_posted'])
        : undefined;
      if (done) return { text: `That post is already ${done.status.replace('_', ' ')}.`, data: this.view(done) };
      throw new SocialError(ref ? `No draft ${ref}.` : 'There is no draft to post; say "post: …" first.');
    }
    const at = when
      ? parseWhen(when, this.clock.now(), this.timeZone)
      : post.draft.scheduleAt
        ? new Date(post.draft.scheduleAt)
        : undefined;
    if (at && at > this.clock.now()) {
      if (!(await this.repo.transition(post.id, ['draft'], 'scheduled', at)))
        return { text: 'That post was already handled.', data: this.view(post) };
      return {
        text: `Scheduled for ${showTime(at, this.timeZone)} on ${networksOf(post)}. I will tell you here when it goes out; "what's scheduled" lists it.`,
        data: { ...this.view(post), scheduledAt: at.toISOString() },
      };
    }
    if (!(await this.repo.approveNow(post.id, this.clock.now(), 5 * 60_000)))
      return { text: 'That post was already handled.', data: this.view(post) };
    const outcome = await this.publisher.publish(post);
    return { text: receipt(outcome, this.timeZone), data: this.outcomeView(outcome) };
  }

  async cancel(userId: string, ref: string | undefined, hour: { hour: number; minute?: number } | undefined) {
    let post: SocialPost | undefined;
    if (hour && !ref) {
      const scheduled = await this.repo.list(userId, ['scheduled']);
      post = scheduled.find((p) => {
        const t = localTime(p.scheduledAt!, this.timeZone);
        return t.hour === hour.hour && (hour.minute === undefined || hour.minute === t.minute);
      });
      if (!post)
        throw new SocialError(`Nothing is scheduled at ${hour.hour}:${String(hour.minute ?? 0).padStart(2, '0')}.`);
    } else post = await this.repo.find(userId, ref, ['draft', 'scheduled']);
    if (!post) throw new SocialError('There is no draft or scheduled post to cancel.');
    if (!(await this.repo.transition(post.id, ['draft', 'scheduled'], 'cancelled')))
      throw new SocialError('Too late: that post is going out already.');
    const what =
      post.status === 'scheduled'
        ? `the post scheduled for ${showTime(post.scheduledAt!, this.timeZone)}`
        : 'the draft';
    return { text: `Cancelled ${what} ("${excerpt(post.draft.text)}"). Nothing was posted.`, data: this.view(post) };
  }

  async scheduled(userId: string) {
    const posts = await this.repo.list(userId, ['scheduled']);
    return {
      text: posts.length
        ? posts
            .map(
              (p) =>
                `- ${showTime(p.scheduledAt!, this.timeZone)}, ${networksOf(p)}: "${excerpt(p.draft.text)}" (${short(p.id)})`,
            )
            .join('\n')
        : 'Nothing is scheduled.',
      data: posts.map((p) => ({ ...this.view(p), scheduledAt: p.scheduledAt!.toISOString() })),
    };
  }

  /** Every post due by now (scheduled, or left to retry), sent and told; run every minute and at boot. */
  async publishDue(): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = [];
    for (const post of await this.repo.due(this.clock.now())) {
      if (!(await this.repo.claim(post.id, this.clock.now(), 5 * 60_000))) continue;
      const outcome = await this.publisher.publish(post);
      outcomes.push(outcome);
      if (outcome.status !== 'approved')
        await this.notifier?.notify(post.userId, {
          text: receipt(outcome, this.timeZone, post.scheduledAt),
          chat: post.chat ?? undefined,
        });
    }
    return outcomes;
  }

  private view(post: SocialPost) {
    return {
      id: post.id,
      status: post.status,
      networks: post.composed.map((c) => ({ network: c.network, parts: c.parts, images: c.images })),
    };
  }

  private outcomeView(o: PublishOutcome) {
    return {
      id: o.post.id,
      status: o.status,
      networks: o.networks.map((n) => ({ ...n, retryAt: n.retryAt?.toISOString() })),
    };
  }
}

const excerpt = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text).replace(/\s+/g, ' ');

/** "Posted to Mastodon (link) and Bluesky (link)", with what failed or waits. */
function receipt(o: PublishOutcome, timeZone: string, dueAt?: Date | null): string {
  const lines = o.networks.map((n) => {
    const name = NETWORK_NAMES[n.network];
    if (n.state === 'posted') return `- ${name}: ${n.url}`;
    if (n.state === 'refused') return `- ${name}: not posted: ${n.error}`;
    return `- ${name}: will try again at ${showTime(n.retryAt!, timeZone)}`;
  });
  const head =
    o.status === 'posted'
      ? 'Posted'
      : o.status === 'partly_posted'
        ? 'Posted in part'
        : o.status === 'failed'
          ? 'Not posted'
          : 'Not everywhere yet';
  const when = dueAt ? ` (scheduled for ${showTime(dueAt, timeZone)})` : '';
  return `${head}: "${excerpt(o.post.draft.text)}"${when}\n${lines.join('\n')}`;
}
