import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { z } from 'zod';

/** OWASP's argon2id parameters (19 MiB, 2 passes). */
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const };

export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(1024);

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON);
}

/** Whether `password` matches the argon2id `hash`; false (never a throw) on a malformed hash. */
export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argonVerify(hash, password).catch(() => false);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one password check without checking anything: used for unknown user names and
 * for locked accounts, so the answer time does not tell them apart from a wrong password.
 */
export async function spendPasswordCheckTime(password: string): Promise<void> {
  await argonVerify(await prepareDummyHash(), password).catch(() => false);
}

/** Makes the dummy hash ahead of the first sign-in, so the first unknown name is not slower. */
export function prepareDummyHash(): Promise<string> {
  return (dummy ??= argonHash('letapis-dummy-password', ARGON));
}
