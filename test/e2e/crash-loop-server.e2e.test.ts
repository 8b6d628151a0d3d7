import { describe, it } from '@jest/globals';
import { describeCrashLoop } from '../support/crash-loop.js';
import { postgresAvailable, redisAvailable } from '../support/services.js';

if ((await postgresAvailable()) && (await redisAvailable())) describeCrashLoop('server');
else
  describe.skip('crash loop (server mode): PostgreSQL or Redis not reachable', () => it('needs both', () => undefined));
