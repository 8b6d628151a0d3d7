import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Attachment } from '../agents/agent.contract.js';
import type { Reply } from '../adapters/chat.contract.js';
import { ChatGateway } from '../adapters/core/chat-gateway.service.js';
import type { PaiosConfig } from '../config/config.schema.js';
import { UserRepository } from '../orchestrator/identity/user.repository.js';
import type { RunningProcess } from '../main.js';

/** Saves files under <dataDir>/attachments and returns their paths. */
export function saveAttachments(config: PaiosConfig, files: Attachment[] = []): string[] {
  if (files.length === 0) return [];
  const dir = join(config.dataDir, 'attachments');
  mkdirSync(dir, { recursive: true });
  return files.map((a) => {
    const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${a.filename.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(path, Buffer.from(a.data, 'base64'));
    return path;
  });
}

/**
 * `paios chat ["text"]`: one turn, or a conversation on the terminal, as the local user. It is the
 * console adapter: messages go through the same gateway as Slack or Telegram (digest schedules,
 * pairing approvals and all).
 */
export async function chat(running: RunningProcess, config: PaiosConfig, text: string | undefined): Promise<number> {
  const gateway = running.app.get(ChatGateway);
  const user = await running.app.get(UserRepository).upsertByEmail(config.localUser);
  const turn = async (said: string): Promise<boolean> => {
    const replies: Reply[] = [];
    await gateway.receive(
      {
        platform: 'console',
        eventId: randomUUID(),
        address: { platform: 'console', workspace: '', channel: user.id },
        sender: { id: user.id, name: user.email },
        text: said,
        direct: true,
      },
      { reply: async (r) => void replies.push(r) },
    );
    for (const r of replies) {
      console.log(r.text);
      for (const b of r.buttons ?? []) console.log(`  option: ${b.value}`);
      for (const path of saveAttachments(config, [...(r.attachments ?? []), ...(r.voice ? [r.voice] : [])]))
        console.log(`attachment: ${path}`);
    }
    return replies.length > 0 && replies.every((r) => !r.unsuccessful);
  };
  if (text !== undefined) return (await turn(text)) ? 0 : 1;

  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
    prompt: 'you> ',
  });
  console.log('paios chat: talk to your agents ("#15 ..." or "@invoicing ..." to pick one); "exit" or Ctrl-D ends.');
  rl.prompt();
  // Lines are read as they come, so piped input works as well as a terminal.
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line) await turn(line);
    rl.prompt();
  }
  rl.close();
  return 0;
}
