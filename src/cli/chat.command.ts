import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentResponse } from '../agents/agent.contract.js';
import type { PaiosConfig } from '../config/config.schema.js';
import { ConversationService } from '../orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../orchestrator/identity/user.repository.js';
import type { RunningProcess } from '../main.js';

/** Saves a response's files under <dataDir>/attachments and returns their paths. */
export function saveAttachments(config: PaiosConfig, response?: AgentResponse): string[] {
  const files = response?.attachments ?? [];
  if (files.length === 0) return [];
  const dir = join(config.dataDir, 'attachments');
  mkdirSync(dir, { recursive: true });
  return files.map((a) => {
    const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${a.filename.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(path, Buffer.from(a.data, 'base64'));
    return path;
  });
}

/** `paios chat ["text"]`: one turn, or a conversation on the terminal, as the local user. */
export async function chat(running: RunningProcess, config: PaiosConfig, text: string | undefined): Promise<number> {
  const conversation = running.app.get(ConversationService);
  const user = await running.app.get(UserRepository).upsertByEmail(config.localUser);
  const turn = async (said: string): Promise<boolean> => {
    const result = await conversation.handle({ userId: user.id, text: said });
    console.log(result.reply);
    for (const path of saveAttachments(config, result.response)) console.log(`attachment: ${path}`);
    return result.response?.success ?? false;
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
