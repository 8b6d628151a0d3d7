import { HttpFake } from './http-fake.js';

/** A page of the fake web: its path, title and paragraphs. */
export interface FakePage {
  path: string;
  title: string;
  paragraphs: string[];
}

/** A few pages about CRMs and note-taking apps, plus one off-topic page; `/gone` answers 404. */
export const FAKE_PAGES: FakePage[] = [
  {
    path: '/crm-freelancers',
    title: 'The best CRM for freelancers in 2026',
    paragraphs: [
      'Freelancers rarely need a heavy sales platform.',
      'HubSpot CRM is free for up to two users, which makes it the best CRM for freelancers who want contact tracking without a monthly bill. Its free plan includes deals, tasks and email tracking.',
      'Folk is a lighter CRM for freelancers that imports contacts from Gmail and LinkedIn in a click.',
    ],
  },
  {
    path: '/crm-pricing',
    title: 'CRM pricing compared',
    paragraphs: [
      'Pipedrive costs 14 dollars per user per month on its Essential plan, billed yearly.',
      'For a freelancer on a budget, a free CRM such as HubSpot covers the basics; paid tiers add automation.',
      'Salesforce starts at 25 dollars per user per month and is built for larger sales teams.',
    ],
  },
  {
    path: '/notion',
    title: 'Notion review',
    paragraphs: [
      'Notion costs 10 dollars per month on the Plus plan; the free plan suits one person.',
      'Notion needs a connection for most things: its offline mode only keeps pages you opened recently.',
      'Notion is easy to use once you learn its blocks and databases.',
    ],
  },
  {
    path: '/obsidian',
    title: 'Obsidian review',
    paragraphs: [
      'Obsidian is free for personal use; Sync costs 4 dollars per month.',
      'Obsidian keeps notes as local Markdown files, so it works fully offline.',
      'Obsidian has a steeper learning curve than most note apps, softened by its plugins.',
    ],
  },
  {
    path: '/gardening',
    title: 'Growing tomatoes',
    paragraphs: ['Tomatoes need six hours of sun a day and steady watering in summer.'],
  },
];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function html(page: FakePage): string {
  return `<!doctype html><html><head><title>${escape(page.title)}</title>
<script>var tracking = "this script is not text";</script></head>
<body><nav><a href="/">Home</a></nav><h1>${escape(page.title)}</h1>
${page.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
<footer><a href="/about">About this site</a></footer></body></html>`;
}

/** The fake web on 127.0.0.1: HTML pages, a 404 for anything else. */
export function webFake(pages: FakePage[] = FAKE_PAGES): HttpFake {
  return new HttpFake((req) => {
    const page = pages.find((p) => p.path === req.path);
    if (!page) return { status: 404, body: '<h1>Not found</h1>', contentType: 'text/html' };
    return { body: html(page), contentType: 'text/html; charset=utf-8' };
  });
}
