-- Up Migration

-- A task likely to be late (issue 19): the latest forecast of the case's work as the case
-- recorded it (`GapPredicted`), `{ "probability", "basis", "observations", "medianDays",
-- "predictedAt" }`; NULL when no prediction stands. The inbox shows it, and the forecast
-- refresh reads it back to see which cases' predictions to look at again.
ALTER TABLE tasks ADD COLUMN likely_late jsonb;

-- Down Migration
ALTER TABLE tasks DROP COLUMN likely_late;
