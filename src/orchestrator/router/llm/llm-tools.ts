/** Catalog tools as LLM function names: `a15__create_invoice` (letters, digits, _ and - only). */
export const llmToolName = (agentNumber: number, tool: string) => `a${agentNumber}__${tool}`;

export function parseLlmToolName(name: string): { agentNumber: number; tool: string } | null {
  const m = /^a(\d+)__(.+)$/.exec(name);
  return m ? { agentNumber: Number(m[1]), tool: m[2]! } : null;
}

export const ROUTING_PROMPT = [
  'You route requests from the owner of paios, a personal AI operating system, to exactly one tool.',
  'If a tool fits, call it once, with arguments taken from the message; never invent values that were not said.',
  'If nothing fits or the request is ambiguous, do not call a tool: reply with one short clarifying question.',
].join(' ');
