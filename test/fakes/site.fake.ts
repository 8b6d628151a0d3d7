import { HttpFake, type FakeReply } from './http-fake.js';

const html = (title: string, body: string, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;

const para = (topic: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `<p>Paragraph ${i + 1} about ${topic}: the quick brown fox jumps over the lazy dog while the studio ships another release on time.</p>`,
  ).join('');

/**
 * A small web site on loopback for the scraping agent, reached as http://localhost:<port> (tests
 * allow `localhost` with PAIOS_ALLOW_HOSTS; 127.0.0.1 itself stays refused):
 * - /robots.txt disallows /private and names /sitemap.xml
 * - / links to two articles, the prices, a private page and another site
 * - /articles/first and /articles/second: articles with Open Graph, a description and JSON-LD
 * - /prices: a table of 20 plans, each price in a `.price` cell
 * - /app: empty until its script (/app.js, which fetches /api/greeting) runs
 * - /pricing: a price the test sets (`price`), so it changes between fetches
 * - /to-loopback: a redirect to http://127.0.0.1:<port>/articles/first
 * - /loop/<n>: a chain of redirects; /logo.png: an image; /sitemap.xml: the site's pages
 */
export class WebFake extends HttpFake {
  price = '€10 per month';

  constructor() {
    super((req) => this.page(req.path));
  }

  get base(): string {
    return this.url.replace('127.0.0.1', 'localhost');
  }

  /** Requests for `path` so far (robots.txt included when asked for). */
  hits(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private page(path: string): FakeReply {
    const base = this.base;
    const ok = (body: string, contentType = 'text/html; charset=utf-8'): FakeReply => ({ body, contentType });
    const loop = /^\/loop\/(\d+)$/.exec(path);
    if (loop) {
      const n = Number(loop[1]);
      return n > 0
        ? { status: 302, headers: { location: `/loop/${n - 1}` }, body: '', contentType: 'text/plain' }
        : ok(html('End of the loop', para('redirects', 3)));
    }
    switch (path) {
      case '/robots.txt':
        return ok(`User-agent: *\nDisallow: /private\n\nSitemap: ${base}/sitemap.xml\n`, 'text/plain');
      case '/':
        return ok(
          html(
            'Acme home',
            `<h1>Acme</h1>${para('the home page', 2)}<ul>
              <li><a href="/articles/first">First article</a></li>
              <li><a href="/articles/second#top">Second article</a></li>
              <li><a href="/prices">Prices</a></li>
              <li><a href="/private/secret">Staff only</a></li>
              <li><a href="http://elsewhere.test/">Another site</a></li>
              <li><a href="mailto:hi@acme.test">Mail us</a></li></ul>`,
          ),
        );
      case '/articles/first':
        return ok(
          html(
            'First article | Acme',
            `<header><nav><a href="/">Home</a></nav></header><article><h1>Why foxes jump</h1>${para('foxes', 8)}
             <p>See <a href="/articles/second">the second article</a>.</p></article><footer>© Acme</footer>`,
            `<meta name="description" content="On the jumping habits of foxes">
             <meta property="og:title" content="Why foxes jump">
             <meta property="og:type" content="article">
             <meta property="og:image" content="${base}/logo.png">
             <link rel="canonical" href="${base}/articles/first">
             <script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"Why foxes jump","author":{"@type":"Person","name":"Ada Fox"}}</script>`,
          ),
        );
      case '/articles/second':
        return ok(
          html('Second article', `<article><h1>Lazy dogs</h1>${para('dogs', 6)}<a href="/">Back home</a></article>`),
        );
      case '/prices':
        return ok(
          html(
            'Prices',
            `<h1>Plans</h1><table><tr><th>Plan</th><th>Price</th></tr>${Array.from(
              { length: 20 },
              (_, i) => `<tr><td>Plan ${i + 1}</td><td class="price">€${(i + 1) * 5}, monthly</td></tr>`,
            ).join('')}</table>`,
          ),
        );
      case '/pricing':
        return ok(html('Pricing', `<h1>Pricing</h1><p class="price">${this.price}</p>${para('pricing', 3)}`));
      case '/app':
        return ok(html('App', '<div id="root"></div><script src="/app.js"></script>'));
      case '/app.js':
        return ok(
          `fetch('/api/greeting').then((r) => r.json()).then((g) => {
             const root = document.getElementById('root');
             root.innerHTML = '<article><h1>' + g.title + '</h1>' + g.paragraphs.map((p) => '<p>' + p + '</p>').join('') + '</article>';
           });`,
          'application/javascript',
        );
      case '/api/greeting':
        return {
          json: {
            title: 'Rendered by JavaScript',
            paragraphs: Array.from(
              { length: 5 },
              (_, i) => `Client-side paragraph ${i + 1}: this text exists only after the script ran in a browser.`,
            ),
          },
        };
      case '/private/secret':
        return ok(html('Secret', '<p>Staff only</p>'));
      case '/to-loopback':
        return {
          status: 302,
          headers: { location: `${this.url}/articles/first` },
          body: '',
          contentType: 'text/plain',
        };
      case '/logo.png':
        return { body: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' };
      case '/sitemap.xml':
        return ok(
          `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${[
            '/',
            '/articles/first',
            '/articles/second',
            '/prices',
            '/private/secret',
          ]
            .map((p) => `<url><loc>${base}${p}</loc></url>`)
            .join('')}</urlset>`,
          'application/xml',
        );
      default:
        return { status: 404, body: html('Not found', '<p>No such page</p>'), contentType: 'text/html' };
    }
  }
}
