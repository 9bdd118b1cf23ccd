import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/** How a sealed token starts: the format's version, so a later one can be read beside it. */
const SEALED_PREFIX = 'enc:v1:';

/**
 * The salt of a key derived from a passphrase. Fixed (every replica must derive the same key from the same
 * passphrase, and the key opens every token), so a passphrase is only as strong as itself: prefer 32 random bytes.
 */
const PASSPHRASE_SALT = 'pm-advisor TOKEN_ENCRYPTION_KEY v1';

/** A token that cannot be opened: sealed with another key, or sealed and no key is set. */
export class TokenKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

/** The 32-byte key a TOKEN_ENCRYPTION_KEY value stands for, and how it was read. */
export function tokenKeyOf(secret: string): { key: Buffer; from: 'hex' | 'base64' | 'passphrase' } {
  const value = secret.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { key: Buffer.from(value, 'hex'), from: 'hex' };
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
    if (key.length === 32) return { key, from: 'base64' };
  }
  return { key: scryptSync(value, PASSPHRASE_SALT, 32), from: 'passphrase' };
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/**
 * Seals bot tokens at rest with AES-256-GCM: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url), a fresh 12-byte IV per
 * seal, and the installation's key as additional data, so a sealed token copied to another installation's record
 * does not open. Without a key, tokens are stored as they are (and sealed ones cannot be opened).
 */
export class TokenCipher {
  private readonly key: Buffer | undefined;

  constructor(secret: string | undefined) {
    this.key = secret?.trim() ? tokenKeyOf(secret).key : undefined;
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  /** The token as stored: sealed when a key is set, else as it is. */
  seal(token: string, boundTo: string): string {
    if (!this.key) return token;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${[iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join(':')}`;
  }

  /** The token a stored value holds; throws TokenKeyError when it is sealed and this key does not open it. */
  open(stored: string, boundTo: string): string {
    if (!isSealed(stored)) return stored;
    if (!this.key)
      throw new TokenKeyError(
        `the bot token of ${boundTo} is stored encrypted and TOKEN_ENCRYPTION_KEY is not set: set the key it was stored with`,
      );
    const [iv, tag, sealed] = stored
      .slice(SEALED_PREFIX.length)
      .split(':')
      .map((part) => Buffer.from(part, 'base64url'));
    try {
      if (!iv || !tag || !sealed) throw new Error('malformed');
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenKeyError(
        `TOKEN_ENCRYPTION_KEY does not open the bot token of ${boundTo}: it was stored with another key (set that one, or reinstall the app in that workspace)`,
      );
    }
  }
}
