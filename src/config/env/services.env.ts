import { z } from 'zod';

/** Outside services the owner sets up for agents: mail, Stripe, web search (a granted vault credential wins). */
export const servicesEnv = {
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'expected a URL such as smtp://user:pass@mail.example.com:587' })
    .optional()
    .describe(
      'Mail server for sending invoices, such as `smtp://user:pass@host:587`; a granted vault credential wins.',
    ),
  SMTP_FROM: z.string().min(3).optional().describe('Sender of those mails.'),
  STRIPE_API_KEY: z
    .string()
    .min(8, 'expected a Stripe secret key')
    .optional()
    .describe('Stripe secret key for payment links on sent invoices; a granted vault credential wins.'),
  STRIPE_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe('Another Stripe API base, only for a stand-in such as the test fake.'),
  SEARXNG_URL: z
    .url({ protocol: /^https?$/, message: 'expected a URL such as http://searx.lan:8080' })
    .optional()
    .describe(
      'Your SearXNG instance (JSON format enabled): the key-free web search of the research agent; a host inside your network also needs PAIOS_ALLOW_HOSTS.',
    ),
  BRAVE_SEARCH_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe('Another Brave Search API base, only for a stand-in such as the test fake.'),
  TAVILY_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe('Another Tavily API base, only for a stand-in such as the test fake.'),
  APIFY_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe(
      'Another Apify API base for `apify_run` (tokens come from vaults), only for a stand-in such as the test fake.',
    ),
  SOCIAL_X_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe(
      'Another X API host for agent #8 (accounts come from vaults), only for a stand-in such as the test fake.',
    ),
  SOCIAL_LINKEDIN_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe(
      'Another LinkedIn API host for agent #8 (accounts come from vaults), only for a stand-in such as the test fake.',
    ),
};
