-- columns
audit_campaign_teams.campaign_id bigint NOT NULL
audit_campaign_teams.no integer NOT NULL
audit_campaign_teams.members text NOT NULL DEFAULT '[]'::text
audit_campaigns.id bigint NOT NULL IDENTITY
audit_campaigns.year integer NOT NULL
audit_campaigns.name text NOT NULL
audit_campaigns.scan_id bigint NOT NULL
audit_campaigns.region_code text NOT NULL
audit_campaigns.state text NOT NULL
audit_campaigns.seed bigint NOT NULL
audit_campaigns.high_share double precision NOT NULL
audit_campaigns.medium_share double precision NOT NULL
audit_campaigns.random_share double precision NOT NULL
audit_campaigns.teams integer NOT NULL DEFAULT 0
audit_campaigns.created_at timestamp with time zone NOT NULL
audit_campaigns.created_by text NOT NULL
audit_campaigns.version bigint NOT NULL DEFAULT 1
audit_clinician_points.id bigint NOT NULL IDENTITY
audit_clinician_points.finding_id bigint NOT NULL
audit_clinician_points.prac_code text NOT NULL
audit_clinician_points.name text NOT NULL
audit_clinician_points.fixmedins_code text NOT NULL
audit_clinician_points.region_code text NOT NULL
audit_clinician_points.tier text NOT NULL
audit_clinician_points.responsibility integer NOT NULL
audit_clinician_points.points integer NOT NULL
audit_clinician_points.created_at timestamp with time zone NOT NULL
audit_clinician_points.created_by text NOT NULL
audit_clinician_points.revoked boolean NOT NULL DEFAULT false
audit_clinician_points.version bigint NOT NULL DEFAULT 1
audit_evidence.id bigint NOT NULL IDENTITY
audit_evidence.campaign_id bigint NOT NULL
audit_evidence.visit_id bigint NOT NULL
audit_evidence.finding_id bigint
audit_evidence.kind text NOT NULL
audit_evidence.title text NOT NULL
audit_evidence.note text NOT NULL DEFAULT ''::text
audit_evidence.sha256 text NOT NULL DEFAULT ''::text
audit_evidence.content_type text NOT NULL DEFAULT ''::text
audit_evidence.size bigint NOT NULL DEFAULT 0
audit_evidence.file_name text NOT NULL DEFAULT ''::text
audit_evidence.region_code text NOT NULL
audit_evidence.created_at timestamp with time zone NOT NULL
audit_evidence.created_by text NOT NULL
audit_extract_files.extract_id bigint NOT NULL
audit_extract_files.name text NOT NULL
audit_extract_files.size bigint NOT NULL
audit_extract_files.gz bytea NOT NULL
audit_extracts.id bigint NOT NULL IDENTITY
audit_extracts.name text NOT NULL
audit_extracts.source text NOT NULL
audit_extracts.year integer NOT NULL
audit_extracts.counts text NOT NULL DEFAULT '{}'::text
audit_extracts.sha256 text NOT NULL
audit_extracts.imported_at timestamp with time zone NOT NULL
audit_extracts.imported_by text NOT NULL
audit_extracts.region_code text NOT NULL
audit_field_findings.id bigint NOT NULL IDENTITY
audit_field_findings.campaign_id bigint NOT NULL
audit_field_findings.visit_id bigint NOT NULL
audit_field_findings.fixmedins_code text NOT NULL
audit_field_findings.region_code text NOT NULL
audit_field_findings.category text NOT NULL
audit_field_findings.finding_type text NOT NULL
audit_field_findings.tier text NOT NULL
audit_field_findings.lead_ids text NOT NULL DEFAULT '[]'::text
audit_field_findings.lines text NOT NULL DEFAULT '[]'::text
audit_field_findings.amount_fen bigint NOT NULL
audit_field_findings.description text NOT NULL DEFAULT ''::text
audit_field_findings.state text NOT NULL DEFAULT 'draft'::text
audit_field_findings.reply_due text NOT NULL DEFAULT ''::text
audit_field_findings.reply text NOT NULL DEFAULT ''::text
audit_field_findings.review_note text NOT NULL DEFAULT ''::text
audit_field_findings.rectify_due text NOT NULL DEFAULT ''::text
audit_field_findings.created_at timestamp with time zone NOT NULL
audit_field_findings.created_by text NOT NULL
audit_field_findings.updated_at timestamp with time zone NOT NULL
audit_field_findings.version bigint NOT NULL DEFAULT 1
audit_findings.id bigint NOT NULL IDENTITY
audit_findings.scan_id bigint NOT NULL
audit_findings.seq integer NOT NULL
audit_findings.rule_id text NOT NULL
audit_findings.rule_version integer NOT NULL
audit_findings.category text NOT NULL
audit_findings.severity text NOT NULL
audit_findings.mdtrt_id text NOT NULL
audit_findings.fixmedins_code text NOT NULL
audit_findings.amount_fen bigint NOT NULL
audit_findings.score double precision NOT NULL
audit_findings.reason text NOT NULL DEFAULT ''::text
audit_findings.lines text NOT NULL DEFAULT '[]'::text
audit_findings.evidence text NOT NULL DEFAULT '[]'::text
audit_findings.params text NOT NULL DEFAULT '{}'::text
audit_findings.region_code text NOT NULL DEFAULT ''::text
audit_findings.review text NOT NULL DEFAULT 'new'::text
audit_findings.review_reason text NOT NULL DEFAULT ''::text
audit_findings.reviewed_by text NOT NULL DEFAULT ''::text
audit_findings.reviewed_at timestamp with time zone
audit_findings.version bigint NOT NULL DEFAULT 1
audit_head.id integer NOT NULL
audit_head.seq bigint NOT NULL
audit_head.hash text NOT NULL
audit_head.mac text NOT NULL DEFAULT ''::text
audit_inspectors.id bigint NOT NULL IDENTITY
audit_inspectors.name text NOT NULL
audit_inspectors.region_code text NOT NULL
audit_inspectors.specialty text NOT NULL
audit_inspectors.former text NOT NULL DEFAULT '[]'::text
audit_inspectors.officer boolean NOT NULL DEFAULT false
audit_inspectors.active boolean NOT NULL DEFAULT true
audit_inspectors.version bigint NOT NULL DEFAULT 1
audit_letters.id bigint NOT NULL IDENTITY
audit_letters.visit_id bigint NOT NULL
audit_letters.campaign_id bigint NOT NULL
audit_letters.kind text NOT NULL
audit_letters.number text NOT NULL
audit_letters.issued_on text NOT NULL
audit_letters.finding_ids text NOT NULL DEFAULT '[]'::text
audit_letters.content text NOT NULL
audit_letters.region_code text NOT NULL
audit_letters.created_at timestamp with time zone NOT NULL
audit_letters.created_by text NOT NULL
audit_log.seq bigint
audit_log.at text NOT NULL
audit_log.actor_id bigint NOT NULL
audit_log.actor text NOT NULL
audit_log.role text NOT NULL
audit_log.region text NOT NULL
audit_log.action text NOT NULL
audit_log.object_type text NOT NULL
audit_log.object_id text NOT NULL
audit_log.before_json text NOT NULL
audit_log.after_json text NOT NULL
audit_log.prev_hash text
audit_log.hash text
audit_log.object_region text NOT NULL DEFAULT ''::text
audit_log.id bigint NOT NULL IDENTITY
audit_log.hash_version smallint NOT NULL DEFAULT 1
audit_log.actor_kind text NOT NULL DEFAULT ''::text
audit_pending.id bigint NOT NULL DEFAULT nextval('audit_log_id_seq'::regclass)
audit_pending.at text NOT NULL
audit_pending.actor_kind text NOT NULL
audit_pending.actor_id bigint NOT NULL
audit_pending.actor text NOT NULL
audit_pending.role text NOT NULL
audit_pending.region text NOT NULL
audit_pending.action text NOT NULL
audit_pending.object_type text NOT NULL
audit_pending.object_id text NOT NULL
audit_pending.object_region text NOT NULL
audit_pending.before_json text NOT NULL
audit_pending.after_json text NOT NULL
audit_recoveries.id bigint NOT NULL IDENTITY
audit_recoveries.finding_id bigint NOT NULL
audit_recoveries.kind text NOT NULL
audit_recoveries.amount_fen bigint NOT NULL
audit_recoveries.recovered_fen bigint NOT NULL DEFAULT 0
audit_recoveries.state text NOT NULL DEFAULT 'open'::text
audit_recoveries.created_at timestamp with time zone NOT NULL
audit_recoveries.created_by text NOT NULL
audit_recoveries.version bigint NOT NULL DEFAULT 1
audit_recovery_offsets.id bigint NOT NULL IDENTITY
audit_recovery_offsets.recovery_id bigint NOT NULL
audit_recovery_offsets.statement_id bigint NOT NULL
audit_recovery_offsets.amount_fen bigint NOT NULL
audit_recovery_offsets.created_at timestamp with time zone NOT NULL
audit_referrals.id bigint NOT NULL IDENTITY
audit_referrals.finding_id bigint NOT NULL
audit_referrals.body text NOT NULL
audit_referrals.doc_no text NOT NULL
audit_referrals.referred_on text NOT NULL
audit_referrals.note text NOT NULL DEFAULT ''::text
audit_referrals.region_code text NOT NULL
audit_referrals.created_at timestamp with time zone NOT NULL
audit_referrals.created_by text NOT NULL
audit_rule_settings.id bigint NOT NULL IDENTITY
audit_rule_settings.rule_id text NOT NULL
audit_rule_settings.region text NOT NULL
audit_rule_settings.valid_from text NOT NULL
audit_rule_settings.enabled boolean NOT NULL DEFAULT true
audit_rule_settings.values text NOT NULL DEFAULT '{}'::text
audit_rule_settings.version integer NOT NULL DEFAULT 1
audit_rule_settings.changed_at timestamp with time zone NOT NULL
audit_rule_settings.changed_by text NOT NULL
audit_sanctions.id bigint NOT NULL IDENTITY
audit_sanctions.fixmedins_code text NOT NULL
audit_sanctions.campaign_id bigint
audit_sanctions.kind text NOT NULL
audit_sanctions.reason text NOT NULL
audit_sanctions.decided_at timestamp with time zone NOT NULL
audit_sanctions.decided_by text NOT NULL
audit_scans.id bigint NOT NULL IDENTITY
audit_scans.extract_id bigint
audit_scans.state text NOT NULL
audit_scans.started_at timestamp with time zone NOT NULL
audit_scans.finished_at timestamp with time zone
audit_scans.started_by text NOT NULL
audit_scans.region_code text NOT NULL
audit_scans.encounters integer NOT NULL DEFAULT 0
audit_scans.lines integer NOT NULL DEFAULT 0
audit_scans.findings integer NOT NULL DEFAULT 0
audit_scans.amount_fen bigint NOT NULL DEFAULT 0
audit_scans.ranking text NOT NULL DEFAULT '[]'::text
audit_scans.progress integer NOT NULL DEFAULT 0
audit_scans.error text NOT NULL DEFAULT ''::text
audit_scans.own_year integer NOT NULL DEFAULT 0
audit_visits.id bigint NOT NULL IDENTITY
audit_visits.campaign_id bigint NOT NULL
audit_visits.fixmedins_code text NOT NULL
audit_visits.region_code text NOT NULL
audit_visits.tier text NOT NULL
audit_visits.score double precision NOT NULL
audit_visits.depth text NOT NULL
audit_visits.random boolean NOT NULL DEFAULT false
audit_visits.team integer NOT NULL DEFAULT 0
audit_visits.state text NOT NULL DEFAULT 'planned'::text
audit_visits.version bigint NOT NULL DEFAULT 1
audit_visits.name text NOT NULL DEFAULT ''::text
case_application_stats.region_code text NOT NULL
case_application_stats.month text NOT NULL
case_application_stats.channel text NOT NULL
case_application_stats.n integer NOT NULL
case_application_stats.uploads integer NOT NULL
case_decision_stats.region_code text NOT NULL
case_decision_stats.month text NOT NULL
case_decision_stats.simple boolean NOT NULL
case_decision_stats.days integer NOT NULL
case_decision_stats.n integer NOT NULL
case_decision_stats.within_legal integer NOT NULL
case_decision_stats.within_local integer NOT NULL
case_events.id bigint NOT NULL IDENTITY
case_events.case_id bigint NOT NULL
case_events.service_id bigint
case_events.action text NOT NULL
case_events.from_state text NOT NULL DEFAULT ''::text
case_events.to_state text NOT NULL DEFAULT ''::text
case_events.on_date text NOT NULL
case_events.note text NOT NULL DEFAULT ''::text
case_events.actor_id bigint
case_events.actor_name text NOT NULL
case_events.actor_kind text NOT NULL
case_events.actor_role text NOT NULL DEFAULT ''::text
case_events.at timestamp with time zone NOT NULL
case_files.id bigint NOT NULL IDENTITY
case_files.case_id bigint NOT NULL
case_files.material text NOT NULL
case_files.sha256 text NOT NULL
case_files.size bigint NOT NULL
case_files.content_type text NOT NULL
case_files.file_name text NOT NULL
case_files.uploaded_by bigint
case_files.uploaded_kind text NOT NULL
case_files.uploaded_at timestamp with time zone NOT NULL
case_letters.id bigint NOT NULL IDENTITY
case_letters.case_id bigint NOT NULL
case_letters.service_id bigint
case_letters.kind text NOT NULL
case_letters.number text NOT NULL
case_letters.issued_on text NOT NULL
case_letters.content text NOT NULL
case_letters.sha256 text
case_letters.size bigint
case_letters.created_at timestamp with time zone NOT NULL
case_numbers.region_code text NOT NULL
case_numbers.year integer NOT NULL
case_numbers.last bigint NOT NULL
case_outbox.id bigint NOT NULL IDENTITY
case_outbox.kind text NOT NULL
case_outbox.case_id bigint NOT NULL
case_outbox.worker_id bigint NOT NULL
case_outbox.region_code text NOT NULL
case_outbox.payload text NOT NULL
case_outbox.created_at timestamp with time zone NOT NULL
case_outbox.consumed_at timestamp with time zone
case_reminders.service_id bigint NOT NULL
case_reminders.step text NOT NULL
case_reminders.due_date text NOT NULL
case_reminders.kind text NOT NULL
case_reminders.at timestamp with time zone NOT NULL
case_services.id bigint NOT NULL IDENTITY
case_services.case_id bigint NOT NULL
case_services.region_code text NOT NULL
case_services.kind text NOT NULL
case_services.state text NOT NULL
case_services.step text NOT NULL DEFAULT ''::text
case_services.due_date text
case_services.party text NOT NULL DEFAULT ''::text
case_services.overdue boolean NOT NULL DEFAULT false
case_services.simple boolean NOT NULL DEFAULT false
case_services.suspensions text NOT NULL DEFAULT '[]'::text
case_services.detail text NOT NULL
case_services.assignee_id bigint
case_services.decided_on text
case_services.decision_days integer
case_services.within_legal boolean
case_services.within_local boolean
case_services.updated_at timestamp with time zone NOT NULL
case_services.version bigint NOT NULL DEFAULT 1
cases.id bigint NOT NULL IDENTITY
cases.number text NOT NULL
cases.region_code text NOT NULL
cases.worker_id bigint NOT NULL
cases.employer_id bigint NOT NULL
cases.injury_date text NOT NULL
cases.application_date text NOT NULL
cases.injury_kind text NOT NULL
cases.channel text NOT NULL
cases.applicant text NOT NULL
cases.simple boolean NOT NULL DEFAULT false
cases.late boolean NOT NULL DEFAULT false
cases.de_facto boolean NOT NULL DEFAULT false
cases.detail text NOT NULL
cases.uploads integer NOT NULL DEFAULT 0
cases.opened_by bigint
cases.opened_kind text NOT NULL
cases.created_at timestamp with time zone NOT NULL
cases.updated_at timestamp with time zone NOT NULL
cases.version bigint NOT NULL DEFAULT 1
catalogue_bundles.id bigint NOT NULL IDENTITY
catalogue_bundles.region text NOT NULL
catalogue_bundles.code1 text NOT NULL COLLATE C
catalogue_bundles.code2 text NOT NULL COLLATE C
catalogue_bundles.indicator integer NOT NULL
catalogue_bundles.valid_from text NOT NULL
catalogue_bundles.valid_to text NOT NULL DEFAULT ''::text
catalogue_bundles.rationale text NOT NULL DEFAULT ''::text
catalogue_entries.id bigint NOT NULL IDENTITY
catalogue_entries.region text NOT NULL
catalogue_entries.code text NOT NULL COLLATE C
catalogue_entries.name text NOT NULL COLLATE C
catalogue_entries.category text NOT NULL
catalogue_entries.spec text NOT NULL DEFAULT ''::text
catalogue_entries.unit text NOT NULL DEFAULT ''::text
catalogue_entries.price1 bigint NOT NULL DEFAULT 0
catalogue_entries.price2 bigint NOT NULL DEFAULT 0
catalogue_entries.price3 bigint NOT NULL DEFAULT 0
catalogue_entries.covered boolean NOT NULL
catalogue_entries.valid_from text NOT NULL
catalogue_entries.valid_to text NOT NULL DEFAULT ''::text
catalogue_entries.per_day integer NOT NULL DEFAULT 0
catalogue_entries.per_stay integer NOT NULL DEFAULT 0
catalogue_entries.min_interval integer NOT NULL DEFAULT 0
catalogue_entries.device_limit bigint NOT NULL DEFAULT 0
catalogue_entries.life_months integer NOT NULL DEFAULT 0
catalogue_entries.note text NOT NULL DEFAULT ''::text
clearing_statements.id bigint NOT NULL IDENTITY
clearing_statements.kind text NOT NULL
clearing_statements.month text NOT NULL
clearing_statements.region_code text NOT NULL
clearing_statements.institution_id bigint
clearing_statements.payer_region text NOT NULL
clearing_statements.payee_region text NOT NULL
clearing_statements.count bigint NOT NULL
clearing_statements.medfee bigint NOT NULL
clearing_statements.fund_pay bigint NOT NULL
clearing_statements.created_by bigint NOT NULL
clearing_statements.created_at timestamp with time zone NOT NULL
clearing_statements.offset_fen bigint NOT NULL DEFAULT 0
dependants.id bigint NOT NULL IDENTITY
dependants.worker_id bigint NOT NULL
dependants.case_id bigint
dependants.region_code text NOT NULL
dependants.name text NOT NULL
dependants.relation text NOT NULL
dependants.birth_date text NOT NULL
dependants.incapacitated boolean NOT NULL DEFAULT false
dependants.id_hash bytea
dependants.id_enc bytea
dependants.id_masked text NOT NULL DEFAULT ''::text
dependants.guardian_name text NOT NULL DEFAULT ''::text
dependants.created_at timestamp with time zone NOT NULL
dependants.updated_at timestamp with time zone NOT NULL
dependants.version bigint NOT NULL DEFAULT 1
employers.id bigint NOT NULL IDENTITY
employers.credit_code text NOT NULL
employers.name text NOT NULL COLLATE C
employers.region_code text NOT NULL
employers.industry text NOT NULL
employers.risk_class integer NOT NULL
employers.rate_tier_pct integer NOT NULL
employers.contact_name text NOT NULL DEFAULT ''::text
employers.contact_phone text NOT NULL DEFAULT ''::text
employers.address text NOT NULL DEFAULT ''::text
employers.status text NOT NULL
employers.created_at timestamp with time zone NOT NULL
employers.updated_at timestamp with time zone NOT NULL
employers.version bigint NOT NULL DEFAULT 1
employers.contact_phone_enc bytea
employers.contact_phone_masked text NOT NULL DEFAULT ''::text
employments.id bigint NOT NULL IDENTITY
employments.worker_id bigint NOT NULL
employments.employer_id bigint NOT NULL
employments.start_date text NOT NULL
employments.end_date text
employments.created_at timestamp with time zone NOT NULL
encounters.id bigint NOT NULL IDENTITY
encounters.institution_id bigint NOT NULL
encounters.worker_id bigint NOT NULL
encounters.region_code text NOT NULL
encounters.worker_region text NOT NULL
encounters.treat_region text NOT NULL
encounters.insured_region text NOT NULL
encounters.remote boolean NOT NULL
encounters.filing_id bigint
encounters.case_id bigint
encounters.payable boolean NOT NULL DEFAULT false
encounters.med_type text NOT NULL
encounters.begin_at timestamp with time zone NOT NULL
encounters.end_at timestamp with time zone
encounters.ipt_no text NOT NULL DEFAULT ''::text
encounters.dept text NOT NULL DEFAULT ''::text
encounters.bed text NOT NULL DEFAULT ''::text
encounters.doctor text NOT NULL DEFAULT ''::text
encounters.diag_code text NOT NULL DEFAULT ''::text
encounters.diag_name text NOT NULL DEFAULT ''::text
encounters.diseases text NOT NULL DEFAULT '[]'::text
encounters.dscg_way text NOT NULL DEFAULT ''::text
encounters.state text NOT NULL
encounters.created_at timestamp with time zone NOT NULL
encounters.updated_at timestamp with time zone NOT NULL
encounters.version bigint NOT NULL DEFAULT 1
entitlement_amounts.id bigint NOT NULL IDENTITY
entitlement_amounts.entitlement_id bigint NOT NULL
entitlement_amounts.effective_from text NOT NULL
entitlement_amounts.amount_fen bigint NOT NULL
entitlement_amounts.reason text NOT NULL
entitlement_amounts.created_by bigint
entitlement_amounts.created_at timestamp with time zone NOT NULL
entitlements.id bigint NOT NULL IDENTITY
entitlements.case_id bigint
entitlements.decision_id bigint
entitlements.worker_id bigint NOT NULL
entitlements.region_code text NOT NULL
entitlements.type text NOT NULL
entitlements.payer text NOT NULL
entitlements.amount_fen bigint NOT NULL
entitlements.start_date text NOT NULL
entitlements.end_date text
entitlements.stop_conditions text NOT NULL DEFAULT '[]'::text
entitlements.payee_kind text NOT NULL
entitlements.payee_name text NOT NULL
entitlements.payee_id_hash bytea
entitlements.payee_id_masked text NOT NULL DEFAULT ''::text
entitlements.bank_name text NOT NULL DEFAULT ''::text
entitlements.bank_enc bytea
entitlements.bank_masked text NOT NULL DEFAULT ''::text
entitlements.status text NOT NULL DEFAULT 'active'::text
entitlements.status_reason text NOT NULL DEFAULT ''::text
entitlements.created_at timestamp with time zone NOT NULL
entitlements.updated_at timestamp with time zone NOT NULL
entitlements.version bigint NOT NULL DEFAULT 1
entitlements.source text NOT NULL DEFAULT 'decision'::text
entitlements.level integer NOT NULL DEFAULT 0
entitlements.care text NOT NULL DEFAULT ''::text
entitlements.amount_from text NOT NULL DEFAULT ''::text
entitlements.dependant_id bigint
entitlements.guardian_name text NOT NULL DEFAULT ''::text
entitlements.bank_code text NOT NULL DEFAULT ''::text
entitlements.bank_valid boolean NOT NULL DEFAULT false
entitlements.certified_on text
entitlements.watch boolean NOT NULL DEFAULT false
entitlements.held boolean NOT NULL DEFAULT false
entitlements.payee_birth text
entitlements.payee_incapacitated boolean NOT NULL DEFAULT false
experts.id bigint NOT NULL IDENTITY
experts.region_code text NOT NULL
experts.name text NOT NULL COLLATE C
experts.grp text NOT NULL
experts.hospital text NOT NULL
experts.hospital_code text NOT NULL DEFAULT ''::text
experts.title text NOT NULL
experts.status text NOT NULL
experts.term_start text NOT NULL
experts.term_end text NOT NULL
experts.conflict_employers text NOT NULL DEFAULT '[]'::text
experts.conflict_hospitals text NOT NULL DEFAULT '[]'::text
experts.created_at timestamp with time zone NOT NULL
experts.updated_at timestamp with time zone NOT NULL
experts.version bigint NOT NULL DEFAULT 1
fee_lines.id bigint NOT NULL IDENTITY
fee_lines.encounter_id bigint NOT NULL
fee_lines.sn text NOT NULL COLLATE C
fee_lines.fee_time timestamp with time zone NOT NULL
fee_lines.code text NOT NULL
fee_lines.hosp_code text NOT NULL DEFAULT ''::text
fee_lines.name text NOT NULL DEFAULT ''::text
fee_lines.category text NOT NULL DEFAULT ''::text
fee_lines.qty bigint NOT NULL
fee_lines.price bigint NOT NULL
fee_lines.amount bigint NOT NULL
fee_lines.ceiling bigint NOT NULL DEFAULT 0
fee_lines.own_pay bigint NOT NULL DEFAULT 0
fee_lines.over_limit bigint NOT NULL DEFAULT 0
fee_lines.in_scope bigint NOT NULL DEFAULT 0
fee_lines.payable bigint NOT NULL DEFAULT 0
fee_lines.memo text NOT NULL DEFAULT ''::text
fee_lines.dept text NOT NULL DEFAULT ''::text
fee_lines.doctor text NOT NULL DEFAULT ''::text
fee_lines.state text NOT NULL
fee_lines.settlement_id bigint
filings.id bigint NOT NULL IDENTITY
filings.worker_id bigint NOT NULL
filings.case_id bigint NOT NULL
filings.region_code text NOT NULL
filings.kind text NOT NULL
filings.treat_region text NOT NULL
filings.institution text NOT NULL DEFAULT ''::text
filings.reason text NOT NULL
filings.address text NOT NULL DEFAULT ''::text
filings.valid_from text NOT NULL
filings.valid_to text NOT NULL
filings.filed_on text NOT NULL
filings.state text NOT NULL
filings.channel text NOT NULL
filings.created_by bigint NOT NULL DEFAULT 0
filings.created_at timestamp with time zone NOT NULL
filings.updated_at timestamp with time zone NOT NULL
filings.version bigint NOT NULL DEFAULT 1
his_messages.id bigint NOT NULL IDENTITY
his_messages.institution_id bigint NOT NULL
his_messages.msgid text NOT NULL COLLATE C
his_messages.infno text NOT NULL
his_messages.digest text NOT NULL
his_messages.request_enc bytea NOT NULL
his_messages.response_enc bytea NOT NULL
his_messages.infcode integer NOT NULL
his_messages.created_at timestamp with time zone NOT NULL
his_nonces.institution_id bigint NOT NULL
his_nonces.nonce text NOT NULL COLLATE C
his_nonces.seen_at timestamp with time zone NOT NULL
his_reconciliations.id bigint NOT NULL IDENTITY
his_reconciliations.institution_id bigint NOT NULL
his_reconciliations.region_code text NOT NULL
his_reconciliations.infno text NOT NULL
his_reconciliations.msgid text NOT NULL COLLATE C
his_reconciliations.begin_day text NOT NULL
his_reconciliations.end_day text NOT NULL
his_reconciliations.their_count bigint NOT NULL
his_reconciliations.their_medfee bigint NOT NULL
his_reconciliations.their_fund_pay bigint NOT NULL
his_reconciliations.our_count bigint NOT NULL
his_reconciliations.our_medfee bigint NOT NULL
his_reconciliations.our_fund_pay bigint NOT NULL
his_reconciliations.balanced boolean NOT NULL
his_reconciliations.differences integer NOT NULL DEFAULT 0
his_reconciliations.result_text text NOT NULL
his_reconciliations.created_at timestamp with time zone NOT NULL
imports.id bigint NOT NULL IDENTITY
imports.kind text NOT NULL
imports.filename text NOT NULL
imports.sha256 text NOT NULL
imports.total_rows integer NOT NULL
imports.good_rows integer NOT NULL
imports.bad_rows integer NOT NULL
imports.imported integer NOT NULL
imports.outcome text NOT NULL
imports.report text NOT NULL
imports.actor_id bigint NOT NULL
imports.region text NOT NULL
imports.created_at timestamp with time zone NOT NULL
institution_ratings.id bigint NOT NULL IDENTITY
institution_ratings.fixmedins_code text NOT NULL
institution_ratings.region_code text NOT NULL
institution_ratings.grade text NOT NULL
institution_ratings.points double precision NOT NULL
institution_ratings.reason text NOT NULL
institution_ratings.computed_at timestamp with time zone NOT NULL
institution_ratings.finding_id bigint
institution_ratings.sanction_id bigint
institutions.id bigint NOT NULL IDENTITY
institutions.code text NOT NULL COLLATE C
institutions.name text NOT NULL COLLATE C
institutions.region_code text NOT NULL
institutions.type text NOT NULL
institutions.level integer NOT NULL
institutions.beds integer NOT NULL DEFAULT 0
institutions.depts text NOT NULL DEFAULT '[]'::text
institutions.equipment text NOT NULL DEFAULT '[]'::text
institutions.agreement_from text NOT NULL
institutions.agreement_to text NOT NULL
institutions.status text NOT NULL
institutions.status_reason text NOT NULL DEFAULT ''::text
institutions.address text NOT NULL DEFAULT ''::text
institutions.contact text NOT NULL DEFAULT ''::text
institutions.paasid text COLLATE C
institutions.token_enc bytea
institutions.token_set_at timestamp with time zone
institutions.created_at timestamp with time zone NOT NULL
institutions.updated_at timestamp with time zone NOT NULL
institutions.version bigint NOT NULL DEFAULT 1
letter_numbers.region_code text NOT NULL
letter_numbers.kind text NOT NULL
letter_numbers.year integer NOT NULL
letter_numbers.last bigint NOT NULL
login_attempts.source text NOT NULL
login_attempts.window_start timestamp with time zone NOT NULL
login_attempts.attempts integer NOT NULL
meal_allowances.id bigint NOT NULL IDENTITY
meal_allowances.settlement_id bigint NOT NULL
meal_allowances.case_id bigint NOT NULL
meal_allowances.worker_id bigint NOT NULL
meal_allowances.region_code text NOT NULL
meal_allowances.days integer NOT NULL
meal_allowances.daily_fen bigint NOT NULL
meal_allowances.amount_fen bigint NOT NULL
meal_allowances.status text NOT NULL DEFAULT 'payable'::text
meal_allowances.created_at timestamp with time zone NOT NULL
meta.key text NOT NULL
meta.value text NOT NULL
panel_draws.id bigint NOT NULL IDENTITY
panel_draws.service_id bigint NOT NULL
panel_draws.seq integer NOT NULL
panel_draws.record text NOT NULL
panel_draws.pool text NOT NULL
panel_draws.created_at timestamp with time zone NOT NULL
param_versions.id bigint NOT NULL IDENTITY
param_versions.table_name text NOT NULL
param_versions.key text NOT NULL
param_versions.region text NOT NULL
param_versions.effective_from text NOT NULL
param_versions.value text NOT NULL
param_versions.source text NOT NULL
param_versions.confidence text NOT NULL
param_versions.note text NOT NULL
param_versions.actor_id bigint NOT NULL
param_versions.created_at timestamp with time zone NOT NULL
payable_items.id bigint NOT NULL IDENTITY
payable_items.case_id bigint NOT NULL
payable_items.decision_id bigint NOT NULL
payable_items.worker_id bigint NOT NULL
payable_items.region_code text NOT NULL
payable_items.type text NOT NULL
payable_items.payer text NOT NULL
payable_items.amount_fen bigint NOT NULL
payable_items.payee_name text NOT NULL
payable_items.status text NOT NULL DEFAULT 'payable'::text
payable_items.created_at timestamp with time zone NOT NULL
payroll_adjustments.id bigint NOT NULL IDENTITY
payroll_adjustments.region_code text NOT NULL
payroll_adjustments.rule text NOT NULL
payroll_adjustments.state text NOT NULL
payroll_adjustments.affected bigint NOT NULL DEFAULT 0
payroll_adjustments.monthly_fen bigint NOT NULL DEFAULT 0
payroll_adjustments.arrears_fen bigint NOT NULL DEFAULT 0
payroll_adjustments.prepared_by bigint
payroll_adjustments.prepared_at timestamp with time zone NOT NULL
payroll_adjustments.approved_by bigint
payroll_adjustments.approved_at timestamp with time zone
payroll_adjustments.reject_reason text NOT NULL DEFAULT ''::text
payroll_adjustments.updated_at timestamp with time zone NOT NULL
payroll_adjustments.version bigint NOT NULL DEFAULT 1
payroll_arrears.id bigint NOT NULL IDENTITY
payroll_arrears.entitlement_id bigint NOT NULL
payroll_arrears.region_code text NOT NULL
payroll_arrears.amount_fen bigint NOT NULL
payroll_arrears.for_months text NOT NULL
payroll_arrears.reason text NOT NULL
payroll_arrears.adjustment_id bigint
payroll_arrears.line_id bigint
payroll_arrears.created_at timestamp with time zone NOT NULL
payroll_batches.id bigint NOT NULL IDENTITY
payroll_batches.cycle_id bigint NOT NULL
payroll_batches.region_code text NOT NULL
payroll_batches.bank_code text NOT NULL
payroll_batches.seq integer NOT NULL
payroll_batches.ref text NOT NULL
payroll_batches.line_count bigint NOT NULL
payroll_batches.total_fen bigint NOT NULL
payroll_batches.sha256 text NOT NULL
payroll_batches.created_on text NOT NULL
payroll_batches.state text NOT NULL
payroll_batches.generated_by bigint
payroll_batches.generated_at timestamp with time zone NOT NULL
payroll_batches.sent_by bigint
payroll_batches.sent_at timestamp with time zone
payroll_batches.returned_at timestamp with time zone
payroll_batches.paid_count bigint NOT NULL DEFAULT 0
payroll_batches.failed_count bigint NOT NULL DEFAULT 0
payroll_batches.version bigint NOT NULL DEFAULT 1
payroll_cycles.id bigint NOT NULL IDENTITY
payroll_cycles.region_code text NOT NULL
payroll_cycles.month text NOT NULL
payroll_cycles.state text NOT NULL
payroll_cycles.cursor bigint NOT NULL DEFAULT 0
payroll_cycles.due_date text NOT NULL
payroll_cycles.remind_date text NOT NULL
payroll_cycles.line_count bigint NOT NULL DEFAULT 0
payroll_cycles.payable_count bigint NOT NULL DEFAULT 0
payroll_cycles.payable_fen bigint NOT NULL DEFAULT 0
payroll_cycles.opened_at timestamp with time zone NOT NULL
payroll_cycles.opened_by bigint
payroll_cycles.checked_at timestamp with time zone
payroll_cycles.submitted_by bigint
payroll_cycles.submitted_at timestamp with time zone
payroll_cycles.approved_by bigint
payroll_cycles.approved_at timestamp with time zone
payroll_cycles.sent_at timestamp with time zone
payroll_cycles.closed_by bigint
payroll_cycles.closed_at timestamp with time zone
payroll_cycles.send_back_reason text NOT NULL DEFAULT ''::text
payroll_cycles.reminded_at timestamp with time zone
payroll_cycles.on_time boolean
payroll_cycles.updated_at timestamp with time zone NOT NULL
payroll_cycles.version bigint NOT NULL DEFAULT 1
payroll_deductions.id bigint NOT NULL IDENTITY
payroll_deductions.recovery_id bigint NOT NULL
payroll_deductions.line_id bigint NOT NULL
payroll_deductions.amount_fen bigint NOT NULL
payroll_events.id bigint NOT NULL IDENTITY
payroll_events.region_code text NOT NULL
payroll_events.worker_id bigint NOT NULL
payroll_events.dependant_id bigint
payroll_events.kind text NOT NULL
payroll_events.on_date text NOT NULL
payroll_events.until_date text
payroll_events.note text NOT NULL DEFAULT ''::text
payroll_events.created_by bigint
payroll_events.created_at timestamp with time zone NOT NULL
payroll_events.updated_at timestamp with time zone NOT NULL
payroll_events.version bigint NOT NULL DEFAULT 1
payroll_lines.id bigint NOT NULL IDENTITY
payroll_lines.cycle_id bigint NOT NULL
payroll_lines.region_code text NOT NULL
payroll_lines.month text NOT NULL
payroll_lines.kind text NOT NULL
payroll_lines.entitlement_id bigint
payroll_lines.payable_id bigint
payroll_lines.meal_id bigint
payroll_lines.worker_id bigint NOT NULL
payroll_lines.type text NOT NULL
payroll_lines.payee_name text NOT NULL
payroll_lines.gross_fen bigint NOT NULL
payroll_lines.deduction_fen bigint NOT NULL DEFAULT 0
payroll_lines.state text NOT NULL
payroll_lines.reason text NOT NULL DEFAULT ''::text
payroll_lines.bank_code text NOT NULL DEFAULT ''::text
payroll_lines.bank_enc bytea
payroll_lines.bank_masked text NOT NULL DEFAULT ''::text
payroll_lines.batch_seq integer NOT NULL DEFAULT 1
payroll_lines.for_months text NOT NULL DEFAULT ''::text
payroll_lines.note text NOT NULL DEFAULT ''::text
payroll_lines.replaces_id bigint
payroll_lines.repaid_by bigint
payroll_lines.return_code text NOT NULL DEFAULT ''::text
payroll_lines.return_reason text NOT NULL DEFAULT ''::text
payroll_lines.updated_at timestamp with time zone NOT NULL
payroll_lines.version bigint NOT NULL DEFAULT 1
payroll_notices.id bigint NOT NULL IDENTITY
payroll_notices.region_code text NOT NULL
payroll_notices.worker_id bigint NOT NULL
payroll_notices.entitlement_id bigint
payroll_notices.line_id bigint
payroll_notices.kind text NOT NULL
payroll_notices.month text NOT NULL
payroll_notices.text text NOT NULL
payroll_notices.created_at timestamp with time zone NOT NULL
payroll_notices.delivered_at timestamp with time zone
payroll_recoveries.id bigint NOT NULL IDENTITY
payroll_recoveries.region_code text NOT NULL
payroll_recoveries.entitlement_id bigint
payroll_recoveries.worker_id bigint NOT NULL
payroll_recoveries.reason text NOT NULL
payroll_recoveries.total_fen bigint NOT NULL
payroll_recoveries.recovered_fen bigint NOT NULL DEFAULT 0
payroll_recoveries.method text NOT NULL
payroll_recoveries.state text NOT NULL
payroll_recoveries.created_by bigint
payroll_recoveries.created_at timestamp with time zone NOT NULL
payroll_recoveries.updated_at timestamp with time zone NOT NULL
payroll_recoveries.version bigint NOT NULL DEFAULT 1
portal_accounts.id bigint NOT NULL IDENTITY
portal_accounts.kind text NOT NULL
portal_accounts.worker_id bigint
portal_accounts.employer_id bigint
portal_accounts.login_key bytea NOT NULL
portal_accounts.password_hash text NOT NULL DEFAULT ''::text
portal_accounts.code_hash bytea
portal_accounts.code_expires_at timestamp with time zone
portal_accounts.failed_logins integer NOT NULL DEFAULT 0
portal_accounts.locked_until timestamp with time zone
portal_accounts.disabled boolean NOT NULL DEFAULT false
portal_accounts.last_login_at timestamp with time zone
portal_accounts.created_at timestamp with time zone NOT NULL
portal_accounts.updated_at timestamp with time zone NOT NULL
portal_accounts.version integer NOT NULL DEFAULT 1
portal_sessions.token_hash bytea NOT NULL
portal_sessions.account_id bigint NOT NULL
portal_sessions.csrf_token text NOT NULL
portal_sessions.created_at timestamp with time zone NOT NULL
portal_sessions.expires_at timestamp with time zone NOT NULL
prevention_acceptances.id bigint NOT NULL IDENTITY
prevention_acceptances.project_id bigint NOT NULL
prevention_acceptances.region_code text NOT NULL
prevention_acceptances.deliverables text NOT NULL
prevention_acceptances.note text NOT NULL DEFAULT ''::text
prevention_acceptances.accepted_at timestamp with time zone NOT NULL
prevention_acceptances.accepted_by text NOT NULL
prevention_archive.id bigint NOT NULL IDENTITY
prevention_archive.session_id bigint NOT NULL
prevention_archive.region_code text NOT NULL
prevention_archive.kind text NOT NULL
prevention_archive.sha256 text NOT NULL
prevention_archive.content_type text NOT NULL
prevention_archive.size bigint NOT NULL
prevention_archive.duration_s bigint NOT NULL DEFAULT 0
prevention_archive.file_name text NOT NULL DEFAULT ''::text
prevention_archive.created_at timestamp with time zone NOT NULL
prevention_archive.created_by text NOT NULL
prevention_attendance.id bigint NOT NULL IDENTITY
prevention_attendance.session_id bigint NOT NULL
prevention_attendance.region_code text NOT NULL
prevention_attendance.id_hash bytea NOT NULL
prevention_attendance.id_enc bytea NOT NULL
prevention_attendance.id_masked text NOT NULL
prevention_attendance.name text NOT NULL
prevention_attendance.employer text NOT NULL DEFAULT ''::text
prevention_attendance.audience text NOT NULL DEFAULT ''::text
prevention_attendance.worker_id bigint
prevention_attendance.source text NOT NULL
prevention_attendance.created_at timestamp with time zone NOT NULL
prevention_budget_lines.id bigint NOT NULL IDENTITY
prevention_budget_lines.project_id bigint NOT NULL
prevention_budget_lines.item text NOT NULL
prevention_budget_lines.requested_fen bigint NOT NULL
prevention_budget_lines.approved_fen bigint NOT NULL DEFAULT 0
prevention_budget_lines.paid_fen bigint NOT NULL DEFAULT 0
prevention_changes.id bigint NOT NULL IDENTITY
prevention_changes.plan_id bigint NOT NULL
prevention_changes.region_code text NOT NULL
prevention_changes.state text NOT NULL DEFAULT 'pending'::text
prevention_changes.reason text NOT NULL
prevention_changes.ops text NOT NULL
prevention_changes.delta_fen bigint NOT NULL DEFAULT 0
prevention_changes.requested_by text NOT NULL
prevention_changes.requested_at timestamp with time zone NOT NULL
prevention_changes.decided_by text NOT NULL DEFAULT ''::text
prevention_changes.decided_at timestamp with time zone
prevention_changes.decision_note text NOT NULL DEFAULT ''::text
prevention_changes.version bigint NOT NULL DEFAULT 1
prevention_courseware.id bigint NOT NULL IDENTITY
prevention_courseware.expert_id bigint NOT NULL
prevention_courseware.region_code text NOT NULL
prevention_courseware.topic text NOT NULL
prevention_courseware.revision bigint NOT NULL
prevention_courseware.sha256 text NOT NULL
prevention_courseware.file_name text NOT NULL DEFAULT ''::text
prevention_courseware.content_type text NOT NULL
prevention_courseware.size bigint NOT NULL
prevention_courseware.state text NOT NULL DEFAULT 'submitted'::text
prevention_courseware.review_note text NOT NULL DEFAULT ''::text
prevention_courseware.reviewed_by text NOT NULL DEFAULT ''::text
prevention_courseware.reviewed_at timestamp with time zone
prevention_courseware.created_at timestamp with time zone NOT NULL
prevention_courseware.created_by text NOT NULL
prevention_courseware.version bigint NOT NULL DEFAULT 1
prevention_evaluation_forms.id bigint NOT NULL IDENTITY
prevention_evaluation_forms.region_code text NOT NULL
prevention_evaluation_forms.valid_from text NOT NULL
prevention_evaluation_forms.items text NOT NULL
prevention_evaluation_forms.created_at timestamp with time zone NOT NULL
prevention_evaluation_forms.created_by text NOT NULL
prevention_evaluations.id bigint NOT NULL IDENTITY
prevention_evaluations.session_id bigint NOT NULL
prevention_evaluations.region_code text NOT NULL
prevention_evaluations.kind text NOT NULL
prevention_evaluations.payload text NOT NULL
prevention_evaluations.score bigint NOT NULL
prevention_evaluations.created_at timestamp with time zone NOT NULL
prevention_evaluations.created_by text NOT NULL
prevention_expert_events.id bigint NOT NULL IDENTITY
prevention_expert_events.expert_id bigint NOT NULL
prevention_expert_events.region_code text NOT NULL
prevention_expert_events.from_status text NOT NULL DEFAULT ''::text
prevention_expert_events.to_status text NOT NULL
prevention_expert_events.reason text NOT NULL DEFAULT ''::text
prevention_expert_events.created_at timestamp with time zone NOT NULL
prevention_expert_events.created_by text NOT NULL
prevention_experts.id bigint NOT NULL IDENTITY
prevention_experts.name text NOT NULL
prevention_experts.specialty text NOT NULL
prevention_experts.department text NOT NULL
prevention_experts.title text NOT NULL DEFAULT ''::text
prevention_experts.qualifications text NOT NULL DEFAULT ''::text
prevention_experts.employer text NOT NULL DEFAULT ''::text
prevention_experts.region_code text NOT NULL
prevention_experts.status text NOT NULL DEFAULT 'active'::text
prevention_experts.status_reason text NOT NULL DEFAULT ''::text
prevention_experts.created_at timestamp with time zone NOT NULL
prevention_experts.created_by text NOT NULL
prevention_experts.version bigint NOT NULL DEFAULT 1
prevention_payments.id bigint NOT NULL IDENTITY
prevention_payments.project_id bigint NOT NULL
prevention_payments.region_code text NOT NULL
prevention_payments.amount_fen bigint NOT NULL
prevention_payments.explanation text NOT NULL
prevention_payments.state text NOT NULL DEFAULT 'prepared'::text
prevention_payments.note text NOT NULL DEFAULT ''::text
prevention_payments.prepared_by text NOT NULL
prevention_payments.prepared_at timestamp with time zone NOT NULL
prevention_payments.approved_by text NOT NULL DEFAULT ''::text
prevention_payments.approved_at timestamp with time zone
prevention_payments.version bigint NOT NULL DEFAULT 1
prevention_plan_reviews.id bigint NOT NULL IDENTITY
prevention_plan_reviews.plan_id bigint NOT NULL
prevention_plan_reviews.region_code text NOT NULL
prevention_plan_reviews.revision bigint NOT NULL
prevention_plan_reviews.action text NOT NULL
prevention_plan_reviews.note text NOT NULL DEFAULT ''::text
prevention_plan_reviews.cuts text NOT NULL DEFAULT '[]'::text
prevention_plan_reviews.snapshot text NOT NULL
prevention_plan_reviews.requested_fen bigint NOT NULL
prevention_plan_reviews.approved_fen bigint NOT NULL
prevention_plan_reviews.by_user text NOT NULL
prevention_plan_reviews.by_role text NOT NULL
prevention_plan_reviews.at timestamp with time zone NOT NULL
prevention_plans.id bigint NOT NULL IDENTITY
prevention_plans.region_code text NOT NULL
prevention_plans.year bigint NOT NULL
prevention_plans.state text NOT NULL DEFAULT 'draft'::text
prevention_plans.revision bigint NOT NULL DEFAULT 0
prevention_plans.requested_fen bigint NOT NULL DEFAULT 0
prevention_plans.approved_fen bigint NOT NULL DEFAULT 0
prevention_plans.note text NOT NULL DEFAULT ''::text
prevention_plans.created_at timestamp with time zone NOT NULL
prevention_plans.created_by text NOT NULL
prevention_plans.updated_at timestamp with time zone NOT NULL
prevention_plans.version bigint NOT NULL DEFAULT 1
prevention_projects.id bigint NOT NULL IDENTITY
prevention_projects.plan_id bigint NOT NULL
prevention_projects.region_code text NOT NULL
prevention_projects.seq bigint NOT NULL
prevention_projects.kind text NOT NULL
prevention_projects.title text NOT NULL
prevention_projects.programme text NOT NULL DEFAULT ''::text
prevention_projects.industry text NOT NULL DEFAULT ''::text
prevention_projects.audience text NOT NULL DEFAULT '[]'::text
prevention_projects.enterprises text NOT NULL DEFAULT '[]'::text
prevention_projects.sessions bigint NOT NULL DEFAULT 0
prevention_projects.attendance bigint NOT NULL DEFAULT 0
prevention_projects.provider_kind text NOT NULL DEFAULT ''::text
prevention_projects.provider text NOT NULL DEFAULT ''::text
prevention_projects.requested_fen bigint NOT NULL DEFAULT 0
prevention_projects.approved_fen bigint NOT NULL DEFAULT 0
prevention_projects.paid_fen bigint NOT NULL DEFAULT 0
prevention_projects.state text NOT NULL DEFAULT 'planned'::text
prevention_projects.version bigint NOT NULL DEFAULT 1
prevention_sessions.id bigint NOT NULL IDENTITY
prevention_sessions.project_id bigint NOT NULL
prevention_sessions.region_code text NOT NULL
prevention_sessions.held_on text NOT NULL
prevention_sessions.place text NOT NULL DEFAULT ''::text
prevention_sessions.online boolean NOT NULL DEFAULT false
prevention_sessions.capacity bigint NOT NULL DEFAULT 0
prevention_sessions.enterprises text NOT NULL DEFAULT '[]'::text
prevention_sessions.expert_id bigint
prevention_sessions.topic text NOT NULL
prevention_sessions.planned bigint NOT NULL DEFAULT 0
prevention_sessions.state text NOT NULL DEFAULT 'planned'::text
prevention_sessions.checkin text NOT NULL DEFAULT ''::text
prevention_sessions.score double precision
prevention_sessions.created_at timestamp with time zone NOT NULL
prevention_sessions.created_by text NOT NULL
prevention_sessions.version bigint NOT NULL DEFAULT 1
prevention_targets.id bigint NOT NULL IDENTITY
prevention_targets.region_code text NOT NULL
prevention_targets.programme text NOT NULL
prevention_targets.year_from bigint NOT NULL
prevention_targets.year_to bigint NOT NULL
prevention_targets.target bigint NOT NULL
prevention_targets.source_doc text NOT NULL DEFAULT ''::text
prevention_targets.created_at timestamp with time zone NOT NULL
prevention_targets.created_by text NOT NULL
prevention_years.region_code text NOT NULL
prevention_years.year bigint NOT NULL
prevention_years.income_fen bigint NOT NULL
prevention_years.cap_rate double precision NOT NULL
prevention_years.approval_doc text NOT NULL DEFAULT ''::text
prevention_years.focus text NOT NULL DEFAULT '[]'::text
prevention_years.updated_at timestamp with time zone NOT NULL
prevention_years.updated_by text NOT NULL
prevention_years.version bigint NOT NULL DEFAULT 1
regions.code text NOT NULL
regions.name text NOT NULL COLLATE C
regions.parent text
regions.level text NOT NULL
river_job.id bigint NOT NULL DEFAULT nextval('river_job_id_seq'::regclass)
river_job.state USER-DEFINED NOT NULL DEFAULT 'available'::river_job_state
river_job.attempt smallint NOT NULL DEFAULT 0
river_job.max_attempts smallint NOT NULL DEFAULT 25
river_job.attempted_at timestamp with time zone
river_job.created_at timestamp with time zone NOT NULL DEFAULT now()
river_job.finalized_at timestamp with time zone
river_job.scheduled_at timestamp with time zone NOT NULL DEFAULT now()
river_job.priority smallint NOT NULL DEFAULT 1
river_job.args jsonb NOT NULL
river_job.attempted_by ARRAY
river_job.errors ARRAY
river_job.kind text NOT NULL
river_job.metadata jsonb NOT NULL DEFAULT '{}'::jsonb
river_job.queue text NOT NULL DEFAULT 'default'::text
river_job.tags ARRAY NOT NULL DEFAULT '{}'::character varying[]
river_job.unique_key bytea
river_job.unique_states bit
river_leader.elected_at timestamp with time zone NOT NULL
river_leader.expires_at timestamp with time zone NOT NULL
river_leader.leader_id text NOT NULL
river_leader.name text NOT NULL DEFAULT 'default'::text
river_migration.line text NOT NULL
river_migration.version bigint NOT NULL
river_migration.created_at timestamp with time zone NOT NULL DEFAULT now()
river_notification.id bigint NOT NULL DEFAULT nextval('river_notification_id_seq'::regclass)
river_notification.created_at timestamp with time zone NOT NULL DEFAULT now()
river_notification.payload text NOT NULL
river_notification.topic text NOT NULL
river_queue.name text NOT NULL
river_queue.created_at timestamp with time zone NOT NULL DEFAULT now()
river_queue.metadata jsonb NOT NULL DEFAULT '{}'::jsonb
river_queue.paused_at timestamp with time zone
river_queue.updated_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
rule_stats.rule_id text NOT NULL
rule_stats.month text NOT NULL
rule_stats.triggers bigint NOT NULL DEFAULT 0
rule_stats.confirmed bigint NOT NULL DEFAULT 0
rule_stats.dismissed bigint NOT NULL DEFAULT 0
rule_stats.amount bigint NOT NULL DEFAULT 0
schema_migrations.version integer NOT NULL
schema_migrations.name text NOT NULL
schema_migrations.applied_at text NOT NULL
sessions.token_hash bytea NOT NULL
sessions.user_id bigint NOT NULL
sessions.csrf_token text NOT NULL
sessions.created_at timestamp with time zone NOT NULL
sessions.expires_at timestamp with time zone NOT NULL
sessions.flash text NOT NULL DEFAULT ''::text
settlement_findings.id bigint NOT NULL IDENTITY
settlement_findings.settlement_id bigint NOT NULL
settlement_findings.encounter_id bigint NOT NULL
settlement_findings.institution_id bigint NOT NULL
settlement_findings.region_code text NOT NULL
settlement_findings.rule_id text NOT NULL
settlement_findings.rule_name text NOT NULL
settlement_findings.severity text NOT NULL
settlement_findings.category text NOT NULL
settlement_findings.line_sn text NOT NULL DEFAULT ''::text
settlement_findings.amount bigint NOT NULL
settlement_findings.content text NOT NULL
settlement_findings.evidence text NOT NULL
settlement_findings.review text NOT NULL
settlement_findings.reviewed_by bigint
settlement_findings.reviewed_at timestamp with time zone
settlement_findings.review_reason text NOT NULL DEFAULT ''::text
settlement_findings.created_at timestamp with time zone NOT NULL
settlement_findings.version bigint NOT NULL DEFAULT 1
settlements.id bigint NOT NULL IDENTITY
settlements.kind text NOT NULL
settlements.of_id bigint
settlements.encounter_id bigint NOT NULL
settlements.institution_id bigint NOT NULL
settlements.worker_id bigint NOT NULL
settlements.region_code text NOT NULL
settlements.worker_region text NOT NULL
settlements.treat_region text NOT NULL
settlements.insured_region text NOT NULL
settlements.remote boolean NOT NULL
settlements.med_type text NOT NULL
settlements.medfee bigint NOT NULL
settlements.own_pay bigint NOT NULL
settlements.over_limit bigint NOT NULL
settlements.in_scope bigint NOT NULL
settlements.fund_pay bigint NOT NULL
settlements.cash_pay bigint NOT NULL
settlements.definite bigint NOT NULL
settlements.flagged bigint NOT NULL
settlements.setl_time timestamp with time zone NOT NULL
settlements.setl_day text NOT NULL
settlements.state text NOT NULL
settlements.statement_id bigint
settlements.remote_statement_id bigint
settlements.msgid text NOT NULL
settlements.meal_days integer NOT NULL DEFAULT 0
settlements.meal_fen bigint NOT NULL DEFAULT 0
users.id bigint NOT NULL IDENTITY
users.username text NOT NULL
users.display_name text NOT NULL
users.kind text NOT NULL DEFAULT 'staff'::text
users.role text NOT NULL
users.region_code text NOT NULL
users.password_hash text NOT NULL
users.failed_logins integer NOT NULL DEFAULT 0
users.locked_until timestamp with time zone
users.disabled boolean NOT NULL DEFAULT false
users.created_at timestamp with time zone NOT NULL
users.updated_at timestamp with time zone NOT NULL
users.last_login_at timestamp with time zone
wages.worker_id bigint NOT NULL
wages.employer_id bigint NOT NULL
wages.period text NOT NULL
wages.amount_fen bigint NOT NULL
workers.id bigint NOT NULL IDENTITY
workers.id_hash bytea NOT NULL
workers.id_enc bytea NOT NULL
workers.id_masked text NOT NULL
workers.name text NOT NULL COLLATE C
workers.sex text NOT NULL
workers.birth_date text NOT NULL
workers.phone_enc bytea
workers.phone_masked text NOT NULL DEFAULT ''::text
workers.bank_name text NOT NULL DEFAULT ''::text
workers.bank_enc bytea
workers.bank_masked text NOT NULL DEFAULT ''::text
workers.region_code text NOT NULL
workers.created_at timestamp with time zone NOT NULL
workers.updated_at timestamp with time zone NOT NULL
workers.version bigint NOT NULL DEFAULT 1
workers.id_last4 text GENERATED ALWAYS AS "right"(id_masked, 4)

-- constraints
audit_campaign_teams FOREIGN KEY (campaign_id) REFERENCES audit_campaigns(id)
audit_campaign_teams PRIMARY KEY (campaign_id, no)
audit_campaigns CHECK ((state = ANY (ARRAY['planned'::text, 'drawn'::text, 'on_site'::text, 'closed'::text])))
audit_campaigns FOREIGN KEY (scan_id) REFERENCES audit_scans(id)
audit_campaigns PRIMARY KEY (id)
audit_clinician_points CHECK (((responsibility >= 1) AND (responsibility <= 3)))
audit_clinician_points CHECK ((points > 0))
audit_clinician_points CHECK ((tier = ANY (ARRAY['violation'::text, 'fraud'::text, 'management'::text])))
audit_clinician_points FOREIGN KEY (finding_id) REFERENCES audit_field_findings(id)
audit_clinician_points PRIMARY KEY (id)
audit_clinician_points UNIQUE (finding_id, prac_code)
audit_evidence CHECK ((kind = ANY (ARRAY['note'::text, 'photo'::text, 'document'::text])))
audit_evidence FOREIGN KEY (campaign_id) REFERENCES audit_campaigns(id)
audit_evidence FOREIGN KEY (finding_id) REFERENCES audit_field_findings(id)
audit_evidence FOREIGN KEY (visit_id) REFERENCES audit_visits(id)
audit_evidence PRIMARY KEY (id)
audit_extract_files FOREIGN KEY (extract_id) REFERENCES audit_extracts(id)
audit_extract_files PRIMARY KEY (extract_id, name)
audit_extracts PRIMARY KEY (id)
audit_extracts UNIQUE (name)
audit_field_findings CHECK ((state = ANY (ARRAY['draft'::text, 'fed_back'::text, 'replied'::text, 'confirmed'::text, 'dismissed'::text, 'notified'::text, 'rectifying'::text, 'closed'::text])))
audit_field_findings CHECK ((tier = ANY (ARRAY['violation'::text, 'fraud'::text, 'management'::text])))
audit_field_findings FOREIGN KEY (campaign_id) REFERENCES audit_campaigns(id)
audit_field_findings FOREIGN KEY (visit_id) REFERENCES audit_visits(id)
audit_field_findings PRIMARY KEY (id)
audit_findings CHECK ((review = ANY (ARRAY['new'::text, 'confirmed'::text, 'dismissed'::text])))
audit_findings CHECK ((severity = ANY (ARRAY['definite'::text, 'suspicious'::text])))
audit_findings FOREIGN KEY (scan_id) REFERENCES audit_scans(id)
audit_findings PRIMARY KEY (id)
audit_head CHECK ((id = 1))
audit_head PRIMARY KEY (id)
audit_inspectors PRIMARY KEY (id)
audit_letters CHECK ((kind = ANY (ARRAY['feedback'::text, 'notice'::text])))
audit_letters FOREIGN KEY (campaign_id) REFERENCES audit_campaigns(id)
audit_letters FOREIGN KEY (visit_id) REFERENCES audit_visits(id)
audit_letters PRIMARY KEY (id)
audit_letters UNIQUE (number)
audit_log CHECK ((((seq IS NULL) = (hash IS NULL)) AND ((seq IS NULL) = (prev_hash IS NULL))))
audit_log PRIMARY KEY (id)
audit_pending PRIMARY KEY (id)
audit_recoveries CHECK ((amount_fen > 0))
audit_recoveries CHECK ((kind = ANY (ARRAY['refund'::text, 'offset'::text])))
audit_recoveries CHECK ((state = ANY (ARRAY['open'::text, 'done'::text])))
audit_recoveries FOREIGN KEY (finding_id) REFERENCES audit_field_findings(id)
audit_recoveries PRIMARY KEY (id)
audit_recovery_offsets CHECK ((amount_fen > 0))
audit_recovery_offsets FOREIGN KEY (recovery_id) REFERENCES audit_recoveries(id)
audit_recovery_offsets FOREIGN KEY (statement_id) REFERENCES clearing_statements(id)
audit_recovery_offsets PRIMARY KEY (id)
audit_recovery_offsets UNIQUE (recovery_id, statement_id)
audit_referrals CHECK ((body = ANY (ARRAY['police'::text, 'discipline'::text, 'health'::text, 'penalty'::text])))
audit_referrals FOREIGN KEY (finding_id) REFERENCES audit_field_findings(id)
audit_referrals PRIMARY KEY (id)
audit_referrals UNIQUE (finding_id, body)
audit_rule_settings PRIMARY KEY (id)
audit_rule_settings UNIQUE (rule_id, region, valid_from)
audit_sanctions CHECK ((kind = ANY (ARRAY['talk'::text, 'rectify'::text, 'withhold'::text, 'suspend'::text, 'terminate'::text])))
audit_sanctions FOREIGN KEY (campaign_id) REFERENCES audit_campaigns(id)
audit_sanctions PRIMARY KEY (id)
audit_scans CHECK ((state = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text])))
audit_scans FOREIGN KEY (extract_id) REFERENCES audit_extracts(id)
audit_scans PRIMARY KEY (id)
audit_visits CHECK ((depth = ANY (ARRAY['full'::text, 'light'::text])))
audit_visits CHECK ((state = ANY (ARRAY['planned'::text, 'visited'::text, 'closed'::text])))
audit_visits CHECK ((tier = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text])))
audit_visits FOREIGN KEY (campaign_id) REFERENCES audit_campaigns(id)
audit_visits PRIMARY KEY (id)
audit_visits UNIQUE (campaign_id, fixmedins_code)
case_application_stats PRIMARY KEY (region_code, month, channel)
case_decision_stats PRIMARY KEY (region_code, month, simple, days)
case_events FOREIGN KEY (case_id) REFERENCES cases(id)
case_events FOREIGN KEY (service_id) REFERENCES case_services(id)
case_events PRIMARY KEY (id)
case_files FOREIGN KEY (case_id) REFERENCES cases(id)
case_files PRIMARY KEY (id)
case_files UNIQUE (case_id, material, sha256)
case_letters FOREIGN KEY (case_id) REFERENCES cases(id)
case_letters FOREIGN KEY (service_id) REFERENCES case_services(id)
case_letters PRIMARY KEY (id)
case_letters UNIQUE (number)
case_numbers PRIMARY KEY (region_code, year)
case_outbox FOREIGN KEY (case_id) REFERENCES cases(id)
case_outbox PRIMARY KEY (id)
case_reminders FOREIGN KEY (service_id) REFERENCES case_services(id)
case_reminders PRIMARY KEY (service_id, step, due_date, kind)
case_services FOREIGN KEY (assignee_id) REFERENCES users(id)
case_services FOREIGN KEY (case_id) REFERENCES cases(id)
case_services PRIMARY KEY (id)
cases FOREIGN KEY (employer_id) REFERENCES employers(id)
cases FOREIGN KEY (region_code) REFERENCES regions(code)
cases FOREIGN KEY (worker_id) REFERENCES workers(id)
cases PRIMARY KEY (id)
cases UNIQUE (number)
cases UNIQUE (worker_id, injury_date, employer_id)
catalogue_bundles CHECK ((indicator = ANY (ARRAY[0, 1])))
catalogue_bundles PRIMARY KEY (id)
catalogue_bundles UNIQUE (region, code1, code2, valid_from)
catalogue_entries PRIMARY KEY (id)
catalogue_entries UNIQUE (region, code, valid_from)
clearing_statements CHECK ((kind = ANY (ARRAY['institution'::text, 'remote'::text])))
clearing_statements PRIMARY KEY (id)
dependants FOREIGN KEY (case_id) REFERENCES cases(id)
dependants FOREIGN KEY (worker_id) REFERENCES workers(id)
dependants PRIMARY KEY (id)
employers CHECK (((risk_class >= 1) AND (risk_class <= 8)))
employers FOREIGN KEY (region_code) REFERENCES regions(code)
employers PRIMARY KEY (id)
employers UNIQUE (credit_code)
employments FOREIGN KEY (employer_id) REFERENCES employers(id)
employments FOREIGN KEY (worker_id) REFERENCES workers(id)
employments PRIMARY KEY (id)
encounters CHECK ((state = ANY (ARRAY['open'::text, 'discharged'::text, 'settled'::text, 'cancelled'::text])))
encounters FOREIGN KEY (case_id) REFERENCES cases(id)
encounters FOREIGN KEY (filing_id) REFERENCES filings(id)
encounters FOREIGN KEY (institution_id) REFERENCES institutions(id)
encounters FOREIGN KEY (worker_id) REFERENCES workers(id)
encounters PRIMARY KEY (id)
entitlement_amounts CHECK ((amount_fen >= 0))
entitlement_amounts FOREIGN KEY (entitlement_id) REFERENCES entitlements(id)
entitlement_amounts PRIMARY KEY (id)
entitlements CHECK ((amount_fen >= 0))
entitlements FOREIGN KEY (case_id) REFERENCES cases(id)
entitlements FOREIGN KEY (decision_id) REFERENCES case_services(id)
entitlements FOREIGN KEY (dependant_id) REFERENCES dependants(id)
entitlements FOREIGN KEY (worker_id) REFERENCES workers(id)
entitlements PRIMARY KEY (id)
entitlements UNIQUE (decision_id, type, payee_name)
experts FOREIGN KEY (region_code) REFERENCES regions(code)
experts PRIMARY KEY (id)
fee_lines CHECK ((state = ANY (ARRAY['uploaded'::text, 'settled'::text, 'cancelled'::text])))
fee_lines FOREIGN KEY (encounter_id) REFERENCES encounters(id)
fee_lines PRIMARY KEY (id)
filings CHECK ((kind = ANY (ARRAY['residence'::text, 'posted'::text, 'referral'::text])))
filings CHECK ((state = ANY (ARRAY['active'::text, 'cancelled'::text, 'used'::text])))
filings FOREIGN KEY (case_id) REFERENCES cases(id)
filings FOREIGN KEY (region_code) REFERENCES regions(code)
filings FOREIGN KEY (worker_id) REFERENCES workers(id)
filings PRIMARY KEY (id)
his_messages FOREIGN KEY (institution_id) REFERENCES institutions(id)
his_messages PRIMARY KEY (id)
his_messages UNIQUE (institution_id, msgid)
his_nonces PRIMARY KEY (institution_id, nonce)
his_reconciliations CHECK ((infno = ANY (ARRAY['3201'::text, '3202'::text])))
his_reconciliations FOREIGN KEY (institution_id) REFERENCES institutions(id)
his_reconciliations PRIMARY KEY (id)
imports PRIMARY KEY (id)
institution_ratings CHECK ((grade = ANY (ARRAY['A'::text, 'B'::text, 'C'::text, 'D'::text, 'E'::text])))
institution_ratings FOREIGN KEY (finding_id) REFERENCES audit_field_findings(id)
institution_ratings FOREIGN KEY (sanction_id) REFERENCES audit_sanctions(id)
institution_ratings PRIMARY KEY (id)
institutions CHECK (((level >= 0) AND (level <= 3)))
institutions CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'ended'::text])))
institutions CHECK ((type = ANY (ARRAY['medical'::text, 'rehab'::text, 'device'::text])))
institutions FOREIGN KEY (region_code) REFERENCES regions(code)
institutions PRIMARY KEY (id)
institutions UNIQUE (code)
institutions UNIQUE (paasid)
letter_numbers PRIMARY KEY (region_code, kind, year)
login_attempts PRIMARY KEY (source, window_start)
meal_allowances CHECK ((status = ANY (ARRAY['payable'::text, 'cancelled'::text, 'paid'::text])))
meal_allowances FOREIGN KEY (case_id) REFERENCES cases(id)
meal_allowances FOREIGN KEY (settlement_id) REFERENCES settlements(id)
meal_allowances FOREIGN KEY (worker_id) REFERENCES workers(id)
meal_allowances PRIMARY KEY (id)
meal_allowances UNIQUE (settlement_id)
meta PRIMARY KEY (key)
panel_draws FOREIGN KEY (service_id) REFERENCES case_services(id)
panel_draws PRIMARY KEY (id)
panel_draws UNIQUE (service_id, seq)
param_versions CHECK ((confidence = ANY (ARRAY['C'::text, 'C2'::text, 'U'::text])))
param_versions PRIMARY KEY (id)
payable_items CHECK ((amount_fen >= 0))
payable_items FOREIGN KEY (case_id) REFERENCES cases(id)
payable_items FOREIGN KEY (decision_id) REFERENCES case_services(id)
payable_items FOREIGN KEY (worker_id) REFERENCES workers(id)
payable_items PRIMARY KEY (id)
payable_items UNIQUE (decision_id, type)
payroll_adjustments PRIMARY KEY (id)
payroll_arrears FOREIGN KEY (adjustment_id) REFERENCES payroll_adjustments(id)
payroll_arrears FOREIGN KEY (entitlement_id) REFERENCES entitlements(id)
payroll_arrears PRIMARY KEY (id)
payroll_batches FOREIGN KEY (cycle_id) REFERENCES payroll_cycles(id)
payroll_batches PRIMARY KEY (id)
payroll_batches UNIQUE (cycle_id, bank_code, seq)
payroll_batches UNIQUE (ref)
payroll_cycles PRIMARY KEY (id)
payroll_cycles UNIQUE (region_code, month)
payroll_deductions CHECK ((amount_fen > 0))
payroll_deductions FOREIGN KEY (line_id) REFERENCES payroll_lines(id)
payroll_deductions FOREIGN KEY (recovery_id) REFERENCES payroll_recoveries(id)
payroll_deductions PRIMARY KEY (id)
payroll_deductions UNIQUE (line_id)
payroll_events FOREIGN KEY (dependant_id) REFERENCES dependants(id)
payroll_events FOREIGN KEY (worker_id) REFERENCES workers(id)
payroll_events PRIMARY KEY (id)
payroll_lines FOREIGN KEY (meal_id) REFERENCES meal_allowances(id)
payroll_lines FOREIGN KEY (payable_id) REFERENCES payable_items(id)
payroll_lines PRIMARY KEY (id)
payroll_notices PRIMARY KEY (id)
payroll_recoveries CHECK ((total_fen > 0))
payroll_recoveries FOREIGN KEY (entitlement_id) REFERENCES entitlements(id)
payroll_recoveries FOREIGN KEY (worker_id) REFERENCES workers(id)
payroll_recoveries PRIMARY KEY (id)
portal_accounts CHECK ((((kind = 'worker'::text) = (worker_id IS NOT NULL)) AND ((kind = 'employer'::text) = (employer_id IS NOT NULL))))
portal_accounts CHECK ((kind = ANY (ARRAY['worker'::text, 'employer'::text])))
portal_accounts FOREIGN KEY (employer_id) REFERENCES employers(id)
portal_accounts FOREIGN KEY (worker_id) REFERENCES workers(id)
portal_accounts PRIMARY KEY (id)
portal_accounts UNIQUE (employer_id)
portal_accounts UNIQUE (kind, login_key)
portal_accounts UNIQUE (worker_id)
portal_sessions FOREIGN KEY (account_id) REFERENCES portal_accounts(id)
portal_sessions PRIMARY KEY (token_hash)
prevention_acceptances FOREIGN KEY (project_id) REFERENCES prevention_projects(id)
prevention_acceptances PRIMARY KEY (id)
prevention_acceptances UNIQUE (project_id)
prevention_archive CHECK ((duration_s >= 0))
prevention_archive CHECK ((kind = ANY (ARRAY['audio'::text, 'video'::text, 'photo'::text])))
prevention_archive CHECK ((size > 0))
prevention_archive FOREIGN KEY (session_id) REFERENCES prevention_sessions(id)
prevention_archive PRIMARY KEY (id)
prevention_attendance CHECK ((source = ANY (ARRAY['roster'::text, 'checkin'::text, 'manual'::text])))
prevention_attendance FOREIGN KEY (session_id) REFERENCES prevention_sessions(id)
prevention_attendance FOREIGN KEY (worker_id) REFERENCES workers(id)
prevention_attendance PRIMARY KEY (id)
prevention_attendance UNIQUE (session_id, id_hash)
prevention_budget_lines CHECK ((approved_fen >= 0))
prevention_budget_lines CHECK ((paid_fen >= 0))
prevention_budget_lines CHECK ((requested_fen >= 0))
prevention_budget_lines FOREIGN KEY (project_id) REFERENCES prevention_projects(id)
prevention_budget_lines PRIMARY KEY (id)
prevention_changes CHECK ((state = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text])))
prevention_changes FOREIGN KEY (plan_id) REFERENCES prevention_plans(id)
prevention_changes PRIMARY KEY (id)
prevention_courseware CHECK ((revision >= 1))
prevention_courseware CHECK ((size > 0))
prevention_courseware CHECK ((state = ANY (ARRAY['submitted'::text, 'approved'::text, 'rejected'::text, 'superseded'::text])))
prevention_courseware FOREIGN KEY (expert_id) REFERENCES prevention_experts(id)
prevention_courseware PRIMARY KEY (id)
prevention_courseware UNIQUE (expert_id, topic, revision)
prevention_evaluation_forms PRIMARY KEY (id)
prevention_evaluation_forms UNIQUE (region_code, valid_from)
prevention_evaluations CHECK (((score >= 0) AND (score <= 10000)))
prevention_evaluations CHECK ((kind = ANY (ARRAY['checklist'::text, 'questionnaire'::text])))
prevention_evaluations FOREIGN KEY (session_id) REFERENCES prevention_sessions(id)
prevention_evaluations PRIMARY KEY (id)
prevention_expert_events FOREIGN KEY (expert_id) REFERENCES prevention_experts(id)
prevention_expert_events PRIMARY KEY (id)
prevention_experts CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'removed'::text])))
prevention_experts PRIMARY KEY (id)
prevention_payments CHECK ((amount_fen > 0))
prevention_payments CHECK ((state = ANY (ARRAY['prepared'::text, 'approved'::text, 'returned'::text])))
prevention_payments FOREIGN KEY (project_id) REFERENCES prevention_projects(id)
prevention_payments PRIMARY KEY (id)
prevention_plan_reviews CHECK ((action = ANY (ARRAY['submit'::text, 'return'::text, 'approve'::text, 'change'::text])))
prevention_plan_reviews FOREIGN KEY (plan_id) REFERENCES prevention_plans(id)
prevention_plan_reviews PRIMARY KEY (id)
prevention_plans CHECK ((state = ANY (ARRAY['draft'::text, 'submitted'::text, 'returned'::text, 'approved'::text])))
prevention_plans PRIMARY KEY (id)
prevention_plans UNIQUE (region_code, year)
prevention_projects CHECK ((approved_fen >= 0))
prevention_projects CHECK ((attendance >= 0))
prevention_projects CHECK ((kind = ANY (ARRAY['training'::text, 'publicity'::text])))
prevention_projects CHECK ((paid_fen >= 0))
prevention_projects CHECK ((provider_kind = ANY (ARRAY[''::text, 'insurer'::text, 'organisation'::text, 'expert'::text, 'agency'::text])))
prevention_projects CHECK ((requested_fen >= 0))
prevention_projects CHECK ((sessions >= 0))
prevention_projects CHECK ((state = ANY (ARRAY['planned'::text, 'accepted'::text, 'paid'::text, 'cancelled'::text])))
prevention_projects FOREIGN KEY (plan_id) REFERENCES prevention_plans(id)
prevention_projects PRIMARY KEY (id)
prevention_projects UNIQUE (plan_id, seq)
prevention_sessions CHECK ((capacity >= 0))
prevention_sessions CHECK ((planned >= 0))
prevention_sessions CHECK ((state = ANY (ARRAY['planned'::text, 'held'::text, 'closed'::text, 'cancelled'::text])))
prevention_sessions FOREIGN KEY (expert_id) REFERENCES prevention_experts(id)
prevention_sessions FOREIGN KEY (project_id) REFERENCES prevention_projects(id)
prevention_sessions PRIMARY KEY (id)
prevention_targets CHECK ((target > 0))
prevention_targets CHECK ((year_to >= year_from))
prevention_targets PRIMARY KEY (id)
prevention_years CHECK ((income_fen >= 0))
prevention_years PRIMARY KEY (region_code, year)
regions CHECK ((level = ANY (ARRAY['province'::text, 'city'::text, 'county'::text])))
regions FOREIGN KEY (parent) REFERENCES regions(code)
regions PRIMARY KEY (code)
river_job CHECK ((((finalized_at IS NULL) AND (state <> ALL (ARRAY['cancelled'::river_job_state, 'completed'::river_job_state, 'discarded'::river_job_state]))) OR ((finalized_at IS NOT NULL) AND (state = ANY (ARRAY['cancelled'::river_job_state, 'completed'::river_job_state, 'discarded'::river_job_state])))))
river_job CHECK (((char_length(kind) > 0) AND (char_length(kind) < 128)))
river_job CHECK (((char_length(queue) > 0) AND (char_length(queue) < 128)))
river_job CHECK (((priority >= 1) AND (priority <= 4)))
river_job CHECK ((max_attempts > 0))
river_job PRIMARY KEY (id)
river_leader CHECK (((char_length(leader_id) > 0) AND (char_length(leader_id) < 128)))
river_leader CHECK ((name = 'default'::text))
river_leader PRIMARY KEY (name)
river_migration CHECK (((char_length(line) > 0) AND (char_length(line) < 128)))
river_migration CHECK ((version >= 1))
river_migration PRIMARY KEY (line, version)
river_notification CHECK (((length(topic) > 0) AND (length(topic) < 128)))
river_notification PRIMARY KEY (id)
river_queue PRIMARY KEY (name)
rule_stats PRIMARY KEY (rule_id, month)
schema_migrations PRIMARY KEY (version)
sessions FOREIGN KEY (user_id) REFERENCES users(id)
sessions PRIMARY KEY (token_hash)
settlement_findings CHECK ((review = ANY (ARRAY['none'::text, 'pending'::text, 'accepted'::text, 'rejected'::text])))
settlement_findings CHECK ((severity = ANY (ARRAY['definite'::text, 'suspicious'::text])))
settlement_findings FOREIGN KEY (settlement_id) REFERENCES settlements(id)
settlement_findings PRIMARY KEY (id)
settlements CHECK ((kind = ANY (ARRAY['settle'::text, 'cancel'::text])))
settlements CHECK ((state = ANY (ARRAY['valid'::text, 'cancelled'::text, 'reversed'::text])))
settlements FOREIGN KEY (encounter_id) REFERENCES encounters(id)
settlements FOREIGN KEY (institution_id) REFERENCES institutions(id)
settlements FOREIGN KEY (of_id) REFERENCES settlements(id)
settlements PRIMARY KEY (id)
users FOREIGN KEY (region_code) REFERENCES regions(code)
users PRIMARY KEY (id)
users UNIQUE (username)
wages CHECK ((amount_fen > 0))
wages FOREIGN KEY (employer_id) REFERENCES employers(id)
wages FOREIGN KEY (worker_id) REFERENCES workers(id)
wages PRIMARY KEY (worker_id, period, employer_id)
workers CHECK ((sex = ANY (ARRAY['M'::text, 'F'::text])))
workers FOREIGN KEY (region_code) REFERENCES regions(code)
workers PRIMARY KEY (id)
workers UNIQUE (id_hash)

-- indexes
CREATE UNIQUE INDEX audit_campaign_teams_pkey ON audit_campaign_teams USING btree (campaign_id, no);
CREATE UNIQUE INDEX audit_campaigns_pkey ON audit_campaigns USING btree (id);
CREATE UNIQUE INDEX audit_clinician_points_finding_id_prac_code_key ON audit_clinician_points USING btree (finding_id, prac_code);
CREATE UNIQUE INDEX audit_clinician_points_pkey ON audit_clinician_points USING btree (id);
CREATE INDEX audit_clinician_points_prac ON audit_clinician_points USING btree (prac_code, created_at);
CREATE INDEX audit_clinician_points_region ON audit_clinician_points USING btree (region_code, prac_code);
CREATE UNIQUE INDEX audit_evidence_pkey ON audit_evidence USING btree (id);
CREATE INDEX audit_evidence_visit ON audit_evidence USING btree (visit_id, id);
CREATE UNIQUE INDEX audit_extract_files_pkey ON audit_extract_files USING btree (extract_id, name);
CREATE UNIQUE INDEX audit_extracts_name_key ON audit_extracts USING btree (name);
CREATE UNIQUE INDEX audit_extracts_pkey ON audit_extracts USING btree (id);
CREATE INDEX audit_field_findings_campaign ON audit_field_findings USING btree (campaign_id, visit_id, id);
CREATE INDEX audit_field_findings_institution ON audit_field_findings USING btree (fixmedins_code, state);
CREATE UNIQUE INDEX audit_field_findings_pkey ON audit_field_findings USING btree (id);
CREATE INDEX audit_findings_category ON audit_findings USING btree (scan_id, category, seq);
CREATE INDEX audit_findings_institution ON audit_findings USING btree (scan_id, fixmedins_code, seq);
CREATE UNIQUE INDEX audit_findings_pkey ON audit_findings USING btree (id);
CREATE INDEX audit_findings_region ON audit_findings USING btree (scan_id, region_code, seq);
CREATE UNIQUE INDEX audit_findings_scan ON audit_findings USING btree (scan_id, seq);
CREATE UNIQUE INDEX audit_head_pkey ON audit_head USING btree (id);
CREATE UNIQUE INDEX audit_inspectors_pkey ON audit_inspectors USING btree (id);
CREATE UNIQUE INDEX audit_letters_number_key ON audit_letters USING btree (number);
CREATE UNIQUE INDEX audit_letters_pkey ON audit_letters USING btree (id);
CREATE INDEX audit_letters_visit ON audit_letters USING btree (visit_id, id);
CREATE INDEX audit_log_object ON audit_log USING btree (object_type, object_id);
CREATE INDEX audit_log_object_region ON audit_log USING btree (object_region, id);
CREATE UNIQUE INDEX audit_log_pkey ON audit_log USING btree (id);
CREATE UNIQUE INDEX audit_log_seq ON audit_log USING btree (seq) WHERE (seq IS NOT NULL);
CREATE UNIQUE INDEX audit_pending_pkey ON audit_pending USING btree (id);
CREATE INDEX audit_recoveries_finding ON audit_recoveries USING btree (finding_id, id);
CREATE UNIQUE INDEX audit_recoveries_pkey ON audit_recoveries USING btree (id);
CREATE UNIQUE INDEX audit_recovery_offsets_pkey ON audit_recovery_offsets USING btree (id);
CREATE UNIQUE INDEX audit_recovery_offsets_recovery_id_statement_id_key ON audit_recovery_offsets USING btree (recovery_id, statement_id);
CREATE INDEX audit_recovery_offsets_statement ON audit_recovery_offsets USING btree (statement_id, id);
CREATE UNIQUE INDEX audit_referrals_finding_id_body_key ON audit_referrals USING btree (finding_id, body);
CREATE UNIQUE INDEX audit_referrals_pkey ON audit_referrals USING btree (id);
CREATE UNIQUE INDEX audit_rule_settings_pkey ON audit_rule_settings USING btree (id);
CREATE UNIQUE INDEX audit_rule_settings_rule_id_region_valid_from_key ON audit_rule_settings USING btree (rule_id, region, valid_from);
CREATE INDEX audit_sanctions_institution ON audit_sanctions USING btree (fixmedins_code, decided_at);
CREATE UNIQUE INDEX audit_sanctions_pkey ON audit_sanctions USING btree (id);
CREATE INDEX audit_scans_extract ON audit_scans USING btree (extract_id, id);
CREATE UNIQUE INDEX audit_scans_pkey ON audit_scans USING btree (id);
CREATE UNIQUE INDEX audit_visits_campaign_id_fixmedins_code_key ON audit_visits USING btree (campaign_id, fixmedins_code);
CREATE UNIQUE INDEX audit_visits_pkey ON audit_visits USING btree (id);
CREATE UNIQUE INDEX case_application_stats_pkey ON case_application_stats USING btree (region_code, month, channel);
CREATE UNIQUE INDEX case_decision_stats_pkey ON case_decision_stats USING btree (region_code, month, simple, days);
CREATE INDEX case_events_case ON case_events USING btree (case_id, id);
CREATE UNIQUE INDEX case_events_pkey ON case_events USING btree (id);
CREATE INDEX case_files_case ON case_files USING btree (case_id, id);
CREATE UNIQUE INDEX case_files_case_id_material_sha256_key ON case_files USING btree (case_id, material, sha256);
CREATE UNIQUE INDEX case_files_pkey ON case_files USING btree (id);
CREATE INDEX case_letters_case ON case_letters USING btree (case_id, id);
CREATE UNIQUE INDEX case_letters_number_key ON case_letters USING btree (number);
CREATE UNIQUE INDEX case_letters_pkey ON case_letters USING btree (id);
CREATE UNIQUE INDEX case_numbers_pkey ON case_numbers USING btree (region_code, year);
CREATE INDEX case_outbox_open ON case_outbox USING btree (kind, id) WHERE (consumed_at IS NULL);
CREATE UNIQUE INDEX case_outbox_pkey ON case_outbox USING btree (id);
CREATE UNIQUE INDEX case_reminders_pkey ON case_reminders USING btree (service_id, step, due_date, kind);
CREATE INDEX case_services_assignee ON case_services USING btree (assignee_id, due_date, id) WHERE (party = 'agency'::text);
CREATE INDEX case_services_case ON case_services USING btree (case_id);
CREATE INDEX case_services_due ON case_services USING btree (due_date, id, region_code, kind, state, simple, overdue) WHERE (party = 'agency'::text);
CREATE UNIQUE INDEX case_services_pkey ON case_services USING btree (id);
CREATE INDEX case_services_queue ON case_services USING btree (region_code, kind, state, simple, overdue, due_date) WHERE (party = 'agency'::text);
CREATE INDEX case_services_state ON case_services USING btree (region_code, kind, state, id);
CREATE INDEX cases_employer ON cases USING btree (employer_id, id);
CREATE UNIQUE INDEX cases_number_key ON cases USING btree (number);
CREATE UNIQUE INDEX cases_pkey ON cases USING btree (id);
CREATE INDEX cases_region ON cases USING btree (region_code, id);
CREATE INDEX cases_worker ON cases USING btree (worker_id, id);
CREATE UNIQUE INDEX cases_worker_id_injury_date_employer_id_key ON cases USING btree (worker_id, injury_date, employer_id);
CREATE UNIQUE INDEX catalogue_bundles_pkey ON catalogue_bundles USING btree (id);
CREATE UNIQUE INDEX catalogue_bundles_region_code1_code2_valid_from_key ON catalogue_bundles USING btree (region, code1, code2, valid_from);
CREATE INDEX catalogue_entries_code ON catalogue_entries USING btree (code, id);
CREATE INDEX catalogue_entries_list ON catalogue_entries USING btree (category, code, id);
CREATE INDEX catalogue_entries_name ON catalogue_entries USING btree (name, id);
CREATE UNIQUE INDEX catalogue_entries_pkey ON catalogue_entries USING btree (id);
CREATE UNIQUE INDEX catalogue_entries_region_code_valid_from_key ON catalogue_entries USING btree (region, code, valid_from);
CREATE INDEX catalogue_entries_valid_from ON catalogue_entries USING btree (valid_from, id);
CREATE UNIQUE INDEX clearing_one_institution ON clearing_statements USING btree (month, institution_id) WHERE (kind = 'institution'::text);
CREATE UNIQUE INDEX clearing_one_pair ON clearing_statements USING btree (month, payer_region, payee_region) WHERE (kind = 'remote'::text);
CREATE INDEX clearing_statements_payer ON clearing_statements USING btree (payer_region, month, id);
CREATE UNIQUE INDEX clearing_statements_pkey ON clearing_statements USING btree (id);
CREATE INDEX clearing_statements_region ON clearing_statements USING btree (region_code, month, id);
CREATE UNIQUE INDEX dependants_pkey ON dependants USING btree (id);
CREATE INDEX dependants_worker ON dependants USING btree (worker_id);
CREATE UNIQUE INDEX employers_credit_code_key ON employers USING btree (credit_code);
CREATE INDEX employers_credit_code_trgm ON employers USING gin (credit_code public.gin_trgm_ops);
CREATE INDEX employers_industry ON employers USING btree (industry, region_code, id);
CREATE INDEX employers_name ON employers USING btree (name, region_code, id);
CREATE INDEX employers_name_bigrams ON employers USING gin (name_bigrams(name));
CREATE INDEX employers_name_trgm ON employers USING gin (name public.gin_trgm_ops);
CREATE UNIQUE INDEX employers_pkey ON employers USING btree (id);
CREATE INDEX employers_region_id ON employers USING btree (region_code, id);
CREATE INDEX employers_region_name ON employers USING btree (region_code, name);
CREATE INDEX employers_risk_class ON employers USING btree (risk_class, region_code, id);
CREATE INDEX employments_employer ON employments USING btree (employer_id);
CREATE UNIQUE INDEX employments_pkey ON employments USING btree (id);
CREATE INDEX employments_worker ON employments USING btree (worker_id);
CREATE INDEX encounters_institution ON encounters USING btree (institution_id, id);
CREATE UNIQUE INDEX encounters_one_open ON encounters USING btree (institution_id, worker_id, med_type) WHERE (state = ANY (ARRAY['open'::text, 'discharged'::text]));
CREATE UNIQUE INDEX encounters_pkey ON encounters USING btree (id);
CREATE INDEX encounters_region ON encounters USING btree (region_code, id);
CREATE INDEX encounters_worker ON encounters USING btree (worker_id, state);
CREATE INDEX encounters_worker_region ON encounters USING btree (worker_region, id);
CREATE INDEX entitlement_amounts_ent ON entitlement_amounts USING btree (entitlement_id, effective_from);
CREATE UNIQUE INDEX entitlement_amounts_pkey ON entitlement_amounts USING btree (id);
CREATE UNIQUE INDEX entitlements_decision_id_type_payee_name_key ON entitlements USING btree (decision_id, type, payee_name);
CREATE INDEX entitlements_dependant ON entitlements USING btree (dependant_id) WHERE (dependant_id IS NOT NULL);
CREATE UNIQUE INDEX entitlements_pkey ON entitlements USING btree (id);
CREATE INDEX entitlements_region ON entitlements USING btree (region_code, status, id);
CREATE INDEX entitlements_worker ON entitlements USING btree (worker_id);
CREATE UNIQUE INDEX experts_pkey ON experts USING btree (id);
CREATE INDEX experts_region ON experts USING btree (region_code, grp, id);
CREATE UNIQUE INDEX fee_lines_pkey ON fee_lines USING btree (id);
CREATE INDEX fee_lines_settlement ON fee_lines USING btree (settlement_id) WHERE (settlement_id IS NOT NULL);
CREATE UNIQUE INDEX fee_lines_sn ON fee_lines USING btree (encounter_id, sn) WHERE (state <> 'cancelled'::text);
CREATE UNIQUE INDEX filings_pkey ON filings USING btree (id);
CREATE INDEX filings_region ON filings USING btree (region_code, id);
CREATE INDEX filings_valid_to ON filings USING btree (valid_to, region_code, id);
CREATE INDEX filings_worker ON filings USING btree (worker_id, state, valid_to);
CREATE UNIQUE INDEX his_messages_institution_id_msgid_key ON his_messages USING btree (institution_id, msgid);
CREATE UNIQUE INDEX his_messages_pkey ON his_messages USING btree (id);
CREATE INDEX his_messages_time ON his_messages USING btree (institution_id, created_at);
CREATE UNIQUE INDEX his_nonces_pkey ON his_nonces USING btree (institution_id, nonce);
CREATE INDEX his_nonces_seen ON his_nonces USING btree (seen_at);
CREATE INDEX his_reconciliations_institution ON his_reconciliations USING btree (institution_id, begin_day, id);
CREATE UNIQUE INDEX his_reconciliations_pkey ON his_reconciliations USING btree (id);
CREATE INDEX his_reconciliations_region ON his_reconciliations USING btree (region_code, begin_day, id);
CREATE UNIQUE INDEX imports_pkey ON imports USING btree (id);
CREATE INDEX institution_ratings_institution ON institution_ratings USING btree (fixmedins_code, id);
CREATE UNIQUE INDEX institution_ratings_pkey ON institution_ratings USING btree (id);
CREATE INDEX institutions_agreement_to ON institutions USING btree (agreement_to, region_code, id);
CREATE UNIQUE INDEX institutions_code_key ON institutions USING btree (code);
CREATE INDEX institutions_level ON institutions USING btree (level, region_code, id);
CREATE INDEX institutions_name ON institutions USING btree (name, region_code, id);
CREATE UNIQUE INDEX institutions_paasid_key ON institutions USING btree (paasid);
CREATE UNIQUE INDEX institutions_pkey ON institutions USING btree (id);
CREATE INDEX institutions_region ON institutions USING btree (region_code, id);
CREATE UNIQUE INDEX letter_numbers_pkey ON letter_numbers USING btree (region_code, kind, year);
CREATE UNIQUE INDEX login_attempts_pkey ON login_attempts USING btree (source, window_start);
CREATE INDEX login_attempts_window ON login_attempts USING btree (window_start);
CREATE UNIQUE INDEX meal_allowances_pkey ON meal_allowances USING btree (id);
CREATE INDEX meal_allowances_region ON meal_allowances USING btree (region_code, status, id);
CREATE UNIQUE INDEX meal_allowances_settlement_id_key ON meal_allowances USING btree (settlement_id);
CREATE UNIQUE INDEX meta_pkey ON meta USING btree (key);
CREATE UNIQUE INDEX panel_draws_pkey ON panel_draws USING btree (id);
CREATE UNIQUE INDEX panel_draws_service_id_seq_key ON panel_draws USING btree (service_id, seq);
CREATE UNIQUE INDEX param_versions_pkey ON param_versions USING btree (id);
CREATE UNIQUE INDEX payable_items_decision_id_type_key ON payable_items USING btree (decision_id, type);
CREATE UNIQUE INDEX payable_items_pkey ON payable_items USING btree (id);
CREATE INDEX payable_items_region ON payable_items USING btree (region_code, status, id);
CREATE UNIQUE INDEX payroll_adjustments_pkey ON payroll_adjustments USING btree (id);
CREATE INDEX payroll_adjustments_region ON payroll_adjustments USING btree (region_code, id);
CREATE INDEX payroll_arrears_open ON payroll_arrears USING btree (entitlement_id) WHERE (line_id IS NULL);
CREATE UNIQUE INDEX payroll_arrears_pkey ON payroll_arrears USING btree (id);
CREATE UNIQUE INDEX payroll_batches_cycle_id_bank_code_seq_key ON payroll_batches USING btree (cycle_id, bank_code, seq);
CREATE UNIQUE INDEX payroll_batches_pkey ON payroll_batches USING btree (id);
CREATE UNIQUE INDEX payroll_batches_ref_key ON payroll_batches USING btree (ref);
CREATE INDEX payroll_cycles_month ON payroll_cycles USING btree (month, region_code);
CREATE UNIQUE INDEX payroll_cycles_pkey ON payroll_cycles USING btree (id);
CREATE UNIQUE INDEX payroll_cycles_region_code_month_key ON payroll_cycles USING btree (region_code, month);
CREATE UNIQUE INDEX payroll_deductions_line_id_key ON payroll_deductions USING btree (line_id);
CREATE UNIQUE INDEX payroll_deductions_pkey ON payroll_deductions USING btree (id);
CREATE UNIQUE INDEX payroll_events_pkey ON payroll_events USING btree (id);
CREATE INDEX payroll_events_worker ON payroll_events USING btree (worker_id, dependant_id);
CREATE UNIQUE INDEX payroll_lines_arrears ON payroll_lines USING btree (entitlement_id, cycle_id) WHERE (kind = 'arrears'::text);
CREATE INDEX payroll_lines_bank ON payroll_lines USING btree (cycle_id, bank_code, batch_seq, id);
CREATE INDEX payroll_lines_cycle ON payroll_lines USING btree (cycle_id, state, id);
CREATE INDEX payroll_lines_extra ON payroll_lines USING btree (worker_id, month) WHERE (kind <> 'regular'::text);
CREATE UNIQUE INDEX payroll_lines_meal ON payroll_lines USING btree (meal_id) WHERE (kind = 'oneoff'::text);
CREATE UNIQUE INDEX payroll_lines_oneoff ON payroll_lines USING btree (payable_id) WHERE (kind = 'oneoff'::text);
CREATE INDEX payroll_lines_owed ON payroll_lines USING btree (entitlement_id) WHERE ((state = 'suspended'::text) AND (repaid_by IS NULL));
CREATE UNIQUE INDEX payroll_lines_pkey ON payroll_lines USING btree (id);
CREATE UNIQUE INDEX payroll_lines_regular ON payroll_lines USING btree (entitlement_id, month) WHERE (kind = 'regular'::text);
CREATE UNIQUE INDEX payroll_lines_reissue ON payroll_lines USING btree (replaces_id) WHERE (kind = 'reissue'::text);
CREATE UNIQUE INDEX payroll_notices_line ON payroll_notices USING btree (line_id, kind) WHERE (line_id IS NOT NULL);
CREATE UNIQUE INDEX payroll_notices_pkey ON payroll_notices USING btree (id);
CREATE INDEX payroll_notices_worker ON payroll_notices USING btree (worker_id, id);
CREATE INDEX payroll_recoveries_entitlement ON payroll_recoveries USING btree (entitlement_id, state);
CREATE UNIQUE INDEX payroll_recoveries_pkey ON payroll_recoveries USING btree (id);
CREATE INDEX payroll_recoveries_region ON payroll_recoveries USING btree (region_code, id);
CREATE UNIQUE INDEX portal_accounts_employer_id_key ON portal_accounts USING btree (employer_id);
CREATE UNIQUE INDEX portal_accounts_kind_login_key_key ON portal_accounts USING btree (kind, login_key);
CREATE UNIQUE INDEX portal_accounts_pkey ON portal_accounts USING btree (id);
CREATE UNIQUE INDEX portal_accounts_worker_id_key ON portal_accounts USING btree (worker_id);
CREATE INDEX portal_sessions_account ON portal_sessions USING btree (account_id);
CREATE INDEX portal_sessions_expires ON portal_sessions USING btree (expires_at);
CREATE UNIQUE INDEX portal_sessions_pkey ON portal_sessions USING btree (token_hash);
CREATE UNIQUE INDEX prevention_acceptances_pkey ON prevention_acceptances USING btree (id);
CREATE UNIQUE INDEX prevention_acceptances_project_id_key ON prevention_acceptances USING btree (project_id);
CREATE UNIQUE INDEX prevention_archive_pkey ON prevention_archive USING btree (id);
CREATE INDEX prevention_archive_session ON prevention_archive USING btree (session_id, id);
CREATE INDEX prevention_attendance_person ON prevention_attendance USING btree (id_hash, session_id);
CREATE UNIQUE INDEX prevention_attendance_pkey ON prevention_attendance USING btree (id);
CREATE UNIQUE INDEX prevention_attendance_session_id_id_hash_key ON prevention_attendance USING btree (session_id, id_hash);
CREATE UNIQUE INDEX prevention_budget_lines_pkey ON prevention_budget_lines USING btree (id);
CREATE INDEX prevention_budget_lines_project ON prevention_budget_lines USING btree (project_id, id);
CREATE UNIQUE INDEX prevention_changes_pending ON prevention_changes USING btree (plan_id) WHERE (state = 'pending'::text);
CREATE UNIQUE INDEX prevention_changes_pkey ON prevention_changes USING btree (id);
CREATE INDEX prevention_changes_plan ON prevention_changes USING btree (plan_id, id);
CREATE UNIQUE INDEX prevention_courseware_approved ON prevention_courseware USING btree (expert_id, topic) WHERE (state = 'approved'::text);
CREATE UNIQUE INDEX prevention_courseware_expert_id_topic_revision_key ON prevention_courseware USING btree (expert_id, topic, revision);
CREATE UNIQUE INDEX prevention_courseware_pkey ON prevention_courseware USING btree (id);
CREATE UNIQUE INDEX prevention_evaluation_forms_pkey ON prevention_evaluation_forms USING btree (id);
CREATE UNIQUE INDEX prevention_evaluation_forms_region_code_valid_from_key ON prevention_evaluation_forms USING btree (region_code, valid_from);
CREATE UNIQUE INDEX prevention_evaluations_pkey ON prevention_evaluations USING btree (id);
CREATE INDEX prevention_evaluations_session ON prevention_evaluations USING btree (session_id, kind, id);
CREATE INDEX prevention_expert_events_expert ON prevention_expert_events USING btree (expert_id, id);
CREATE UNIQUE INDEX prevention_expert_events_pkey ON prevention_expert_events USING btree (id);
CREATE UNIQUE INDEX prevention_experts_pkey ON prevention_experts USING btree (id);
CREATE INDEX prevention_experts_specialty ON prevention_experts USING btree (specialty, status, id);
CREATE UNIQUE INDEX prevention_payments_pkey ON prevention_payments USING btree (id);
CREATE INDEX prevention_payments_project ON prevention_payments USING btree (project_id, id);
CREATE INDEX prevention_payments_region ON prevention_payments USING btree (region_code, id);
CREATE UNIQUE INDEX prevention_plan_reviews_pkey ON prevention_plan_reviews USING btree (id);
CREATE INDEX prevention_plan_reviews_plan ON prevention_plan_reviews USING btree (plan_id, id);
CREATE UNIQUE INDEX prevention_plans_pkey ON prevention_plans USING btree (id);
CREATE UNIQUE INDEX prevention_plans_region_code_year_key ON prevention_plans USING btree (region_code, year);
CREATE UNIQUE INDEX prevention_projects_pkey ON prevention_projects USING btree (id);
CREATE UNIQUE INDEX prevention_projects_plan_id_seq_key ON prevention_projects USING btree (plan_id, seq);
CREATE INDEX prevention_projects_region ON prevention_projects USING btree (region_code, id);
CREATE UNIQUE INDEX prevention_sessions_checkin ON prevention_sessions USING btree (checkin) WHERE (checkin <> ''::text);
CREATE INDEX prevention_sessions_expert ON prevention_sessions USING btree (expert_id, held_on);
CREATE UNIQUE INDEX prevention_sessions_pkey ON prevention_sessions USING btree (id);
CREATE INDEX prevention_sessions_project ON prevention_sessions USING btree (project_id, id);
CREATE INDEX prevention_sessions_region ON prevention_sessions USING btree (region_code, held_on, id);
CREATE UNIQUE INDEX prevention_targets_pkey ON prevention_targets USING btree (id);
CREATE INDEX prevention_targets_region ON prevention_targets USING btree (region_code, programme);
CREATE UNIQUE INDEX prevention_years_pkey ON prevention_years USING btree (region_code, year);
CREATE UNIQUE INDEX regions_pkey ON regions USING btree (code);
CREATE INDEX river_job_args_index ON river_job USING gin (args);
CREATE INDEX river_job_kind ON river_job USING btree (kind);
CREATE INDEX river_job_metadata_index ON river_job USING gin (metadata);
CREATE UNIQUE INDEX river_job_pkey ON river_job USING btree (id);
CREATE INDEX river_job_prioritized_fetching_index ON river_job USING btree (state, queue, priority, scheduled_at, id);
CREATE INDEX river_job_state_and_finalized_at_index ON river_job USING btree (state, finalized_at) WHERE (finalized_at IS NOT NULL);
CREATE UNIQUE INDEX river_job_unique_idx ON river_job USING btree (unique_key) WHERE ((unique_key IS NOT NULL) AND (unique_states IS NOT NULL) AND river_job_state_in_bitmask(unique_states, state));
CREATE UNIQUE INDEX river_leader_pkey ON river_leader USING btree (name);
CREATE UNIQUE INDEX river_migration_pkey1 ON river_migration USING btree (line, version);
CREATE INDEX river_notification_created_at_idx ON river_notification USING btree (created_at);
CREATE UNIQUE INDEX river_notification_pkey ON river_notification USING btree (id);
CREATE INDEX river_notification_topic_id_idx ON river_notification USING btree (topic, id);
CREATE UNIQUE INDEX river_queue_pkey ON river_queue USING btree (name);
CREATE UNIQUE INDEX rule_stats_pkey ON rule_stats USING btree (rule_id, month);
CREATE UNIQUE INDEX schema_migrations_pkey ON schema_migrations USING btree (version);
CREATE UNIQUE INDEX sessions_pkey ON sessions USING btree (token_hash);
CREATE INDEX sessions_user ON sessions USING btree (user_id);
CREATE UNIQUE INDEX settlement_findings_pkey ON settlement_findings USING btree (id);
CREATE INDEX settlement_findings_review ON settlement_findings USING btree (region_code, review, id);
CREATE INDEX settlement_findings_settlement ON settlement_findings USING btree (settlement_id);
CREATE INDEX settlements_institution_day ON settlements USING btree (institution_id, setl_day, id);
CREATE UNIQUE INDEX settlements_one_cancel ON settlements USING btree (of_id) WHERE (kind = 'cancel'::text);
CREATE UNIQUE INDEX settlements_one_valid ON settlements USING btree (encounter_id) WHERE ((kind = 'settle'::text) AND (state = 'valid'::text));
CREATE UNIQUE INDEX settlements_pkey ON settlements USING btree (id);
CREATE INDEX settlements_region ON settlements USING btree (region_code, id);
CREATE INDEX settlements_remote_statement ON settlements USING btree (remote_statement_id, id) WHERE (remote_statement_id IS NOT NULL);
CREATE INDEX settlements_statement ON settlements USING btree (statement_id, id) WHERE (statement_id IS NOT NULL);
CREATE INDEX settlements_unstated ON settlements USING btree (setl_day, region_code) WHERE ((kind = 'settle'::text) AND (state = 'valid'::text) AND (statement_id IS NULL));
CREATE INDEX settlements_worker_region ON settlements USING btree (worker_region, id);
CREATE UNIQUE INDEX users_pkey ON users USING btree (id);
CREATE UNIQUE INDEX users_username_key ON users USING btree (username);
CREATE UNIQUE INDEX wages_pkey ON wages USING btree (worker_id, period, employer_id);
CREATE INDEX workers_birth ON workers USING btree (birth_date, region_code, id);
CREATE INDEX workers_given1 ON workers USING btree (substr(name, 2, 1), name, region_code, id) WHERE (length(name) = 2);
CREATE UNIQUE INDEX workers_id_hash_key ON workers USING btree (id_hash);
CREATE INDEX workers_id_last4 ON workers USING btree (id_last4, region_code, id);
CREATE INDEX workers_name ON workers USING btree (name, region_code, id);
CREATE INDEX workers_name_bigrams ON workers USING gin (name_bigrams(name));
CREATE INDEX workers_name_trgm ON workers USING gin (name public.gin_trgm_ops);
CREATE UNIQUE INDEX workers_pkey ON workers USING btree (id);
CREATE INDEX workers_region ON workers USING btree (region_code, id);
