-- 0005_pipeline: products, competitors, the configurable stages, leads,
-- opportunities with their lines, stage history and competitors, tenders
-- with milestones, checklist and bids, and large-equipment projects.

CREATE TABLE products (
	id INTEGER PRIMARY KEY,
	product_line_code TEXT NOT NULL,
	name TEXT NOT NULL,
	spec TEXT NOT NULL DEFAULT '',
	registration_no TEXT NOT NULL DEFAULT '',
	registration_expiry TEXT,
	device_class TEXT NOT NULL DEFAULT 'II' CHECK (device_class IN ('I', 'II', 'III')),
	list_price_fen INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (name, spec)
);

CREATE TABLE competitors (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	origin TEXT NOT NULL DEFAULT 'domestic' CHECK (origin IN ('domestic', 'multinational')),
	notes TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE pipeline_stages (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	position INTEGER NOT NULL,
	probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
	is_won INTEGER NOT NULL DEFAULT 0,
	is_lost INTEGER NOT NULL DEFAULT 0,
	requires TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1,
	version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO pipeline_stages (code, name_zh, name_en, position, probability, is_won, is_lost, requires) VALUES
	('LEAD_CONFIRMED', '线索确认', 'Lead confirmed', 1, 10, 0, 0, 'expected_close_date'),
	('NEED_CONFIRMED', '需求确认', 'Need confirmed', 2, 20, 0, 0, 'expected_close_date,department'),
	('SOLUTION', '方案/演示', 'Solution / demo', 3, 35, 0, 0, 'amount,lines'),
	('APPROVAL', '院内论证/立项', 'Internal review / approval', 4, 50, 0, 0, 'amount,lines'),
	('TENDER', '招标/采购', 'Tender / procurement', 5, 65, 0, 0, 'amount,lines,competitors'),
	('NEGOTIATION', '商务谈判', 'Commercial negotiation', 6, 80, 0, 0, 'amount,lines'),
	('WON', '赢单', 'Won', 7, 100, 1, 0, 'amount,lines'),
	('LOST', '输单', 'Lost', 8, 0, 0, 1, 'lost_reason,won_competitor');

CREATE TABLE leads (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL CHECK (source IN ('academic_meeting', 'exhibition', 'inbound',
		'tender_notice', 'referral', 'colleague', 'other')),
	source_detail TEXT NOT NULL DEFAULT '',
	institution_id INTEGER REFERENCES institutions (id),
	new_institution_name TEXT NOT NULL DEFAULT '',
	department_id INTEGER REFERENCES departments (id),
	contact_id INTEGER REFERENCES contacts (id),
	contact_name TEXT NOT NULL DEFAULT '',
	product_line_code TEXT,
	need TEXT NOT NULL DEFAULT '',
	estimated_value_fen INTEGER,
	owner_id INTEGER NOT NULL REFERENCES users (id),
	status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'qualifying', 'qualified',
		'rejected', 'converted')),
	checklist_json TEXT NOT NULL DEFAULT '{}',
	reject_reason TEXT NOT NULL DEFAULT '',
	opportunity_id INTEGER,
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX leads_owner ON leads (owner_id, status);
CREATE INDEX leads_created ON leads (created_at);

CREATE TABLE opportunities (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	department_id INTEGER REFERENCES departments (id),
	owner_id INTEGER NOT NULL REFERENCES users (id),
	product_line_code TEXT,
	amount_fen INTEGER NOT NULL DEFAULT 0,
	expected_close_date TEXT NOT NULL,
	stage_code TEXT NOT NULL REFERENCES pipeline_stages (code),
	stage_entered_at INTEGER NOT NULL,
	probability INTEGER NOT NULL DEFAULT 0,
	lead_id INTEGER REFERENCES leads (id),
	source TEXT NOT NULL DEFAULT '',
	lost_reason TEXT NOT NULL DEFAULT '',
	won_competitor_id INTEGER REFERENCES competitors (id),
	closed_on TEXT,
	is_project INTEGER NOT NULL DEFAULT 0,
	project_owner_id INTEGER REFERENCES users (id),
	last_activity_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX opportunities_owner ON opportunities (owner_id, stage_code);
CREATE INDEX opportunities_institution ON opportunities (institution_id);
CREATE INDEX opportunities_close ON opportunities (expected_close_date);

CREATE TABLE opportunity_lines (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
	product_id INTEGER NOT NULL REFERENCES products (id),
	quantity INTEGER NOT NULL CHECK (quantity > 0),
	unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0)
);
CREATE INDEX opportunity_lines_opp ON opportunity_lines (opportunity_id);

-- Every stage entry, with when it was left and where to, so that the funnel
-- (entries, conversions, time in stage) is one pass over this table. The
-- cut columns are copied from the opportunity at the time of the change.
CREATE TABLE stage_history (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
	stage_code TEXT NOT NULL,
	position INTEGER NOT NULL,
	entered_at INTEGER NOT NULL,
	entered_on TEXT NOT NULL,
	left_at INTEGER,
	next_position INTEGER,
	amount_fen INTEGER NOT NULL,
	owner_id INTEGER NOT NULL,
	product_line_code TEXT,
	user_id INTEGER NOT NULL
);
CREATE INDEX stage_history_entered ON stage_history (entered_on, stage_code);
CREATE INDEX stage_history_opp ON stage_history (opportunity_id, id);
CREATE INDEX stage_history_owner ON stage_history (owner_id, entered_on);

CREATE TABLE opportunity_competitors (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
	competitor_id INTEGER NOT NULL REFERENCES competitors (id),
	position TEXT NOT NULL DEFAULT 'unknown' CHECK (position IN ('leading', 'strong', 'even',
		'weak', 'unknown')),
	notes TEXT NOT NULL DEFAULT '',
	UNIQUE (opportunity_id, competitor_id)
);

CREATE TABLE tenders (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER REFERENCES opportunities (id),
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	owner_id INTEGER NOT NULL REFERENCES users (id),
	project_name TEXT NOT NULL,
	project_no TEXT NOT NULL DEFAULT '',
	budget_fen INTEGER NOT NULL DEFAULT 0,
	method TEXT NOT NULL CHECK (method IN ('open', 'invited', 'negotiation', 'consultation',
		'single_source', 'rfq')),
	agency TEXT NOT NULL DEFAULT '',
	intent_notice TEXT,
	announcement TEXT,
	doc_from TEXT,
	doc_to TEXT,
	clarification TEXT,
	bid_deadline TEXT,
	opening TEXT,
	evaluation TEXT,
	award_notice TEXT,
	challenge_deadline TEXT,
	contract_deadline TEXT,
	next_deadline TEXT,
	next_milestone TEXT,
	our_price_fen INTEGER,
	bid_bond_fen INTEGER,
	result TEXT NOT NULL DEFAULT 'pending' CHECK (result IN ('pending', 'won', 'lost',
		'cancelled', 'failed')),
	winning_price_fen INTEGER,
	winner TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tenders_owner ON tenders (owner_id, result);
CREATE INDEX tenders_next ON tenders (next_deadline);
CREATE INDEX tenders_opp ON tenders (opportunity_id);

CREATE TABLE tender_checklist (
	id INTEGER PRIMARY KEY,
	tender_id INTEGER NOT NULL REFERENCES tenders (id),
	item TEXT NOT NULL,
	owner_id INTEGER REFERENCES users (id),
	due_date TEXT,
	status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'not_needed')),
	notes TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tender_checklist_tender ON tender_checklist (tender_id);

CREATE TABLE tender_bids (
	id INTEGER PRIMARY KEY,
	tender_id INTEGER NOT NULL REFERENCES tenders (id),
	competitor_id INTEGER REFERENCES competitors (id),
	bidder TEXT NOT NULL,
	is_us INTEGER NOT NULL DEFAULT 0,
	price_fen INTEGER,
	tech_score REAL,
	commercial_score REAL,
	price_score REAL,
	total_score REAL,
	rank INTEGER
);
CREATE INDEX tender_bids_tender ON tender_bids (tender_id);

CREATE TABLE project_team (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL CHECK (role IN ('sales', 'product_specialist', 'technical', 'service',
		'tender_specialist', 'manager')),
	UNIQUE (opportunity_id, user_id, role)
);

CREATE TABLE buying_center (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
	contact_id INTEGER NOT NULL REFERENCES contacts (id),
	decision_role TEXT NOT NULL,
	influence INTEGER NOT NULL CHECK (influence BETWEEN 1 AND 5),
	stance TEXT NOT NULL CHECK (stance IN ('supporter', 'neutral', 'opponent')),
	relationship_owner_id INTEGER REFERENCES users (id),
	last_contact TEXT,
	notes TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (opportunity_id, contact_id)
);

CREATE TABLE project_tasks (
	id INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
	milestone TEXT NOT NULL CHECK (milestone IN ('needs', 'tender', 'contract', 'delivery',
		'installation', 'acceptance', 'payment')),
	title TEXT NOT NULL,
	owner_id INTEGER REFERENCES users (id),
	due_date TEXT,
	status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'blocked')),
	done_on TEXT,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX project_tasks_opp ON project_tasks (opportunity_id, due_date);
