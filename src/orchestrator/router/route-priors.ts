import type { ToolInfo } from '../registry/agent-spec.js';
import type { Entity } from './entity-extractor.js';
import type { Classification } from './intent-classifier.js';

/** Words that speak of a secret: such a message may be a vault command whatever else it holds. */
export const SECRET_WORDS =
  /\b(pass(word|phrase|code)s?|vault|secrets?|api[\s_-]?keys?|tokens?|totp|2fa|otp|mfa|credentials?|master password|logins?)\b/i;

/**
 * Where a post goes, by the words that name it: a social network (or its kind of post) or a site of
 * one's own. Two agents may both "draft", "edit" and "publish" a post; the place named tells them apart.
 */
const POST_PLACES: RegExp[] = [
  /\b(tweet(s|ed)?|toots?|skeets?|retweets?|twitter|mastodon|bluesky|linkedin|socials|social media|followers)\b/i,
  /\b(blog|blogs|article|articles|my (web)?site|website|ghost|wordpress|slug|rss)\b/i,
];

/** How much a prior moves a score: little enough that clear words still win against it. */
const UNLIKELY = 0.25;
const RECENT = 1.5;

export interface PriorContext {
  text: string;
  entities: Entity[];
  catalog: ToolInfo[];
  /** The agent this conversation used last, when the caller knows it. */
  recentAgent?: number;
}

/**
 * What the router knows beyond the words' resemblance to examples, as evidence for and against tools:
 * an amount of money or a web address in a message that names no secret is not a vault matter (an
 * agent holding sensitive tools); a conversation leans toward the agent it was just using. Scores are
 * rescaled with the out-of-scope score, so a message no tool fits keeps saying so.
 */
export function applyPriors(c: Classification, ctx: PriorContext): Classification {
  const factor = new Map<number, number>();
  const secretKeepers = new Set(ctx.catalog.filter((t) => t.sensitive).map((t) => t.agentNumber));
  const worldly = ctx.entities.some((e) => e.type === 'money' || (e.type === 'url' && !/^otpauth:/i.test(e.value)));
  if (worldly && !SECRET_WORDS.test(ctx.text)) for (const a of secretKeepers) factor.set(a, UNLIKELY);
  for (const a of unlikelyPlaces(ctx)) factor.set(a, (factor.get(a) ?? 1) * UNLIKELY);
  if (ctx.recentAgent !== undefined) factor.set(ctx.recentAgent, (factor.get(ctx.recentAgent) ?? 1) * RECENT);
  if (factor.size === 0) return c;
  const moved = c.scores.map((s) => ({ ...s, score: s.score * (factor.get(s.agentNumber) ?? 1) }));
  const total = moved.reduce((sum, s) => sum + s.score, c.outOfScope);
  if (total <= 0) return c;
  return {
    scores: moved.map((s) => ({ ...s, score: s.score / total })).sort((a, b) => b.score - a.score),
    outOfScope: c.outOfScope / total,
  };
}

/**
 * A message that names one place for a post only (a network, or a blog) is unlikely for an agent most
 * of whose tools speak of another place and not of this one; agents that name no place are left alone.
 */
function unlikelyPlaces(ctx: PriorContext): number[] {
  const named = POST_PLACES.filter((p) => p.test(ctx.text));
  if (named.length !== 1) return [];
  const tools = new Map<number, string[][]>();
  for (const t of ctx.catalog)
    tools.set(t.agentNumber, [...(tools.get(t.agentNumber) ?? []), [t.description, ...t.examples]]);
  const belongs = (own: string[][], p: RegExp) =>
    own.filter((lines) => lines.some((l) => p.test(l))).length * 2 > own.length;
  return [...tools]
    .filter(([, own]) => !belongs(own, named[0]!) && POST_PLACES.some((p) => p !== named[0] && belongs(own, p)))
    .map(([a]) => a);
}
