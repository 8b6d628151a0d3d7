import { BuiltinMicrosoft } from '@nlpjs/builtin-microsoft';

import type { Entity } from '../../sdk/agent.contract.js';

export type { Entity };

const CURRENCY_CODES: Record<string, string> = {
  Dollar: 'USD',
  'United States dollar': 'USD',
  Euro: 'EUR',
  'British pound': 'GBP',
  Pound: 'GBP',
  'Japanese yen': 'JPY',
  'Swiss franc': 'CHF',
};

interface Edge {
  entity: string;
  sourceText: string;
  start: number;
  resolution: Record<string, unknown>;
}

/**
 * Numbers, money, percentages, durations, dates and ranges, emails and URLs, through Microsoft's
 * Recognizers-Text (via @nlpjs/builtin-microsoft): no hand-written patterns, no network.
 */
export class EntityExtractor {
  // Built on first use: building the recognizers costs about a second of CPU, which a process that never
  // reads a sentence (a worker, `paios token create`) should not pay.
  private builtin?: BuiltinMicrosoft;

  async extract(text: string): Promise<Entity[]> {
    this.builtin ??= new BuiltinMicrosoft({
      builtins: ['Number', 'Currency', 'Percentage', 'DateTime', 'Email', 'URL'],
    });
    const { edges } = (await this.builtin.extract({ text, locale: 'en' })) as { edges: Edge[] };
    const out: Entity[] = [];
    for (const e of edges) {
      const r = e.resolution;
      const base = { text: e.sourceText, start: e.start };
      switch (e.entity) {
        case 'number':
          if (typeof r.value === 'number') out.push({ type: 'number', ...base, value: r.value });
          break;
        case 'currency':
          if (typeof r.value === 'number') {
            out.push({ type: 'money', ...base, value: r.value, currency: CURRENCY_CODES[String(r.unit)] });
          }
          break;
        case 'percentage':
          if (typeof r.value === 'number') out.push({ type: 'percentage', ...base, value: r.value });
          break;
        case 'duration': {
          const v = (r.values as { value?: string }[] | undefined)?.[0]?.value;
          if (v) out.push({ type: 'duration', ...base, seconds: Number(v) });
          break;
        }
        case 'date':
        case 'datetime':
          if (typeof r.strValue === 'string' || typeof r.date === 'string') {
            out.push({ type: 'date', ...base, date: String(r.strValue ?? r.date).slice(0, 10) });
          }
          break;
        case 'daterange':
          if (typeof r.start === 'string' && typeof r.end === 'string') {
            out.push({ type: 'daterange', ...base, from: r.start.slice(0, 10), to: r.end.slice(0, 10) });
          }
          break;
        case 'email':
          out.push({ type: 'email', ...base, value: typeof r.value === 'string' ? r.value : e.sourceText });
          break;
        case 'url':
          out.push({ type: 'url', ...base, value: typeof r.value === 'string' ? r.value : e.sourceText });
          break;
        default:
          break;
      }
    }
    // Digits inside an identifier (INV-2026-0007, v2, ABC123) are not quantities or amounts.
    const inWord = (e: Entity) => e.start > 0 && /[\p{L}\d_-]/u.test(text[e.start - 1]!);
    return out
      .filter((e) => !((e.type === 'number' || e.type === 'money') && inWord(e)))
      .sort((a, b) => a.start - b.start);
  }
}
