import { DomainError, ErrorCode } from '../../common/errors.js';

/**
 * An outbound connection paios will not open: the host is, or resolves to, an address inside this
 * machine or its networks. Raised before any connection is attempted, so an open port and a closed
 * one look the same from outside.
 */
export class OutboundRefusedError extends DomainError {
  override name = 'OutboundRefusedError';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
    /** The address came from DNS (else the host was an address, perhaps spelled another way). */
    resolved = false,
  ) {
    const what = resolved
      ? `${host} resolves to ${address}, ${reason}`
      : `${host === address ? host : `${host} (${address})`} is ${reason}`;
    super(ErrorCode.Forbidden, `${what}; the owner can allow it with PAIOS_ALLOW_HOSTS`, { host, reason });
  }
}
