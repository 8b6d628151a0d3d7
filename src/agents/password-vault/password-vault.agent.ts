import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '../../common/clock.js';
import { VaultService } from '../../vault/vault.service.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { generateTool } from './tools/generate.tool.js';
import { vaultTools } from './tools/vault.tools.js';

/**
 * Agent #32, Password Vault: the person's own door to the encrypted vault from chat. It answers in
 * direct conversations only; every tool whose words or answer may hold a secret is marked sensitive,
 * so history, events and agent memory keep the call without its content, and chat shows it privately.
 */
@BuiltinAgent()
@Injectable()
export class PasswordVaultAgent implements AgentProvider {
  private readonly def: AgentDefinition;

  constructor(vault: VaultService, clock: Clock) {
    this.def = defineAgent({
      manifest: {
        number: 32,
        name: 'password-vault',
        description: 'Passwords, API keys and 2FA codes in an encrypted vault; generator; only in direct messages',
        version: '0.1.0',
        configSchema: z.object({}),
        secrets: [],
        events: [],
      },
      tools: [...vaultTools(vault, clock), generateTool(vault)],
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }
}
