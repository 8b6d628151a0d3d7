import robotsParserModule from 'robots-parser';

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getMatchingLineNumber(url: string, ua?: string): number;
  getSitemaps(): string[];
}

// A CommonJS function export: under ESM the default import is that function (its types say otherwise).
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robot;

/** A site's robots.txt, read once per origin and kept for a while. */
export interface RobotsVerdict {
  allowed: boolean;
  /** The robots.txt line that decided, e.g. "Disallow: /private" (when one did). */
  rule?: string;
}

export class RobotsRules {
  private readonly robot: Robot;
  private readonly lines: string[];

  constructor(robotsUrl: string, text: string) {
    this.robot = robotsParser(robotsUrl, text);
    this.lines = text.split(/\r?\n/);
  }

  /** Everything allowed (no robots.txt, or one that cannot be read as rules). */
  static allowAll(robotsUrl: string): RobotsRules {
    return new RobotsRules(robotsUrl, '');
  }

  /** Everything refused (robots.txt answered with a server error: the site may be in trouble). */
  static refuseAll(robotsUrl: string): RobotsRules {
    return new RobotsRules(robotsUrl, 'User-agent: *\nDisallow: /');
  }

  verdict(url: string, userAgent: string): RobotsVerdict {
    const allowed = this.robot.isAllowed(url, userAgent) ?? true;
    const line = this.robot.getMatchingLineNumber(url, userAgent);
    const rule = line > 0 ? this.lines[line - 1]?.trim() : undefined;
    return { allowed, rule: rule || undefined };
  }

  sitemaps(): string[] {
    return this.robot.getSitemaps();
  }
}
