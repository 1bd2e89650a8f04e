-- Each signed delivery-webhook request is applied once: its signature is remembered for as long
-- as its timestamp is accepted (five minutes), so a captured request replayed later changes nothing.
CREATE TABLE webhook_deliveries (
    signature   TEXT PRIMARY KEY,
    received_at BIGINT  NOT NULL
);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
