// The router evaluation's summary as text tables for a terminal.

const f = (n) => (n === null || n === undefined ? '-' : `${n.toFixed(1)}%`);
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const accRow = (label, a) => [
  label,
  a.n,
  f(a.agentAccuracy),
  f(a.agentToolAccuracy),
  a.wrong,
  a.confidentWrong,
  a.wrongExecuted,
  `${a.clarify} (${a.clarifyWithRightChoice})`,
  a.none,
];
const ACC_HEADER = [
  '',
  'n',
  'agent',
  'agent+tool',
  'wrong agent',
  'confident',
  'wrong tool ran',
  'clarify (right offered)',
  'none',
];

function outOfScopeLine(label, o) {
  const by = Object.entries(o.handedByTool)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `  ${label} (${o.n}): answered honestly ${o.honest} (${f(o.honestRate)}: said none ${o.saidNone}, asked back ${o.askedBack}); ` +
    `handed to a tool ${o.handedToTool} (${f(o.handedToToolRate)}: ran it ${o.executed}, asked for its parameters ${o.handedAskedForParameters})` +
    `; no tool executed ${f(o.noToolExecutedRate)}${by ? `\n      handed to: ${by}` : ''}`
  );
}

export function printReport(s, { split, misses }) {
  const o = s.overall;
  const out = [];
  out.push(
    `Router evaluation — ${s.items} commands (${o.n} for ${s.tools} tools of ${s.agents.length} agents, ` +
      `${s.outOfScope.none.n} no agent serves, ${s.outOfScope.help.n} meta); local router only (no LLM), ` +
      `threshold ${s.threshold}; Node ${s.node}; boot ${(s.bootMs / 1000).toFixed(1)} s`,
  );
  out.push(
    s.trainingOverlap.length === 0
      ? 'No command of the set is a training sentence (tool examples, None corpus).'
      : `WARNING: ${s.trainingOverlap.length} commands are also training sentences, so the figures flatter the router: ` +
          s.trainingOverlap.map((o) => `line ${o.line} "${o.text}"`).join(', '),
  );
  out.push('');
  out.push(
    `Overall: right agent ${f(o.agentAccuracy)} (${o.right}/${o.n}), right agent+tool ${f(o.agentToolAccuracy)} (${o.rightTool}/${o.n})`,
  );
  out.push(
    `  right agent ${f(o.rates.right)} (of which wrong tool ${o.rightAgentWrongTool})  wrong agent ${f(o.rates.wrong)} ` +
      `(confident wrong, at >= ${s.threshold}: ${o.confidentWrong})  clarify ${f(o.rates.clarify)} ` +
      `(right tool among the choices: ${o.clarifyWithRightChoice})  none ${f(o.rates.none)}`,
  );
  out.push(
    `  a wrong agent or tool would have run at once (no parameter missing to ask for): ${o.wrongExecuted} of ${o.n}`,
  );
  out.push('');
  out.push('Per agent');
  out.push(
    table(
      ACC_HEADER,
      s.agents.map((a) => accRow(`#${a.number} ${a.name}`, s.perAgent[a.number])),
    ),
  );
  out.push('');
  out.push('Confusion (rows: expected; columns: what the router did)');
  const cols = s.confusion.columns;
  out.push(
    table(
      ['expected', ...cols],
      Object.entries(s.confusion.rows).map(([k, r]) => [k, ...cols.map((c) => r[c] || '.')]),
    ),
  );
  out.push('');
  out.push('Requests no tool should run');
  out.push(outOfScopeLine('no agent serves it', s.outOfScope.none));
  out.push(outOfScopeLine('help / greetings / thanks', s.outOfScope.help));
  out.push('');
  out.push(
    `Routing latency: p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms, mean ${s.latencyMs.mean} ms`,
  );
  if (split) {
    out.push('');
    out.push('Per tool');
    const rows = Object.entries(s.perTool)
      .sort((a, b) => a[1].agentToolAccuracy - b[1].agentToolAccuracy)
      .map(([k, a]) => [
        ...accRow(k, a),
        Object.entries(a.confusedWith)
          .sort((x, y) => y[1] - x[1])
          .slice(0, 3)
          .map(([t, c]) => `${t} ${c}`)
          .join(', '),
      ]);
    out.push(table([...ACC_HEADER, 'mostly confused with'], rows));
  }
  out.push('');
  out.push(
    `${Math.min(misses, s.missCount)} worst misses of ${s.missCount} ` +
      '(a wrong agent, or a tool for a request no tool serves; then a wrong tool of the right agent; then asked back / none)',
  );
  s.misses.slice(0, misses).forEach((m, i) => {
    const top = m.top.map((t) => `#${t.agent}.${t.tool} ${t.score}`).join(', ') || 'no scores';
    const expected = m.expectedScore === null ? '' : `, expected scored ${Math.round(m.expectedScore * 1000) / 1000}`;
    out.push(`${lpad(i + 1, 3)}. "${m.text}"`);
    out.push(`      expected ${m.expected}, got ${m.got} at ${m.confidence}${expected}; top: ${top}`);
  });
  out.push('');
  out.push('Full results: eval/router/last-run.json');
  console.log(out.join('\n'));
}
