import type { ChoiceButton } from '../../sdk/agent.contract.js';
import { ToolError } from '../../sdk/tool-error.js';
import { slugify } from './front-matter.js';
import type { Post, PostStatus } from './post.types.js';

const STOP = new Set([
  'the',
  'a',
  'an',
  'my',
  'post',
  'draft',
  'article',
  'blog',
  'about',
  'on',
  'called',
  'titled',
  'one',
  'that',
  'this',
  'entry',
]);

const words = (text: string) =>
  slugify(text)
    .split('-')
    .filter((w) => w.length > 1 && !STOP.has(w));

/**
 * The post a person means: "pricing", "the draft about pricing", a slug or a title. Exact slug
 * first, then the post whose title, slug, tags and summary share the most words with what was said;
 * two equally good matches are asked back with a button each. No reference: the only candidate.
 */
export function findPost(
  posts: Post[],
  reference: string | undefined,
  action: { verb: string; statuses: PostStatus[] },
): Post {
  const candidates = posts.filter((p) => action.statuses.includes(p.status));
  const what = action.statuses.length === 1 && action.statuses[0] === 'published' ? 'published posts' : 'drafts';
  if (candidates.length === 0) throw new ToolError(`You have no ${what} to ${action.verb}.`);
  const ref = reference?.trim();
  if (!ref) {
    if (candidates.length === 1) return candidates[0]!;
    throw new ChoosePost(action.verb, candidates.slice(0, 5));
  }
  const exact = candidates.find((p) => p.slug === slugify(ref) || p.title.toLowerCase() === ref.toLowerCase());
  if (exact) return exact;
  const wanted = words(ref);
  const scored = candidates
    .map((p) => {
      const have = new Set(words(`${p.title} ${p.slug} ${p.tags.join(' ')} ${p.summary ?? ''}`));
      return { p, score: wanted.filter((w) => have.has(w) || [...have].some((h) => h.startsWith(w))).length };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  if (scored.length === 0) throw new ToolError(`I found no ${what.replace(/s$/, '')} matching "${ref}".`);
  const best = scored.filter((s) => s.score === scored[0]!.score);
  if (best.length === 1) return best[0]!.p;
  throw new ChoosePost(
    action.verb,
    best.slice(0, 5).map((s) => s.p),
  );
}

/** More than one post fits: the answer offers one button per post. */
export class ChoosePost extends ToolError {
  readonly buttons: ChoiceButton[];
  constructor(verb: string, posts: Post[]) {
    super(`Which post should I ${verb}? ${posts.map((p) => `"${p.title}"`).join(', ')}`);
    this.buttons = posts.map((p) => ({ label: p.title.slice(0, 60), value: `${verb} the post ${p.slug}` }));
  }
}

/** "the draft about pricing" / "publish pricing tomorrow at 9" -> "pricing". */
export function referenceIn(text: string): string | undefined {
  const m =
    /\b(?:(?:post|draft|article|entry)s?\s+(?:about|on|called|titled|named)|about|called|titled)\s+["“]?(.+?)["”]?$/i.exec(
      stripWhen(text),
    ) ??
    /^\s*(?:please\s+)?(?:un-?publish|publish|take down|pull|retract|hide|schedule|edit|update|revise|retitle|change)\s+(?:the\s+|my\s+)?(?:post|draft|article)?\s*["“]?(.+?)["”]?$/i.exec(
      stripWhen(text),
    );
  const ref = m?.[1]
    ?.replace(/\b(?:post|draft|article|now|please|from (?:my|the) site|off (?:my|the) (?:site|blog))\b/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ref && !/^(it|this|that|them)$/i.test(ref) ? ref : undefined;
}

/** Leaves out "tomorrow at 9", "on Friday", "at 14:30" so that the rest names the post. */
export function stripWhen(text: string): string {
  return text
    .replace(/[?.!]+\s*$/, '')
    .replace(
      /\s+(?:(?:on|at|by|for|next|this|tomorrow|today|tonight|in)\b.*\b(?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|evening|noon|am|pm|\d{1,2}(?::\d{2})?|week|month|\d{4}-\d{2}-\d{2}))\s*$/i,
      '',
    )
    .trim();
}

/** "at 9", "at 14:30", "9am", "at 5 pm" -> "09:00", "14:30", "09:00", "17:00". */
export function timeIn(text: string): string | undefined {
  const m = /\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\bat\s+(\d{1,2})(?::(\d{2}))?\b/i.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1] ?? m[4]);
  const minute = Number(m[2] ?? m[5] ?? 0);
  const half = m[3]?.toLowerCase();
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
