import matter from 'gray-matter';
import type { PostMeta } from './post.types.js';

/** "Our New Pricing, explained!" -> "our-new-pricing-explained" (ASCII, at most 80 characters). */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'post';
}

const asString = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : v instanceof Date ? v.toISOString() : undefined;

function asTags(v: unknown): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  const tags = list.map((t) => String(t).trim().toLowerCase()).filter(Boolean);
  return [...new Set(tags)].slice(0, 20);
}

export interface ParsedDraft {
  meta: PostMeta;
  body: string;
}

/**
 * A markdown draft, with or without front matter. Without a `title` in the front matter the first
 * `# heading` is the title (and leaves the body); without either, the first line is.
 */
export function parseDraft(markdown: string, overrides: Partial<PostMeta> = {}): ParsedDraft {
  let data: Record<string, unknown> = {};
  let content = markdown;
  try {
    const parsed = matter(markdown);
    data = parsed.data;
    content = parsed.content;
  } catch {
    // Front matter that is not YAML is kept as text rather than refused.
  }
  let body = content.replace(/^\s*\n/, '').trimEnd();
  let title = overrides.title ?? asString(data.title);
  if (!title) {
    const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(body.split('\n', 1)[0] ?? '');
    if (heading) {
      title = heading[1]!;
      body = body.slice(body.indexOf('\n') + 1 || body.length).replace(/^\s*\n/, '');
    } else {
      title =
        (body.split('\n', 1)[0] ?? '')
          .replace(/[#*_`]/g, '')
          .trim()
          .slice(0, 120) || 'Untitled';
    }
  }
  const meta: PostMeta = {
    title: title.slice(0, 300),
    slug: slugify(overrides.slug ?? asString(data.slug) ?? title),
    tags: overrides.tags ?? asTags(data.tags),
    summary: overrides.summary ?? asString(data.summary) ?? asString(data.description),
    coverImage: overrides.coverImage ?? asString(data.cover_image) ?? asString(data.cover) ?? asString(data.image),
  };
  return { meta, body };
}

/** The draft as a markdown file with its front matter: what a revision keeps and an export gives. */
export function composeDraft(meta: PostMeta, body: string): string {
  const data: Record<string, unknown> = { title: meta.title, slug: meta.slug };
  if (meta.tags.length) data.tags = meta.tags;
  if (meta.summary) data.summary = meta.summary;
  if (meta.coverImage) data.cover_image = meta.coverImage;
  return matter.stringify(`${body.trimEnd()}\n`, data);
}
