-- Up Migration

-- The client's identity, kept apart from the event log and from Temporal so it can be
-- corrected or erased without rewriting history. The log and the workflow know only the case id.
CREATE TABLE client_identities (
  case_id                  text PRIMARY KEY,
  name                     text NOT NULL,
  personal_identity_number text,
  created_at               timestamptz NOT NULL DEFAULT now()
);

-- Read models: all rebuilt from the log by the projector, all written in the append's transaction.
CREATE TABLE case_states (
  case_id    text PRIMARY KEY,
  version    int NOT NULL,
  state      jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE case_summaries (
  case_id               text PRIMARY KEY,
  version               int NOT NULL,
  phase                 text NOT NULL,
  measure               text,
  municipality          text NOT NULL,
  risk_level            text NOT NULL,
  coordinator_agency_id text NOT NULL,
  consent_agency_ids    text[] NOT NULL,
  admitted_at           timestamptz NOT NULL,
  expected_release_at   timestamptz,
  released_at           timestamptz,
  closed_at             timestamptz,
  open_gap_count        int NOT NULL,
  meeting_count         int NOT NULL,
  policy_id             text NOT NULL,
  opened_at             timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL
);
CREATE INDEX case_summaries_phase ON case_summaries (phase, expected_release_at);

-- One row per intervention or follow-up: an agency's inbox is `WHERE agency_id = $1`.
CREATE TABLE tasks (
  task_id         text PRIMARY KEY,
  case_id         text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('intervention', 'follow_up')),
  intervention_id text,
  follow_up_id    text,
  agency_id       text,
  area            text,
  title           text NOT NULL,
  required        boolean NOT NULL,
  due_at          timestamptz,
  status          text NOT NULL,
  created_at      timestamptz NOT NULL,
  assigned_at     timestamptz,
  completed_at    timestamptz
);
CREATE INDEX tasks_inbox ON tasks (agency_id, status, due_at);
CREATE INDEX tasks_case ON tasks (case_id);

CREATE TABLE case_gaps (
  case_id         text NOT NULL,
  kind            text NOT NULL,
  subject         text NOT NULL,
  agency_id       text,
  area            text,
  since           timestamptz NOT NULL,
  PRIMARY KEY (case_id, kind, subject)
);

CREATE TABLE alerts (
  alert_id        text PRIMARY KEY,
  case_id         text NOT NULL,
  kind            text NOT NULL,
  level           int NOT NULL,
  agency_id       text NOT NULL,
  intervention_id text,
  follow_up_id    text,
  since           timestamptz NOT NULL,
  raised_at       timestamptz NOT NULL,
  status          text NOT NULL,
  acknowledged_at timestamptz,
  resolved_at     timestamptz,
  message         text NOT NULL
);
CREATE INDEX alerts_addressee ON alerts (agency_id, status, raised_at DESC);
CREATE INDEX alerts_case ON alerts (case_id);

-- Every change of an alert, in order: the stream's resumable feed (Last-Event-ID = seq).
CREATE TABLE alert_changes (
  seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id  text NOT NULL,
  agency_id text NOT NULL,
  status    text NOT NULL,
  at        timestamptz NOT NULL
);
CREATE INDEX alert_changes_agency ON alert_changes (agency_id, seq);

CREATE TABLE reminders (
  reminder_id     text NOT NULL,
  case_id         text NOT NULL,
  intervention_id text NOT NULL,
  agency_id       text NOT NULL,
  due_at          timestamptz NOT NULL,
  sent_at         timestamptz NOT NULL,
  PRIMARY KEY (case_id, reminder_id)
);

-- How far the projector has read the log (for rebuilds and the live-vs-rebuilt check).
CREATE TABLE projection_checkpoints (
  name     text PRIMARY KEY,
  position bigint NOT NULL
);

-- Administration: the agency directory and versioned policies.
CREATE TABLE agencies (
  agency_id      text PRIMARY KEY,
  type           text NOT NULL,
  name           text NOT NULL,
  municipalities text[] NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policies (
  policy_id  text NOT NULL,
  version    int NOT NULL,
  body       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, version)
);

-- Down Migration
DROP TABLE policies, agencies, projection_checkpoints, reminders, alert_changes, alerts, case_gaps,
  tasks, case_summaries, case_states, client_identities;
