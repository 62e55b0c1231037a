-- Assets(business_id) with a status filter pages by id within one business
-- and one status, without reading the business's other assets.
CREATE INDEX assets_business_id_status_id ON assets (business_id, status, id);
