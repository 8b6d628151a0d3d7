import type { SiteSettings } from './post.types.js';

/** Text for HTML: element content and attribute values alike. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#6e6e73;--accent:#0b57d0;--bg:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ed;--muted:#a1a1a6;--accent:#8ab4f8;--bg:#151516}}
body{margin:0;background:var(--bg);color:var(--fg);font:18px/1.65 system-ui,-apple-system,"Segoe UI",sans-serif}
.wrap{max-width:42rem;margin:0 auto;padding:2rem 1.25rem}
header.site a{color:inherit;text-decoration:none;font-weight:700}
header.site p{color:var(--muted);margin:.2rem 0 2rem}
a{color:var(--accent)}
h1{line-height:1.2;margin:.2rem 0}
.meta{color:var(--muted);font-size:.9rem}
.tags a{margin-right:.5rem;font-size:.9rem}
img{max-width:100%;height:auto}
pre{overflow:auto;padding:1rem;background:rgba(127,127,127,.12);border-radius:6px}
ul.posts{list-style:none;padding:0}ul.posts li{margin:0 0 1.6rem}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
`.trim();

export interface PageParts {
  site: SiteSettings;
  /** Document title (the site's own title is appended). */
  title: string;
  description?: string;
  /** Absolute URL of this page. */
  url: string;
  /** Trusted HTML of the main content. */
  main: string;
  /** og:type; "article" for posts. */
  kind?: 'website' | 'article';
  image?: string;
}

/** The one template of the site: every page is this frame around its own content. */
export function page(p: PageParts): string {
  const root = p.site.url;
  const title = p.title === p.site.title ? p.title : `${p.title} · ${p.site.title}`;
  const description = p.description ?? p.site.description;
  const meta = [
    `<meta name="description" content="${escapeHtml(description)}">`,
    `<link rel="canonical" href="${escapeHtml(p.url)}">`,
    `<meta property="og:title" content="${escapeHtml(p.title)}">`,
    `<meta property="og:type" content="${p.kind ?? 'website'}">`,
    `<meta property="og:url" content="${escapeHtml(p.url)}">`,
    ...(p.image ? [`<meta property="og:image" content="${escapeHtml(p.image)}">`] : []),
    `<link rel="alternate" type="application/rss+xml" title="${escapeHtml(p.site.title)}" href="${root}feed.xml">`,
    `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(p.site.title)}" href="${root}atom.xml">`,
  ];
  return `<!doctype html>
<html lang="${escapeHtml(p.site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
${meta.join('\n')}
<style>${CSS}</style>
</head>
<body>
<div class="wrap">
<header class="site"><a href="${root}">${escapeHtml(p.site.title)}</a><p>${escapeHtml(p.site.description)}</p></header>
<main>
${p.main}
</main>
<footer>${p.site.author ? `© ${escapeHtml(p.site.author)} · ` : ''}<a href="${root}feed.xml">RSS</a> · <a href="${root}atom.xml">Atom</a></footer>
</div>
</body>
</html>
`;
}
