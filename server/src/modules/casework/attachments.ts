import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Selectable } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { deriveKey } from '../../platform/crypto/secrets.ts';
import type { CaseAttachmentsTable } from '../../platform/db/tables/lifecycle.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import {
  authorize,
  type CaseAccess,
  canWriteCompartment,
  compartments,
  requireCaseAccess,
  requireCaseWork,
} from '../access/access.ts';
import { requireVisibleCase } from '../cases/service.ts';
import type { CreateNote } from './schemas.ts';

/** What may be uploaded: documents and pictures, never executables or archives. */
export const ATTACHMENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'text/plain',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

type Compartment = CreateNote['compartment'];

/** A key of its own for attachments, derived from the deployment key: a leak of one use is not the other. */
function attachmentKey(secretKey: Buffer): Buffer {
  return deriveKey(secretKey, 'homeward attachments v1');
}

function toAttachment(row: Selectable<CaseAttachmentsTable>) {
  return {
    id: row.id,
    caseId: row.case_id,
    compartment: row.compartment,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at.toISOString(),
  };
}

/** Counts bytes and hashes the plaintext on its way to the cipher; refuses beyond the limit. */
function meter(limit: number, hash: ReturnType<typeof createHash>) {
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        callback(new AppError('BODY_TOO_LARGE', { details: { path: 'body', limitBytes: limit } }));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { transform, size: () => size };
}

/**
 * Streams an upload to storage, encrypted with AES-256-GCM (a fresh IV per file, the attachment id as
 * associated data), then records it in one transaction with its audit entry. Access is checked before
 * a byte is stored and again when the row is written; a refused or failed upload leaves no file.
 */
export async function uploadAttachment(
  ctx: ServiceContext,
  caseId: string,
  input: { compartment: Compartment; fileName: string; contentType: string; body: Readable },
) {
  authorize(ctx.actor, 'cases:write');
  if (!canWriteCompartment(ctx.actor, input.compartment)) {
    throw new AppError('FORBIDDEN', { details: { compartment: input.compartment } });
  }
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(input.contentType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { details: { allowed: [...ATTACHMENT_TYPES] } });
  }
  await requireVisibleCase(ctx.db, ctx, caseId);
  await requireCaseWork(ctx.db, ctx.actor, caseId, input.compartment);
  const { attachmentsDir, attachmentMaxBytes } = ctx.config.lifecycle;
  await mkdir(attachmentsDir, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  const path = join(attachmentsDir, id);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', attachmentKey(ctx.config.secretKey), iv);
  cipher.setAAD(Buffer.from(id));
  const hash = createHash('sha256');
  const counter = meter(attachmentMaxBytes, hash);
  try {
    await pipeline(input.body, counter.transform, cipher, createWriteStream(path, { mode: 0o600 }));
    const row = await ctx.db.transaction().execute(async (trx) => {
      await requireVisibleCase(trx, ctx, caseId);
      const inserted = await trx
        .insertInto('case_attachments')
        .values({
          id,
          case_id: caseId,
          compartment: input.compartment,
          file_name: input.fileName,
          content_type: input.contentType,
          size_bytes: counter.size(),
          sha256: hash.digest('hex'),
          iv: iv.toString('base64'),
          auth_tag: cipher.getAuthTag().toString('base64'),
          uploaded_by: ctx.actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx.audit, {
        action: 'case.attachment.upload',
        targetType: 'case',
        targetId: caseId,
        sections: [input.compartment],
        details: { attachmentId: id, contentType: input.contentType, sizeBytes: counter.size() },
      });
      return inserted;
    });
    return toAttachment(row);
  } catch (error) {
    await rm(path, { force: true });
    input.body.resume();
    throw error;
  }
}

/**
 * The compartments whose attachments the actor reads on this case: the case's access, not the role's, so
 * one who sees the case only through a disclosure or break-glass reads only the compartments it opened.
 */
function readableOnCase(access: CaseAccess) {
  return compartments.filter((c) => access.read.has(c));
}

/** Attachments of the compartments the actor reads on this case. */
export async function listAttachments(ctx: ServiceContext, caseId: string) {
  authorize(ctx.actor, 'cases:read');
  await requireVisibleCase(ctx.db, ctx, caseId);
  const readable = readableOnCase(await requireCaseAccess(ctx.db, ctx.actor, caseId));
  if (readable.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('case_attachments')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('compartment', 'in', readable)
    .orderBy('created_at')
    .execute();
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'case.attachment.list',
      targetType: 'case',
      targetId: caseId,
      sections: [...readable],
    }),
  );
  return rows.map(toAttachment);
}

/**
 * Decrypts an attachment for download. The whole file is authenticated before any byte is released
 * (GCM verifies at the end), so a tampered file is refused rather than half-served.
 */
export async function downloadAttachment(ctx: ServiceContext, caseId: string, attachmentId: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId);
    const readable = readableOnCase(await requireCaseAccess(trx, ctx.actor, caseId));
    const row = await trx
      .selectFrom('case_attachments')
      .selectAll()
      .where('id', '=', attachmentId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!row || !readable.includes(row.compartment)) throw new AppError('ATTACHMENT_NOT_FOUND');
    const sealed = await readFile(join(ctx.config.lifecycle.attachmentsDir, row.id));
    const decipher = createDecipheriv(
      'aes-256-gcm',
      attachmentKey(ctx.config.secretKey),
      Buffer.from(row.iv, 'base64'),
    );
    decipher.setAAD(Buffer.from(row.id));
    decipher.setAuthTag(Buffer.from(row.auth_tag, 'base64'));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      throw new AppError('INTERNAL', { details: { reason: 'attachment_integrity', attachmentId } });
    }
    await recordAudit(trx, ctx.audit, {
      action: 'case.attachment.read',
      targetType: 'case',
      targetId: caseId,
      sections: [row.compartment],
      details: { attachmentId },
    });
    return { attachment: toAttachment(row), content: plaintext };
  });
}
