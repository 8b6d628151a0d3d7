import { z } from 'zod';
import { allowEntryProblem } from '../../common/allowed-hosts.js';
import { bool, duration, positiveInt, splitList, validTimeZone } from './env.fields.js';

/**
 * Who and what may reach paios, and how much: MCP, outbound exceptions, owners, the local user, the
 * time zone of schedules, chat limits and pairing.
 */
export const accessEnv = {
  MCP_ALLOW_REMOTE: bool.default(false).describe('Let other machines use `/mcp` (otherwise this machine only).'),
  PAIOS_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'expected a URL such as https://paios.example.com' })
    .optional()
    .describe('Where people reach paios (https://paios.example.com); `/mcp` answers to its host name.'),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => splitList(v))
    .describe('Browser origins allowed to call `/mcp`.'),
  /**
   * Hosts a user-chosen connection (vault SMTP, outside MCP over HTTP, scraping, research, publishing)
   * may reach although they are loopback, private or link-local: names, *.domains, IPs or CIDRs.
   */
  PAIOS_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const entries = splitList(v);
      entries.forEach((entry, i) => {
        const problem = allowEntryProblem(entry);
        if (problem)
          ctx.addIssue({
            code: 'custom',
            message: `entry ${i + 1} ${problem}; expected host names, IPs or CIDRs separated by commas, e.g. mail.internal,10.0.0.0/8`,
          });
      });
      return entries;
    })
    .describe('Host names, `*.domains`, IPs or CIDRs inside your network that user-chosen connections may reach.'),
  PAIOS_ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((v) => splitList(v).map((s) => s.toLowerCase()))
    .describe('Owners: who may change the running system (`/api/system/modify`, `rollback`) and approve pairings.'),
  PAIOS_LOCAL_USER: z
    .email({ message: 'expected an email address' })
    .optional()
    .describe('The user `paios chat` and `paios mcp` act as.'),
  PAIOS_TIMEZONE: z
    .string()
    .refine(validTimeZone, 'expected an IANA time zone such as Europe/Berlin')
    .default(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')
    .describe('IANA time zone of schedules said in chat ("every weekday at 8:00").'),
  CHAT_RATE_LIMIT_PER_MINUTE: positiveInt('a message count')
    .default(30)
    .describe('Chat messages one person may send per minute, all platforms together.'),
  CHAT_CONCURRENCY: positiveInt('a count of 1 or more')
    .default(8)
    .describe('Chat messages one process works on at once; the rest wait in arrival order.'),
  PAIRING_CODE_TTL: duration.default('1h').describe('How long a pairing code for an unknown chat account stays valid.'),
};
