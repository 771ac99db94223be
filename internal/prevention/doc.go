// Package prevention is the work-injury prevention (工伤预防) domain: the
// city's prevention year and its cap (a share of last year's contribution
// income, 人社部规〔2017〕13号 Art. 5), the counties' annual plans with
// their projects and budget lines and the plan's review, the key
// industries chosen from injury data, the expert pool and its courseware,
// the trainings (sessions, attendance, archive), their evaluation and the
// payment rule that turns a score into an amount, and the KPIs computed
// from the recorded trainings. It is pure: no database, files or clock.
package prevention
