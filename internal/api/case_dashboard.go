package api

import (
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// durationsBody are the days from application to recognition decision
// under one procedure.
type durationsBody struct {
	Decided     int `json:"decided"`
	MedianDays  int `json:"median_days"`
	P90Days     int `json:"p90_days"`
	WithinLegal int `json:"within_legal"` // decided within the statutory limit
	WithinLocal int `json:"within_local"` // decided within the region's own limit
}

// channelCount is the applications of one channel.
type channelCount struct {
	Channel casebundle.Channel `json:"channel"`
	Name    string             `json:"name"`
	Cases   int                `json:"cases"`
}

// figuresBody are the dashboard's figures of the 工伤一件事.
type figuresBody struct {
	RegionCode        string         `json:"region_code"`
	Since             string         `json:"since"` // applications from this date
	Cases             int            `json:"cases"`
	Normal            durationsBody  `json:"normal"`
	Simple            durationsBody  `json:"simple"`
	DocumentsPerCase  float64        `json:"documents_per_case"`
	BaselineDocuments int            `json:"baseline_documents"`
	TripsAvoided      int            `json:"trips_avoided"`
	OpenSteps         int            `json:"open_steps"`
	OverdueSteps      int            `json:"overdue_steps"`
	ByChannel         []channelCount `json:"by_channel"`
}

func durationsOf(d store.Durations) durationsBody {
	return durationsBody{Decided: d.Decided, MedianDays: d.Median, P90Days: d.P90, WithinLegal: d.WithinLegal, WithinLocal: d.WithinLocal}
}

func figuresOf(region string, f store.CaseFigures) figuresBody {
	out := figuresBody{RegionCode: region, Since: f.Since, Cases: f.Cases, Normal: durationsOf(f.Normal), Simple: durationsOf(f.Simple),
		DocumentsPerCase: f.Documents, BaselineDocuments: f.BaselineDocs, TripsAvoided: f.TripsAvoided, OpenSteps: f.Open,
		OverdueSteps: f.Overdue, ByChannel: []channelCount{}}
	for _, ch := range casebundle.Channels {
		out.ByChannel = append(out.ByChannel, channelCount{Channel: ch, Name: ch.Name(), Cases: f.ByChannel[ch]})
	}
	return out
}

// apiCaseDashboard counts the figures over the caller's scope, or over one
// region of it (region=).
func (s *Server) apiCaseDashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	scope, region := rq.P.Scope(), rq.P.RegionCode
	if v := strings.TrimSpace(r.URL.Query().Get("region")); v != "" {
		if !scope.Covers(v) {
			return errs.Field("region", "region_scope", "地区“%s”不在您的管辖范围内", clipText(v))
		}
		scope, region = access.ScopeOf(v), v
	}
	f, err := s.store.CaseDashboard(r.Context(), scope)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, figuresOf(region, f))
	return nil
}
