// @ts-check
// The module boundaries of DESIGN.md ("Layout"), checked by `npm run lint` (depcruise src).
// Every import counts, type-only ones included: a type is a dependency on the folder that owns it.

/** Platform SDKs: only src/adapters/<platform> may load them. */
const PLATFORM_SDKS =
  '^node_modules/(@slack/|discord[.]js/|@discordjs/|discord-api-types/|discord-interactions/|grammy/|@grammyjs/)';

/**
 * What adapters may use of the orchestrator: its contracts (`*.port.ts`, `*.ports.ts`, `*.contract.ts`), the turn pipeline and its context and commands, and the services,
 * repositories, registries and events it offers, never the implementations behind a contract
 * (the BullMQ queue, the speech providers, the LLM routers, an agent's MCP server...).
 */
const ORCHESTRATOR_SURFACE =
  '[.](port|ports|contract|command|parser|pipeline|context|service|repository|registry)[.]ts$|/agent-registry[.]ts$|/system-events[.]ts$|/choice-matcher[.]ts$';

/**
 * The top-level folders in layers: each may import only the folders listed after it (and itself),
 * so no two top-level folders can depend on each other. The app root (main.ts, app.module.ts,
 * cli.ts, cli/) assembles everything and is not listed.
 * The orchestrator knows agents only through src/sdk; agents use the orchestrator's services (the
 * outbound guard, the job queue, the registry).
 */
const LAYERS = {
  api: ['adapters', 'agents', 'orchestrator', 'ops', 'vault', 'sdk', 'database', 'config', 'common'],
  adapters: ['orchestrator', 'ops', 'sdk', 'database', 'config', 'common'],
  ops: ['orchestrator', 'database', 'config', 'common'],
  agents: ['orchestrator', 'vault', 'sdk', 'database', 'config', 'common'],
  orchestrator: ['vault', 'sdk', 'database', 'config', 'common'],
  vault: ['database', 'config', 'common'],
  sdk: ['common'],
  database: ['config', 'common'],
  config: ['common'],
  common: [],
};

// Keep the table acyclic: a folder may list only folders below it.
const ORDER = Object.keys(LAYERS);
for (const [folder, below] of Object.entries(LAYERS))
  for (const other of below)
    if (ORDER.indexOf(other) <= ORDER.indexOf(folder))
      throw new Error(`.dependency-cruiser.js: src/${folder} lists src/${other}, which is not below it in LAYERS`);

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const LAYER_RULES = Object.entries(LAYERS).map(([folder, below]) => ({
  name: `layer-${folder}`,
  severity: 'error',
  comment: below.length
    ? `src/${folder} may import only ${below.map((f) => `src/${f}`).join(', ')} (top-level folders form no cycle).`
    : `src/${folder} imports nothing else of paios.`,
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: `^src/(${[folder, ...below].join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module cycle: one of them should depend on a contract both can import.',
      from: {},
      to: { circular: true },
    },
    ...LAYER_RULES,
    {
      name: 'adapters-use-orchestrator-contracts',
      severity: 'error',
      comment: 'Adapters use the orchestrator through its contracts and services, not its implementations.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/orchestrator/', pathNot: ORCHESTRATOR_SURFACE },
    },
    {
      name: 'agents-not-to-other-agents',
      severity: 'error',
      comment: 'Agents never import each other: they call each other over MCP.',
      from: { path: '^src/agents/([^/]+)/' },
      to: {
        path: '^src/agents/',
        pathNot: '^src/agents/$1/',
      },
    },
    {
      name: 'orchestrator-not-to-platform-sdks',
      severity: 'error',
      comment: 'The orchestrator is platform-neutral: Slack, Discord and Telegram live in src/adapters.',
      from: { path: '^src/orchestrator/' },
      to: { path: PLATFORM_SDKS },
    },
    {
      name: 'only-the-app-root-imports-api',
      severity: 'error',
      comment: 'The API is an outer layer: only the app root (main.ts, app.module.ts, cli.ts) mounts it.',
      from: { path: '^src/', pathNot: '^src/(api/|main[.]ts$|app[.]module[.]ts$|cli[.]ts$)' },
      to: { path: '^src/api/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
