package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// OwnExtract builds a settlement extract from the settlements gongshang
// holds itself (the hospital interface's settled encounters that began in
// year), in the actor's scope (the treating institution's region), so the
// screening runs over them exactly as over an imported extract. Workers
// are keyed by a pseudonym ("W" + id), never by their ID number; the
// catalogue's categories are mapped to the extract's by the national code
// groups (21–23 imaging, 25–27 laboratory, 33 surgery, 3301 anaesthesia,
// 34 rehabilitation, C03 implants). Clinicians, purchases and attendance
// are not held, so the rules that need them do not run on this source.
func (s *Store) OwnExtract(ctx context.Context, actor access.Principal, year int) (*supervision.Extract, error) {
	if !actor.Can(access.PermSupervisionScreen) {
		return nil, errs.E(errs.Forbidden, "无权筛查结算数据")
	}
	x := &supervision.Extract{}
	lo, hi := actor.Scope().Range()
	if err := s.ownInstitutions(ctx, x); err != nil {
		return nil, err
	}
	if err := s.ownCatalogue(ctx, x); err != nil {
		return nil, err
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)).UTC()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)).UTC()
	if err := s.ownEncounters(ctx, x, lo, hi, from, to); err != nil {
		return nil, err
	}
	if err := s.ownLines(ctx, x); err != nil {
		return nil, err
	}
	return x, nil
}

func (s *Store) ownInstitutions(ctx context.Context, x *supervision.Extract) error {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, region_code, type, level, beds, equipment FROM institutions ORDER BY code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var in supervision.Institution
		var eq string
		if err := rows.Scan(&in.Code, &in.Name, &in.Region, &in.Type, &in.Level, &in.Beds, &eq); err != nil {
			return err
		}
		if in.Type != "rehab" {
			in.Type = "medical"
		}
		_ = json.Unmarshal([]byte(eq), &in.Equipment)
		in.Equipment = ownEquipment(in.Equipment)
		x.Institutions = append(x.Institutions, in)
	}
	return rows.Err()
}

// ownEquipment maps the register's equipment names to the extract's codes.
func ownEquipment(names []string) []string {
	var out []string
	for _, n := range names {
		u := strings.ToUpper(n)
		switch {
		case strings.Contains(u, "3.0T"):
			out = append(out, "MR3T", "MR15T")
		case strings.Contains(u, "MR") || strings.Contains(n, "磁共振"):
			out = append(out, "MR15T")
		case strings.Contains(u, "CT"):
			out = append(out, "CT")
		case strings.Contains(u, "DSA"):
			out = append(out, "DSA")
		case strings.Contains(u, "DR") || strings.Contains(n, "X线"):
			out = append(out, "DR")
		case strings.Contains(n, "高压氧"):
			out = append(out, "HBO")
		case strings.Contains(u, "ICU") || strings.Contains(n, "重症"):
			out = append(out, "ICU")
		case strings.Contains(n, "烧伤"):
			out = append(out, "BURN")
		default:
			out = append(out, n)
		}
	}
	return out
}

func (s *Store) ownCatalogue(ctx context.Context, x *supervision.Extract) error {
	book, err := s.Catalogue(ctx)
	if err != nil {
		return err
	}
	for _, e := range book.Entries() {
		it := supervision.Item{Code: e.Code, Name: e.Name, Category: ownCategory(e), Unit: e.Unit, Prices: e.Prices, Covered: e.Covered,
			PerDay: int64(e.PerDay) * supervision.QtyScale, PerStay: int64(e.PerStay) * supervision.QtyScale, MinInterval: e.MinInterval}
		if it.Category == supervision.CatDrug {
			it.Related = []string{"any"} // the drug catalogue holds no indications
		}
		if it.From, err = supervision.ParseDay(e.ValidFrom); err != nil {
			return err
		}
		if e.ValidTo != "" {
			if it.To, err = supervision.ParseDay(e.ValidTo); err != nil {
				return err
			}
		}
		x.Items = append(x.Items, it)
	}
	bundles, err := s.CatalogueBundles(ctx)
	if err != nil {
		return err
	}
	for _, b := range bundles {
		sb := supervision.Bundle{Item1: b.Code1, Item2: b.Code2, Indicator: b.Indicator}
		sb.From, _ = supervision.ParseDay(b.ValidFrom)
		if b.ValidTo != "" {
			sb.To, _ = supervision.ParseDay(b.ValidTo)
		}
		x.Bundles = append(x.Bundles, sb)
	}
	return nil
}

// ownCategory maps a catalogue row to the extract's item category.
func ownCategory(e catalogue.Entry) string {
	code := e.Code
	group := ""
	if len(code) >= 6 && strings.HasPrefix(code, "00") {
		group = code[2:6]
	}
	switch e.Category {
	case catalogue.Drug:
		return supervision.CatDrug
	case catalogue.Bed:
		switch {
		case strings.Contains(e.Name, "护理"):
			return supervision.CatNursing
		case strings.Contains(e.Name, "诊查"):
			return supervision.CatConsult
		case strings.Contains(e.Name, "膳食") || strings.Contains(e.Name, "饮食"):
			return supervision.CatMeal
		}
		return supervision.CatBed
	case catalogue.Rehab:
		return supervision.CatRehab
	case catalogue.Material, catalogue.Device:
		if strings.HasPrefix(code, "C03") {
			return supervision.CatImplant
		}
		return supervision.CatMaterial
	}
	switch {
	case group == "1102" || group == "1101":
		return supervision.CatConsult
	case strings.HasPrefix(group, "21") || strings.HasPrefix(group, "22") || strings.HasPrefix(group, "23"):
		return supervision.CatImaging
	case strings.HasPrefix(group, "25") || strings.HasPrefix(group, "26") || strings.HasPrefix(group, "27"):
		return supervision.CatLab
	case group == "3301" || strings.Contains(e.Name, "麻醉"):
		return supervision.CatAnaesthesia
	case strings.HasPrefix(group, "33"):
		return supervision.CatSurgery
	case strings.HasPrefix(group, "34"):
		return supervision.CatRehab
	}
	return supervision.CatTreatment
}

func (s *Store) ownEncounters(ctx context.Context, x *supervision.Extract, lo, hi string, from, to time.Time) error {
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, i.code, e.worker_id, e.med_type, e.begin_at, e.end_at, e.diag_code, e.doctor,
		st.id, st.setl_time, st.medfee, st.fund_pay, COALESCE(c.id, 0), COALESCE(c.injury_date, ''), COALESCE(c.employer_id, 0), COALESCE(c.detail, '')
		FROM encounters e JOIN institutions i ON i.id = e.institution_id
		JOIN settlements st ON st.encounter_id = e.id AND st.kind = 'settle' AND st.state = 'valid'
		LEFT JOIN cases c ON c.id = e.case_id
		WHERE e.state = 'settled' AND e.region_code >= $1 AND e.region_code < $2 AND e.begin_at >= $3 AND e.begin_at < $4
		ORDER BY e.id`, lo, hi, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	persons := map[int64]bool{}
	injuries := map[int64]bool{}
	for rows.Next() {
		var (
			id, worker, setl, caseID, employer int64
			inst, medType, diag, doctor        string
			injuryDate, detail                 string
			begin, setlAt                      time.Time
			end                                *time.Time
			medfee, fund                       int64
		)
		if err := rows.Scan(&id, &inst, &worker, &medType, &begin, &end, &diag, &doctor, &setl, &setlAt, &medfee, &fund,
			&caseID, &injuryDate, &employer, &detail); err != nil {
			return err
		}
		e := supervision.Encounter{ID: fmt.Sprintf("E%d", id), Institution: inst, CertNo: fmt.Sprintf("W%d", worker), MedType: medType,
			Begin: supervision.Time(begin.Unix()), MainDiag: diag, Attending: doctor, SetlID: fmt.Sprintf("S%d", setl),
			SetlTime: supervision.Time(setlAt.Unix()), Total: medfee, FundPaid: fund}
		if medType == "21" {
			e.MedType = supervision.Inpatient
		}
		e.End = e.Begin
		if end != nil {
			e.End = supervision.Time(end.Unix())
		}
		if caseID != 0 {
			e.Injury = fmt.Sprintf("C%d", caseID)
			if !injuries[caseID] {
				injuries[caseID] = true
				x.Injuries = append(x.Injuries, ownInjury(e.Injury, e.CertNo, employer, injuryDate, detail))
			}
		}
		if !persons[worker] {
			persons[worker] = true
			x.Persons = append(x.Persons, supervision.Person{CertNo: e.CertNo, Employer: fmt.Sprintf("E%d", employer)})
		}
		x.Encounters = append(x.Encounters, e)
	}
	return rows.Err()
}

// ownInjury is a case's recognised injury: its date and the region of its
// diagnosis.
func ownInjury(id, cert string, employer int64, date, detail string) supervision.Injury {
	var ct caseText
	_ = json.Unmarshal([]byte(detail), &ct)
	in := supervision.Injury{ID: id, CertNo: cert, Employer: fmt.Sprintf("E%d", employer), Diag: DiagCode(ct.Diagnosis), Event: id}
	in.Date, _ = supervision.ParseDay(date)
	if r := supervision.DiagRegion(in.Diag); r != "" {
		in.Regions = []string{r}
	}
	return in
}

func (s *Store) ownLines(ctx context.Context, x *supervision.Extract) error {
	if len(x.Encounters) == 0 {
		return nil
	}
	idx := map[string]int32{}
	for i := range x.Encounters {
		idx[x.Encounters[i].ID] = int32(i)
	}
	lo, hi := x.Encounters[0].ID, x.Encounters[len(x.Encounters)-1].ID
	var first, last int64
	fmt.Sscanf(lo, "E%d", &first)
	fmt.Sscanf(hi, "E%d", &last)
	rows, err := s.db.QueryContext(ctx, `SELECT encounter_id, sn, fee_time, code, qty, price, amount, dept, doctor FROM fee_lines
		WHERE encounter_id >= $1 AND encounter_id <= $2 AND state = 'settled' ORDER BY encounter_id, fee_time, id`, first, last)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var enc int64
		var l supervision.Line
		var at time.Time
		if err := rows.Scan(&enc, &l.SN, &at, &l.Code, &l.Cnt, &l.Price, &l.Amount, &l.Dept, &l.Doctor); err != nil {
			return err
		}
		ei, ok := idx[fmt.Sprintf("E%d", enc)]
		if !ok {
			continue
		}
		l.Enc = ei
		l.Time = supervision.Time(at.Unix())
		l.SN = fmt.Sprintf("E%d-%s", enc, l.SN)
		x.Lines = append(x.Lines, l)
		x.Encounters[ei].Lines = append(x.Encounters[ei].Lines, int32(len(x.Lines)-1))
	}
	return rows.Err()
}
