import type { ToolResult } from '../../../sdk/agent.contract.js';
import { ChoosePost, findPost } from '../post-finder.js';
import type { Post, PostStatus } from '../post.types.js';

/** What the post tools need besides the repository. */
export interface PublishingDeps {
  siteUrl: string;
  find(posts: Post[], reference: string | undefined, verb: string, statuses: PostStatus[]): Post;
  /** Rebuilds the site and updates the remote copies of a published post that changed. */
  republish(post: Post): Promise<void>;
}

export const findBy: PublishingDeps['find'] = (posts, reference, verb, statuses) =>
  findPost(posts, reference, { verb, statuses });

/** A post as tools return it in `data`. */
export const postData = (p: Post, deps: Pick<PublishingDeps, 'siteUrl'>) => ({
  id: p.id,
  slug: p.slug,
  title: p.title,
  status: p.status,
  revision: p.revision,
  tags: p.tags,
  summary: p.summary ?? null,
  coverImage: p.coverImage ?? null,
  publishAt: p.publishAt?.toISOString() ?? null,
  publishedAt: p.publishedAt?.toISOString() ?? null,
  url: p.status === 'published' ? `${deps.siteUrl}${p.slug}/` : null,
});

/** Several posts fit what was said: ask back with a button per post instead of failing. */
export async function withChoice(work: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ChoosePost) return { text: err.message, buttons: err.buttons };
    throw err;
  }
}
