import { describe, expect, it } from '@jest/globals';
import { isUnreachable } from '../../../../src/store/postgres/database.js';
import { maskDatabaseUrl } from '../../../../src/store/postgres/database-url.js';

describe('maskDatabaseUrl', () => {
  it('replaces the password, and only the password', () => {
    expect(maskDatabaseUrl('postgres://pm:s3cret@db.internal:5432/pm')).toBe(
      'postgres://pm:***@db.internal:5432/pm',
    );
    expect(maskDatabaseUrl('postgres://pm@db/pm')).toBe('postgres://pm@db/pm');
    expect(maskDatabaseUrl('postgres://db/pm?sslmode=require&password=s3cret')).toBe(
      'postgres://db/pm?sslmode=require&password=***',
    );
  });

  it('masks what looks like a password in a string that is not a URL', () => {
    const masked = maskDatabaseUrl('pm:s3cret@db/pm password=other');
    expect(masked).not.toContain('s3cret');
    expect(masked).not.toContain('other');
  });
});

describe('isUnreachable', () => {
  it('tells a database that cannot be used from one statement failing', () => {
    expect(isUnreachable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnreachable({ code: '57P01' })).toBe(true); // admin shutdown
    expect(isUnreachable({ code: '28P01' })).toBe(true); // wrong password
    expect(isUnreachable({ code: '3D000' })).toBe(true); // no such database
    expect(isUnreachable({ code: '23505' })).toBe(false); // unique violation
    expect(isUnreachable({ code: '22021' })).toBe(false); // bad text
  });
});
