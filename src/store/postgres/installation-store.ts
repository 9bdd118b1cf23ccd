import {
  type InstallationKey,
  type InstallationStore,
  installationIdOf,
  type StoredInstallation,
} from '../installation-store.js';
import { TokenCipher } from '../token-cipher.js';
import type { Database } from './database.js';

/**
 * The OAuth installations in PostgreSQL (`slack_installations`), shared by every replica: an install completed on
 * one is found by all. Bot tokens are sealed with TOKEN_ENCRYPTION_KEY as in the file backend.
 */
export class PgInstallationStore implements InstallationStore {
  private readonly cipher: TokenCipher;

  constructor(
    private readonly db: Database,
    options: { tokenEncryptionKey?: string } = {},
  ) {
    this.cipher = new TokenCipher(options.tokenEncryptionKey);
  }

  async save(installation: StoredInstallation): Promise<void> {
    const id = installationIdOf(installation);
    if (!id) throw new Error('an installation needs a team id, or an enterprise id for an org-wide install');
    const sealed = { ...installation, botToken: this.cipher.seal(installation.botToken, id) };
    // An org-wide install keeps the workspaces it has served across a reinstall.
    await this.db.write(
      `INSERT INTO slack_installations (id, installation, installed_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET
         installation = EXCLUDED.installation || CASE
           WHEN (EXCLUDED.installation->>'isEnterpriseInstall')::boolean AND NOT EXCLUDED.installation ? 'workspaces'
           THEN jsonb_build_object('workspaces', COALESCE(slack_installations.installation->'workspaces', '[]'::jsonb))
           ELSE '{}'::jsonb END,
         installed_at = EXCLUDED.installed_at`,
      [id, JSON.stringify(sealed), installation.installedAt],
    );
  }

  async find(key: InstallationKey): Promise<StoredInstallation | undefined> {
    const id = installationIdOf(key);
    if (id === undefined) return undefined;
    const { rows } = await this.db.query<{ installation: StoredInstallation }>(
      'SELECT installation FROM slack_installations WHERE id = $1',
      [id],
    );
    const stored = rows[0]?.installation;
    return stored && { ...stored, botToken: this.cipher.open(stored.botToken, id) };
  }

  async delete(key: InstallationKey): Promise<void> {
    const id = installationIdOf(key);
    if (id === undefined) return;
    await this.db.write('DELETE FROM slack_installations WHERE id = $1', [id]);
  }

  async noteWorkspace(enterpriseId: string, teamId: string): Promise<void> {
    await this.db.write(
      `UPDATE slack_installations
       SET installation = jsonb_set(installation, '{workspaces}',
         COALESCE(installation->'workspaces', '[]'::jsonb) || to_jsonb($2::text))
       WHERE id = $1 AND (installation->>'isEnterpriseInstall')::boolean
         AND NOT COALESCE(installation->'workspaces', '[]'::jsonb) ? $2`,
      [enterpriseId, teamId],
    );
  }

  async claimState(key: string, expiresAt: Date): Promise<boolean> {
    // Claims that have expired go with the next one; the signed state is refused as expired after that anyway.
    await this.db.write('DELETE FROM oauth_states_used WHERE expires_at < now()');
    const { rowCount } = await this.db.write(
      'INSERT INTO oauth_states_used (state_key, expires_at) VALUES ($1, $2) ON CONFLICT (state_key) DO NOTHING',
      [key, expiresAt.toISOString()],
    );
    return rowCount === 1;
  }

  /** Every change is committed when its call resolves. */
  async flush(): Promise<void> {}

  writeProblem(): string | undefined {
    return this.db.writeProblem();
  }
}
