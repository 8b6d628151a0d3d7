import { describe, expect, it } from '@jest/globals';
import { parseAddress, stripSlashCommand } from './address.parser.js';

describe('parseAddress', () => {
  it.each([
    ['/paios 15 invoice Acme 10h at 150', 15, 'invoice Acme 10h at 150'],
    ['/paios #15 invoice Acme', 15, 'invoice Acme'],
    ['/paios@paios_bot 1 revenue this month', 1, 'revenue this month'],
    ['/paios invoicing which invoices are overdue', 'invoicing', 'which invoices are overdue'],
    ['#15 which invoices are overdue', 15, 'which invoices are overdue'],
    ['#7: fetch https://example.com', 7, 'fetch https://example.com'],
    ['@invoicing mark INV-2026-0007 paid', 'invoicing', 'mark INV-2026-0007 paid'],
    ['@Research: sources on solar', 'research', 'sources on solar'],
    ['32: generate a password', 32, 'generate a password'],
  ])('%s', (text, agent, rest) => {
    expect(parseAddress(text)).toEqual({ agent, rest });
  });

  it.each([
    'what did we make this month',
    'invoice #15 for Acme',
    'email bob@example.com',
    '15 hours at 150',
    '#hashtag launch',
  ])('finds no address in "%s"', (text) => {
    expect(parseAddress(text)).toBeNull();
  });

  it('strips the slash command', () => {
    expect(stripSlashCommand('/paios what did we make')).toBe('what did we make');
  });
});
