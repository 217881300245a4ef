import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromResponse, parseRetryAfter } from './errors.ts';

describe('parseRetryAfter', () => {
  it.each([
    ['900', 900],
    [' 0 ', 0],
    [null, undefined],
    ['soon', undefined],
  ])('reads %j as %j seconds', (header, seconds) => {
    expect(parseRetryAfter(header)).toBe(seconds);
  });

  it('reads an HTTP date as the seconds still to wait', () => {
    const now = Date.parse('2025-01-01T10:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 10:15:00 GMT', now)).toBe(900);
    expect(parseRetryAfter('Wed, 01 Jan 2025 09:00:00 GMT', now)).toBe(0);
  });
});

describe('apiErrorFromResponse', () => {
  it('keeps the stable code, message, details and Retry-After of an error body', async () => {
    const response = new Response(
      JSON.stringify({
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid',
        details: { issues: [{ path: 'body.username', message: 'Required' }] },
      }),
      { status: 400, headers: { 'content-type': 'application/json', 'retry-after': '5' } },
    );
    const error = await apiErrorFromResponse(response);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', retryAfterSeconds: 5 });
    expect(error.fieldIssues()).toEqual({ username: 'Required' });
  });

  it('names a body it cannot read UNEXPECTED_RESPONSE instead of throwing', async () => {
    const error = await apiErrorFromResponse(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(error).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE' });
  });
});
