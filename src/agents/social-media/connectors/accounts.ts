import type { Clock } from '../../../common/clock.js';
import type { OutboundClient } from '../../../orchestrator/outbound/outbound.client.js';
import { GrantedSecretLocked, grantedSecret } from '../../../vault/granted-secret.js';
import type { VaultService } from '../../../vault/vault.service.js';
import { NETWORK_NAMES, NETWORKS, type Network } from '../compose/networks.js';
import { BlueskyConnector } from './bluesky/bluesky.connector.js';
import type { SocialConnector } from './connector.js';
import { LinkedInConnector } from './linkedin/linkedin.connector.js';
import { MastodonConnector } from './mastodon/mastodon.connector.js';
import { XConnector } from './x/x.connector.js';

export interface SocialSettings {
  /** SOCIAL_X_API_BASE, SOCIAL_LINKEDIN_API_BASE: stand-ins in tests; the networks' own APIs otherwise. */
  xApiBase?: string;
  linkedinApiBase?: string;
}

/** What each vault service must hold, as told to a person who has not stored it yet. */
const NEEDS: Record<Network, string> = {
  mastodon: 'service "mastodon" with "url" (your instance) and "token" (an access token with write:statuses)',
  bluesky: 'service "bluesky" with "handle" and "appPassword" (and "service" when your PDS is not bsky.social)',
  x: 'service "x" with "accessToken" (OAuth 2.0 user token), or "appKey", "appSecret", "accessToken" and "accessSecret"',
  linkedin: 'service "linkedin" with "accessToken" and "author" (urn:li:person:…)',
};

export class AccountError extends Error {
  override name = 'AccountError';
}

const str = (s: Record<string, unknown>, key: string) => (typeof s[key] === 'string' && s[key] ? s[key] : undefined);

/**
 * The person's accounts: each network's credentials come from their vault (service named for the
 * network), granted to #8, never from the server's environment. User-aimed hosts (a Mastodon
 * instance, a Bluesky PDS) go through the outbound guard.
 */
export class SocialAccounts {
  constructor(
    private readonly agentNumber: number,
    private readonly outbound: OutboundClient,
    private readonly clock: Clock,
    private readonly settings: SocialSettings,
    private readonly vault?: VaultService,
  ) {}

  /** The networks this person granted #8 an account for. */
  async granted(userId: string): Promise<Network[]> {
    if (!this.vault) return [];
    const out: Network[] = [];
    for (const n of NETWORKS) if (await this.vault.isGranted(userId, this.agentNumber, n)) out.push(n);
    return out;
  }

  async connector(userId: string, network: Network): Promise<SocialConnector> {
    let secret: Record<string, unknown> | undefined;
    try {
      secret = await grantedSecret(this.vault, userId, this.agentNumber, network, false);
    } catch (err) {
      if (err instanceof GrantedSecretLocked) throw new AccountError(err.message);
      throw err;
    }
    const missing = () =>
      new AccountError(
        `${NETWORK_NAMES[network]} needs your account: store it in your vault as ${NEEDS[network]}, and grant it to agent #${this.agentNumber}`,
      );
    if (!secret) throw missing();
    const fetch = this.outbound.fetch as typeof globalThis.fetch;
    switch (network) {
      case 'mastodon': {
        const url = str(secret, 'url');
        const token = str(secret, 'token') ?? str(secret, 'accessToken');
        if (!url || !token) throw missing();
        return new MastodonConnector({ url, token }, fetch, this.clock);
      }
      case 'bluesky': {
        const handle = str(secret, 'handle');
        const appPassword = str(secret, 'appPassword') ?? str(secret, 'password');
        if (!handle || !appPassword) throw missing();
        return new BlueskyConnector(
          { handle, appPassword, service: str(secret, 'service') ?? 'https://bsky.social' },
          fetch,
          this.clock,
        );
      }
      case 'x': {
        const accessToken = str(secret, 'accessToken');
        if (!accessToken) throw missing();
        const [appKey, appSecret, accessSecret] = [
          str(secret, 'appKey'),
          str(secret, 'appSecret'),
          str(secret, 'accessSecret'),
        ];
        const account =
          appKey && appSecret && accessSecret ? { appKey, appSecret, accessToken, accessSecret } : { accessToken };
        return new XConnector(account, this.settings.xApiBase, this.clock);
      }
      case 'linkedin': {
        const accessToken = str(secret, 'accessToken');
        const author = str(secret, 'author');
        if (!accessToken || !author) throw missing();
        // LinkedIn's host is fixed (or the server's own stand-in): the server's settings are trusted.
        return new LinkedInConnector(
          { accessToken, author },
          this.settings.linkedinApiBase,
          globalThis.fetch,
          this.clock,
        );
      }
    }
  }
}
