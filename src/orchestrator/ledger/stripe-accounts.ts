import type { PaiosConfig } from '../../config/config.schema.js';
import { grantedSecret } from '../../vault/granted-secret.js';
import type { VaultService } from '../../vault/vault.service.js';
import type { OutboundClient } from '../outbound/outbound.client.js';
import { StripeLinks } from './stripe-links.js';

/**
 * Which Stripe account an agent uses for a person: the `stripe` service of their vault (`apiKey`)
 * when they granted it to that agent, otherwise the server's STRIPE_API_KEY (none: undefined). A
 * vault key's requests to Stripe itself go through the OutboundClient; the owner's STRIPE_API_BASE
 * is server configuration and trusted.
 */
export class StripeAccounts {
  private readonly server?: StripeLinks;

  constructor(
    private readonly config: PaiosConfig,
    private readonly agentNumber: number,
    private readonly outbound: OutboundClient,
    private readonly vault?: VaultService,
  ) {
    this.server = config.stripe.apiKey ? new StripeLinks(config.stripe.apiKey, config.stripe.apiBase) : undefined;
  }

  /** GrantedSecretLocked when the person's granted key is in a locked vault and the server has none. */
  async stripe(userId: string): Promise<StripeLinks | undefined> {
    const secret = await grantedSecret(this.vault, userId, this.agentNumber, 'stripe', this.server !== undefined);
    if (typeof secret?.apiKey !== 'string') return this.server;
    const base = this.config.stripe.apiBase;
    return new StripeLinks(secret.apiKey, base, base ? undefined : (this.outbound.fetch as typeof fetch));
  }
}
