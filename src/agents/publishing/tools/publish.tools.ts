import { z } from 'zod';
import { startOfDay, type Calendar } from '../../../common/clock.js';
import { defineTool, type ToolDefinition, type ToolResult } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { slugify } from '../front-matter.js';
import { referenceIn, timeIn } from '../post-finder.js';
import type { PostRepository } from '../post.repository.js';
import type { Publisher } from '../publisher.js';
import type { RemoteOutcome } from '../remote/remote-publisher.js';
import { postData, withChoice, type PublishingDeps } from './post-view.js';
import { PUBLISHING_EXAMPLES } from './publishing.examples.js';

const remoteLines = (remotes: RemoteOutcome[]) =>
  remotes.map((r) => `\n${r.ok ? '✓' : '✗'} ${r.message}${r.ok && r.url ? ` — ${r.url}` : ''}`).join('');

/** "2026-12-02" + "09:00" (the person's time zone), or an ISO instant as given. */
export function whenOf(at: string, time: string | undefined, calendar: Calendar): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) {
    const [h, m] = (time ?? '09:00').split(':').map(Number);
    return new Date(startOfDay(at, calendar.timeZone).getTime() + (h! * 60 + m!) * 60_000);
  }
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new ToolError(`I could not read "${at}" as a date and time.`);
  return instant;
}

/** Publishing now or later, and unpublishing. */
export function publishTools(
  repo: PostRepository,
  publisher: Publisher,
  calendar: Calendar,
  deps: PublishingDeps,
): ToolDefinition[] {
  return [
    defineTool({
      name: 'publish_post',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      description: 'Publish a draft to my site (and Ghost/WordPress when granted), now or at a given time',
      input: z.object({
        post: z.string().trim().max(300).optional(),
        at: z.string().trim().max(40).optional().describe('date or date-time to publish at; now when absent'),
        time: z
          .string()
          .regex(/^\d{2}:\d{2}$/)
          .optional()
          .describe('time of day (HH:MM) with a date'),
      }),
      examples: PUBLISHING_EXAMPLES.publish_post,
      extract: (text) => {
        const post = referenceIn(text);
        const time = timeIn(text);
        return { ...(post ? { post } : {}), ...(time ? { time } : {}) };
      },
      handler: async (p, ctx) =>
        withChoice(async () => {
          await publisher.settings(ctx.userId, ctx.config);
          const posts = await repo.list(ctx.userId);
          // Named exactly and already out: say so rather than pick a draft that merely looks alike.
          const live = p.post ? posts.find((x) => x.status === 'published' && x.slug === slugify(p.post!)) : undefined;
          const post = live ?? deps.find(posts, p.post, 'publish', ['draft', 'scheduled']);
          const when = p.at ? whenOf(p.at, p.time, calendar) : undefined;
          if (when && when.getTime() > calendar.now().getTime() + 60_000) {
            const scheduled = await publisher.schedule(post, when, (work) => ctx.transaction(work));
            return {
              text: `"${post.title}" is scheduled for ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
              data: postData(scheduled, deps),
              buttons: [{ label: 'Cancel', value: `unpublish the post ${post.slug}`, style: 'danger' }],
            };
          }
          const out = await publisher.publish(post, (work) => ctx.transaction(work));
          return {
            text: `${out.changed ? 'Published' : 'Already published:'} "${out.post.title}" — ${out.url}${remoteLines(out.remotes)}`,
            data: { ...postData(out.post, deps), remotes: out.remotes },
          } satisfies ToolResult;
        }),
    }),
    defineTool({
      name: 'unpublish_post',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      description: 'Take a post off my site (back to draft) or cancel a scheduled one',
      input: z.object({ post: z.string().trim().max(300).optional() }),
      examples: PUBLISHING_EXAMPLES.unpublish_post,
      extract: (text) => {
        const post = referenceIn(text);
        return post ? { post } : {};
      },
      handler: async (p, ctx) =>
        withChoice(async () => {
          const post = deps.find(await repo.list(ctx.userId), p.post, 'unpublish', ['published', 'scheduled']);
          const out = await publisher.unpublish(post, (work) => ctx.transaction(work));
          const was = post.status === 'scheduled' ? 'no longer scheduled' : 'off your site, back to draft';
          return {
            text: `"${post.title}" is ${was}.${remoteLines(out.remotes)}`,
            data: { ...postData(out.post, deps), remotes: out.remotes },
          };
        }),
    }),
  ];
}
