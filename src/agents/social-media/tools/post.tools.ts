import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering } from '../../../sdk/tool-error.js';
import { ComposeError } from '../compose/composer.js';
import { NETWORKS } from '../compose/networks.js';
import { AccountError } from '../connectors/accounts.js';
import { refreshMetrics, describeMetrics } from '../metrics.js';
import type { SocialPostRepository } from '../social-post.repository.js';
import { SocialError, type SocialService } from '../social.service.js';
import type { SocialAccounts } from '../connectors/accounts.js';
import type { Clock } from '../../../common/clock.js';
import { WhenError, WHEN } from '../when.js';
import { hourIn, postRef, readDraftRequest } from './read-request.js';
import { SOCIAL_EXAMPLES } from './social.examples.js';

const EXPECTED = [SocialError, ComposeError, AccountError, WhenError];
const ref = z.string().trim().min(4).max(36).optional();

/** Drafting (with a preview and Post / Edit / Cancel), approving, editing, cancelling, listing, metrics. */
export function postTools(
  social: SocialService,
  deps: { repo: SocialPostRepository; accounts: SocialAccounts; clock: Clock },
): ToolDefinition[] {
  return [
    defineTool({
      name: 'draft_post',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      description:
        'Draft a social media post (Mastodon, Bluesky, X, LinkedIn) and show a preview to approve; posts nothing by itself',
      input: z.object({
        text: z.string().trim().min(1, 'what should the post say?').max(20_000),
        about: z.string().trim().max(2000).optional(),
        networks: z.array(z.enum(NETWORKS)).optional(),
        link: z.string().url().optional(),
        hashtags: z.array(z.string().max(100)).max(30).optional(),
        images: z
          .array(z.object({ url: z.string().url(), alt: z.string().max(5000).optional() }))
          .max(4)
          .optional(),
        when: z.string().max(100).optional(),
        autoApprove: z.boolean().optional(),
      }),
      examples: SOCIAL_EXAMPLES.draft_post,
      extract: (text) => readDraftRequest(text),
      handler: (p, ctx) => answering(EXPECTED, () => social.draft(p, ctx)),
    }),
    defineTool({
      name: 'approve_post',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      description: 'Post an approved draft now, or schedule it ("post it tomorrow at 9")',
      input: z.object({ post: ref, when: z.string().max(100).optional() }),
      examples: SOCIAL_EXAMPLES.approve_post,
      extract: (text) => ({ post: postRef(text), when: WHEN.exec(text)?.[0] }),
      handler: (p, ctx) => answering(EXPECTED, () => social.approve(ctx.userId, p.post, p.when)),
    }),
    defineTool({
      name: 'edit_post',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      description: 'Change the words of a draft post before it goes out',
      input: z.object({ post: ref, text: z.string().trim().max(20_000).optional() }),
      examples: SOCIAL_EXAMPLES.edit_post,
      extract: (text) => {
        const id = postRef(text);
        const words = id
          ? text.slice(text.toLowerCase().indexOf(id) + id.length).replace(/^[^\s]*\s*/, '')
          : (/:\s*([\s\S]+)$/.exec(text)?.[1] ?? /\bsay(?:s)?\s+([\s\S]+)$/i.exec(text)?.[1]);
        return { post: id, text: words?.trim() || undefined };
      },
      handler: (p, ctx) => answering(EXPECTED, () => social.edit(ctx.userId, p.post, p.text, ctx)),
    }),
    defineTool({
      name: 'cancel_post',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
      description: 'Cancel a draft or a scheduled post ("cancel the 9 o\'clock post")',
      input: z.object({
        post: ref,
        hour: z.number().int().min(0).max(23).optional(),
        minute: z.number().int().min(0).max(59).optional(),
      }),
      examples: SOCIAL_EXAMPLES.cancel_post,
      extract: (text) => {
        const at = hourIn(text);
        return { post: postRef(text), hour: at?.hour, minute: at?.minute };
      },
      handler: (p, ctx) =>
        answering(EXPECTED, () =>
          social.cancel(ctx.userId, p.post, p.hour !== undefined ? { hour: p.hour, minute: p.minute } : undefined),
        ),
    }),
    defineTool({
      name: 'list_scheduled',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      description: 'The social media posts scheduled to go out',
      input: z.object({}),
      examples: SOCIAL_EXAMPLES.list_scheduled,
      handler: (_p, ctx) => social.scheduled(ctx.userId),
    }),
    defineTool({
      name: 'social_metrics',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      description: 'Likes, reposts and replies of my recent social media posts',
      input: z.object({ days: z.number().int().min(1).max(90).default(7) }),
      examples: SOCIAL_EXAMPLES.social_metrics,
      handler: async (p, ctx) => {
        const m = await refreshMetrics(deps.repo, deps.accounts, deps.clock, ctx.userId, p.days);
        return { text: describeMetrics(m), data: m };
      },
    }),
  ];
}
