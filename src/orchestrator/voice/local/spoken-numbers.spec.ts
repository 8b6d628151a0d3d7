import { numberToWords, wordsToNumbers } from './spoken-numbers.js';

describe('spoken numbers', () => {
  it.each([
    ['7', 'seven'],
    ['15', 'fifteen'],
    ['150', 'one hundred fifty'],
    ['12000', 'twelve thousand'],
    ['2026', 'twenty twenty six'],
    ['2005', 'twenty oh five'],
    ['0007', 'zero zero zero seven'],
  ])('says %s as "%s"', (digits, words) => {
    expect(numberToWords(digits)).toBe(words);
  });

  it.each([
    ['invoice acme for ten hours at one hundred fifty', 'invoice acme for 10 hours at 150'],
    ['one hundred and five', '105'],
    ['twenty twenty six', '2026'],
    ['zero zero seven', '007'],
    ['disable agent fifteen', 'disable agent 15'],
    ['twelve thousand three hundred', '12300'],
    ['rock and roll', 'rock and roll'],
  ])('reads "%s" as "%s"', (words, text) => {
    expect(wordsToNumbers(words)).toBe(text);
  });
});
