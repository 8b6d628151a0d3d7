/**
 * An error a tool raises on purpose, with a message meant for the person in chat ("no client named
 * Acme"). Any other error is logged and answered with a generic message, so internals never leak.
 */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** Runs a tool's work, turning the given expected error classes into ToolErrors (answers for chat). */
export async function answering<T>(
  expected: (abstract new (...args: never[]) => Error)[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (expected.some((E) => err instanceof E)) throw new ToolError((err as Error).message);
    throw err;
  }
}
