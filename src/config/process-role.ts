/** server: HTTP API and chat listeners; worker: jobs only; cli: the orchestrator for one command. */
export type ProcessRole = 'server' | 'worker' | 'cli';

/** Injection token of the role this process plays. */
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');
