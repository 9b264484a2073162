-- Usage history per key and UTC minute (API.md §10). Counts only ever grow: each shipment adds once, by batch id.
CREATE TABLE latchkey_usage_minute (
    key_id        text        NOT NULL,
    tenant_id     text        NOT NULL,
    minute        timestamptz NOT NULL,
    valid         bigint      NOT NULL DEFAULT 0,
    denied        bigint      NOT NULL DEFAULT 0,
    rate_limited  bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, minute)
);
CREATE INDEX latchkey_usage_minute_tenant ON latchkey_usage_minute (tenant_id, minute);
-- Shipments already applied, so that one replayed after a lost answer adds nothing (kept 7 days).
CREATE TABLE latchkey_usage_batch (
    batch_id   text        NOT NULL,
    key_id     text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, key_id)
);
