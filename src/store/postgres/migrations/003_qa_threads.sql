-- 003: threads the app answered in, with the question it last answered there, so a reply in the thread is
-- answered as a follow-up by whichever replica receives it (at most QA_LOG_LIMITS.threads per workspace, the
-- oldest dropped).
CREATE TABLE qa_threads (
  team_id text NOT NULL,
  channel_id text NOT NULL,
  thread_ts text NOT NULL,
  user_id text NOT NULL,
  question text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (team_id, channel_id, thread_ts)
);
CREATE INDEX qa_threads_person ON qa_threads (team_id, user_id);
CREATE INDEX qa_threads_at ON qa_threads (at);
CREATE INDEX qa_threads_team_at ON qa_threads (team_id, at);
