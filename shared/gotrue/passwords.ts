/**
 * Password hashes as GoTrue stores them in `auth.users.encrypted_password`: bcrypt,
 * cost 10, `$2a$` prefix (Go's `golang.org/x/crypto/bcrypt`), so hashes made here
 * verify on hosted Supabase Auth and the other way round.
 *
 * @module
 */
import bcrypt from "bcryptjs";

/** GoTrue's bcrypt cost (`bcrypt.DefaultCost`). */
export const BCRYPT_COST = 10;

/**
 * Hashes a password. bcryptjs writes `$2b$` salts; `$2a$` and `$2b$` differ only for
 * passwords over 255 bytes (refused long before), so the salt is relabelled `$2a$`.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = (await bcrypt.genSalt(BCRYPT_COST)).replace(/^\$2b\$/, "$2a$");
  return await bcrypt.hash(password, salt);
}

/** Checks a password against a stored bcrypt hash; false for anything unreadable. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

// A hash of a random password, compared against when the e-mail is unknown so that a
// miss costs as long as a wrong password (no user enumeration by timing).
let decoy: Promise<string> | undefined;

/** Spends one bcrypt comparison for nothing; always false. */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await decoy);
  return false;
}
