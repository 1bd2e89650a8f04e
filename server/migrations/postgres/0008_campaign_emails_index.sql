-- A campaign's email count (the campaign list, the picker) counted every email of every rep, once
-- per campaign: 160-430 ms for two campaigns at 1,000,000 emails. One index probe now.
CREATE INDEX emails_campaign ON emails (campaign_id);
