import type { ArchitectureView, NodeState, SystemModel } from './architecture.model.js';
import { displayName } from './architecture.model.js';

/** Colours by state: the same palette in every view, explained by the legend. */
const STATE_CLASS: Record<NodeState, string> = {
  active: 'ok',
  starting: 'busy',
  draining: 'busy',
  stopped: 'off',
  disabled: 'off',
  failed: 'bad',
};
const CLASS_DEFS = [
  'classDef ok fill:#dcfce7,stroke:#15803d,color:#052e16,stroke-width:2px',
  'classDef busy fill:#fef3c7,stroke:#b45309,color:#451a03,stroke-width:2px',
  'classDef off fill:#e5e7eb,stroke:#6b7280,color:#374151,stroke-dasharray:4 3',
  'classDef bad fill:#fee2e2,stroke:#b91c1c,color:#450a0a,stroke-width:2px',
  'classDef core fill:#dbeafe,stroke:#1d4ed8,color:#172554,stroke-width:2px',
  'classDef infra fill:#f3e8ff,stroke:#7e22ce,color:#3b0764',
  'classDef chat fill:#e0f2fe,stroke:#0369a1,color:#082f49',
];

/** Mermaid text is code: labels are quoted and stripped of what would break out of a label. */
function label(text: string): string {
  return text.replace(/["`<>{}[\]|#;]/g, (c) => (c === '#' ? '#35;' : ' ')).trim();
}

function agentLabel(a: SystemModel['agents'][number]): string {
  const load = a.inFlight > 0 ? ` · ${a.inFlight} in flight` : '';
  const state = a.state === 'active' ? '' : ` · ${a.state}`;
  const origin = a.source === 'external' ? ' · MCP' : '';
  return `#35;${a.number} ${label(displayName(a.name))}<br/><small>v${label(a.version)}${state}${load}${origin}</small>`;
}

const id = (n: number) => `A${n}`;

/** Agents connected by workflows, as groups with an entry (a source) and an end (a sink). */
function workflowGroups(workflows: SystemModel['workflows']): { first: number; last: number }[] {
  const parent = new Map<number, number>();
  const root = (n: number): number => {
    while (parent.get(n) !== n) n = parent.get(n)!;
    return n;
  };
  for (const w of workflows) {
    for (const n of [w.from, w.to]) if (!parent.has(n)) parent.set(n, n);
    parent.set(root(w.from), root(w.to));
  }
  const members = new Map<number, number[]>();
  for (const n of parent.keys()) members.set(root(n), [...(members.get(root(n)) ?? []), n]);
  return [...members.values()]
    .map((nodes) => {
      const sorted = nodes.sort((a, b) => a - b);
      const sources = sorted.filter((n) => !workflows.some((w) => w.to === n));
      const sinks = sorted.filter((n) => !workflows.some((w) => w.from === n));
      return { first: sources[0] ?? sorted[0]!, last: sinks.at(-1) ?? sorted.at(-1)! };
    })
    .sort((a, b) => a.first - b.first);
}
const COLUMNS = 4;

/**
 * Mermaid flowchart source for a view of the model: the whole system (chat -> gateway -> orchestrator
 * -> agents, with infrastructure below and workflows as labelled edges), one agent with its
 * neighbours, or the workflows alone. Agents are labelled "#15 Invoicing" and coloured by state.
 */
export function toMermaid(model: SystemModel, view: ArchitectureView = { kind: 'system' }): string {
  const lines = [view.kind === 'system' ? 'flowchart TB' : 'flowchart LR'];
  const agents =
    view.kind === 'agent'
      ? model.agents.filter(
          (a) =>
            a.number === view.agent ||
            model.workflows.some(
              (w) => (w.from === view.agent && w.to === a.number) || (w.to === view.agent && w.from === a.number),
            ),
        )
      : view.kind === 'workflows'
        ? model.agents.filter((a) => model.workflows.some((w) => w.from === a.number || w.to === a.number))
        : model.agents;
  const shown = new Set(agents.map((a) => a.number));
  const workflows = model.workflows.filter(
    (w) =>
      shown.has(w.from) && shown.has(w.to) && (view.kind !== 'agent' || w.from === view.agent || w.to === view.agent),
  );

  if (view.kind === 'system') {
    lines.push('  subgraph chat["Chat"]', '    direction LR');
    for (const a of model.adapters)
      lines.push(
        `    P_${a.platform}(["${label(displayName(a.platform))}<br/><small>${label(a.state)}</small>"]):::chat`,
      );
    if (model.adapters.length === 0) lines.push('    P_none(["no chat platform configured"]):::off');
    lines.push('  end');
    lines.push(
      '  subgraph core["paios core"]',
      '    direction LR',
      '    GW["Chat gateway"]:::core --> RT["Router"]:::core --> EX["Executor"]:::core --> RG["Agent registry · MCP"]:::core',
      '  end',
    );
    for (const a of model.adapters) lines.push(`  P_${a.platform} --> GW`);
    if (model.adapters.length === 0) lines.push('  P_none -.-> GW');
  }

  lines.push(`  subgraph agents["Agents (${agents.length})"]`, '    direction TB');
  for (const a of agents) lines.push(`    ${id(a.number)}["${agentLabel(a)}"]:::${STATE_CLASS[a.state]}`);
  // A grid rather than one long row: invisible links put every COLUMNS-th agent on the next rank.
  const loose = agents.filter((a) => !workflows.some((w) => w.from === a.number || w.to === a.number));
  for (let i = COLUMNS; i < loose.length; i++)
    lines.push(`    ${id(loose[i - COLUMNS]!.number)} ~~~ ${id(loose[i]!.number)}`);
  // Agents joined by workflows form groups; groups too are stacked COLUMNS to a row, each below the
  // end of the one COLUMNS before it.
  const groups = workflowGroups(workflows);
  for (let i = COLUMNS; i < groups.length; i++)
    lines.push(`    ${id(groups[i - COLUMNS]!.last)} ~~~ ${id(groups[i]!.first)}`);
  if (agents.length === 0) lines.push('    none["no agents with workflows"]:::off');
  lines.push('  end');
  if (view.kind === 'system') lines.push('  RG --> agents');

  for (const w of workflows) {
    const arrow = w.active ? '==>' : '-.->';
    lines.push(`  ${id(w.from)} ${arrow}|"${label(w.event)} → ${label(w.tool)}"| ${id(w.to)}`);
  }

  if (view.kind === 'system') {
    const i = model.infrastructure;
    lines.push(
      '  subgraph infra["Infrastructure"]',
      '    direction LR',
      `    DB[("${i.database}")]:::infra`,
      `    CQ[["${i.cache === 'Redis' ? 'Redis' : 'in-process cache'}"]]:::infra`,
      `    JQ[["${i.jobs === 'BullMQ' ? 'BullMQ jobs' : 'in-process jobs'}"]]:::infra`,
      ...(i.llm ? [`    LLM(["LLM: ${label(i.llm)}"]):::infra`] : []),
      '  end',
      '  EX --> DB',
      '  EX --> JQ',
      '  GW --> CQ',
      ...(i.llm ? ['  RT -.-> LLM'] : []),
    );
  }
  if (view.kind === 'system')
    lines.push(
      '  subgraph legend["State"]',
      '    direction LR',
      '    L1["running"]:::ok ~~~ L2["starting / draining"]:::busy ~~~ L3["disabled / stopped"]:::off ~~~ L4["failed"]:::bad',
      '  end',
    );
  lines.push(...CLASS_DEFS.map((d) => `  ${d}`));
  return `${lines.join('\n')}\n`;
}
