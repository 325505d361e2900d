-- One value per (area, year, indicator, dims): reviewed (accepted, corrected, manual) over unreviewed,
-- reported over derived, whole-year over partial or cumulative, the later-published document over the
-- earlier. Rejected facts are never a value; `status` says which are unreviewed (extracted), and a
-- corrected fact holds its new value. Narrower-scope facts (one campaign, season, sub-unit) are kept in
-- `facts` for audit but are never an area's value, so they are not here.
--
-- A table, not a view: every build (etl/load.py, DatabaseBuild.commit) runs this statement again on its
-- final facts, before the new file is swapped in, so the dashboard does not run the window in every
-- query. Rows are stored by indicator, area and year, the dashboard's filters, so DuckDB's per-row-group
-- min/max lets a query skip the rest.
CREATE OR REPLACE TABLE indicator_values AS
SELECT * EXCLUDE (rn) FROM (
    SELECT f.*, d.published, d.title, d.doc_type, d.file_name,
           row_number() OVER (
               PARTITION BY f.area_code, f.year, f.indicator, f.level, f.field, f.kind, f.role
               ORDER BY (f.status = 'extracted'), f.derived, (f.period <> 'year'),
                        d.published DESC NULLS LAST, f.doc_id, f.start
           ) AS rn
    FROM facts f JOIN documents d ON d.id = f.doc_id
    WHERE f.scope = 'area' AND f.status <> 'rejected'
) WHERE rn = 1
ORDER BY indicator, area_code, year, level, field, kind, role;
