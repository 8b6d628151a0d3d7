import { describe, expect, it } from '@jest/globals';
import {
  mergeReferents,
  referentsOf,
  repeatFor,
  resolveReferences,
  resolveSlots,
  sameFor,
  unresolvedSlot,
} from './referents.js';

const invoiceResult = { number: 'INV-2026-0001', client: 'Acme', status: 'draft', total: '500.00' };

describe('referents', () => {
  it('reads the client, invoice, project and page a call was about, preferring the result', () => {
    expect(
      referentsOf({ agentNumber: 15, tool: 'add_client', parameters: { name: 'acme' } }, { name: 'Acme' }),
    ).toEqual({ client: 'Acme', focus: 'client' });
    expect(
      referentsOf(
        { agentNumber: 15, tool: 'create_invoice', parameters: { client: 'acme', rate: '100' } },
        invoiceResult,
      ),
    ).toEqual({ client: 'Acme', invoice: 'INV-2026-0001', focus: 'invoice' });
    expect(
      referentsOf(
        { agentNumber: 1, tool: 'add_project', parameters: { name: 'Website', client: 'Acme' } },
        { id: 'p1', name: 'Website', client: 'Acme' },
      ),
    ).toEqual({ client: 'Acme', project: 'Website', focus: 'project' });
    expect(
      referentsOf({ agentNumber: 7, tool: 'fetch_page', parameters: { url: 'https://a.test/x' } }, 'text'),
    ).toEqual({ url: 'https://a.test/x', focus: 'url' });
    // A list of many is about none of them.
    expect(
      referentsOf({ agentNumber: 15, tool: 'list_clients', parameters: {} }, [{ name: 'A' }, { name: 'B' }]),
    ).toEqual({});
  });

  it('keeps, per kind, the newest thing named', () => {
    expect(
      mergeReferents([
        { invoice: 'INV-2', focus: 'invoice' },
        { client: 'Globex', invoice: 'INV-1' },
        { client: 'Acme' },
      ]),
    ).toEqual({ invoice: 'INV-2', client: 'Globex', focus: 'invoice' });
  });

  it('rewrites words that point back, and only those it can resolve', () => {
    const known = { client: 'Acme', invoice: 'INV-2026-0001', url: 'https://a.test', focus: 'invoice' as const };
    expect(resolveReferences('invoice them for 5 hours at 100', known)).toEqual({
      text: 'invoice Acme for 5 hours at 100',
      used: ['client'],
    });
    expect(resolveReferences('send it', known).text).toBe('send INV-2026-0001');
    expect(resolveReferences('mark that invoice paid', known).text).toBe('mark INV-2026-0001 paid');
    expect(resolveReferences('scrape that page', known).text).toBe('scrape https://a.test');
    // "it" that is no object stays.
    expect(resolveReferences('is it paid?', known).text).toBe('is it paid?');
    expect(resolveReferences("it's late, call it a day", known).text).toBe("it's late, call it a day");
    expect(resolveReferences('invoice them', {}).used).toEqual([]);
    // Names are no pronouns, and quoted words are someone's words.
    expect(resolveReferences("invoice Her Majesty's Theatre", known).text).toBe("invoice Her Majesty's Theatre");
    expect(resolveReferences('remember "call them back" for them', known).text).toBe(
      'remember "call them back" for Acme',
    );
    // "it" after talking about a client only: a client is "them", not "it".
    expect(resolveReferences('send it', { client: 'Acme', focus: 'client' }).text).toBe('send it');
  });

  it('reads "the same for X" and repeats the newest call that named a client, for X', () => {
    expect(sameFor('the same for Globex')).toBe('Globex');
    expect(sameFor('and now do the same thing for Globex Corp please')).toBe('Globex Corp');
    expect(sameFor('same for Initech.')).toBe('Initech');
    expect(sameFor('send the same invoice')).toBeUndefined();

    const create = {
      agentNumber: 15,
      tool: 'create_invoice',
      parameters: { client: 'acme', quantity: '5', rate: '100' },
    };
    const send = { agentNumber: 15, tool: 'send_invoice', parameters: { invoice: 'INV-2026-0001' } };
    const turns = [
      { call: send, referents: { invoice: 'INV-2026-0001', client: 'Acme' } },
      { call: create, referents: { invoice: 'INV-2026-0001', client: 'Acme' } },
    ];
    expect(repeatFor('Globex', turns)).toEqual({ ...create, parameters: { ...create.parameters, client: 'Globex' } });
    expect(repeatFor('https://b.test', turns)).toBeUndefined();
    // Another client's email address is not copied to the new one.
    const added = { agentNumber: 15, tool: 'add_client', parameters: { name: 'Acme', email: 'ap@acme.test' } };
    expect(repeatFor('Globex', [{ call: added, referents: { client: 'Acme' } }])).toEqual({
      ...added,
      parameters: { name: 'Globex' },
    });
  });

  it('fills slots that point back, and tells which point at nothing known', () => {
    const known = { client: 'Acme', invoice: 'INV-7', focus: 'invoice' as const };
    expect(resolveSlots({ client: 'them', rate: 5 }, known).parameters).toEqual({ client: 'Acme', rate: 5 });
    expect(resolveSlots({ invoice: 'it' }, known).parameters).toEqual({ invoice: 'INV-7' });
    expect(resolveSlots({ client: 'Themis' }, known).used).toEqual([]);
    expect(unresolvedSlot({ client: 'them for 5 hours at 100' })).toEqual({ name: 'client', words: 'them' });
    expect(unresolvedSlot({ client: 'Themis' })).toBeUndefined();
    expect(unresolvedSlot({ client: 'It Works Ltd' })).toBeUndefined();
    expect(unresolvedSlot({ invoice: 'that invoice' })).toEqual({ name: 'invoice', words: 'that invoice' });
    expect(unresolvedSlot({ text: 'them' })).toBeUndefined();
  });
});
