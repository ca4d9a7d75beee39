-- 0001: the first schema.
--
-- Why: opal-jira must always know which access may exist. `requests` records each grant
-- before its command runs and keeps every request afterwards; `resources` holds the
-- commands that grant and revoke; `audit_events` is the append-only history behind
-- `opal-jira log`.
--
-- Kept portable on purpose, since a PostgreSQL store is planned: times are RFC 3339 UTC
-- text of fixed width ('2026-12-03T17:00:00Z'), so text order is time order; the
-- enumerations are lower-case text with CHECK constraints; no column name is an SQL
-- keyword (hence `grant_command`, not `grant`). Only `INTEGER PRIMARY KEY` is
-- SQLite's spelling of an identity column.

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    grant_command TEXT,
    revoke_command TEXT NOT NULL,
    max_expire_secs INTEGER CHECK (max_expire_secs > 0),
    timeout_secs INTEGER NOT NULL DEFAULT 60 CHECK (timeout_secs > 0),
    created_at TEXT NOT NULL
);

-- A request names its resource instead of referencing the row: the history has to
-- outlive a removed resource. The store refuses to remove a resource while requests on
-- it are active, so an active request always finds its revoke command.
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    resource TEXT NOT NULL,
    requester TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'failed')),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    ticket_id TEXT,
    ticket_key TEXT,
    ticket_url TEXT,
    revoked_at TEXT,
    revoke_reason TEXT
        CHECK (revoke_reason IN ('expired', 'ticket_closed', 'ticket_deleted', 'manual')),
    error TEXT,
    -- The process running this request's revoke command right now, if any: at most one
    -- process holds a claim, so a request is never revoked twice at once.
    claim_host TEXT,
    claim_pid INTEGER,
    claimed_at TEXT,
    CHECK ((ticket_id IS NULL AND ticket_key IS NULL AND ticket_url IS NULL)
        OR (ticket_id IS NOT NULL AND ticket_key IS NOT NULL AND ticket_url IS NOT NULL)),
    -- Access with neither an expiry nor a ticket would never end.
    CHECK (expires_at IS NOT NULL OR ticket_id IS NOT NULL),
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND revoke_reason IS NOT NULL))
);

-- Reconcile and `requests list` read the active requests; history grows without bound,
-- so each lookup they make has an index (sized with 100 000 requests in mind).
CREATE INDEX requests_by_status ON requests (status, created_at);
CREATE INDEX requests_by_created ON requests (created_at);
CREATE INDEX requests_active_by_expiry ON requests (expires_at) WHERE status = 'active';
CREATE INDEX requests_by_ticket_id ON requests (ticket_id);
CREATE INDEX requests_by_ticket_key ON requests (ticket_key);
CREATE INDEX requests_by_resource ON requests (resource, status, created_at);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    request_id INTEGER REFERENCES requests (id),
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    message TEXT NOT NULL,
    -- A JSON object.
    detail TEXT NOT NULL
);

CREATE INDEX audit_events_by_request ON audit_events (request_id);
CREATE INDEX audit_events_by_at ON audit_events (at);
