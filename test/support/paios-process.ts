import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PAIOS_BIN = fileURLToPath(new URL('../../bin/paios.js', import.meta.url));
const BIN = PAIOS_BIN;

export interface PaiosProcess {
  url: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Exit code if the process has ended (null while it runs). */
  exitCode(): number | null;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Environment for a child paios: nothing inherited that could point it at the developer's data. A
 * drawing may take 60 s (not 20) because a loaded CI machine starts Chromium slowly.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DIAGRAM_TIMEOUT_MS: '60000',
    ...env,
  };
}

/** Runs the built `paios start` (or another long-running command) and waits until it listens. */
export async function startPaios(
  env: Record<string, string>,
  args = ['start'],
  timeoutMs = 120_000,
): Promise<PaiosProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a test that gives up on it must not leave it running
      reject(new Error(`paios did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(out);
      const ready = /worker ready/.test(out);
      if (match || ready) {
        clearTimeout(timer);
        resolve(match?.[1] ?? '');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`paios exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    exitCode: () => child.exitCode,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a short `paios` command to completion, with `input` on its standard input if given. */
export function runPaios(
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: childEnv(env),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The token printed as the last line of `paios token create`. */
export async function createToken(email: string, env: Record<string, string>, ttl?: string): Promise<string> {
  const result = await runPaios(['token', 'create', '--user', email, ...(ttl ? ['--ttl', ttl] : [])], env);
  if (result.code !== 0) throw new Error(`token create failed (${result.code}): ${result.stderr}${result.stdout}`);
  return result.stdout.trim().split('\n').at(-1)!;
}
