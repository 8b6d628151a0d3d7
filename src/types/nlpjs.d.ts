// Minimal typings for the parts of nlp.js that paios uses (the packages ship none).
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: string): unknown;
  }
  export function containerBootstrap(settings?: Record<string, unknown>): Promise<Container>;
}

declare module '@nlpjs/nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpResult {
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }
  export class Nlp {
    constructor(settings?: Record<string, unknown>, container?: unknown);
    settings: Record<string, unknown>;
    addLanguage(locale: string): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpResult>;
  }
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
  export class StemmerEn {
    stem(tokens: string[]): string[];
  }
}

declare module '@nlpjs/builtin-microsoft' {
  export class BuiltinMicrosoft {
    constructor(settings?: { builtins?: string[] });
    extract(input: { text: string; locale: string }): Promise<{ edges: unknown[] }>;
  }
}
