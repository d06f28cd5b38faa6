import type { Db } from './db.js';

/** Desktop pairing codes and bearer tokens, both kept only as hashes. */
export class DesktopAuthRepo {
  private readonly insertCodeStmt;
  private readonly useCodeStmt;
  private readonly insertTokenStmt;
  private readonly tokenUserStmt;
  private readonly revokeStmt;

  constructor(db: Db) {
    this.insertCodeStmt = db.prepare('INSERT INTO desktop_pairing_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
    this.useCodeStmt = db.prepare<[number, string, number], { user_id: string }>(
      'UPDATE desktop_pairing_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id',
    );
    this.insertTokenStmt = db.prepare('INSERT INTO desktop_tokens (token_hash, user_id, device_name, created_at) VALUES (?, ?, ?, ?)');
    this.tokenUserStmt = db.prepare<[string], { user_id: string }>('SELECT user_id FROM desktop_tokens WHERE token_hash = ? AND revoked_at IS NULL');
    this.revokeStmt = db.prepare('UPDATE desktop_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL');
  }

  addCode(codeHash: string, userId: string, now: number, expiresAt: number): void {
    this.insertCodeStmt.run(codeHash, userId, now, expiresAt);
  }

  /** Marks an unused, unexpired code used; returns its user, or null (one use wins). */
  useCode(codeHash: string, now: number): string | null {
    return this.useCodeStmt.get(now, codeHash, now)?.user_id ?? null;
  }

  addToken(tokenHash: string, userId: string, deviceName: string | null, now: number): void {
    this.insertTokenStmt.run(tokenHash, userId, deviceName, now);
  }

  /** The user of a token that is not revoked, or null. */
  userOfToken(tokenHash: string): string | null {
    return this.tokenUserStmt.get(tokenHash)?.user_id ?? null;
  }

  /** Revokes every live token of a user; returns how many. */
  revokeUser(userId: string, now: number): number {
    return this.revokeStmt.run(now, userId).changes;
  }
}
