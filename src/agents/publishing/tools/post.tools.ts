import { z } from 'zod';
import { defineTool, type ToolDefinition, type ToolResult } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { parseDraft } from '../front-matter.js';
import { referenceIn } from '../post-finder.js';
import type { PostRepository } from '../post.repository.js';
import type { Post, PostMeta, PostStatus } from '../post.types.js';
import { postData, withChoice, type PublishingDeps } from './post-view.js';
import { PUBLISHING_EXAMPLES } from './publishing.examples.js';

const tags = z.array(z.string().trim().min(1).max(40)).max(20);
const metaFields = {
  title: z.string().trim().min(1).max(300).optional(),
  tags: tags.optional(),
  summary: z.string().trim().max(1000).optional(),
  coverImage: z.string().trim().url().max(2000).optional(),
};

const overrides = (p: {
  title?: string;
  tags?: string[];
  summary?: string;
  coverImage?: string;
}): Partial<PostMeta> => ({
  ...(p.title ? { title: p.title } : {}),
  ...(p.tags ? { tags: p.tags.map((t) => t.toLowerCase()) } : {}),
  ...(p.summary ? { summary: p.summary } : {}),
  ...(p.coverImage ? { coverImage: p.coverImage } : {}),
});

/** "new post: Pricing, explained\n\nWe changed…" -> the text after the command. */
export function draftTextIn(text: string): string | undefined {
  const m =
    /^\s*(?:(?:a\s+)?new\s+(?:blog\s+)?(?:post|draft|article)|(?:write|draft|start|create)\s+(?:a\s+)?(?:new\s+)?(?:blog\s+)?(?:post|draft|article)|blog\s+post)\s*(?::|-|—|called|titled|about)?\s*([\s\S]+)$/i.exec(
      text,
    );
  return m?.[1]?.trim() || undefined;
}

function saved(post: Post, verb: string, deps: PublishingDeps): ToolResult {
  const words = post.body.split(/\s+/).filter(Boolean).length;
  return {
    text: `${verb} "${post.title}" (revision ${post.revision}, ${words} words${post.tags.length ? `, tags ${post.tags.join(', ')}` : ''}). It goes to ${deps.siteUrl}${post.slug}/ when published.`,
    data: postData(post, deps),
    buttons: [{ label: 'Publish now', value: `publish the post ${post.slug}`, style: 'primary' }],
  };
}

/** Drafts: new ones from chat or research, edits as revisions, and the list. */
export function postTools(repo: PostRepository, deps: PublishingDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'new_post',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      description: 'Start a blog post draft from markdown (front matter: title, slug, tags, summary, cover_image)',
      input: z.object({ markdown: z.string().max(200_000).optional(), ...metaFields }),
      examples: PUBLISHING_EXAMPLES.new_post,
      extract: (text) => {
        const markdown = draftTextIn(text);
        return markdown ? { markdown } : {};
      },
      handler: async (p, ctx) => {
        if (!p.markdown?.trim() && !p.title)
          throw new ToolError('What is the post about? Say "new post: <title>" and its text.');
        const { meta, body } = parseDraft(p.markdown ?? '', overrides(p));
        const post = await repo.create(ctx.userId, meta, body);
        return saved(post, 'Draft saved:', deps);
      },
    }),
    defineTool({
      name: 'post_from_research',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      description: 'Turn research from agent #18 (the latest, or on a topic) into a blog post draft with its sources',
      input: z.object({ topic: z.string().trim().max(200).optional() }),
      examples: PUBLISHING_EXAMPLES.post_from_research,
      extract: (text) => {
        const topic = /\b(?:about|on|into)\s+(.+?)[?.!]*$/i.exec(text)?.[1]?.trim();
        return topic && !/^(it|this|that)$/i.test(topic) ? { topic } : {};
      },
      handler: async (p, ctx) => {
        const recalled = await ctx.callAgent(18, 'recall', p.topic ? { topic: p.topic } : {});
        const findings = (recalled.success ? recalled.data : undefined) as
          { question: string; answer: string; sources: { n: number; title: string; url: string }[] }[] | undefined;
        const finding = findings?.[0];
        if (!finding)
          throw new ToolError(
            p.topic
              ? `I have no research about "${p.topic}" to turn into a post.`
              : 'There is no research to turn into a post yet: ask agent #18 to research something first.',
          );
        const title = finding.question.replace(/^./, (c) => c.toUpperCase()).replace(/[?.]+$/, '');
        const sources = finding.sources.map((s) => `${s.n}. [${s.title || s.url}](${s.url})`).join('\n');
        const body = `${finding.answer.trim()}\n${sources ? `\n## Sources\n\n${sources}\n` : ''}`;
        const summary = /^(.{20,280}?[.!?])(\s|$)/.exec(finding.answer.replace(/\s+/g, ' '))?.[1];
        const { meta } = parseDraft('', { title, tags: ['research'], ...(summary ? { summary } : {}) });
        const post = await repo.create(ctx.userId, meta, body);
        return saved(post, 'Draft from research saved:', deps);
      },
    }),
    defineTool({
      name: 'edit_post',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      description: 'Change a draft or post (new markdown, title, tags, summary, cover image); keeps every revision',
      input: z.object({
        post: z.string().trim().min(1).max(300),
        markdown: z.string().max(200_000).optional(),
        ...metaFields,
      }),
      examples: PUBLISHING_EXAMPLES.edit_post,
      extract: (text) => {
        const title = /\b(?:title|retitle\b.*?)\s+to\s+["“]?(.+?)["”]?$/i.exec(text)?.[1];
        const tagList = /\btags?\s+(?:to\s+)?([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/i.exec(text)?.[1];
        const post = referenceIn(text.replace(/\s+(?:to|with|tags?)\s+.*$/i, ''));
        return {
          ...(post ? { post } : {}),
          ...(title ? { title } : {}),
          ...(tagList ? { tags: tagList.split(/\s*,\s*/) } : {}),
        };
      },
      handler: async (p, ctx) =>
        withChoice(async () => {
          const post = deps.find(await repo.list(ctx.userId), p.post, 'edit', ['draft', 'scheduled', 'published']);
          const base = p.markdown ? parseDraft(p.markdown, { slug: post.slug }) : { meta: post, body: post.body };
          const meta = { ...base.meta, ...overrides(p) };
          if (!p.markdown && !p.title && !p.tags && !p.summary && !p.coverImage)
            throw new ToolError('What should change? Give the new text, title, tags, summary or cover image.');
          const next = await repo.revise(post, meta, base.body);
          // A published post shows the change at once: its site and copies follow.
          if (next.status === 'published') await deps.republish(next);
          return saved(next, next.status === 'published' ? 'Updated and republished' : 'Saved', deps);
        }),
    }),
    defineTool({
      name: 'list_posts',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      description: 'List my blog posts: drafts, scheduled and published',
      input: z.object({ status: z.enum(['draft', 'scheduled', 'published']).optional() }),
      examples: PUBLISHING_EXAMPLES.list_posts,
      cacheTtlSeconds: 0,
      extract: (text) => {
        const status: PostStatus | undefined = /\bdrafts?\b|unpublished/i.test(text)
          ? 'draft'
          : /\bschedul|\bupcoming|\bqueued/i.test(text)
            ? 'scheduled'
            : /\bpublished|\blive\b|\bon my (?:site|blog)/i.test(text)
              ? 'published'
              : undefined;
        return status ? { status } : {};
      },
      handler: async (p, ctx) => {
        const posts = await repo.list(ctx.userId, p.status);
        const what = p.status ? `${p.status === 'draft' ? 'drafts' : `${p.status} posts`}` : 'posts';
        if (posts.length === 0) return { text: `You have no ${what}.`, data: [] };
        const line = (x: Post) =>
          `• ${x.title} — ${x.status}${x.status === 'scheduled' ? ` for ${x.publishAt!.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}${x.status === 'published' ? ` ${deps.siteUrl}${x.slug}/` : ''} (rev ${x.revision})`;
        return {
          text: `Your ${what} (${posts.length}):\n${posts.slice(0, 30).map(line).join('\n')}`,
          data: posts.map((x) => postData(x, deps)),
        };
      },
    }),
  ];
}
