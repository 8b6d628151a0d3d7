// Scoring of the router evaluation: pure functions from (labelled command, routing decision) to
// outcomes and from outcomes to the summary. No I/O here, so the arithmetic can be read on its own.

/** Reads commands.jsonl text into items; throws on a malformed line, naming it. */
export function parseCommands(text) {
  const items = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o;
    try {
      o = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${i + 1}: not JSON (${err.message})`, { cause: err });
    }
    const agentOk = o.agent === null || Number.isInteger(o.agent);
    const toolOk = o.tool === null || typeof o.tool === 'string';
    if (typeof o.text !== 'string' || !o.text.trim() || !agentOk || !toolOk) {
      throw new Error(`line ${i + 1}: expected {"text": string, "agent": number|null, "tool": string|null}`);
    }
    if (o.agent === null && o.tool !== null && o.tool !== 'help') {
      throw new Error(`line ${i + 1}: a tool without an agent must be "help"`);
    }
    items.push({ line: i + 1, text: o.text, agent: o.agent, tool: o.tool, note: o.note });
  });
  return items;
}

/** The kind of item: an agent's tool, a request no agent serves, or a meta request (help, hi, thanks). */
export const kindOf = (item) => (item.agent !== null ? 'tool' : item.tool === 'help' ? 'help' : 'none');

/**
 * What the router did with one message:
 *  - routed:  an agent and tool were chosen (perhaps still asking for a missing parameter);
 *  - clarify: it asked back with choices instead of guessing;
 *  - none:    it said no agent can do that.
 */
export function outcomeOf(decision) {
  if (decision.agentNumber !== null && decision.tool !== null) return 'routed';
  if ((decision.clarification?.choices ?? []).length > 0) return 'clarify';
  return 'none';
}

/** One scored row: the item, what happened, and whether it was right. */
export function scoreItem(item, decision, ms, threshold) {
  const outcome = outcomeOf(decision);
  const kind = kindOf(item);
  const routedAgent = outcome === 'routed' ? decision.agentNumber : null;
  const rightAgent = kind === 'tool' && routedAgent === item.agent;
  const rightTool = rightAgent && decision.tool === item.tool;
  const expectedScore =
    kind === 'tool'
      ? (decision.scores.find((s) => s.agentNumber === item.agent && s.tool === item.tool)?.score ?? 0)
      : null;
  const choices = (decision.clarification?.choices ?? []).map((c) => `#${c.agentNumber}.${c.tool}`);
  return {
    ...item,
    kind,
    outcome,
    routedAgent,
    routedTool: outcome === 'routed' ? decision.tool : null,
    confidence: decision.confidence,
    via: decision.via,
    asksMissing: outcome === 'routed' ? decision.missing : [],
    // What the conversation service would run right now (isExecutable in route-decision.ts).
    executed: outcome === 'routed' && decision.clarification === undefined,
    parameters: decision.parameters,
    choices,
    expectedInChoices: kind === 'tool' && choices.includes(`#${item.agent}.${item.tool}`),
    expectedScore,
    top: decision.scores.slice(0, 3).map((s) => ({ agent: s.agentNumber, tool: s.tool, score: round(s.score) })),
    rightAgent,
    rightTool,
    // A wrong agent chosen at or above the threshold: the router was sure and acted on it.
    confidentWrong: kind === 'tool' && outcome === 'routed' && !rightAgent && decision.confidence >= threshold,
    handedToTool: kind !== 'tool' && outcome === 'routed',
    ms,
  };
}

const round = (n, places = 3) => Math.round(n * 10 ** places) / 10 ** places;
const pct = (n, d) => (d === 0 ? null : round((100 * n) / d, 1));
const count = (rows, pred) => rows.filter(pred).length;

export function percentile(sortedMs, p) {
  if (sortedMs.length === 0) return null;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

function accuracy(rows) {
  const n = rows.length;
  const right = count(rows, (r) => r.rightAgent);
  const rightTool = count(rows, (r) => r.rightTool);
  const wrong = count(rows, (r) => r.outcome === 'routed' && !r.rightAgent);
  const confidentWrong = count(rows, (r) => r.confidentWrong);
  const clarify = count(rows, (r) => r.outcome === 'clarify');
  const none = count(rows, (r) => r.outcome === 'none');
  return {
    n,
    agentAccuracy: pct(right, n),
    agentToolAccuracy: pct(rightTool, n),
    right,
    rightTool,
    rightAgentWrongTool: right - rightTool,
    wrong,
    confidentWrong,
    // A wrong agent or tool that would have run at once (no missing parameter to ask for).
    wrongExecuted: count(rows, (r) => r.outcome === 'routed' && !r.rightTool && r.executed),
    clarify,
    clarifyWithRightChoice: count(rows, (r) => r.outcome === 'clarify' && r.expectedInChoices),
    none,
    rates: { right: pct(right, n), wrong: pct(wrong, n), clarify: pct(clarify, n), none: pct(none, n) },
  };
}

/**
 * How requests that no tool should run were handled. Honest: said no agent can, or asked back with
 * choices. Handed to a tool: a tool was chosen, and either ran or asked for its missing parameters
 * (nothing ran yet, but the reply is about the wrong thing).
 */
function outOfScope(rows) {
  const n = rows.length;
  const handed = rows.filter((r) => r.handedToTool);
  const byTool = {};
  for (const r of handed) {
    const key = `#${r.routedAgent}.${r.routedTool}`;
    byTool[key] = (byTool[key] ?? 0) + 1;
  }
  const executed = count(rows, (r) => r.executed);
  return {
    n,
    honest: n - handed.length,
    honestRate: pct(n - handed.length, n),
    saidNone: count(rows, (r) => r.outcome === 'none'),
    askedBack: count(rows, (r) => r.outcome === 'clarify'),
    handedToTool: handed.length,
    handedToToolRate: pct(handed.length, n),
    handedAskedForParameters: handed.length - executed,
    executed,
    executedRate: pct(executed, n),
    noToolExecutedRate: pct(n - executed, n),
    handedByTool: byTool,
  };
}

/** Severity order of misses: a confident action on the wrong thing first, then the weaker failures. */
function severity(r) {
  if (r.kind !== 'tool') return r.handedToTool ? 3 : 0;
  if (r.rightTool) return 0;
  if (r.outcome === 'routed') return r.rightAgent ? 2 : 3;
  return 1; // asked back or said none: the person retypes, nothing wrong ran
}

export function summarize(rows, { threshold, agents }) {
  const inScope = rows.filter((r) => r.kind === 'tool');
  const agentNumbers = agents.map((a) => a.number);
  const perAgent = {};
  for (const a of agents) {
    perAgent[a.number] = { name: a.name, ...accuracy(inScope.filter((r) => r.agent === a.number)) };
  }
  const perTool = {};
  for (const r of inScope) (perTool[`#${r.agent}.${r.tool}`] ??= []).push(r);
  for (const [key, list] of Object.entries(perTool)) {
    const confusedWith = {};
    for (const r of list.filter((x) => !x.rightTool)) {
      const got = r.outcome === 'routed' ? `#${r.routedAgent}.${r.routedTool}` : r.outcome;
      confusedWith[got] = (confusedWith[got] ?? 0) + 1;
    }
    perTool[key] = { ...accuracy(list), confusedWith };
  }

  // Rows: expected agent (or none / help); columns: routed agent, asked back, none.
  const columns = [...agentNumbers.map((n) => `#${n}`), 'other', 'clarify', 'none'];
  const rowKeys = [...agentNumbers.map((n) => `#${n}`), 'none', 'help'];
  const matrix = Object.fromEntries(rowKeys.map((k) => [k, Object.fromEntries(columns.map((c) => [c, 0]))]));
  for (const r of rows) {
    const rowKey = r.kind === 'tool' ? `#${r.agent}` : r.kind;
    const col =
      r.outcome === 'routed' ? (agentNumbers.includes(r.routedAgent) ? `#${r.routedAgent}` : 'other') : r.outcome;
    (matrix[rowKey] ??= Object.fromEntries(columns.map((c) => [c, 0])))[col] += 1;
  }

  const sorted = rows.map((r) => r.ms).sort((a, b) => a - b);
  const misses = rows
    .filter((r) => severity(r) > 0)
    .sort((a, b) => severity(b) - severity(a) || b.confidence - a.confidence);

  return {
    threshold,
    items: rows.length,
    overall: accuracy(inScope),
    perAgent,
    perTool,
    confusion: { columns, rows: matrix },
    outOfScope: {
      none: outOfScope(rows.filter((r) => r.kind === 'none')),
      help: outOfScope(rows.filter((r) => r.kind === 'help')),
    },
    latencyMs: {
      p50: round(percentile(sorted, 50) ?? 0, 2),
      p99: round(percentile(sorted, 99) ?? 0, 2),
      max: round(sorted.at(-1) ?? 0, 2),
      mean: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length), 2),
    },
    missCount: misses.length,
    misses: misses.map((r) => ({
      line: r.line,
      text: r.text,
      expected: r.kind === 'tool' ? `#${r.agent}.${r.tool}` : r.kind,
      got: r.outcome === 'routed' ? `#${r.routedAgent}.${r.routedTool}` : r.outcome,
      severity: severity(r),
      confidence: r.confidence,
      expectedScore: r.expectedScore,
      choices: r.choices,
      top: r.top,
      note: r.note,
    })),
  };
}
