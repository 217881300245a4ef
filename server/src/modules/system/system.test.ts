import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

describe('what the server says about itself', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ HOMEWARD_BREAK_GLASS_MINUTES: '45' });
  });
  afterAll(() => t.close());

  it('tells the break-glass duration the deployment configured, before anyone signs in', async () => {
    const response = await t.app.inject('/api/meta');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Homeward', breakGlassMinutes: 45 });
  });
});
