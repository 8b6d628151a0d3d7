import type { SlotView } from '../../orchestrator/registry/agent-registry.js';

/** What the bot says to /start and /help (markdown; rendered like any reply). */

export function welcomeText(name: string | undefined, known: boolean, botUsername: string): string {
  const hello = `Hi${name ? ` ${name}` : ''}! I am **paios**, a personal AI operating system that lives in this chat.`;
  const what =
    'Numbered agents do the work: invoices, figures, notes and more. Write to me in plain words or send a voice ' +
    'note, and I pick the right agent, run it, and answer here (spoken too, when you spoke).';
  if (known) return `${hello}\n\n${what}\n\nYou are paired already, so just ask. /help lists the agents and commands.`;
  return (
    `${hello}\n\n${what}\n\n` +
    `I don't know you yet. Below is your **pairing code**: the owner of this paios approves it with ` +
    `\`paios users approve CODE\` (or by writing "approve CODE" to @${botUsername}). Until then nothing you send runs.`
  );
}

export function helpText(agents: SlotView[], botUsername: string): string {
  const enabled = agents.filter((a) => a.enabled);
  const list = enabled.length
    ? enabled.map((a) => `- **#${a.agentNumber} ${a.name}**${a.description ? `: ${a.description}` : ''}`).join('\n')
    : '- (no agents are enabled yet)';
  return [
    '**How to talk to paios**',
    '- Write in plain words, or send a voice note.',
    '- `/paios <text>` works everywhere; `/<agent> <text>` or `/<number> <text>` goes straight to one agent, e.g. `/15 invoice ACME 3 hours`.',
    `- In groups, mention @${botUsername}, reply to one of my messages, or use a command.`,
    '- If a voice note could not be transcribed, say "retry voice note".',
    '',
    '**Agents**',
    list,
  ].join('\n');
}
