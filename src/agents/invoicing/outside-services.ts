import { DomainError, ErrorCode } from '../../common/errors.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { guardedSmtpTransport } from '../../orchestrator/outbound/guarded-smtp.js';
import type { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { VaultLockedError, type VaultService } from '../../vault/vault.service.js';
import { InvoiceMailer, MailNotConfigured } from './invoice-mailer.js';
import { StripeLinks } from './stripe-links.js';

/**
 * Where an agent's mail server and Stripe key come from, per person: their vault first (service
 * `smtp` with `url` and optional `from`; service `stripe` with `apiKey`), when they granted the agent
 * that service; otherwise the server's SMTP_URL / STRIPE_API_KEY. A granted secret in a locked vault
 * is said plainly rather than silently replaced by the server's.
 *
 * The server's settings are the owner's and trusted; a mail server from a vault is a user's choice, so
 * its connections go through the OutboundClient (no loopback, private or metadata addresses unless
 * PAIOS_ALLOW_HOSTS says so), and so do Stripe requests made with a vault key to Stripe itself.
 */
export class OutsideServices {
  private readonly envMailer: InvoiceMailer;
  private readonly envStripe?: StripeLinks;
  /** Clients built from vault secrets, by secret (kept in memory only, reused for their connections). */
  private readonly mailers = new Map<string, InvoiceMailer>();

  constructor(
    private readonly config: PaiosConfig,
    private readonly agentNumber: number,
    private readonly outbound: OutboundClient,
    private readonly vault?: VaultService,
  ) {
    this.envMailer = new InvoiceMailer(config.mail.smtpUrl, config.mail.from);
    this.envStripe = config.stripe.apiKey ? new StripeLinks(config.stripe.apiKey, config.stripe.apiBase) : undefined;
  }

  /** The server's mailer (jobs without a person's vault at hand fall back to it). */
  get serverMailer(): InvoiceMailer {
    return this.envMailer;
  }

  async mailer(userId: string): Promise<InvoiceMailer> {
    const secret = await this.fromVault(userId, 'smtp', this.envMailer.configured);
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

  async stripe(userId: string): Promise<StripeLinks | undefined> {
    const secret = await this.fromVault(userId, 'stripe', this.envStripe !== undefined);
    if (typeof secret?.apiKey !== 'string') return this.envStripe;
    // The owner's STRIPE_API_BASE is server configuration; Stripe itself is reached through the guard.
    const base = this.config.stripe.apiBase;
    return new StripeLinks(secret.apiKey, base, base ? undefined : (this.outbound.fetch as typeof fetch));
  }

  private async fromVault(
    userId: string,
    service: string,
    serverHasOne: boolean,
  ): Promise<Record<string, unknown> | undefined> {
    if (!this.vault || !(await this.vault.isGranted(userId, this.agentNumber, service))) return undefined;
    try {
      return await this.vault.secretFor(userId, this.agentNumber, service);
    } catch (err) {
      if (err instanceof VaultLockedError) {
        if (serverHasOne) return undefined;
        throw new MailNotConfigured(
          `agent #${this.agentNumber} uses the ${service} credential in your vault, which is locked: unlock it ("unlock my vault" in a direct message), then ask again`,
        );
      }
      // Not granted, or nothing stored: the server's settings apply.
      if (err instanceof DomainError && (err.code === ErrorCode.Forbidden || err.code === ErrorCode.NotFound))
        return undefined;
      throw err;
    }
  }
}
