import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorAreas, errorCatalogue } from './errors.ts';

describe('the error catalogue', () => {
  it('documents every code in docs/ERRORS.md with its status', () => {
    const doc = readFileSync(new URL('../../../docs/ERRORS.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(errorCatalogue)) {
      expect(doc, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    }
  });

  it('keeps each code in one area only', () => {
    const seen = new Map<string, string>();
    for (const [area, codes] of Object.entries(errorAreas)) {
      for (const code of Object.keys(codes)) {
        expect(seen.get(code), `${code} is in ${seen.get(code)} and ${area}`).toBeUndefined();
        seen.set(code, area);
      }
    }
  });

  it('uses 4xx for everything a client can mend and 5xx only for the server’s own faults', () => {
    for (const [code, { status }] of Object.entries(errorCatalogue)) {
      if (code === 'INTERNAL' || code === 'NOT_READY') expect(status).toBeGreaterThanOrEqual(500);
      else expect(status, code).toBeLessThan(500);
    }
  });
});
