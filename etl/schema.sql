-- The database the ETL writes and the dashboard reads (read-only). This file is the contract
-- between them: column names here are what dashboard/queries.py may use.

CREATE TABLE areas (
    code VARCHAR PRIMARY KEY,      -- 6-digit administrative code: the identity of an area
    name VARCHAR NOT NULL,         -- full name: 深圳市, 鲤城区
    short_name VARCHAR NOT NULL,   -- display name: 深圳, 鲤城
    level VARCHAR NOT NULL,        -- city | county (municipalities are cities here)
    parent_code VARCHAR,           -- the city a county belongs to (or the province)
    province_code VARCHAR NOT NULL,
    province VARCHAR NOT NULL,     -- full province name
    population BIGINT,             -- 2020 census residents; NULL where the census has none
    population_source VARCHAR,     -- census2020_gazette | census2020_tabulation
    pinyin VARCHAR                 -- for search in the dashboard: "shenzhen sz"
);

CREATE TABLE categories (
    id VARCHAR PRIMARY KEY,        -- rescue | reserves | drills | hazards | suggestions | enforcement | plans
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE indicators (
    id VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    category VARCHAR NOT NULL,     -- categories.id
    unit VARCHAR NOT NULL,         -- canonical unit: 支, 人, 万元, %, ...
    unit_en VARCHAR NOT NULL,
    is_rate BOOLEAN NOT NULL,      -- rates are never normalised per capita
    per_capita BOOLEAN NOT NULL,   -- divided by population under "per 10k" (catalog.yaml); never a rate
    definition_zh VARCHAR NOT NULL,
    definition_en VARCHAR NOT NULL,
    higher_is_better BOOLEAN,      -- NULL where neither direction is better
    dims VARCHAR[] NOT NULL,       -- the dims this indicator has, e.g. ['level']
    ratio_of VARCHAR[],            -- [numerator, denominator] ids of a rate derived from two counts; else NULL
    sort_order INTEGER NOT NULL
);

CREATE TABLE dim_values (
    dim VARCHAR NOT NULL,          -- level | field | kind | role
    value VARCHAR NOT NULL,        -- city | county | ... | all
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE documents (
    id VARCHAR PRIMARY KEY,        -- sha256 of the file's bytes
    file_name VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    doc_type VARCHAR,
    published DATE,
    title VARCHAR,
    text VARCHAR NOT NULL,         -- the stored text: every evidence and offset refers to it
    n_facts INTEGER NOT NULL,
    size BIGINT,                   -- the file's size and mtime when it was read: a later run that finds
    mtime_ns BIGINT,               --   the same path with both unchanged need not hash it again
    url VARCHAR,                   -- its original http(s) address, where the manifest or the document states it
    publisher VARCHAR              -- who issued it, as stated (manifest, 来源, signature); NULL, never guessed
);

CREATE TABLE facts (
    doc_id VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    indicator VARCHAR NOT NULL,
    level VARCHAR,                 -- dims as columns; NULL where the indicator has no such dim
    field VARCHAR,
    kind VARCHAR,
    role VARCHAR,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    approx VARCHAR,                -- NULL | more_than | about | nearly
    evidence VARCHAR NOT NULL,     -- exact substring of documents.text
    evidence_start INTEGER,        -- where the evidence starts in documents.text (NULL if derived)
    start INTEGER,                 -- the figure's own span in documents.text
    "end" INTEGER,
    rule VARCHAR NOT NULL,         -- the catalog rule that fired (or derive:<how>)
    flags VARCHAR[] NOT NULL,      -- unit_inferred, rate_mismatch, rectified_gt_found, ...
    period VARCHAR NOT NULL,       -- year | partial | cumulative
    period_note VARCHAR,           -- 截至8月, 2021年以来 ...
    scope VARCHAR NOT NULL,        -- area, or: campaign | season | event | subunit | kind | added | other_area | part | repeat
    derived BOOLEAN NOT NULL,
    -- the review desk (review/store.py; applied by etl/review_apply.py on every build)
    status VARCHAR DEFAULT 'extracted',  -- extracted | accepted | corrected | rejected | manual; never NULL
                                   --   once built (rows copied from an older database are set by the review step)
    review_note VARCHAR,           -- the reviewer's note on the decision
    extracted VARCHAR              -- JSON: the fields as extracted that a correction or override replaced
);

-- Reviewers' decisions that found no fact, document or evidence in this build: shown for re-review,
-- never dropped (the decision stays in the review store and applies again once its evidence is back).
CREATE TABLE review_orphans (
    kind VARCHAR NOT NULL,         -- decision | manual | document
    path VARCHAR NOT NULL,
    doc_id VARCHAR,
    indicator VARCHAR,
    start INTEGER,
    status VARCHAR,                -- the decision's status (accepted | rejected | corrected | manual)
    who VARCHAR NOT NULL,
    "at" VARCHAR NOT NULL,          -- when it was decided (ISO UTC)
    reason VARCHAR NOT NULL,
    decision VARCHAR NOT NULL      -- the whole decision as JSON
);

-- A document's area, year and type as detected, where a reviewer's override replaced them.
CREATE TABLE review_documents (
    id VARCHAR PRIMARY KEY,
    extracted VARCHAR NOT NULL     -- JSON: area_code, year, doc_type as detected
);

CREATE TABLE quarantine (
    file_name VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);

-- indicator_values: one value per (area, year, indicator, dims), the table the dashboard reads. It is
-- built from facts and documents by etl/indicator_values.sql, which holds its definition and columns.
