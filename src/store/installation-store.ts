import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { JournalFile } from './journal-file.js';
import { isSealed, TokenCipher, TokenKeyError } from './token-cipher.js';

/** Where the app is installed: one workspace, or (org-wide, Enterprise Grid) a whole organisation. */
export interface InstallationKey {
  /** Org-wide installs: the organisation (E…). A workspace install inside an organisation carries it too. */
  enterpriseId?: string;
  /** Workspace installs: the workspace (T…). Org-wide installs have none. */
  teamId?: string;
  isEnterpriseInstall: boolean;
}

/** What the app keeps about one install of the app. */
export interface StoredInstallation extends InstallationKey {
  appId?: string;
  /** The bot token (`xoxb-…`), in the clear: backends seal it at rest when TOKEN_ENCRYPTION_KEY is set. */
  botToken: string;
  botId: string;
  botUserId: string;
  /** The bot scopes granted. */
  scopes: string[];
  /** Who installed it (U…). */
  installerUserId?: string;
  /** When it was stored (ISO 8601): an uninstall event older than this is about an earlier install. */
  installedAt: string;
  teamName?: string;
  enterpriseName?: string;
  /** Org-wide installs: the organisation's Slack URL (Bolt redirects there after installing). */
  enterpriseUrl?: string;
  /**
   * Org-wide installs: the workspaces of the organisation the app has served, so uninstalling it forgets what is
   * stored about each (what people store is kept by workspace).
   */
  workspaces?: string[];
}

/** The key an installation is stored under: the organisation for an org-wide install, else the workspace. */
export function installationIdOf(key: InstallationKey): string | undefined {
  return key.isEnterpriseInstall ? key.enterpriseId : key.teamId;
}

/**
 * The installations of the app (OAuth): stored when a workspace or organisation installs it, found for each request
 * (Bolt's authorize), deleted when it is uninstalled. Keyed by enterprise id for org-wide installs, else team id.
 */
export interface InstallationStore {
  /** Stores an install, replacing an earlier one under the same key; resolves once it is on disk. */
  save(installation: StoredInstallation): Promise<void>;
  /**
   * The install a request is authorised with: the organisation's for `isEnterpriseInstall`, else the workspace's.
   * Throws TokenKeyError when its token is sealed with another key (or none is set).
   */
  find(key: InstallationKey): Promise<StoredInstallation | undefined>;
  /** Deletes the install under this key (nothing when there is none); resolves once it is on disk. */
  delete(key: InstallationKey): Promise<void>;
  /** Org-wide installs: notes that the app served this workspace of the organisation (see `workspaces`). */
  noteWorkspace(enterpriseId: string, teamId: string): Promise<void>;
  /**
   * Takes an OAuth state for good: true the first time a key is claimed, false once it has been, by any replica
   * sharing the store, until `expiresAt` (after which the signed state is refused as expired anyway). Resolves once
   * the claim is on disk, so a replayed install redirect is refused after a restart too.
   */
  claimState(key: string, expiresAt: Date): Promise<boolean>;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  /** Why writes fail, while they do (for /healthz). */
  writeProblem(): string | undefined;
}

const installationSchema = z.object({
  enterpriseId: z.string().optional(),
  teamId: z.string().optional(),
  isEnterpriseInstall: z.boolean(),
  appId: z.string().optional(),
  botToken: z.string(),
  botId: z.string(),
  botUserId: z.string(),
  scopes: z.array(z.string()),
  installerUserId: z.string().optional(),
  installedAt: z.string(),
  teamName: z.string().optional(),
  enterpriseName: z.string().optional(),
  enterpriseUrl: z.string().optional(),
  workspaces: z.array(z.string()).optional(),
});
const dataSchema = z.object({
  version: z.literal(1),
  installations: z.record(z.string(), installationSchema),
  /** OAuth states taken (a hash of each), with when they expire (epoch ms). */
  usedStates: z.record(z.string(), z.number()).optional(),
});
type InstallationData = z.infer<typeof dataSchema>;

const opSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('put'), id: z.string(), installation: installationSchema }),
  z.object({ t: z.literal('delete'), id: z.string() }),
  z.object({ t: z.literal('workspace'), id: z.string(), teamId: z.string() }),
  z.object({ t: z.literal('state'), key: z.string(), until: z.number(), at: z.number() }),
]);
type InstallationOp = z.infer<typeof opSchema>;

function has<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function applyInstallationOp(data: InstallationData, op: InstallationOp): void {
  switch (op.t) {
    case 'put':
      data.installations[op.id] = op.installation;
      return;
    case 'delete':
      delete data.installations[op.id];
      return;
    case 'workspace': {
      const installation = has(data.installations, op.id);
      if (installation && !installation.workspaces?.includes(op.teamId))
        installation.workspaces = [...(installation.workspaces ?? []), op.teamId];
      return;
    }
    case 'state': {
      // Expired claims go as a new one comes: the list stays as long as ten minutes of installs.
      data.usedStates ??= {};
      const used = data.usedStates;
      for (const [key, until] of Object.entries(used)) if (until < op.at) delete used[key];
      used[op.key] = op.until;
      return;
    }
  }
}

const INSTALLATION_FILE = {
  parse: (raw: unknown) => {
    const result = dataSchema.safeParse(raw);
    return result.success ? result.data : undefined;
  },
  toJson: (data: InstallationData) => data,
  defaults: (): InstallationData => ({ version: 1, installations: {} }),
  parseOp: (raw: unknown) => {
    const result = opSchema.safeParse(raw);
    return result.success ? result.data : undefined;
  },
  apply: applyInstallationOp,
};

/**
 * The installations in a file beside DATA_FILE (`data/db.installations.json`): a snapshot plus a journal
 * (`JournalFile`), every change on disk before it resolves. Bot tokens are sealed (AES-256-GCM, `TokenCipher`) in
 * memory, snapshot and journal alike when a key is set, and opened only when an installation is found. Opening with
 * a key seals the tokens stored in the clear before it. Tokens the key cannot open are reported once at opening
 * (`keyProblem`), and their workspaces' requests fail authorisation with that message, instead of the app stopping.
 */
export class InstallationFile implements InstallationStore {
  private constructor(
    private readonly file: JournalFile<InstallationData, InstallationOp>,
    private readonly cipher: TokenCipher,
    /** Installations whose token this key cannot open, found at opening. */
    readonly keyProblem: string | undefined,
  ) {}

  /** The file that belongs to a data file: data/db.json → data/db.installations.json. */
  static fileFor(dataFile: string): string {
    const parsed = path.parse(dataFile);
    return path.join(parsed.dir, `${parsed.name}.installations.json`);
  }

  static async open(
    filePath: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    options: { tokenEncryptionKey?: string } = {},
  ): Promise<InstallationFile> {
    const cipher = new TokenCipher(options.tokenEncryptionKey);
    const file = await JournalFile.open(filePath, { ...INSTALLATION_FILE, logger });
    const unopened: string[] = [];
    let sealedNow = 0;
    for (const [id, installation] of Object.entries(file.data.installations)) {
      try {
        const token = cipher.open(installation.botToken, id);
        if (cipher.encrypts && !isSealed(installation.botToken)) {
          await file.commit({
            t: 'put',
            id,
            installation: { ...installation, botToken: cipher.seal(token, id) },
          });
          sealedNow++;
        }
      } catch (error) {
        if (!(error instanceof TokenKeyError)) throw error;
        unopened.push(id);
      }
    }
    // The tokens stored in the clear leave the journal and the snapshot too.
    if (sealedNow > 0) await file.compact();
    const keyProblem =
      unopened.length === 0
        ? undefined
        : `${options.tokenEncryptionKey?.trim() ? 'TOKEN_ENCRYPTION_KEY does not open' : 'TOKEN_ENCRYPTION_KEY is not set, and it is needed to open'} the bot token of ${unopened.length} installation(s) in ${filePath} (${unopened.slice(0, 5).join(', ')}${unopened.length > 5 ? ', …' : ''}): those workspaces get no answers until the key they were stored with is set (or the app is reinstalled there)`;
    if (keyProblem) logger.error(keyProblem);
    return new InstallationFile(file, cipher, keyProblem);
  }

  get filePath(): string {
    return this.file.filePath;
  }

  /** How many installations are stored (tests, start-up line). */
  get size(): number {
    return Object.keys(this.file.data.installations).length;
  }

  async save(installation: StoredInstallation): Promise<void> {
    const id = installationIdOf(installation);
    if (!id) throw new Error('an installation needs a team id, or an enterprise id for an org-wide install');
    const previous = has(this.file.data.installations, id);
    const workspaces = installation.workspaces ?? previous?.workspaces;
    await this.file.commit({
      t: 'put',
      id,
      installation: {
        ...installation,
        botToken: this.cipher.seal(installation.botToken, id),
        ...(workspaces && installation.isEnterpriseInstall ? { workspaces } : {}),
      },
    });
  }

  async find(key: InstallationKey): Promise<StoredInstallation | undefined> {
    const id = installationIdOf(key);
    const stored = id === undefined ? undefined : has(this.file.data.installations, id);
    if (!stored || id === undefined) return undefined;
    return { ...stored, botToken: this.cipher.open(stored.botToken, id) };
  }

  async delete(key: InstallationKey): Promise<void> {
    const id = installationIdOf(key);
    if (id === undefined || !has(this.file.data.installations, id)) return;
    await this.file.commit({ t: 'delete', id });
    // Its token leaves the journal too.
    await this.file.compact();
  }

  async noteWorkspace(enterpriseId: string, teamId: string): Promise<void> {
    const installation = has(this.file.data.installations, enterpriseId);
    if (!installation?.isEnterpriseInstall || installation.workspaces?.includes(teamId)) return;
    await this.file.commit({ t: 'workspace', id: enterpriseId, teamId });
  }

  async claimState(key: string, expiresAt: Date): Promise<boolean> {
    const now = Date.now();
    const used = this.file.data.usedStates;
    const until = used && has(used, key);
    if (until !== undefined && until >= now) return false;
    // Applied in memory at once, so a second claim of the same key in this process sees it.
    await this.file.commit({ t: 'state', key, until: expiresAt.getTime(), at: now });
    return true;
  }

  async flush(): Promise<void> {
    await this.file.flush();
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  writeProblem(): string | undefined {
    return this.file.writeProblem;
  }
}
