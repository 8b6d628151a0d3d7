import { afterAll, describe, expect, it } from '@jest/globals';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childEnv, PAIOS_BIN } from '../support/paios-process.js';
import { embeddedDataDir } from '../support/services.js';

/**
 * `paios mcp` as an MCP host runs it: a child speaking JSON-RPC lines on stdin/stdout. When the host
 * goes away (stdin closed) or stops it (SIGTERM), it must exit by itself, after answering what it
 * already read and closing the database, instead of lingering as an orphan.
 */

/** Far above a normal exit (well under a second); only a process that never exits reaches it. */
const EXIT_WITHIN = 30_000;

interface Message {
  id?: number;
  result?: { tools?: { name: string }[]; content?: { type: string; text?: string }[]; isError?: boolean };
  error?: { message: string };
}

class McpChild {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Message[] = [];
  stderr = '';
  private nextId = 1;
  private readonly waiting = new Map<number, (m: Message) => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [PAIOS_BIN, 'mcp'], { env: childEnv(env), stdio: 'pipe' });
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Message;
      this.messages.push(message);
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
    // 'close' rather than 'exit': every line the process wrote has been read by then.
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  /** Sends a request; the promise resolves with its response. */
  request(method: string, params: Record<string, unknown> = {}): Promise<Message> {
    const id = this.send(method, params);
    return new Promise<Message>((resolve) => this.waiting.set(id, resolve));
  }

  /** Sends a request without waiting; returns its id (see `answerTo`). */
  send(method: string, params: Record<string, unknown> = {}): number {
    const id = this.nextId++;
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return id;
  }

  /** The response to request `id` among everything written so far (after the exit: all of it). */
  answerTo(id: number): Message {
    const found = this.messages.find((m) => m.id === id);
    if (!found) throw new Error(`no answer to request ${id}; stderr:\n${this.stderr}`);
    return found;
  }

  notify(method: string): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
  }

  async initialize(): Promise<void> {
    const init = await this.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'orphan-test', version: '1.0.0' },
    });
    expect(init.error).toBeUndefined();
    this.notify('notifications/initialized');
  }

  /** The exit, or a failure saying the process was still running after EXIT_WITHIN. */
  async exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.exited,
      new Promise<'running'>((resolve) => (timer = setTimeout(() => resolve('running'), EXIT_WITHIN))),
    ]);
    clearTimeout(timer);
    if (outcome === 'running') {
      this.child.kill('SIGKILL');
      throw new Error(`paios mcp still running ${EXIT_WITHIN} ms after its client left:\n${this.stderr}`);
    }
    return outcome;
  }
}

describe('`paios mcp` ends with its client', () => {
  const dirs: { remove: () => void }[] = [];
  const children: McpChild[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    for (const d of dirs) d.remove();
  });

  function start(dataDir?: string): { mcp: McpChild; dataDir: string } {
    if (!dataDir) {
      const dir = embeddedDataDir('paios-mcp-stdio-');
      dirs.push(dir);
      dataDir = dir.path;
    }
    const mcp = new McpChild({ PAIOS_DATA_DIR: dataDir, PAIOS_LOCAL_USER: 'mcp@example.test' });
    children.push(mcp);
    return { mcp, dataDir };
  }

  const clientsIn = async (dataDir: string): Promise<string> => {
    const { mcp } = start(dataDir);
    await mcp.initialize();
    const listed = await mcp.request('tools/call', { name: 'invoicing__list_clients', arguments: {} });
    mcp.child.stdin.end();
    expect(await mcp.exit()).toEqual({ code: 0, signal: null });
    return JSON.stringify(listed.result?.content);
  };

  it('exits by itself when its client closes stdin after initialize and tools/list', async () => {
    const { mcp } = start();
    await mcp.initialize();
    const tools = await mcp.request('tools/list');
    expect(tools.result?.tools?.map((t) => t.name)).toEqual(
      expect.arrayContaining(['invoicing__add_client', 'business-intelligence__revenue_chart']),
    );
    mcp.child.stdin.end();
    expect(await mcp.exit()).toEqual({ code: 0, signal: null });
    expect(mcp.stderr).not.toMatch(/error/i);
  }, 300_000);

  it('answers a tool call already sent when stdin closes, then exits with the change saved', async () => {
    const { mcp, dataDir } = start();
    await mcp.initialize();
    const added = mcp.send('tools/call', { name: 'invoicing__add_client', arguments: { name: 'Acme' } });
    mcp.child.stdin.end(); // the client leaves without waiting for the answer
    expect(await mcp.exit()).toEqual({ code: 0, signal: null });
    const answer = mcp.answerTo(added);
    expect(answer.result?.isError).toBeFalsy();
    expect(JSON.stringify(answer.result?.content)).toContain('Added Acme');
    expect(await clientsIn(dataDir)).toContain('Acme');
  }, 300_000);

  it('on SIGTERM answers the call in flight, closes the database and exits 0', async () => {
    const { mcp, dataDir } = start();
    await mcp.initialize();
    expect((await mcp.request('tools/list')).result?.tools?.length).toBeGreaterThan(0);
    const added = mcp.send('tools/call', { name: 'invoicing__add_client', arguments: { name: 'Globex' } });
    // Requests are read in order: once the ping is answered, paios has read the call too.
    await mcp.request('ping');
    mcp.child.kill('SIGTERM');
    expect(await mcp.exit()).toEqual({ code: 0, signal: null });
    expect(JSON.stringify(mcp.answerTo(added).result?.content)).toContain('Added Globex');
    // The embedded database was closed cleanly: the next process opens it and finds the client.
    expect(await clientsIn(dataDir)).toContain('Globex');
  }, 300_000);
});
