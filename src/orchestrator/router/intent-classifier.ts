import type { ToolInfo } from '../registry/agent-spec.js';
import { LinearClassifier, type ModelCache, type TrainingOptions } from './linear-classifier.js';
import { OUT_OF_SCOPE } from './out-of-scope.corpus.js';

export interface IntentScore {
  agentNumber: number;
  tool: string;
  score: number;
}

export interface Classification {
  scores: IntentScore[];
  outOfScope: number;
}

const NONE = 'None';
const intentOf = (t: { agentNumber: number; name: string }) => `a${t.agentNumber}.${t.name}`;

/**
 * Settings measured on the held-out set (eval/router): word stems count most, character n-grams
 * carry typos, word pairs a little order; scores sharpened so that the router's default threshold
 * (0.6) separates a sure answer from one worth a question back; every tool weighs as much as the
 * out-of-scope corpus, so a plugin's tool with five examples is still reached.
 */
const SETTINGS: Partial<TrainingOptions> = {
  groupWeight: [1, 0.3, 1.3],
  epochs: 20,
  learningRate: 1,
  l2: 1e-3,
  sharpness: 3,
  balance: 2,
};

/**
 * The local NLU model: a linear classifier over word and character features, trained on every tool's
 * example utterances plus sentences no tool serves (the "None" class, out-of-scope.corpus.ts), so that
 * unrelated requests are recognised as such instead of landing on the nearest tool. Training takes
 * well under a second, so the router retrains after every registry change.
 */
export class IntentClassifier {
  private constructor(
    private readonly model: LinearClassifier | undefined,
    readonly toolCount: number,
  ) {}

  static async train(tools: ToolInfo[], cache?: ModelCache): Promise<IntentClassifier> {
    if (tools.length === 0) return new IntentClassifier(undefined, 0);
    const documents = [
      // The description is one more way of saying it: an outside tool may bring a single example.
      ...tools.flatMap((tool) => [...tool.examples, tool.description].map((text) => ({ text, label: intentOf(tool) }))),
      ...OUT_OF_SCOPE.map((text) => ({ text, label: NONE })),
    ];
    return new IntentClassifier(await LinearClassifier.train(documents, SETTINGS, cache), tools.length);
  }

  /**
   * Scores by tool, best first (only `restrictTo`'s tools when given), and the score of "no tool serves
   * this" (`outOfScope`): when that is higher than every tool's, the message is no request for any tool.
   */
  classify(text: string, restrictTo?: number): Classification {
    if (!this.model) return { scores: [], outOfScope: 1 };
    const p = this.model.predict(text);
    let outOfScope = 0;
    const scores: IntentScore[] = [];
    this.model.labels.forEach((label, i) => {
      const m = /^a(\d+)\.(.+)$/.exec(label);
      if (!m) outOfScope = p[i]!;
      else if (restrictTo === undefined || Number(m[1]) === restrictTo)
        scores.push({ agentNumber: Number(m[1]), tool: m[2]!, score: p[i]! });
    });
    return { scores: scores.sort((a, b) => b.score - a.score), outOfScope };
  }
}
