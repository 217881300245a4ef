import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import { hasChromium } from './browser.ts';
import { goInApp, Harness, recordingFailure } from './session.ts';

/** A synthetic 1×1 PNG: a real image the browser decodes, so a blocked or broken one shows. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const photo = caseFileEn.photo;

describe.skipIf(!hasChromium)('A person photo', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('is chosen, previewed, saved and shown through the strict content security policy', async () => {
    const { page, problems } = await harness.signedIn('supervisor');
    await recordingFailure(harness, 'person-photo', async () => {
      const personId = await page.evaluate(async () => {
        const response = await fetch('/api/persons?limit=1', { headers: { accept: 'application/json' } });
        return ((await response.json()) as { items: { id: string }[] }).items[0]?.id;
      });
      expect(personId).toBeTruthy();
      await goInApp(page, `/persons/${personId}`);
      await page.getByRole('heading', { level: 2, name: photo.heading }).waitFor();

      await page.getByLabel(photo.file).setInputFiles({
        name: 'synthetic.png',
        mimeType: 'image/png',
        buffer: PIXEL_PNG,
      });
      await page.getByRole('img', { name: photo.previewAlt }).waitFor();
      await page.getByLabel(photo.takenOn).fill('2025-05-01');
      await page.getByLabel(photo.source).selectOption({ label: photo.sources.document_copy });
      await page.getByRole('button', { name: photo.save }).click();
      await page.getByText(photo.saved).waitFor();

      // The image came through the session as an object URL, and the browser decoded it: the
      // content security policy lets blob: images through.
      const shown = page.getByRole('img', { name: photo.alt }).first();
      await shown.waitFor();
      expect(await shown.getAttribute('src')).toMatch(/^blob:/);
      await page.waitForFunction(
        (alt) =>
          [...document.querySelectorAll<HTMLImageElement>('img')].some(
            (img) => img.alt === alt && img.complete && img.naturalWidth === 1,
          ),
        photo.alt,
      );
      expect(problems).toEqual([]);
    });
  });
});
