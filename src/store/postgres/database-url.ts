/** DATABASE_URL as it may be shown (logs, /healthz, configuration problems): every password replaced by ***. */
export function maskDatabaseUrl(raw: string): string {
  let shown = raw;
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    if (url.searchParams.has('password')) url.searchParams.set('password', '***');
    shown = url.href;
  } catch {
    // Not a URL: masked below all the same.
  }
  // Whatever parsed (or not) as a URL, never show what may be a password: user:password@ or password=….
  return shown.replace(/:[^:@/\s]*@/g, ':***@').replace(/password=[^&\s]*/gi, 'password=***');
}

/** Why DATABASE_URL cannot be used, or undefined when it is a PostgreSQL URL with a host. */
export function databaseUrlProblem(raw: string): string | undefined {
  const example = 'postgres://user:password@host:5432/database';
  try {
    const url = new URL(raw);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      return `DATABASE_URL must start with postgres:// (got "${maskDatabaseUrl(raw)}"), e.g. ${example}.`;
    if (!url.hostname) return `DATABASE_URL names no host (got "${maskDatabaseUrl(raw)}"), e.g. ${example}.`;
    return undefined;
  } catch {
    return `DATABASE_URL must be a URL such as ${example} (got "${maskDatabaseUrl(raw)}"); percent-encode special characters in the password.`;
  }
}
