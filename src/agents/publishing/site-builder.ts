import { Feed } from 'feed';
import { Marked, type Tokens } from 'marked';
import { slugify } from './front-matter.js';
import type { Post, SiteSettings } from './post.types.js';
import { escapeHtml, page } from './site-template.js';

/** A built site: path under the site root (`index.html`, `feed.xml`, `pricing/index.html`) -> content. */
export type SiteFiles = Map<string, string>;

const SAFE_URL = /^(https?:|mailto:|\/|#|\.{0,2}\/|[^:]*$)/i;

/**
 * Markdown as the site shows it. Raw HTML in a draft (pasted from research, say) is shown as text,
 * and only web, mail and relative links are kept: a post cannot run script on the site.
 */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link({ href, title, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_URL.test(href)) return label;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${label}</a>`;
    },
    image({ href, title, text }: Tokens.Image) {
      if (!SAFE_URL.test(href)) return escapeHtml(text);
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''} loading="lazy">`;
    },
  },
});

export const renderMarkdown = (body: string): string => markdown.parse(body, { async: false });

export const tagPath = (tag: string): string => `tags/${slugify(tag)}/`;

const day = (d: Date) => d.toISOString().slice(0, 10);

function postList(site: SiteSettings, posts: Post[]): string {
  if (posts.length === 0) return '<p>Nothing published yet.</p>';
  const items = posts.map(
    (p) =>
      `<li><a href="${site.url}${p.slug}/">${escapeHtml(p.title)}</a><div class="meta"><time datetime="${p.publishedAt!.toISOString()}">${day(p.publishedAt!)}</time></div>${p.summary ? `<p>${escapeHtml(p.summary)}</p>` : ''}</li>`,
  );
  return `<ul class="posts">\n${items.join('\n')}\n</ul>`;
}

function postPage(site: SiteSettings, post: Post): string {
  const url = `${site.url}${post.slug}/`;
  const tags = post.tags.map((t) => `<a rel="tag" href="${site.url}${tagPath(t)}">#${escapeHtml(t)}</a>`).join('');
  const main = `<article>
<h1>${escapeHtml(post.title)}</h1>
<div class="meta"><time datetime="${post.publishedAt!.toISOString()}">${day(post.publishedAt!)}</time>${site.author ? ` · ${escapeHtml(site.author)}` : ''}</div>
${post.coverImage ? `<p><img class="cover" src="${escapeHtml(post.coverImage)}" alt=""></p>` : ''}
<div class="content">
${renderMarkdown(post.body)}</div>
${tags ? `<p class="tags">${tags}</p>` : ''}
</article>`;
  return page({
    site,
    title: post.title,
    description: post.summary,
    url,
    main,
    kind: 'article',
    image: post.coverImage,
  });
}

function feeds(site: SiteSettings, posts: Post[], updated: Date): { rss: string; atom: string } {
  const feed = new Feed({
    id: site.url,
    title: site.title,
    description: site.description,
    link: site.url,
    language: site.language,
    updated,
    generator: 'paios',
    copyright: site.author ? `© ${site.author}` : `© ${site.title}`,
    feedLinks: { rss: `${site.url}feed.xml`, atom: `${site.url}atom.xml` },
    ...(site.author ? { author: { name: site.author } } : {}),
  });
  for (const p of posts.slice(0, 50)) {
    const link = `${site.url}${p.slug}/`;
    feed.addItem({
      title: p.title,
      id: link,
      link,
      date: p.publishedAt!,
      published: p.publishedAt!,
      description: p.summary ?? p.body.replace(/[#*_`>[\]()!]/g, '').slice(0, 280),
      content: renderMarkdown(p.body),
      category: p.tags.map((name) => ({ name, term: name })),
      ...(site.author ? { author: [{ name: site.author }] } : {}),
      ...(p.coverImage ? { image: p.coverImage } : {}),
    });
  }
  return { rss: feed.rss2(), atom: feed.atom1() };
}

function sitemap(site: SiteSettings, posts: Post[], tags: string[], updated: Date): string {
  const urls = [
    { loc: site.url, lastmod: updated },
    ...posts.map((p) => ({
      loc: `${site.url}${p.slug}/`,
      lastmod: p.updatedAt > p.publishedAt! ? p.updatedAt : p.publishedAt!,
    })),
    ...tags.map((t) => ({ loc: `${site.url}${tagPath(t)}`, lastmod: updated })),
  ];
  const body = urls.map((u) => `  <url><loc>${escapeHtml(u.loc)}</loc><lastmod>${day(u.lastmod)}</lastmod></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body.join('\n')}\n</urlset>\n`;
}

/**
 * The whole site from the published posts: a page per post, the index, a page per tag, RSS 2.0 and
 * Atom feeds and a sitemap. Pure: the same posts and settings give the same files.
 */
export function buildSite(site: SiteSettings, published: Post[]): SiteFiles {
  const posts = published
    .filter((p) => p.status === 'published' && p.publishedAt)
    .sort((a, b) => b.publishedAt!.getTime() - a.publishedAt!.getTime() || a.slug.localeCompare(b.slug));
  const updated = posts[0]?.publishedAt ?? new Date(0);
  const files: SiteFiles = new Map();
  files.set('index.html', page({ site, title: site.title, url: site.url, main: postList(site, posts) }));
  const byTag = new Map<string, Post[]>();
  for (const post of posts) {
    files.set(`${post.slug}/index.html`, postPage(site, post));
    for (const tag of post.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), post]);
  }
  const tags = [...byTag.keys()].sort();
  for (const tag of tags) {
    const main = `<h1>#${escapeHtml(tag)}</h1>\n${postList(site, byTag.get(tag)!)}`;
    files.set(`${tagPath(tag)}index.html`, page({ site, title: `#${tag}`, url: `${site.url}${tagPath(tag)}`, main }));
  }
  const { rss, atom } = feeds(site, posts, updated);
  files.set('feed.xml', rss);
  files.set('atom.xml', atom);
  files.set('sitemap.xml', sitemap(site, posts, tags, updated));
  return files;
}
