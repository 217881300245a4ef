import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Everything Homeward reads from its environment, validated once at start-up.
 * A wrong value stops the process with the variable named, never a silent default.
 */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  HOMEWARD_DATA_DIR: z.string().default('./data'),
  HOMEWARD_DEMO: z.enum(['0', '1', 'true', 'false']).default('0'),
  /** 32-byte key, base64 or hex, for encrypting secrets at rest (TOTP seeds, attachments). */
  HOMEWARD_SECRET_KEY: z.string().optional(),
  HOMEWARD_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  HOMEWARD_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  HOMEWARD_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  HOMEWARD_LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Sign-in and password attempts per client address per minute. */
  HOMEWARD_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** How long a break-glass opening of a record outside one's scope lasts. */
  HOMEWARD_BREAK_GLASS_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  HOMEWARD_COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  HOMEWARD_TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0'),
  HOMEWARD_WEB_DIST: z.string().optional(),
  /** Below this age (by the youngest possible date of birth) no justice track opens; 14 is the UN floor. */
  HOMEWARD_MIN_AGE_CRIMINAL_RESPONSIBILITY: z.coerce.number().int().min(14).max(21).default(14),
  /** Case numbers: {YYYY} the year opened, {NNNNNN} the sequence zero-padded to as many digits as N's. */
  HOMEWARD_CASE_NUMBER_FORMAT: z
    .string()
    .regex(/\{N+\}/, 'must contain {N…}, the case number sequence')
    .max(60)
    .default('HW-{YYYY}-{NNNNNN}'),
  /** The deployment's case workflow (JSON); the default ships in server/config/workflow.default.json. */
  HOMEWARD_WORKFLOW_FILE: z.string().optional(),
  /** Where encrypted case attachments are stored; defaults to <data dir>/attachments. */
  HOMEWARD_ATTACHMENTS_DIR: z.string().optional(),
  HOMEWARD_ATTACHMENT_MAX_MB: z.coerce.number().int().min(1).max(1024).default(20),
  /** The largest person photo accepted, in KiB (photos live encrypted in the database). */
  HOMEWARD_PHOTO_MAX_KB: z.coerce.number().int().min(16).max(20_480).default(2048),
  /** How long the disclosure made by referring a case for a justice decision runs (ADR 0020). */
  HOMEWARD_JUSTICE_REFERRAL_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /**
   * Small-cell suppression in aggregate reports (DOMAIN.md §7): the smallest count published, 3–10.
   * The default of every report, and its floor: a request may ask for larger cells, never smaller.
   */
  HOMEWARD_REPORT_MIN_CELL: z.coerce.number().int().min(3).max(10).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Backend = 'pglite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  backend: Backend;
  databaseUrl: string | undefined;
  /** Absolute path of the PGlite data directory, or 'memory://' for an in-memory database. */
  dataDir: string;
  demo: boolean;
  secretKey: Buffer;
  secretKeyIsDefault: boolean;
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockMinutes: number; ratePerMinute: number };
  cookieSecure: 'auto' | 'always' | 'never';
  breakGlassMinutes: number;
  trustProxy: boolean;
  webDist: string | undefined;
  /** The case lifecycle: the age floor of justice tracks, the case number format, the workflow file. */
  lifecycle: {
    minAgeCriminalResponsibility: number;
    caseNumberFormat: string;
    workflowFile: string | undefined;
    /** Absolute directory of encrypted attachments. */
    attachmentsDir: string;
    attachmentMaxBytes: number;
    /** The largest person photo accepted, in bytes. */
    photoMaxBytes: number;
    /** Days the identity and justice disclosure of a referral for a justice decision runs. */
    justiceReferralDays: number;
  };
  /** Aggregate reporting: the smallest cell a report publishes (default and floor). */
  reports: { minCell: number };
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
}

/** A fixed development key: refused outside demo mode, so no deployment runs on it by accident. */
const DEVELOPMENT_KEY = Buffer.alloc(32, 'homeward-development-only-key!!!');

export class ConfigError extends Error {}

export function decodeSecretKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('HOMEWARD_SECRET_KEY must be 32 bytes, as 64 hex digits or base64');
  }
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const truthy = (v: string) => v === '1' || v === 'true';
  const demo = truthy(e.HOMEWARD_DEMO);
  let secretKey: Buffer = DEVELOPMENT_KEY;
  let secretKeyIsDefault = true;
  if (e.HOMEWARD_SECRET_KEY) {
    secretKey = decodeSecretKey(e.HOMEWARD_SECRET_KEY);
    secretKeyIsDefault = false;
  }
  return {
    port: e.PORT,
    host: e.HOST,
    backend: e.DATABASE_URL ? 'postgres' : 'pglite',
    databaseUrl: e.DATABASE_URL,
    dataDir: e.HOMEWARD_DATA_DIR === 'memory://' ? 'memory://' : resolve(e.HOMEWARD_DATA_DIR),
    demo,
    secretKey,
    secretKeyIsDefault,
    session: {
      idleMinutes: e.HOMEWARD_SESSION_IDLE_MINUTES,
      absoluteHours: e.HOMEWARD_SESSION_ABSOLUTE_HOURS,
    },
    login: {
      maxFailures: e.HOMEWARD_LOGIN_MAX_FAILURES,
      lockMinutes: e.HOMEWARD_LOGIN_LOCK_MINUTES,
      ratePerMinute: e.HOMEWARD_AUTH_RATE_LIMIT,
    },
    cookieSecure: e.HOMEWARD_COOKIE_SECURE,
    breakGlassMinutes: e.HOMEWARD_BREAK_GLASS_MINUTES,
    trustProxy: truthy(e.HOMEWARD_TRUST_PROXY),
    webDist: e.HOMEWARD_WEB_DIST,
    lifecycle: {
      minAgeCriminalResponsibility: e.HOMEWARD_MIN_AGE_CRIMINAL_RESPONSIBILITY,
      caseNumberFormat: e.HOMEWARD_CASE_NUMBER_FORMAT,
      workflowFile: e.HOMEWARD_WORKFLOW_FILE,
      attachmentsDir: e.HOMEWARD_ATTACHMENTS_DIR
        ? resolve(e.HOMEWARD_ATTACHMENTS_DIR)
        : e.HOMEWARD_DATA_DIR === 'memory://'
          ? join(tmpdir(), `homeward-attachments-${process.pid}`)
          : resolve(e.HOMEWARD_DATA_DIR, 'attachments'),
      attachmentMaxBytes: e.HOMEWARD_ATTACHMENT_MAX_MB * 1024 * 1024,
      photoMaxBytes: e.HOMEWARD_PHOTO_MAX_KB * 1024,
      justiceReferralDays: e.HOMEWARD_JUSTICE_REFERRAL_DAYS,
    },
    reports: { minCell: e.HOMEWARD_REPORT_MIN_CELL },
    logLevel: e.LOG_LEVEL,
  };
}

/** A server holding real data must not run on the development key. */
export function assertProductionSafe(config: Config): void {
  if (!config.demo && config.secretKeyIsDefault) {
    throw new ConfigError(
      'HOMEWARD_SECRET_KEY is not set. Set a 32-byte key (openssl rand -hex 32) or run in demo mode (HOMEWARD_DEMO=1).',
    );
  }
}
