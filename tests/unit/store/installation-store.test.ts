import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Installation } from '@slack/bolt';
import slackOAuth from '@slack/oauth';
import {
  boltInstallationStore,
  OnceOnlyStateStore,
  storedInstallationOf,
} from '../../../src/slack-installations.js';
import { InstallationFile, type StoredInstallation } from '../../../src/store/installation-store.js';
import { journalPathFor } from '../../../src/store/journal-file.js';
import { TokenCipher, TokenKeyError, tokenKeyOf } from '../../../src/store/token-cipher.js';
import { storeLogger, tempDataFolder } from '../../helpers/store-logger.js';

const temp = tempDataFolder('pm-advisor-installations-');
const KEY = Buffer.alloc(32, 7).toString('base64');

async function openStore(tokenEncryptionKey?: string) {
  const { logger, errors } = storeLogger();
  const store = await InstallationFile.open(InstallationFile.fileFor(temp.dataFile), logger, {
    tokenEncryptionKey,
  });
  temp.track(store);
  return { store, errors };
}

const workspaceInstall = (overrides: Partial<StoredInstallation> = {}): StoredInstallation => ({
  teamId: 'T0TEAM0001',
  isEnterpriseInstall: false,
  botToken: 'xoxb-1111-secret-token-aaaa',
  botId: 'B0BOT00001',
  botUserId: 'U0BOT00001',
  scopes: ['commands', 'chat:write'],
  installerUserId: 'U0ADMIN001',
  installedAt: '2025-03-01T09:00:00.000Z',
  ...overrides,
});

const orgInstall = (): StoredInstallation => ({
  enterpriseId: 'E0ORG00001',
  isEnterpriseInstall: true,
  botToken: 'xoxb-2222-org-token-bbbb',
  botId: 'B0BOT00002',
  botUserId: 'U0BOT00002',
  scopes: ['commands'],
  installedAt: '2025-03-01T09:00:00.000Z',
});

async function onDisk(store: InstallationFile): Promise<string> {
  await store.flush();
  const read = (file: string) => readFile(file, 'utf8').catch(() => '');
  return `${await read(store.filePath)}${await read(journalPathFor(store.filePath))}`;
}

describe('InstallationFile', () => {
  it('lives beside the data file', () => {
    expect(InstallationFile.fileFor('/srv/data/db.json')).toBe('/srv/data/db.installations.json');
  });

  it('stores, finds and deletes workspace installs by team id, and keeps them across a restart', async () => {
    const { store } = await openStore();
    await store.save(workspaceInstall());
    await store.save(workspaceInstall({ teamId: 'T0TEAM0002', botToken: 'xoxb-other' }));
    expect(await store.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false })).toEqual(
      workspaceInstall(),
    );
    await store.delete({ teamId: 'T0TEAM0002', isEnterpriseInstall: false });
    await store.close();
    const reopened = (await openStore()).store;
    expect(await reopened.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false })).toEqual(
      workspaceInstall(),
    );
    expect(await reopened.find({ teamId: 'T0TEAM0002', isEnterpriseInstall: false })).toBeUndefined();
    expect(await onDisk(reopened)).not.toContain('xoxb-other');
  });

  it('keys an org-wide install by enterprise id, and a workspace install inside an org by team id', async () => {
    const { store } = await openStore();
    await store.save(orgInstall());
    await store.save(workspaceInstall({ enterpriseId: 'E0ORG00009' }));
    expect(
      (await store.find({ enterpriseId: 'E0ORG00001', teamId: 'T0ANY', isEnterpriseInstall: true }))
        ?.botToken,
    ).toBe('xoxb-2222-org-token-bbbb');
    expect(
      (await store.find({ enterpriseId: 'E0ORG00009', teamId: 'T0TEAM0001', isEnterpriseInstall: false }))
        ?.botToken,
    ).toBe('xoxb-1111-secret-token-aaaa');
    expect(await store.find({ enterpriseId: 'E0ORG00009', isEnterpriseInstall: true })).toBeUndefined();
  });

  it('with TOKEN_ENCRYPTION_KEY: no token on disk, and reopening with the key opens them', async () => {
    const { store } = await openStore(KEY);
    await store.save(workspaceInstall());
    const text = await onDisk(store);
    expect(text).toContain('T0TEAM0001');
    expect(text).not.toContain('secret-token');
    await store.close();
    const reopened = (await openStore(KEY)).store;
    expect((await reopened.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false }))?.botToken).toBe(
      'xoxb-1111-secret-token-aaaa',
    );
  });

  it('seals the tokens stored in the clear once a key is set', async () => {
    const plain = (await openStore()).store;
    await plain.save(workspaceInstall());
    expect(await onDisk(plain)).toContain('secret-token');
    await plain.close();
    const sealed = (await openStore(KEY)).store;
    expect(await onDisk(sealed)).not.toContain('secret-token');
    expect((await sealed.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false }))?.botToken).toBe(
      'xoxb-1111-secret-token-aaaa',
    );
  });

  it('a wrong or missing key: opens anyway, says so once, and finding that install fails with a clear error', async () => {
    const { store } = await openStore(KEY);
    await store.save(workspaceInstall());
    await store.close();
    for (const key of [Buffer.alloc(32, 9).toString('hex'), undefined]) {
      const { store: wrong, errors } = await openStore(key);
      expect(wrong.keyProblem).toMatch(/TOKEN_ENCRYPTION_KEY .*1 installation\(s\).*T0TEAM0001/);
      expect(errors).toEqual([wrong.keyProblem]);
      await expect(wrong.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false })).rejects.toThrow(
        TokenKeyError,
      );
      await wrong.close();
    }
  });

  it('reads a damaged file as empty, keeping it aside', async () => {
    await mkdir(path.dirname(temp.dataFile), { recursive: true });
    await writeFile(InstallationFile.fileFor(temp.dataFile), '{not json');
    const { store, errors } = await openStore();
    expect(store.size).toBe(0);
    expect(errors.join('\n')).toMatch(/kept untouched/);
  });
});

describe('TokenCipher', () => {
  it('reads a key as 64 hex digits, 32 bytes of base64, or else a passphrase (scrypt)', () => {
    expect(tokenKeyOf('ab'.repeat(32)).from).toBe('hex');
    expect(tokenKeyOf(KEY).from).toBe('base64');
    expect(tokenKeyOf('correct horse battery staple').from).toBe('passphrase');
    expect(tokenKeyOf('correct horse battery staple').key).toHaveLength(32);
  });

  it('binds a sealed token to its installation', () => {
    const cipher = new TokenCipher(KEY);
    const sealed = cipher.seal('xoxb-token', 'T0TEAM0001');
    expect(cipher.open(sealed, 'T0TEAM0001')).toBe('xoxb-token');
    expect(() => cipher.open(sealed, 'T0TEAM0002')).toThrow(TokenKeyError);
  });
});

describe('the @slack/oauth InstallationStore adapter', () => {
  const orgInstallation = {
    team: undefined,
    enterprise: { id: 'E0ORG00001', name: 'Org' },
    user: { id: 'U0ADMIN001', token: undefined, scopes: undefined },
    bot: { token: 'xoxb-org', id: 'B0BOT00002', userId: 'U0BOT00002', scopes: ['commands'] },
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://org.enterprise.slack.com/',
    appId: 'A0APP00001',
    authVersion: 'v2',
  } as Installation<'v2', true>;

  it('stores an org-wide install under the enterprise, and notes the workspaces it serves', async () => {
    const { store } = await openStore();
    const adapter = boltInstallationStore(store, () => new Date('2025-03-01T09:00:00.000Z'));
    await adapter.storeInstallation(orgInstallation);
    const fetched = await adapter.fetchInstallation({
      enterpriseId: 'E0ORG00001',
      teamId: 'T0TEAM0005',
      isEnterpriseInstall: true,
    });
    expect(fetched.bot).toMatchObject({ token: 'xoxb-org', userId: 'U0BOT00002' });
    expect(fetched.enterprise?.id).toBe('E0ORG00001');
    expect((await store.find({ enterpriseId: 'E0ORG00001', isEnterpriseInstall: true }))?.workspaces).toEqual(
      ['T0TEAM0005'],
    );
    await expect(
      adapter.fetchInstallation({
        teamId: 'T0NOTHERE1',
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      }),
    ).rejects.toThrow(/not installed in workspace T0NOTHERE1/);
    await adapter.deleteInstallation?.({
      enterpriseId: 'E0ORG00001',
      teamId: undefined,
      isEnterpriseInstall: true,
    });
    expect(store.size).toBe(0);
  });

  it('keeps no refresh token (token rotation stays off)', () => {
    const stored = storedInstallationOf(
      {
        ...orgInstallation,
        bot: { ...orgInstallation.bot, refreshToken: 'xoxe-1', expiresAt: 1 },
      } as Installation,
      new Date(),
    ) as unknown as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain('xoxe-1');
  });
});

describe('OnceOnlyStateStore', () => {
  it('verifies a state once, refuses it again, and refuses an expired one', async () => {
    const claimed = new Map<string, Date>();
    const states = new OnceOnlyStateStore('state-secret-0123456789abcdef', async (key, expiresAt) => {
      if (claimed.has(key)) return false;
      claimed.set(key, expiresAt);
      return true;
    });
    const state = await states.generateStateParam({ scopes: ['commands'] }, new Date());
    await expect(states.verifyStateParam(new Date(), state)).resolves.toEqual({ scopes: ['commands'] });
    await expect(states.verifyStateParam(new Date(), state)).rejects.toThrow(/already used/);
    const old = await new slackOAuth.ClearStateStore('state-secret-0123456789abcdef').generateStateParam(
      { scopes: [] },
      new Date(Date.now() - 11 * 60 * 1000),
    );
    await expect(states.verifyStateParam(new Date(), old)).rejects.toThrow(/expired/);
    // Only the verified state was claimed, by a hash (the state itself is not stored), until it expires.
    expect([...claimed.keys()]).toEqual([expect.stringMatching(/^[\w-]{43}$/)]);
    expect([...claimed.keys()][0]).not.toContain(state.slice(0, 20));
    expect([...claimed.values()][0]?.getTime()).toBeGreaterThan(Date.now() + 590_000);
  });
});
