// Minimal typings for the parts of nlp.js that paios uses (the packages ship none).
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
