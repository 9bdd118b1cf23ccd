-- 004: OAuth states already used (issue 14), shared by every replica: an install redirect replayed to another
-- replica is refused. A hash of each state, kept until the state would have expired anyway.
CREATE TABLE oauth_states_used (
  state_key text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
