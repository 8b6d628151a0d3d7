import { Module } from '@nestjs/common';
import { PasswordVaultAgent } from './password-vault.agent.js';

/** Agent #32. VaultService comes from the global VaultModule. */
@Module({ providers: [PasswordVaultAgent] })
export class PasswordVaultModule {}
