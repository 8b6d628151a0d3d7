import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'puppeteer-core';
import type { InboundMessage, Reply } from '../../src/adapters/chat.contract.js';
import { ChatGateway } from '../../src/adapters/core/chat-gateway.service.js';
import { BusinessIntelligenceModule } from '../../src/agents/business-intelligence/business-intelligence.module.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { displayName } from '../../src/agents/system-architecture/architecture.model.js';
import { ArchitectureService } from '../../src/agents/system-architecture/architecture.service.js';
import { SystemArchitectureModule } from '../../src/agents/system-architecture/system-architecture.module.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';

/** One console turn through the chat gateway, as `paios chat` sends it. */
async function consoleTurn(gateway: ChatGateway, userId: string, text: string): Promise<Reply[]> {
  const replies: Reply[] = [];
  const msg: InboundMessage = {
    platform: 'console',
    eventId: randomUUID(),
    address: { platform: 'console', workspace: '', channel: userId },
    sender: { id: userId },
    text,
    direct: true,
  };
  await gateway.receive(msg, { reply: async (r) => void replies.push(r) });
  return replies;
}

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('agent #31 system architecture', () => {
  let chat: ChatApp;
  let gateway: ChatGateway;
  let owner: { id: string; email: string };

  const say = (text: string) => consoleTurn(gateway, owner.id, text);

  beforeAll(async () => {
    chat = await startChatApp({
      env: { PAIOS_ADMIN_EMAILS: 'owner@example.test' },
      modules: [InvoicingModule, BusinessIntelligenceModule, SystemArchitectureModule],
    });
    gateway = chat.app.get(ChatGateway);
    owner = await chat.app.get(UserRepository).upsertByEmail('owner@example.test');
  });
  afterAll(async () => {
    await chat?.close();
  });

  it('answers "show me the system architecture" with a PNG of the running system', async () => {
    const [reply] = await say('show me the system architecture');
    expect(reply!.unsuccessful).toBeUndefined();
    const png = reply!.attachments?.find((a) => a.mimeType === 'image/png');
    expect(png).toBeDefined();
    const { width, height } = pngSize(Buffer.from(png!.data, 'base64'));
    expect(width).toBeGreaterThan(600);
    expect(height).toBeGreaterThan(300);
  });

  it('draws every running agent by number and name in the SVG', async () => {
    const architecture = chat.app.get(ArchitectureService);
    const { data } = await architecture.draw({ kind: 'system' }, 'svg', owner.id);
    const svg = data!.toString('utf8');
    expect(svg).toContain('<svg');
    const agents = chat.app.get(AgentRegistry).list();
    expect(agents.length).toBeGreaterThanOrEqual(4);
    // Every agent by number and name, as a person reads it: "#15 Invoicing", "#91 Calculator".
    for (const a of agents) {
      const name = `#${a.agentNumber} ${displayName(a.name)}`;
      expect({ name, drawn: svg.includes(name) }).toEqual({ name, drawn: true });
    }
  });

  it('starts a new browser when the warm one dies, and keeps drawing', async () => {
    const architecture = chat.app.get(ArchitectureService);
    await architecture.draw({ kind: 'workflows' }, 'png', owner.id);
    // The renderer's browser, killed the way the OOM killer would.
    const browser = await (
      architecture.renderer as unknown as { browser: { launch(): Promise<Browser> } }
    ).browser.launch();
    const gone = new Promise((resolve) => browser.once('disconnected', resolve));
    browser.process()!.kill('SIGKILL');
    await gone;
    const again = await architecture.draw({ kind: 'agent', agent: 15 }, 'png', owner.id);
    expect(pngSize(again.data!).width).toBeGreaterThan(100);
  });

  it('disables an agent after a confirmation button, and rolls the change back the same way', async () => {
    const [ask] = await say('disable agent 15');
    expect(ask!.text).toContain('Disable #15 Invoicing?');
    const yes = ask!.buttons!.find((b) => b.label.startsWith('Yes'))!;
    const [done] = await say(yes.value);
    expect(done!.text).toContain('#15 Invoicing is disabled');
    expect(chat.app.get(AgentRegistry).get(15)!.enabled).toBe(false);

    const [changes] = await say('what changed');
    expect(changes!.text).toMatch(/disable #15 Invoicing/);

    const [undo] = await say('roll back the last change');
    expect(undo!.text).toContain('Roll back the disable of #15 Invoicing');
    const [rolled] = await say(undo!.buttons!.find((b) => b.label.startsWith('Yes'))!.value);
    expect(rolled!.text).toContain('Rolled back');
    expect(chat.app.get(AgentRegistry).get(15)).toMatchObject({ enabled: true, state: 'active' });
  });

  it('refuses changes to the system from anyone but the owner', async () => {
    const other = await chat.app.get(UserRepository).upsertByEmail('guest@example.test');
    const replies = await consoleTurn(gateway, other.id, '#31 modify disable agent 15 confirm');
    expect(replies[0]!.text).toContain('Only the owner');
    expect(chat.app.get(AgentRegistry).get(15)!.enabled).toBe(true);
  });
});

describe('agent #31 without a browser', () => {
  let chat: ChatApp;

  beforeAll(async () => {
    chat = await startChatApp({
      env: { CHROMIUM_PATH: '/nonexistent/chromium' },
      modules: [SystemArchitectureModule],
    });
  });
  afterAll(async () => {
    await chat?.close();
  });

  it('says why it cannot draw and gives the Mermaid source instead', async () => {
    const user = await chat.app.get(UserRepository).upsertByEmail('me@example.test');
    const replies = await consoleTurn(chat.app.get(ChatGateway), user.id, 'show me the system architecture');
    expect(replies[0]!.text).toContain('cannot draw it right now');
    expect(replies[0]!.text).toContain('/nonexistent/chromium');
    expect(replies[0]!.text).toContain('```mermaid\nflowchart TB');
    expect(replies[0]!.attachments ?? []).toHaveLength(0);
  });
});
