import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';
import type { ToolInfo } from '../registry/agent-spec.js';
import { OUT_OF_SCOPE } from './out-of-scope.corpus.js';

export interface IntentScore {
  agentNumber: number;
  tool: string;
  score: number;
}

const intentOf = (t: { agentNumber: number; name: string }) => `a${t.agentNumber}.${t.name}`;

/**
 * The local NLU model: an nlp.js neural classifier trained on every tool's example utterances.
 * Training takes milliseconds, so the router retrains after every registry change.
 */
export class IntentClassifier {
  private constructor(
    private readonly nlp: Nlp,
    readonly toolCount: number,
  ) {}

  static async train(tools: ToolInfo[]): Promise<IntentClassifier> {
    const container = await containerBootstrap({ log: false });
    container.use(LangEn);
    const nlp = new Nlp(
      { languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false }, log: false },
      container,
    );
    for (const tool of tools) for (const example of tool.examples) nlp.addDocument('en', example, intentOf(tool));
    for (const sentence of OUT_OF_SCOPE) nlp.addDocument('en', sentence, 'None');
    if (tools.length > 0) await nlp.train();
    return new IntentClassifier(nlp, tools.length);
  }

  /** Scores by tool, best first; an empty list when nothing in the message is known. */
  async classify(text: string, restrictTo?: number): Promise<IntentScore[]> {
    if (this.toolCount === 0) return [];
    const result = await this.nlp.process('en', text);
    if (result.intent === 'None') return [];
    return result.classifications
      .map((c) => {
        const m = /^a(\d+)\.(.+)$/.exec(c.intent);
        return m ? { agentNumber: Number(m[1]), tool: m[2]!, score: c.score } : null;
      })
      .filter((c): c is IntentScore => c !== null && (restrictTo === undefined || c.agentNumber === restrictTo))
      .sort((a, b) => b.score - a.score);
  }
}
