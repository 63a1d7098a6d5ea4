-- Up Migration

-- Where an agency wants its alerts, reminders and digests: one row per channel (a webhook URL
-- or an e-mail address). The channel id is derived from (agency, kind, target), so a channel
-- that is PUT again keeps its id and the deliveries still pending for it.
-- A webhook's secret signs its deliveries (HMAC), so it is kept as given; the API never returns it.
CREATE TABLE subscription_channels (
  channel_id text PRIMARY KEY,
  agency_id  text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('webhook', 'email')),
  target     text NOT NULL,
  secret     text,
  levels     int[] NOT NULL,
  reminders  boolean NOT NULL,
  digest     boolean NOT NULL,
  position   int NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, kind, target),
  CHECK (kind <> 'webhook' OR secret IS NOT NULL)
);

-- One row per notification × channel (and per digest run × channel): what was sent, and how
-- each attempt went. The id is the X-Glappfri-Delivery-Id receivers deduplicate on. Never holds
-- a secret, a client's name or a personal identity number.
CREATE TABLE deliveries (
  delivery_id     text PRIMARY KEY,
  channel_id      text NOT NULL,
  agency_id       text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('webhook', 'email')),
  event_type      text NOT NULL CHECK (event_type IN ('alert', 'reminder', 'digest')),
  subject         text NOT NULL,
  case_id         text,
  payload         json NOT NULL, -- json, not jsonb: the webhook body keeps its key order
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts        int NOT NULL DEFAULT 0,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  delivered_at    timestamptz
);
CREATE INDEX deliveries_agency ON deliveries (agency_id, created_at DESC);
CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE status = 'pending';

-- Down Migration
DROP TABLE deliveries, subscription_channels;
