/**
 * The least a signed Slack payload must hold before Bolt sees it. Bolt authorises by team, and a
 * payload without one (a hand-made or mangled request that still carries a valid signature) makes
 * it throw deep inside; such a payload is the sender's 400, not paios' 500. Returns what is missing.
 */
export function slackPayloadProblem(body: Record<string, unknown>): string | undefined {
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 255;
  const team = (b: Record<string, unknown>) =>
    text(b.team_id) || text((b.team as { id?: unknown } | undefined)?.id) || text(b.enterprise_id);
  if (body.type === 'event_callback') {
    if (!team(body)) return 'team_id';
    if (!text(body.event_id)) return 'event_id';
    const event = body.event;
    if (!event || typeof event !== 'object' || Array.isArray(event)) return 'event';
    if (!text((event as { type?: unknown }).type)) return 'event.type';
    return undefined;
  }
  if (typeof body.command === 'string') {
    for (const key of ['team_id', 'channel_id', 'user_id', 'trigger_id'] as const) if (!text(body[key])) return key;
    return undefined;
  }
  if (body.type === 'app_rate_limited') return undefined;
  if (typeof body.type === 'string') {
    // Interactivity: block_actions, view_submission, shortcuts.
    if (!team(body)) return 'team';
    if (!text((body.user as { id?: unknown } | undefined)?.id)) return 'user.id';
    return undefined;
  }
  return 'type';
}
