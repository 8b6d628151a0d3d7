import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createToken, runPaios, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { embeddedDataDir } from '../support/services.js';

/** The console adapter over REST and the pairing commands, on a real `paios start` (embedded mode). */
describe('chat over REST and pairing from the command line', () => {
  let paios: PaiosProcess;
  let env: Record<string, string>;
  let token: string;
  let removeDir: () => void;

  const post = async (body: unknown) => {
    const res = await fetch(`${paios.url}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeAll(async () => {
    const dir = embeddedDataDir('paios-chat-e2e-');
    removeDir = () => dir.remove();
    env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: 'chat-e2e-secret-0123456789-0123456789-0123' };
    paios = await startPaios(env);
    token = await createToken('owner@example.test', env);
  });
  afterAll(async () => {
    await paios?.stop('SIGTERM');
    removeDir?.();
  });

  it('answers a message sent to POST /api/chat with platform-neutral replies', async () => {
    const res = await post({ text: 'daily digest' });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('answered');
    expect(res.body.replies[0].text).toMatch(/^Digest for \d{4}-\d{2}-\d{2}/);
  });

  it('does not run a message twice when the client sends it again with the same id', async () => {
    const first = await post({ text: 'daily digest', messageId: 'm-1' });
    const again = await post({ text: 'daily digest', messageId: 'm-1' });
    expect(first.body.outcome).toBe('answered');
    expect(again.body).toEqual({ outcome: 'duplicate', replies: [] });
  });

  it('refuses a message with neither text nor audio, naming what is missing', async () => {
    const res = await post({ text: '   ' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('expected text or audio');
  });

  it('schedules a digest for the console and lists it', async () => {
    const set = await post({ text: 'send me a digest every weekday at 8:00' });
    expect(set.body.replies[0].text).toMatch(/^Done: a digest every weekday at 08:00 \(.+\) here\./);
    const listed = await post({ text: 'which digests do I get' });
    expect(listed.body.replies[0].text).toContain('every weekday at 08:00');
    expect(listed.body.replies[0].text).toContain('the console');
  });

  it('reports the chat adapters in health', async () => {
    const res = await fetch(`${paios.url}/api/system/health`);
    const body = (await res.json()) as { info: { app: { chat: Record<string, string> } } };
    expect(body.info.app.chat).toEqual({ console: 'ready' });
  });

  it('tells the owner clearly when a pairing code is unknown, and lists none pending', async () => {
    const approve = await runPaios(['users', 'approve', 'ABCD-EFGH'], env);
    expect(approve.code).toBe(1);
    expect(approve.stderr).toContain('no open pairing code ABCD-EFGH');
    const pending = await runPaios(['users', 'pending'], env);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain('no pairing requests waiting');
  });
});
