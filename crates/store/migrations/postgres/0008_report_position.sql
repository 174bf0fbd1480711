-- A new report goes after every other (its position is the greatest plus one): an index makes
-- finding the greatest one step rather than a look through every report of a national instance.
CREATE INDEX report_position ON report (position);
