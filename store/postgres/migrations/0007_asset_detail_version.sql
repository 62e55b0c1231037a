-- 0007: an asset's detail_version (as store/sqlite's 0011) moves with every
-- change to what GET /v1/assets/{id} shows: the asset's row, a document
-- attached to it or detached, a valuation added. httpapi keeps encoded
-- details by (asset, detail_version) and reads only this column to know
-- whether what it keeps is current, so it moves in the change's own
-- statement, whichever instance makes it: UpdateAsset moves it in its SET,
-- the triggers move it for every other write.
ALTER TABLE assets ADD COLUMN detail_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION assets_detail_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.detail_version = OLD.detail_version THEN
        NEW.detail_version := OLD.detail_version + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER assets_detail_version BEFORE UPDATE ON assets
    FOR EACH ROW EXECUTE FUNCTION assets_detail_version();

-- search_path pinned: the UPDATE names assets in the store's schema.
CREATE FUNCTION asset_detail_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE assets SET detail_version = detail_version + 1 WHERE id = OLD.asset_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.asset_id <> OLD.asset_id) THEN
        UPDATE assets SET detail_version = detail_version + 1 WHERE id = NEW.asset_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER documents_detail_version AFTER INSERT OR UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION asset_detail_changed();

CREATE TRIGGER valuations_detail_version AFTER INSERT OR UPDATE OR DELETE ON valuations
    FOR EACH ROW EXECUTE FUNCTION asset_detail_changed();
