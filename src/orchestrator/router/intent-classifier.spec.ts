import { describe, expect, it } from '@jest/globals';
import type { ToolInfo } from '../registry/agent-spec.js';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFileCache } from './model-file-cache.js';
import { IntentClassifier } from './intent-classifier.js';
import { applyPriors } from './route-priors.js';

const tool = (agentNumber: number, name: string, examples: string[], sensitive = false): ToolInfo => ({
  agentNumber,
  agentName: `agent-${agentNumber}`,
  name,
  description: name,
  inputSchema: {},
  examples,
  sensitive,
  annotations: {},
});

const catalog = [
  tool(5, 'add_note', [
    'remember to call Alice',
    'note that the shop closes at six',
    'write down the wifi name',
    'keep a note about the meeting',
    'jot this down: buy stamps',
    'make a note of the parking spot',
  ]),
  tool(5, 'list_notes', [
    'show my notes',
    'what did i note down',
    'list notes',
    'read my notes back to me',
    'which notes do i have',
    'all my notes please',
  ]),
  tool(6, 'pay_invoice', [
    'mark INV-2026-0007 paid',
    'INV-2026-0003 was paid',
    'record a payment of 500 on INV-2026-0002',
    'Acme paid INV-2026-0001',
    'the money for INV-2026-0010 arrived',
    'settle INV-2026-0011',
  ]),
  tool(
    7,
    'get_secret',
    [
      'what is my github password',
      'show the stripe api key',
      'reveal my bank login',
      'give me the password for gitlab',
      'read me the netflix password',
      'the aws credentials please',
    ],
    true,
  ),
];

describe('IntentClassifier', () => {
  it('knows a request by other words and through typos', async () => {
    const c = await IntentClassifier.train(catalog);
    expect(c.classify('could you jot down that the plumber comes at noon').scores[0]).toMatchObject({
      tool: 'add_note',
    });
    expect(c.classify('shwo me my nootes').scores[0]).toMatchObject({ tool: 'list_notes' });
    expect(c.classify('what is my pasword for github').scores[0]).toMatchObject({ tool: 'get_secret' });
  });

  it('reads any invoice number as the same word, so one never seen still finds its tool', async () => {
    const c = await IntentClassifier.train(catalog);
    const { scores, outOfScope } = c.classify('INV-2031-0420 got paid');
    expect(scores[0]).toMatchObject({ agentNumber: 6, tool: 'pay_invoice' });
    expect(scores[0]!.score).toBeGreaterThan(outOfScope);
  });

  it('says a request no tool serves is out of scope, instead of naming the nearest tool', async () => {
    const c = await IntentClassifier.train(catalog);
    for (const text of ['book me a flight to lisbon on friday', 'what will the weather be like tomorrow']) {
      const { scores, outOfScope } = c.classify(text);
      expect(outOfScope).toBeGreaterThan(scores[0]!.score);
    }
  });

  it('ranks only the addressed agent when asked to, and trains the same model from the same catalog', async () => {
    const [a, b] = await Promise.all([IntentClassifier.train(catalog), IntentClassifier.train(catalog)]);
    const only = a.classify('show my notes', 6).scores;
    expect(only.map((s) => s.agentNumber)).toEqual([6]);
    expect(a.classify('list my notes')).toEqual(b.classify('list my notes'));
  });

  it('loads the model kept for the same catalog instead of training again, and scores exactly alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paios-model-cache-'));
    try {
      const cache = new ModelFileCache(dir);
      const trained = await IntentClassifier.train(catalog, cache);
      expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
      const reads: string[] = [];
      const loaded = await IntentClassifier.train(catalog, {
        read: (key) => (reads.push(key), cache.read(key)),
        write: () => {
          throw new Error('a loaded model must not be written again');
        },
      });
      expect(reads).toHaveLength(1);
      for (const text of ['shwo me my nootes', 'INV-2031-0420 got paid', 'book me a flight'])
        expect(loaded.classify(text)).toEqual(trained.classify(text));
      // Another catalog is another model; a damaged file is trained over.
      await IntentClassifier.train(catalog.slice(1), cache);
      expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
      for (const f of readdirSync(dir)) writeFileSync(join(dir, f), 'not a model');
      const retrained = await IntentClassifier.train(catalog, cache);
      expect(retrained.classify('list my notes')).toEqual(trained.classify('list my notes'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows nothing, and says so, without tools', async () => {
    const c = await IntentClassifier.train([]);
    expect(c.classify('show my notes')).toEqual({ scores: [], outOfScope: 1 });
  });
});

describe('applyPriors', () => {
  const classified = {
    scores: [
      { agentNumber: 7, tool: 'get_secret', score: 0.5 },
      { agentNumber: 6, tool: 'pay_invoice', score: 0.3 },
    ],
    outOfScope: 0.2,
  };
  const money = { type: 'money' as const, text: '$300', start: 10, value: 300, currency: 'USD' };

  it('does not take an amount of money for a vault matter unless a secret is named', () => {
    const moved = applyPriors(classified, { text: 'what about $300 for github', entities: [money], catalog });
    expect(moved.scores[0]).toMatchObject({ tool: 'pay_invoice' });
    const kept = applyPriors(classified, { text: 'my github password cost $300', entities: [money], catalog });
    expect(kept.scores[0]).toMatchObject({ tool: 'get_secret' });
  });

  it('leans toward the agent the conversation used last, keeping scores a distribution', () => {
    const moved = applyPriors(
      {
        scores: [
          { agentNumber: 5, tool: 'list_notes', score: 0.4 },
          { agentNumber: 6, tool: 'pay_invoice', score: 0.35 },
        ],
        outOfScope: 0.25,
      },
      { text: 'the one from yesterday', entities: [], catalog, recentAgent: 6 },
    );
    expect(moved.scores[0]).toMatchObject({ agentNumber: 6 });
    expect(moved.scores.reduce((s, x) => s + x.score, moved.outOfScope)).toBeCloseTo(1);
  });

  it('tells a post for a social network from a post for a blog by the place the message names', () => {
    const places = [
      ...catalog,
      tool(8, 'edit_social', ['edit the tweet', 'reword the toot on mastodon']),
      tool(8, 'cancel_social', ['cancel the linkedin post', 'delete the skeet']),
      tool(29, 'edit_article', ['edit the blog post about pricing', 'change the article on my site']),
      tool(29, 'unpublish_article', ['take the post off my blog', 'unpublish the wordpress article']),
    ];
    const tie = {
      scores: [
        { agentNumber: 8, tool: 'edit_social', score: 0.45 },
        { agentNumber: 29, tool: 'edit_article', score: 0.4 },
      ],
      outOfScope: 0.15,
    };
    const top = (text: string) => applyPriors(tie, { text, entities: [], catalog: places }).scores[0];
    expect(top('edit the post on my blog about sourdough')).toMatchObject({ agentNumber: 29 });
    expect(top('edit the bluesky post about sourdough')).toMatchObject({ agentNumber: 8 });
    expect(top('edit the post about sourdough')).toMatchObject({ agentNumber: 8, score: 0.45 });
    // A tweet linking to a blog post names both places: the words decide alone.
    expect(top('tweet a link to my new blog post')).toMatchObject({ agentNumber: 8, score: 0.45 });
  });
});
