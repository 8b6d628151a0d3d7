import type { PaiosConfig } from '../../config/config.schema.js';
import { StripeAccounts } from '../../orchestrator/ledger/stripe-accounts.js';
import type { StripeLinks } from '../../orchestrator/ledger/stripe-links.js';
import { guardedSmtpTransport } from '../../orchestrator/outbound/guarded-smtp.js';
import type { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { grantedSecret } from '../../vault/granted-secret.js';
import type { VaultService } from '../../vault/vault.service.js';
import { InvoiceMailer } from './invoice-mailer.js';

/**
 * Where an agent's mail server and Stripe key come from, per person: their vault first (service
 * `smtp` with `url` and optional `from`; service `stripe` with `apiKey`), when they granted the agent
 * that service; otherwise the server's SMTP_URL / STRIPE_API_KEY. A granted secret in a locked vault
 * is said plainly (GrantedSecretLocked) rather than silently replaced by the server's.
 *
 * The server's settings are the owner's and trusted; a mail server from a vault is a user's choice, so
 * its connections go through the OutboundClient (no loopback, private or metadata addresses unless
 * PAIOS_ALLOW_HOSTS says so), and so do Stripe requests made with a vault key to Stripe itself.
 */
export class OutsideServices {
  private readonly envMailer: InvoiceMailer;
  private readonly accounts: StripeAccounts;
  /** Clients built from vault secrets, by secret (kept in memory only, reused for their connections). */
  private readonly mailers = new Map<string, InvoiceMailer>();

  constructor(
    private readonly config: PaiosConfig,
    private readonly agentNumber: number,
    private readonly outbound: OutboundClient,
    private readonly vault?: VaultService,
  ) {
    this.envMailer = new InvoiceMailer(config.mail.smtpUrl, config.mail.from);
    this.accounts = new StripeAccounts(config, agentNumber, outbound, vault);
  }

  /** The server's mailer (jobs without a person's vault at hand fall back to it). */
  get serverMailer(): InvoiceMailer {
    return this.envMailer;
  }

  async mailer(userId: string): Promise<InvoiceMailer> {
    const secret = await grantedSecret(this.vault, userId, this.agentNumber, 'smtp', this.envMailer.configured);
    if (typeof secret?.url !== 'string') return this.envMailer;
    const from = typeof secret.from === 'string' ? secret.from : this.config.mail.from;
    const key = `${secret.url}\n${from ?? ''}`;
    let mailer = this.mailers.get(key);
    if (!mailer) {
      const url = secret.url;
      mailer = new InvoiceMailer(url, from, () => guardedSmtpTransport(this.outbound, url));
      this.mailers.set(key, mailer);
    }
    return mailer;
  }

  stripe(userId: string): Promise<StripeLinks | undefined> {
    return this.accounts.stripe(userId);
  }
}
