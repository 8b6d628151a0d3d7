import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Attachment } from '../sdk/agent.contract.js';
import type { Reply } from '../adapters/chat.contract.js';
import { ChatGateway } from '../adapters/core/chat-gateway.service.js';
import type { PaiosConfig } from '../config/config.schema.js';
import { CHOICE_COMMAND } from '../orchestrator/conversation/choice-matcher.js';
import { UserRepository } from '../orchestrator/identity/user.repository.js';
import type { RunningProcess } from '../main.js';
import { commandLineUser } from './owner.js';

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
 * `paios chat ["text"]`: one turn, or a conversation on the terminal, as the owner (or PAIOS_LOCAL_USER). It is the
 * console adapter: messages go through the same gateway as Slack or Telegram (digest schedules,
 * pairing approvals and all).
 */
export async function chat(running: RunningProcess, config: PaiosConfig, text: string | undefined): Promise<number> {
  const gateway = running.app.get(ChatGateway);
  const user = await commandLineUser(running.app.get(UserRepository), config);
  const address = { platform: 'console' as const, workspace: '', channel: user.id };
  /** A secret paios asked for (the master password): typed without echo, sent to it directly. */
  let asked: Reply['secretPrompt'];
  const show = (replies: Reply[]): boolean => {
    for (const r of replies) {
      console.log(r.text);
      // The question lists its choices by number; the other buttons are commands to type.
      const choices = (r.buttons ?? []).filter((b) => CHOICE_COMMAND.test(b.value));
      if (choices.length) console.log(`  (answer 1-${choices.length}, or the name of one)`);
      for (const b of r.buttons ?? []) if (!choices.includes(b)) console.log(`  option: ${b.value}`);
      for (const path of saveAttachments(config, [...(r.attachments ?? []), ...(r.voice ? [r.voice] : [])]))
        console.log(`attachment: ${path}`);
      asked = r.secretPrompt ?? asked;
    }
    return replies.length > 0 && replies.every((r) => !r.unsuccessful);
  };
  const turn = async (said: string): Promise<boolean> => {
    const replies: Reply[] = [];
    asked = undefined;
    await gateway.receive(
      {
        platform: 'console',
        eventId: randomUUID(),
        address,
        sender: { id: user.id, name: user.email },
        text: said,
        direct: true,
      },
      { reply: async (r) => void replies.push(r) },
    );
    return show(replies);
  };
  const answerSecret = async (value: string): Promise<boolean> => {
    const replies: Reply[] = [];
    const token = asked!.token;
    asked = undefined;
    await gateway.submitSecret(
      { platform: 'console', senderId: user.id, address, token, value, direct: true },
      { reply: async (r) => void replies.push(r) },
    );
    return show(replies);
  };

  const output = new MutableOutput();
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY, prompt: 'you> ' });
  // Iterate from the start: lines that arrive while a turn runs are buffered, not lost.
  const lines = rl[Symbol.asyncIterator]();
  if (text !== undefined) {
    let ok = await turn(text);
    if (asked) {
      // `paios chat "unlock my vault"`: the password from the terminal without echo, or a piped line.
      const repeat = asked.repeat;
      const value = await readLine(lines, output, `${asked.label}: `);
      ok = value === undefined ? false : await answerSecret(value);
      // "store github ..." found the vault locked: now that it is open, do what was asked.
      if (ok && repeat) ok = await turn(text);
    }
    rl.close();
    return ok ? 0 : 1;
  }

  console.log('paios chat: talk to your agents ("#15 ..." or "@invoicing ..." to pick one); "exit" or Ctrl-D ends.');
  rl.prompt();
  // Lines are read as they come, so piped input works as well as a terminal.
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const raw = next.value;
    if (asked) {
      output.muted = false;
      if (process.stdin.isTTY) process.stdout.write('\n');
      await answerSecret(raw);
    } else {
      const line = raw.trim();
      if (line === 'exit' || line === 'quit') break;
      if (line) await turn(line);
    }
    if (asked) {
      process.stdout.write(`${asked.label}: `);
      output.muted = process.stdin.isTTY;
    } else rl.prompt();
  }
  rl.close();
  return 0;
}

/** Standard output that can stop echoing what is typed (while a password is entered). */
class MutableOutput extends Writable {
  muted = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (!this.muted) process.stdout.write(chunk);
    done();
  }
}

/** One line from the terminal (not echoed) or from piped input; undefined at end of input. */
async function readLine(
  lines: AsyncIterator<string>,
  output: MutableOutput,
  prompt: string,
): Promise<string | undefined> {
  process.stdout.write(prompt);
  output.muted = process.stdin.isTTY;
  try {
    const next = await lines.next();
    return next.done ? undefined : next.value;
  } finally {
    output.muted = false;
    if (process.stdin.isTTY) process.stdout.write('\n');
  }
}
