import { Global, Module } from '@nestjs/common';
import { VaultService } from './vault.service.js';

/** The encrypted vault: available to every agent that needs a secret (through grants). */
@Global()
@Module({ providers: [VaultService], exports: [VaultService] })
export class VaultModule {}
