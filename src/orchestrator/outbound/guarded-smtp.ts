import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { DomainError, ErrorCode } from '../../common/errors.js';
import type { OutboundClient } from './outbound.client.js';

/**
 * A nodemailer SMTP transport for a mail server a user chose (an `smtp` credential in their vault).
 * Its connections are opened by the OutboundClient: the server's name is resolved and checked first,
 * the socket goes to that checked address, and nodemailer keeps the name for STARTTLS / TLS (SNI and
 * certificate). URL options that would open other connections (a proxy) are refused.
 */
export function guardedSmtpTransport(outbound: OutboundClient, url: string): Transporter {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError(
      ErrorCode.Invalid,
      'the smtp credential needs a URL such as smtp://user:pass@mail.example.com:587',
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new DomainError(ErrorCode.Invalid, 'the smtp credential needs an smtp:// or smtps:// URL');
  if ([...parsed.searchParams.keys()].some((k) => k.toLowerCase() === 'proxy'))
    throw new DomainError(ErrorCode.Invalid, 'the smtp credential may not name a proxy');

  const getSocket: SMTPTransport.Options['getSocket'] = (options, callback) => {
    const host = options.host ?? 'localhost';
    const port = Number(options.port) || (options.secure ? 465 : 587);
    outbound.connectTcp(host, port).then(
      (connection) => callback(null, { connection }),
      (err: Error) => callback(err, undefined),
    );
  };
  const options: SMTPTransport.Options = { url, getSocket };
  return createTransport(options);
}
