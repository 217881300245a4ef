import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../i18n/index.ts';
import type { Person } from './api.ts';
import { HeaderPhoto, type PersonPhotoMeta, PhotoPanel } from './PersonPhoto.tsx';
import { fakeServer, json, PERSON_ID, person, renderWithClient } from './testing.tsx';

/** Synthetic photos only: a few bytes with a PNG signature. */
const CURRENT_ID = '00000000-0000-4000-8000-0000000f0001';
const EARLIER_ID = '00000000-0000-4000-8000-0000000f0002';
const REMOVED_ID = '00000000-0000-4000-8000-0000000f0003';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function photo(overrides: Partial<PersonPhotoMeta> = {}): PersonPhotoMeta {
  return {
    id: CURRENT_ID,
    personId: PERSON_ID,
    contentType: 'image/png',
    sizeBytes: PNG.length,
    sha256: 'a'.repeat(64),
    takenOn: '2025-05-01',
    source: 'reception',
    current: true,
    uploadedBy: null,
    createdAt: '2026-01-10T09:00:00.000Z',
    removedAt: null,
    removedBy: null,
    removalReason: null,
    ...overrides,
  };
}

const withPhoto: Person = person({ photo: photo() });
const history = [
  photo(),
  photo({ id: EARLIER_ID, current: false, source: 'document_copy', takenOn: null }),
  photo({
    id: REMOVED_ID,
    current: false,
    removedAt: '2026-01-05T09:00:00.000Z',
    removalReason: 'Synthetic: wrong person',
  }),
];
const imageResponse = () => new Response(PNG, { status: 200, headers: { 'content-type': 'image/png' } });

describe('person photos', () => {
  const created: string[] = [];
  const revoked: string[] = [];
  beforeAll(async () => {
    await initI18n('en');
  });
  beforeEach(() => {
    created.length = 0;
    revoked.length = 0;
    vi.stubGlobal(
      'URL',
      Object.assign(URL, {
        createObjectURL: vi.fn(() => {
          const url = `blob:synthetic-${created.length}`;
          created.push(url);
          return url;
        }),
        revokeObjectURL: vi.fn((url: string) => revoked.push(url)),
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the current photo fetched with the session, with an alt text that does not name the person', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}/photos`]: () => json(200, { photos: history }),
      [`GET /api/persons/${PERSON_ID}/photos/${CURRENT_ID}/image`]: imageResponse,
      [`GET /api/persons/${PERSON_ID}/photos/${EARLIER_ID}/image`]: imageResponse,
    });
    const view = renderWithClient(<PhotoPanel person={withPhoto} canEdit={false} />);
    await waitFor(() => expect(screen.getAllByRole('img', { name: 'Photo of the person' })).toHaveLength(2));
    const images = screen.getAllByRole('img', { name: 'Photo of the person' });
    for (const image of images) {
      expect(image.getAttribute('src')).toMatch(/^blob:synthetic-/);
      expect(image.getAttribute('alt')).not.toContain(withPhoto.displayName ?? '');
    }
    expect(screen.getByText('Earlier photos')).toBeTruthy();
    expect(screen.getByText(/Synthetic: wrong person/)).toBeTruthy();
    // A removed photo's image is never asked for; no editing without persons:write.
    expect(server.requests.map((r) => r.key)).not.toContain(
      `GET /api/persons/${PERSON_ID}/photos/${REMOVED_ID}/image`,
    );
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    view.unmount();
    expect([...revoked].sort()).toEqual([...created].sort());
  });

  it('previews a chosen image, then uploads it with its date and source as the new current photo', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}/photos`]: () => json(200, { photos: [] }),
      [`POST /api/persons/${PERSON_ID}/photos`]: () => json(201, photo()),
    });
    renderWithClient(<PhotoPanel person={person()} canEdit />);
    expect(screen.getByText('No photo recorded.')).toBeTruthy();
    const file = new File([PNG], 'synthetic.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Image file'), { target: { files: [file] } });
    expect(await screen.findByRole('img', { name: 'Preview of the chosen photo' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Taken on (if known)'), { target: { value: '2025-05-01' } });
    fireEvent.change(screen.getByLabelText('Source'), { target: { value: 'document_copy' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save photo' }));
    expect(await screen.findByText('The photo is saved and is now the current one.')).toBeTruthy();
    const post = server.requests.find((r) => r.key === `POST /api/persons/${PERSON_ID}/photos`);
    expect(post?.query.get('source')).toBe('document_copy');
    expect(post?.query.get('takenOn')).toBe('2025-05-01');
    const fetchMock = vi.mocked(globalThis.fetch);
    const request = fetchMock.mock.calls.map(([input]) => input as Request).find((r) => r.method === 'POST');
    expect(request?.headers.get('content-type')).toBe('image/png');
  });

  it('refuses a file that is not an allowed image before sending anything', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}/photos`]: () => json(200, { photos: [] }),
    });
    renderWithClient(<PhotoPanel person={person()} canEdit />);
    const file = new File(['%PDF synthetic'], 'synthetic.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByLabelText('Image file'), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Save photo' }));
    expect(await screen.findByText('Choose a JPEG, PNG or WebP image.')).toBeTruthy();
    expect(server.requests.some((r) => r.key.startsWith('POST'))).toBe(false);
  });

  it('removes the current photo only with a reason', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}/photos`]: () => json(200, { photos: [photo()] }),
      [`GET /api/persons/${PERSON_ID}/photos/${CURRENT_ID}/image`]: imageResponse,
      [`POST /api/persons/${PERSON_ID}/photos/${CURRENT_ID}/removal`]: () =>
        json(200, photo({ current: false, removedAt: '2026-01-11T09:00:00.000Z', removalReason: 'x' })),
    });
    renderWithClient(<PhotoPanel person={withPhoto} canEdit />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove the current photo' }));
    const confirm = screen.getByRole('button', { name: 'Remove photo' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Reason for removal'), {
      target: { value: 'Synthetic: uploaded to the wrong person' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(server.bodiesOf(`POST /api/persons/${PERSON_ID}/photos/${CURRENT_ID}/removal`)).toEqual([
        { reason: 'Synthetic: uploaded to the wrong person' },
      ]),
    );
  });

  it('shows a masked photo as restricted, and never asks for its image', async () => {
    const restricted = person({
      photo: { restricted: true, compartment: 'protection', ask: 'the protection case worker' },
    });
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, restricted),
      [`GET /api/persons/${PERSON_ID}/photos`]: () =>
        json(200, {
          photos: { restricted: true, compartment: 'protection', ask: 'the protection case worker' },
        }),
    });
    renderWithClient(
      <>
        <PhotoPanel person={restricted} canEdit />
        <HeaderPhoto personId={PERSON_ID} permissions={['persons:read']} />
      </>,
    );
    await waitFor(() =>
      expect(screen.getAllByText('The photo is restricted; ask the protection case worker.')).toHaveLength(2),
    );
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByLabelText('Image file')).toBeNull();
    expect(server.requests.some((r) => r.key.endsWith('/image'))).toBe(false);
  });

  it('does not ask for a photo in the case header without persons:read', async () => {
    const server = fakeServer({});
    renderWithClient(<HeaderPhoto personId={PERSON_ID} permissions={['cases:read']} />);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toEqual([]);
  });
});
