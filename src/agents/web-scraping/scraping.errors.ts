import { ToolError } from '../../sdk/tool-error.js';

/** Why a page was not fetched, said to the person as it is (no secret is ever part of a URL we echo). */
export enum ScrapeErrorCode {
  Robots = 'ROBOTS_DISALLOWED',
  TooLarge = 'TOO_LARGE',
  ContentType = 'CONTENT_TYPE',
  Status = 'HTTP_STATUS',
  Redirects = 'TOO_MANY_REDIRECTS',
  Timeout = 'TIMEOUT',
  Invalid = 'INVALID_URL',
  Network = 'NETWORK',
}

export class ScrapeError extends ToolError {
  override name = 'ScrapeError';

  constructor(
    readonly code: ScrapeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
