import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Transaction } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { deriveKey } from '../../platform/crypto/secrets.ts';
import type { DB } from '../../platform/db/schema.ts';
import { PHOTO_TYPES, type PhotoType } from '../../platform/db/tables/person-photos.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import { maskFields, type RestrictedValue } from '../access/masking.ts';
import { PHOTO_METADATA_COLUMNS, recordHistory, toPersonPhoto } from './repository.ts';
import type { PersonPhoto, PhotoUploadQuery } from './schemas.ts';
import { requireVisiblePerson, touchPerson } from './service.ts';

type Executor = ServiceContext['db'] | Transaction<DB>;

/** A key of its own for photos, derived from the deployment key: a leak of one use is not the other. */
function photoKey(secretKey: Buffer): Buffer {
  return deriveKey(secretKey, 'homeward person photos v1');
}

/**
 * The image type the bytes themselves announce (their magic numbers), whatever the request claimed:
 * JPEG starts FF D8 FF, PNG with its 8-byte signature, WebP is a RIFF container of form type "WEBP".
 */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (
    b.length >= 8 &&
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'image/png';
  }
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

/**
 * Reads the whole body, refusing it (413) as soon as it passes the limit. A photo is small and is
 * stored in one bytea column, so it is held in memory once; the limit bounds that memory.
 */
async function readLimited(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limit) {
      // Drain the rest so the client reads our answer rather than a reset connection.
      body.resume();
      throw new AppError('BODY_TOO_LARGE', { details: { path: 'body', limitBytes: limit } });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Photos are masked like any sensitive person field (the `person.photo` row of field sensitivity):
 * the same masking point decides, so an administrator's edit of that rule applies here too.
 */
async function photoRestriction(db: Executor, ctx: ServiceContext): Promise<RestrictedValue | null> {
  const masked = await maskFields(db, ctx.actor, 'person', { photo: true as unknown });
  return typeof masked.photo === 'object' && masked.photo !== null ? (masked.photo as RestrictedValue) : null;
}

async function requirePhotoAccess(db: Executor, ctx: ServiceContext): Promise<void> {
  const restriction = await photoRestriction(db, ctx);
  if (restriction) {
    throw new AppError('PHOTO_RESTRICTED', {
      details: { compartment: restriction.compartment, ask: restriction.ask },
    });
  }
}

function seal(secretKey: Buffer, id: string, plaintext: Buffer) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', photoKey(secretKey), iv);
  cipher.setAAD(Buffer.from(id));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

function open(
  secretKey: Buffer,
  row: { id: string; iv: Uint8Array; auth_tag: Uint8Array; ciphertext: Uint8Array },
): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', photoKey(secretKey), Buffer.from(row.iv));
  decipher.setAAD(Buffer.from(row.id));
  decipher.setAuthTag(Buffer.from(row.auth_tag));
  try {
    return Buffer.concat([decipher.update(Buffer.from(row.ciphertext)), decipher.final()]);
  } catch {
    // A server-side fault like an attachment's (a 5xx is never a client's to mend): logged, not served.
    throw new AppError('INTERNAL', { details: { reason: 'photo_integrity', photoId: row.id } });
  }
}

/**
 * Stores a new photo of a person, encrypted (AES-256-GCM, a fresh IV, the photo id as associated data),
 * and makes it the current one; the photo it replaces stays in the person's history. Access, the
 * declared type and the size are checked before the image is kept; its magic bytes must agree with
 * the declared type. The row, the history entry and the audit entry are written in one transaction.
 */
export async function uploadPhoto(
  ctx: ServiceContext,
  personId: string,
  input: PhotoUploadQuery & { contentType: string; body: Readable },
): Promise<PersonPhoto> {
  authorize(ctx.actor, 'persons:write');
  if (!(PHOTO_TYPES as readonly string[]).includes(input.contentType)) {
    input.body.resume();
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { details: { allowed: [...PHOTO_TYPES] } });
  }
  try {
    await requireVisiblePerson(ctx.db, ctx, personId);
    await requirePhotoAccess(ctx.db, ctx);
  } catch (error) {
    input.body.resume();
    throw error;
  }
  const image = await readLimited(input.body, ctx.config.lifecycle.photoMaxBytes);
  const sniffed = sniffPhotoType(image);
  if (sniffed !== input.contentType) {
    throw new AppError('PHOTO_TYPE_MISMATCH', {
      details: { declared: input.contentType, detected: sniffed, allowed: [...PHOTO_TYPES] },
    });
  }
  const id = randomUUID();
  const sealed = seal(ctx.config.secretKey, id, image);
  return ctx.db.transaction().execute(async (trx) => {
    // The row lock on the person serialises uploads, so "one current photo" never races.
    await requireVisiblePerson(trx, ctx, personId, { lock: true });
    const replaced = await trx
      .updateTable('person_photos')
      .set({ is_current: false })
      .where('person_id', '=', personId)
      .where('is_current', '=', true)
      .returning('id')
      .executeTakeFirst();
    const row = await trx
      .insertInto('person_photos')
      .values({
        id,
        person_id: personId,
        content_type: sniffed,
        size_bytes: image.length,
        sha256: createHash('sha256').update(image).digest('hex'),
        taken_on: input.takenOn ?? null,
        source: input.source,
        iv: sealed.iv,
        auth_tag: sealed.authTag,
        ciphertext: sealed.ciphertext,
        is_current: true,
        uploaded_by: ctx.actor.userId,
      })
      .returning(PHOTO_METADATA_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordHistory(trx, personId, ctx.actor.userId, [
      { field: 'photo', before: replaced ? { id: replaced.id } : null, after: { id } },
    ]);
    await touchPerson(trx, personId);
    await recordAudit(trx, ctx.audit, {
      action: 'person.photo.upload',
      targetType: 'person',
      targetId: personId,
      sections: ['identity'],
      details: {
        photoId: id,
        contentType: sniffed,
        sizeBytes: image.length,
        source: input.source,
        replacedPhotoId: replaced?.id ?? null,
      },
    });
    return toPersonPhoto(row);
  });
}

/** Every photo of the person, newest first (removed ones included, without their image); audited. */
export async function listPhotos(
  ctx: ServiceContext,
  personId: string,
): Promise<{ photos: PersonPhoto[] | RestrictedValue }> {
  authorize(ctx.actor, 'persons:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, personId);
    const restriction = await photoRestriction(trx, ctx);
    const rows = restriction
      ? []
      : await trx
          .selectFrom('person_photos')
          .select(PHOTO_METADATA_COLUMNS)
          .where('person_id', '=', personId)
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'person.photo.list',
      targetType: 'person',
      targetId: personId,
      sections: ['identity'],
      details: { photos: rows.length, restricted: restriction !== null },
    });
    return { photos: restriction ?? rows.map(toPersonPhoto) };
  });
}

/**
 * Decrypts a photo for display. GCM authenticates the whole image before a byte is released, so a
 * tampered row is refused (500 INTERNAL) rather than served. The read is audited.
 */
export async function downloadPhoto(ctx: ServiceContext, personId: string, photoId: string) {
  authorize(ctx.actor, 'persons:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, personId);
    await requirePhotoAccess(trx, ctx);
    const row = await trx
      .selectFrom('person_photos')
      .select(['id', 'content_type', 'iv', 'auth_tag', 'ciphertext'])
      .where('id', '=', photoId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (!row?.ciphertext) throw new AppError('PHOTO_NOT_FOUND');
    const image = open(ctx.config.secretKey, { ...row, ciphertext: row.ciphertext });
    await recordAudit(trx, ctx.audit, {
      action: 'person.photo.read',
      targetType: 'person',
      targetId: personId,
      sections: ['identity'],
      details: { photoId },
    });
    return { contentType: row.content_type, image };
  });
}

/**
 * Removes a photo: its image is erased at once, its row stays with who removed it, when and why. A
 * removed current photo leaves the person without one; an earlier photo does not silently take its place.
 */
export async function removePhoto(
  ctx: ServiceContext,
  personId: string,
  photoId: string,
  input: { reason: string },
): Promise<PersonPhoto> {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, personId, { lock: true });
    await requirePhotoAccess(trx, ctx);
    const current = await trx
      .selectFrom('person_photos')
      .select(['id', 'is_current', 'removed_at'])
      .where('id', '=', photoId)
      .where('person_id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('PHOTO_NOT_FOUND');
    if (current.removed_at) throw new AppError('PHOTO_ALREADY_REMOVED');
    const row = await trx
      .updateTable('person_photos')
      .set({
        is_current: false,
        ciphertext: null,
        removed_at: new Date(),
        removed_by: ctx.actor.userId,
        removal_reason: input.reason,
      })
      .where('id', '=', photoId)
      .returning(PHOTO_METADATA_COLUMNS)
      .executeTakeFirstOrThrow();
    if (current.is_current) {
      await recordHistory(trx, personId, ctx.actor.userId, [
        { field: 'photo', before: { id: photoId }, after: null },
      ]);
      await touchPerson(trx, personId);
    }
    await recordAudit(trx, ctx.audit, {
      action: 'person.photo.remove',
      targetType: 'person',
      targetId: personId,
      sections: ['identity'],
      // The reason stays on the row, readable by those who see photos; the trail records the act.
      details: { photoId, wasCurrent: current.is_current },
    });
    return toPersonPhoto(row);
  });
}

/**
 * Erases every photo of a person, rows and images, in the caller's transaction: for anonymisation and
 * erasure by the data-protection module, which has made its own access check and writes the audit entry.
 * Returns how many photos were erased.
 */
export async function erasePersonPhotos(trx: Transaction<DB>, personId: string): Promise<number> {
  const result = await trx.deleteFrom('person_photos').where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The images of a person's photos not removed, decrypted, for the data-subject access export (which
 * has made its own access check and writes the audit entry): a copy of what is held includes the
 * pictures themselves. Keyed by photo id; base64 so a JSON export carries them.
 */
export async function photoImagesForExport(
  trx: Transaction<DB>,
  secretKey: Buffer,
  personId: string,
): Promise<Map<string, { contentType: string; base64: string }>> {
  const rows = await trx
    .selectFrom('person_photos')
    .select(['id', 'content_type', 'iv', 'auth_tag', 'ciphertext'])
    .where('person_id', '=', personId)
    .where('ciphertext', 'is not', null)
    .execute();
  const images = new Map<string, { contentType: string; base64: string }>();
  for (const row of rows) {
    if (!row.ciphertext) continue;
    const image = open(secretKey, { ...row, ciphertext: row.ciphertext });
    images.set(row.id, { contentType: row.content_type, base64: image.toString('base64') });
  }
  return images;
}
