import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DomainError } from './common/errors.js';
import { TokenService } from './api/auth/token.service.js';
import { ConfigError, type PaiosConfig } from './config/config.schema.js';
import { loadConfig } from './config/config.loader.js';
import { packageVersion } from './config/package-info.js';
import { DatabaseRuntime, openDataSource, runMigrations } from './database/data-source.factory.js';
import { UserRepository } from './orchestrator/identity/user.repository.js';
import type { DataSource } from 'typeorm';
import { formatCode, PairingService } from './orchestrator/identity/pairing.service.js';
import { commandLineUser, NO_OWNER } from './cli/owner.js';
import type { RunningProcess } from './main.js';

/**
 * The whole app (Nest, every agent, every adapter) loads only for the commands that run it: `token
 * create`, `users`, `init` and `status` touch the database alone and start in a fraction of the time.
 */
const app = () => import('./main.js');

/**
 * The `paios` command. Configuration comes from the environment (and ./.env); every sub-command
 * validates it first and stops with a message naming the bad variable.
 */
function config(): PaiosConfig {
  return loadConfig();
}

function runUntilSignal(running: RunningProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.shutdown(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

const program = new Command()
  .name('paios')
  .description('paios — a Personal AI Operating System that lives in chat')
  .version(packageVersion())
  // Usage errors (bad option, unknown command) exit 2; commander has already printed why.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program
  .command('start', { isDefault: true })
  .description('serve the API on HOST:PORT (default 127.0.0.1:3000); embedded mode unless DATABASE_URL is set')
  .action(async () => runUntilSignal(await (await app()).startServer(config())));

program
  .command('worker')
  .description('process jobs only (server mode: needs REDIS_URL); run as many as you like')
  .action(async () => {
    const c = config();
    if (!c.redis.url) {
      throw new ConfigError([
        'REDIS_URL: `paios worker` needs Redis (server mode); in embedded mode `paios start` runs jobs itself',
      ]);
    }
    runUntilSignal(await (await app()).startWorker(c));
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const db = await DatabaseRuntime.open(config());
    try {
      const ds = await openDataSource(db.options);
      const ran = await runMigrations(ds).finally(() => ds.destroy());
      console.log(ran.length ? `applied: ${ran.join(', ')}` : 'database is up to date');
    } finally {
      await db.close();
    }
  });

program
  .command('route')
  .description('show how paios would route a message, without running anything')
  .argument('<text...>', 'what you would say')
  .option('--json', 'print the whole decision as JSON')
  .action(async (words: string[], opts: { json?: boolean }) => {
    const c = config();
    const running = await (await app()).startCliContext(c);
    const { RouterService } = await import('./orchestrator/router/router.service.js');
    try {
      const decision = await running.app.get(RouterService).route(words.join(' '));
      if (opts.json) console.log(JSON.stringify(decision, null, 2));
      else if (decision.clarification) console.log(decision.clarification.question);
      else {
        console.log(
          `#${decision.agentNumber} ${decision.agentName} ${decision.tool} ${JSON.stringify(decision.parameters)} (via ${decision.via}, confidence ${decision.confidence})`,
        );
      }
    } finally {
      await running.shutdown();
    }
  });

program
  .command('chat')
  .description('talk to your agents as the owner (or PAIOS_LOCAL_USER): one message, or a conversation')
  .argument('[text...]', 'a message; without one, an interactive chat starts')
  .action(async (words: string[]) => {
    const c = config();
    const running = await (await app()).startCliContext(c);
    const { chat } = await import('./cli/chat.command.js');
    try {
      process.exitCode = await chat(running, c, words.length ? words.join(' ') : undefined);
    } finally {
      await running.shutdown();
    }
  });

program
  .command('mcp')
  .description('serve your agents as an MCP server on stdin/stdout (for Claude Desktop, Cursor, ...)')
  .option('--user <email>', 'the paios user the tools act as (default PAIOS_LOCAL_USER, else the owner)')
  .action(async (opts: { user?: string }) => {
    const c = config();
    const { serveMcp } = await import('./cli/mcp.command.js');
    const { startCliContext } = await app();
    await serveMcp(
      () => startCliContext(c),
      c,
      (running) => commandLineUser(running.app.get(UserRepository), c, opts.user),
    );
    process.exit(0);
  });

const email = (value: string) => {
  const parsed = z.email().safeParse(value.trim());
  if (!parsed.success) throw new InvalidArgumentError('expected an email address');
  return parsed.data;
};

const token = program.command('token').description('API tokens');
token
  .command('create')
  .description('mint a bearer token for a user (created if new); the token is the last line printed')
  .requiredOption('--user <email>', 'the user the token acts for', email)
  .option('--ttl <duration>', 'lifetime such as 12h or 90d (default ACCESS_TOKEN_TTL, 30d)')
  .action(async (opts: { user: string; ttl?: string }) => {
    const c = config();
    if (opts.ttl && !/^\d+\s*(s|m|h|d)$/.test(opts.ttl)) {
      throw new InvalidArgumentError('--ttl: expected a duration such as 12h or 90d');
    }
    const db = await DatabaseRuntime.open(c);
    try {
      const ds = await openDataSource(db.options);
      try {
        await runMigrations(ds);
        const repo = new UserRepository(ds);
        const minted = await new TokenService(c, repo).mint(opts.user, opts.ttl);
        // The first token's user owns this paios, unless PAIOS_ADMIN_EMAILS names the owners.
        if (c.adminEmails.length === 0 && (await repo.claimOwnerIfNone(minted.user.id)))
          console.log(`${minted.user.email} is now the owner of this paios`);
        console.log(
          `token for ${minted.user.email} (user ${minted.user.id}), valid until ${minted.expiresAt.toISOString()}:`,
        );
        console.log(minted.token);
      } finally {
        await ds.destroy();
      }
    } finally {
      await db.close();
    }
  });

/** Opens the database (migrated) for a short command that needs no running services. */
async function withDatabase<T>(c: PaiosConfig, run: (ds: DataSource) => Promise<T>): Promise<T> {
  const db = await DatabaseRuntime.open(c);
  try {
    const ds = await openDataSource(db.options);
    try {
      await runMigrations(ds);
      return await run(ds);
    } finally {
      await ds.destroy();
    }
  } finally {
    await db.close();
  }
}

program
  .command('init')
  .description('make the owner of this paios explicit: the person who approves pairings and changes the system')
  .requiredOption('--owner <email>', 'the owner (created if new)', email)
  .option('--force', 'hand ownership over from another owner')
  .action(async (opts: { owner: string; force?: boolean }) => {
    const c = config();
    await withDatabase(c, async (ds) => {
      const { owner, previous } = await new UserRepository(ds).makeOwner(opts.owner, opts.force === true);
      console.log(
        previous
          ? `${owner.email} is now the owner of this paios (was ${previous})`
          : `${owner.email} is the owner of this paios`,
      );
      if (c.adminEmails.length > 0 && !c.adminEmails.includes(owner.email))
        console.log(`note: PAIOS_ADMIN_EMAILS is set (${c.adminEmails.join(', ')}) and decides who the owners are`);
    });
  });

program
  .command('status')
  .description('mode, data and who owns this paios')
  .action(async () => {
    const c = config();
    await withDatabase(c, async (ds) => {
      const repo = new UserRepository(ds);
      console.log(
        `paios ${c.version}, ${c.database.mode} mode${c.database.mode === 'embedded' ? ` (data in ${c.dataDir})` : ''}`,
      );
      if (c.adminEmails.length > 0) console.log(`owner: ${c.adminEmails.join(', ')} (PAIOS_ADMIN_EMAILS)`);
      else {
        const owner = await repo.findOwner([]);
        console.log(
          owner
            ? `owner: ${owner.email}`
            : `owner: none yet; ${NO_OWNER.replace(/^this paios has no owner yet: /, '')}`,
        );
      }
      const [count] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM users`);
      console.log(`users: ${count?.n ?? 0}`);
    });
  });

const users = program.command('users').description('people and the chat accounts paired with them');
users
  .command('pending')
  .description('chat accounts waiting for approval, with their pairing codes')
  .action(async () => {
    const c = config();
    await withDatabase(c, async (ds) => {
      const pending = await new PairingService(ds, new UserRepository(ds), c).pending();
      if (pending.length === 0) console.log('no pairing requests waiting');
      for (const p of pending)
        console.log(
          `${formatCode(p.code)}  ${p.platform}${p.workspace ? `/${p.workspace}` : ''}  ${p.displayName ?? ''} (${p.platformUserId})  expires ${p.expiresAt.toISOString()}`,
        );
    });
  });
users
  .command('approve')
  .description('pair the chat account behind a pairing code with a paios user (default: the owner)')
  .argument('<code>', 'the code paios gave the account, e.g. ABCD-EFGH')
  .option('--as <email>', 'pair it with this user (created if new) instead of the owner', email)
  .action(async (code: string, opts: { as?: string }) => {
    const c = config();
    await withDatabase(c, async (ds) => {
      const done = await new PairingService(ds, new UserRepository(ds), c).approve(code, opts.as);
      const who = done.request.displayName
        ? `${done.request.displayName} (${done.request.platformUserId})`
        : done.request.platformUserId;
      console.log(`paired ${done.request.platform} account ${who} with ${done.email}`);
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`paios: ${err.message}`);
    process.exit(78); // EX_CONFIG
  }
  if (err instanceof DomainError) {
    console.error(`paios: ${err.message}`);
    process.exit(1);
  }
  if (err instanceof InvalidArgumentError) {
    console.error(`paios: ${err.message}`);
    process.exit(2);
  }
  console.error(`paios: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
