import { Secret, TOTP } from 'otpauth';

/** RFC 6238 TOTP, 6 digits, 30 s, SHA-1: what every authenticator app reads. */
function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Homeward',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

const PERIOD_SECONDS = 30;

/**
 * Accepts the current code and one step either side, for clocks that drift, and returns the step
 * it belongs to, or null. A step at or before `lastUsedStep` is refused: a code is good only once.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  lastUsedStep: number | null = null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, 'check').validate({ token: code, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(Date.now() / 1000 / PERIOD_SECONDS) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

/** The code an authenticator shows at a moment (now by default): for tests and the CLI. */
export function currentTotp(secretBase32: string, atMs: number = Date.now()): string {
  return totpFor(secretBase32, 'check').generate({ timestamp: atMs });
}
