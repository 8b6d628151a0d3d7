import { DomainError, ErrorCode } from '../common/errors.js';

/** Who acted on a vault, as its audit log names them. */
export type VaultActor = 'user' | 'api' | `agent#${number}`;

export type AuditOutcome = 'ok' | 'failed' | 'denied' | 'refused';

export interface CredentialSummary {
  id: string;
  serviceName: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface VaultStatus {
  created: boolean;
  unlocked: boolean;
  serverKey: boolean;
  credentials: number;
  autoLockSeconds: number;
}

export interface AuditEntry {
  action: string;
  serviceName: string | null;
  actor: string;
  outcome: string;
  at: Date;
}

export interface VaultGrant {
  agentNumber: number;
  serviceName: string;
  createdAt: Date;
}

export class VaultLockedError extends DomainError {
  constructor() {
    super(ErrorCode.Forbidden, 'the vault is locked: unlock it with your master password first');
  }
}

/** The shortest master password a vault accepts. */
export const MIN_MASTER_PASSWORD = 12;

export function assertMasterPassword(password: string): void {
  if (password.length < MIN_MASTER_PASSWORD)
    throw new DomainError(ErrorCode.Invalid, `a master password needs at least ${MIN_MASTER_PASSWORD} characters`);
}
