-- 0013_holidays.sql: the holiday calendar the tender clock counts working
-- days with (docs/pipeline.md). One row per day that is not what its weekday
-- says: a public holiday ('holiday', also on a weekend inside a holiday run)
-- or a make-up working day on a weekend ('workday', 调休). holiday_years says
-- where each year's arrangement comes from and whether it is final; the
-- administrator edits both (PUT /api/v1/settings/holidays?year=).
--
-- 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), as published.
-- 2027: not yet published when this was written: only the statutory days of
-- 全国年节及纪念日放假办法 (2024 revision: 元旦 1, 春节 4 from 除夕, 清明 1,
-- 劳动节 2, 端午 1, 中秋 1, 国庆 3), lunar dates from the calendar; no bridge
-- days and no make-up working days. Marked provisional until the
-- administrator enters the State Council's arrangement.

CREATE TABLE holiday_years (
	year INTEGER PRIMARY KEY,
	provisional INTEGER NOT NULL DEFAULT 0,
	source TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE holiday (
	date TEXT PRIMARY KEY,
	year INTEGER NOT NULL REFERENCES holiday_years (year),
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL
);
CREATE INDEX holiday_year ON holiday (year);

INSERT INTO holiday_years (year, provisional, source) VALUES
	(2026, 0, '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）'),
	(2027, 1, '全国年节及纪念日放假办法（2024年修订）规定的法定假日；国务院办公厅2027年放假调休安排公布后由管理员补全');

INSERT INTO holiday (date, year, kind, name) VALUES
	('2026-01-01', 2026, 'holiday', '元旦'),
	('2026-01-02', 2026, 'holiday', '元旦'),
	('2026-01-03', 2026, 'holiday', '元旦'),
	('2026-01-04', 2026, 'workday', '元旦调休上班'),
	('2026-02-14', 2026, 'workday', '春节调休上班'),
	('2026-02-15', 2026, 'holiday', '春节'),
	('2026-02-16', 2026, 'holiday', '春节'),
	('2026-02-17', 2026, 'holiday', '春节'),
	('2026-02-18', 2026, 'holiday', '春节'),
	('2026-02-19', 2026, 'holiday', '春节'),
	('2026-02-20', 2026, 'holiday', '春节'),
	('2026-02-21', 2026, 'holiday', '春节'),
	('2026-02-22', 2026, 'holiday', '春节'),
	('2026-02-23', 2026, 'holiday', '春节'),
	('2026-02-28', 2026, 'workday', '春节调休上班'),
	('2026-04-04', 2026, 'holiday', '清明节'),
	('2026-04-05', 2026, 'holiday', '清明节'),
	('2026-04-06', 2026, 'holiday', '清明节'),
	('2026-05-01', 2026, 'holiday', '劳动节'),
	('2026-05-02', 2026, 'holiday', '劳动节'),
	('2026-05-03', 2026, 'holiday', '劳动节'),
	('2026-05-04', 2026, 'holiday', '劳动节'),
	('2026-05-05', 2026, 'holiday', '劳动节'),
	('2026-05-09', 2026, 'workday', '劳动节调休上班'),
	('2026-06-19', 2026, 'holiday', '端午节'),
	('2026-06-20', 2026, 'holiday', '端午节'),
	('2026-06-21', 2026, 'holiday', '端午节'),
	('2026-09-20', 2026, 'workday', '国庆节调休上班'),
	('2026-09-25', 2026, 'holiday', '中秋节'),
	('2026-09-26', 2026, 'holiday', '中秋节'),
	('2026-09-27', 2026, 'holiday', '中秋节'),
	('2026-10-01', 2026, 'holiday', '国庆节'),
	('2026-10-02', 2026, 'holiday', '国庆节'),
	('2026-10-03', 2026, 'holiday', '国庆节'),
	('2026-10-04', 2026, 'holiday', '国庆节'),
	('2026-10-05', 2026, 'holiday', '国庆节'),
	('2026-10-06', 2026, 'holiday', '国庆节'),
	('2026-10-07', 2026, 'holiday', '国庆节'),
	('2026-10-10', 2026, 'workday', '国庆节调休上班'),
	('2027-01-01', 2027, 'holiday', '元旦'),
	('2027-02-05', 2027, 'holiday', '春节'),
	('2027-02-06', 2027, 'holiday', '春节'),
	('2027-02-07', 2027, 'holiday', '春节'),
	('2027-02-08', 2027, 'holiday', '春节'),
	('2027-04-05', 2027, 'holiday', '清明节'),
	('2027-05-01', 2027, 'holiday', '劳动节'),
	('2027-05-02', 2027, 'holiday', '劳动节'),
	('2027-06-09', 2027, 'holiday', '端午节'),
	('2027-09-15', 2027, 'holiday', '中秋节'),
	('2027-10-01', 2027, 'holiday', '国庆节'),
	('2027-10-02', 2027, 'holiday', '国庆节'),
	('2027-10-03', 2027, 'holiday', '国庆节');
