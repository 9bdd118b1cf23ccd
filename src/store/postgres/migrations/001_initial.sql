-- 001: the Q&A log, handled events and questionnaires (issue 14: several replicas on one database).
-- Every table about people carries team_id, so a workspace's data can be deleted by team.

-- The Q&A log: answers given (at most QA_LOG_LIMITS.answers, the oldest dropped by seq) and their votes.
CREATE TABLE qa_answers (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  team_id text NOT NULL,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  question text NOT NULL,
  entry_ids text[] NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX qa_answers_person ON qa_answers (team_id, user_id);

-- One vote per person per answer; a vote again replaces it (and its reason).
CREATE TABLE qa_votes (
  answer_id text NOT NULL REFERENCES qa_answers (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  vote text NOT NULL,
  reason text,
  at timestamptz NOT NULL,
  PRIMARY KEY (answer_id, user_id)
);
CREATE INDEX qa_votes_user ON qa_votes (user_id);

-- Questions the knowledge could not answer (at most QA_LOG_LIMITS.unanswered, the oldest dropped).
CREATE TABLE qa_unanswered (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  question text NOT NULL,
  closest_ids text[] NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX qa_unanswered_person ON qa_unanswered (team_id, user_id);

-- Slack events already handled: claimed with INSERT … ON CONFLICT DO NOTHING, so one replica answers each.
CREATE TABLE handled_events (
  event_id text PRIMARY KEY,
  claimed_at timestamptz NOT NULL
);
CREATE INDEX handled_events_claimed_at ON handled_events (claimed_at);

-- A person's questionnaire in progress (the session as the advisor's schema has it); version counts its saves.
CREATE TABLE questionnaire_sessions (
  person_key text PRIMARY KEY,
  team_id text NOT NULL,
  session jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questionnaire_sessions_team ON questionnaire_sessions (team_id);

-- Past results, oldest first by seq (at most QUESTIONNAIRE_STORE_LIMITS.resultsPerUser per person).
CREATE TABLE questionnaire_results (
  person_key text NOT NULL,
  id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  team_id text NOT NULL,
  result jsonb NOT NULL,
  PRIMARY KEY (person_key, id)
);
CREATE INDEX questionnaire_results_person_seq ON questionnaire_results (person_key, seq);
CREATE INDEX questionnaire_results_team ON questionnaire_results (team_id);
