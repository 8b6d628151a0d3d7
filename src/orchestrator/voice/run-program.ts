import { spawn } from 'node:child_process';
import { VoiceError } from './speech.port.js';

/** How a local program ended and what it wrote. */
export interface ProgramRun {
  code: number | null;
  /** Set when it was killed, which here means it ran past its time limit. */
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs one of the local programs voice uses (ffmpeg, pocketsphinx, opusdec) with a hard time limit,
 * `input` piped to it when given. A program that cannot start is a VoiceError naming it (`missing`
 * when it is not installed); how it ended is left to the caller.
 */
export function runProgram(
  binary: string,
  args: string[],
  options: { name: string; missing: string; timeoutMs: number; input?: Buffer },
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new VoiceError(e.code === 'ENOENT' ? options.missing : `${options.name} failed: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
    if (options.input) {
      // A broken pipe shows up as a non-zero exit with the program's own message; ignore EPIPE here.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(options.input);
    }
  });
}
