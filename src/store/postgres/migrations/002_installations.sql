-- 002: OAuth installations (issue 14): one row per install, keyed by the organisation for org-wide installs,
-- else the workspace. The bot token is sealed (AES-256-GCM) when TOKEN_ENCRYPTION_KEY is set.
CREATE TABLE slack_installations (
  id text PRIMARY KEY,
  installation jsonb NOT NULL,
  installed_at timestamptz NOT NULL
);
