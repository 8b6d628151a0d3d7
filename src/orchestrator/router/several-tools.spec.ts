import { describe, expect, it } from '@jest/globals';
import { needsSeveralTools } from './router.service.js';

describe('a request for several tools', () => {
  it.each([
    'invoice every client whose milestone finished this week and send me the total',
    'read back my notes and then add 2 and 3',
    'list all my projects and send me the overdue ones',
    'check each watched page',
  ])('"%s" needs several', (text) => expect(needsSeveralTools(text)).toBe(true));

  it.each([
    'add 2 and 3',
    'what is 4 plus 5',
    'invoice Acme for 10 hours at 150',
    'send invoice INV-0003 to Acme',
    'watch example.com/pricing every hour',
    'list all my invoices',
    'send me a digest every weekday at 7:30',
    'check the page each monday',
    'every 2 days scrape example.com',
  ])('"%s" is one tool call', (text) => expect(needsSeveralTools(text)).toBe(false));
});
