import { parse } from '@otplib/uri';
import { createGuardrails, generate } from 'otplib';

/**
 * RFC 4226 asks for 128-bit secrets, but GitHub, Google and most services issue 80-bit ones (16
 * base32 characters); an authenticator has to accept those.
 */
const GUARDRAILS = createGuardrails({ MIN_SECRET_BYTES: 10 });

export interface OneTimeCode {
  code: string;
  /** Seconds the code stays valid. */
  remaining: number;
  issuer?: string;
}

const BASE32 = /^[A-Z2-7]+=*$/;

/**
 * The current TOTP code of a stored secret: an otpauth:// URI (its algorithm, digits and period
 * are honoured) or a bare base32 secret (SHA-1, 6 digits, 30 s, as authenticator apps assume).
 */
export async function currentCode(stored: string, now = Date.now()): Promise<OneTimeCode> {
  const value = stored.trim();
  let secret: string;
  let algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1';
  let digits: 6 | 7 | 8 = 6;
  let period = 30;
  let issuer: string | undefined;
  if (value.toLowerCase().startsWith('otpauth://')) {
    const uri = parse(value);
    if (uri.type !== 'totp')
      throw new RangeError('only time-based (totp) codes can be shown; this is a counter-based one');
    secret = uri.params.secret;
    algorithm = (uri.params.algorithm?.toLowerCase() as typeof algorithm | undefined) ?? 'sha1';
    digits = (uri.params.digits as typeof digits | undefined) ?? 6;
    period = uri.params.period ?? 30;
    issuer = uri.params.issuer;
  } else {
    secret = value.replace(/[\s-]/g, '').toUpperCase();
    if (!BASE32.test(secret)) throw new RangeError('the stored TOTP secret is neither an otpauth:// link nor base32');
  }
  const epoch = Math.floor(now / 1000);
  const code = await generate({ secret, algorithm, digits, period, epoch, guardrails: GUARDRAILS });
  return { code, remaining: period - (epoch % period), issuer };
}
