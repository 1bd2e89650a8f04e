-- A deleted task is kept for a while so that the rep can undo the delete.
ALTER TABLE tasks ADD COLUMN deleted_at BIGINT;
CREATE INDEX tasks_owner_open_due ON tasks (owner_id, deleted_at, status, due_at);
