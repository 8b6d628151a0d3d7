import { describe, expect, it } from '@jest/globals';
import { addCalendarDays, calendarDate, daysBetween, FixedClock, startOfDay } from './clock.js';

describe('calendar days as a person counts them', () => {
  it.each([
    // [instant, zone, the date the person sees]
    ['2026-12-01T22:59:00Z', 'Europe/Berlin', '2026-12-01'], // 23:59 in Berlin
    ['2026-12-01T23:01:00Z', 'Europe/Berlin', '2026-12-02'], // 00:01 in Berlin, still Dec 1 in UTC
    ['2026-03-01T07:59:00Z', 'America/Los_Angeles', '2026-02-28'], // month end, UTC already in March
    ['2026-03-28T23:01:00Z', 'Europe/Berlin', '2026-03-29'], // the night clocks go forward
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25'], // the night clocks go back
    ['2026-12-31T11:30:00Z', 'Pacific/Auckland', '2027-01-01'], // new year arrives early
    ['2026-06-15T12:00:00Z', 'UTC', '2026-06-15'],
  ])('%s in %s is %s', (at, zone, date) => {
    expect(calendarDate(new Date(at), zone)).toBe(date);
  });

  it('counts whole days across month ends, leap days and DST changes, at any hour', () => {
    expect(daysBetween('2026-02-18', '2026-02-28')).toBe(10);
    expect(daysBetween('2026-02-25', '2026-03-07')).toBe(10);
    expect(daysBetween('2028-02-25', '2028-03-06')).toBe(10); // 2028 is a leap year
    expect(daysBetween('2026-03-19', '2026-03-29')).toBe(10); // spans the spring change
    expect(daysBetween('2026-10-20', '2026-10-30')).toBe(10); // spans the autumn change
    expect(daysBetween('2026-12-11', '2026-12-01')).toBe(-10);
    // An invoice due 10 days ago is 10 days late from 00:01 to 23:59 of the person's day.
    for (const at of ['2026-12-01T23:01:00Z', '2026-12-02T11:00:00Z', '2026-12-02T12:30:00Z', '2026-12-02T22:59:00Z']) {
      expect(daysBetween('2026-11-22', calendarDate(new Date(at), 'Europe/Berlin'))).toBe(10);
    }
  });

  it('moves dates by calendar days', () => {
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2026-03-01', -10)).toBe('2026-02-19');
    expect(addCalendarDays('2026-12-25', 30)).toBe('2027-01-24');
    expect(() => addCalendarDays('yesterday', 1)).toThrow('not a calendar date');
  });

  it('a fixed clock stands still until moved', () => {
    const clock = new FixedClock('2026-12-01T12:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-12-01T12:00:00.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-12-01T12:01:00.000Z');
    expect(() => new FixedClock('soon')).toThrow('not an instant');
  });
});

describe('startOfDay', () => {
  it.each([
    ['2026-06-01', 'Asia/Tokyo', '2026-05-31T15:00:00.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'], // before the spring change: CET
    ['2026-03-30', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'], // after it: CEST
    ['2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00.000Z'], // the autumn change happens later that night
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-12-01', 'UTC', '2026-12-01T00:00:00.000Z'],
  ])('%s begins in %s at %s', (date, zone, instant) => {
    expect(startOfDay(date, zone).toISOString()).toBe(instant);
    expect(calendarDate(startOfDay(date, zone), zone)).toBe(date);
  });
});
