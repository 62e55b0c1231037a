-- An asset's detail_version moves with every change to what GET
-- /v1/assets/{id} shows: the asset's row, a document attached to it or
-- detached, a valuation added. httpapi keeps encoded details by
-- (asset, detail_version) and reads only this column to know whether what
-- it keeps is current; so it must move in the same statement as the
-- change, whichever process makes it. UpdateAsset moves it in its own SET;
-- the triggers move it for every other write, atomically with the write
-- (an UPDATE of assets that moved it itself does not fire the first one).
ALTER TABLE assets ADD COLUMN detail_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER assets_detail_version AFTER UPDATE ON assets
WHEN NEW.detail_version = OLD.detail_version
BEGIN
    UPDATE assets SET detail_version = OLD.detail_version + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER documents_insert_detail_version AFTER INSERT ON documents
BEGIN
    UPDATE assets SET detail_version = detail_version + 1 WHERE id = NEW.asset_id;
END;

CREATE TRIGGER documents_update_detail_version AFTER UPDATE ON documents
BEGIN
    UPDATE assets SET detail_version = detail_version + 1 WHERE id IN (OLD.asset_id, NEW.asset_id);
END;

CREATE TRIGGER documents_delete_detail_version AFTER DELETE ON documents
BEGIN
    UPDATE assets SET detail_version = detail_version + 1 WHERE id = OLD.asset_id;
END;

CREATE TRIGGER valuations_insert_detail_version AFTER INSERT ON valuations
BEGIN
    UPDATE assets SET detail_version = detail_version + 1 WHERE id = NEW.asset_id;
END;

CREATE TRIGGER valuations_update_detail_version AFTER UPDATE ON valuations
BEGIN
    UPDATE assets SET detail_version = detail_version + 1 WHERE id IN (OLD.asset_id, NEW.asset_id);
END;

CREATE TRIGGER valuations_delete_detail_version AFTER DELETE ON valuations
BEGIN
    UPDATE assets SET detail_version = detail_version + 1 WHERE id = OLD.asset_id;
END;
