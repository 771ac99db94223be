package demo

import (
	"testing"
	"time"

	"gongshang/internal/registry"
)

// The demo's trainings reproduce the source text's figures exactly, for
// any seed and however many registered workers there are to link.
func TestPreventionDataFigures(t *testing.T) {
	for _, tt := range []struct {
		seed       uint64
		registered int
	}{{1, 20000}, {7, 1000}, {3, 0}} {
		sessions, people := PreventionData(tt.seed, tt.registered)
		if len(sessions) != PrevSessions {
			t.Fatalf("seed %d: %d sessions, want %d", tt.seed, len(sessions), PrevSessions)
		}
		times, haz := 0, map[int]bool{}
		var reached time.Time
		for _, s := range sessionsByDay(sessions) {
			seen := map[int]bool{}
			for _, p := range s.People {
				if seen[p] {
					t.Fatalf("seed %d: person %d twice in one session", tt.seed, p)
				}
				seen[p] = true
			}
			times += len(s.People)
			if s.Programme == PrevProgrammeHazchem {
				for _, p := range s.People {
					haz[p] = true
				}
				if len(haz) >= PrevHazchemTarget && reached.IsZero() {
					reached = s.Day
				}
			}
		}
		if times != PrevAttendances || len(haz) != PrevHazchemTrained {
			t.Fatalf("seed %d: %d attendances and %d trained in the programme, want %d and %d", tt.seed, times, len(haz), PrevAttendances, PrevHazchemTrained)
		}
		if pct := float64(len(haz)) * 100 / PrevHazchemTarget; pct < 272.5 || pct >= 273.5 {
			t.Fatalf("seed %d: %.1f %% of the target, want 273 %%", tt.seed, pct)
		}
		if reached.After(time.Date(2025, 8, 31, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("seed %d: the target was reached on %s, want within the programme's first year and a half", tt.seed, reached.Format(time.DateOnly))
		}
		ids, workers := map[string]bool{}, map[int]bool{}
		for _, p := range people {
			switch {
			case p.Worker >= 0:
				if p.Worker >= tt.registered || workers[p.Worker] {
					t.Fatalf("seed %d: registered worker %d handed out twice or beyond %d", tt.seed, p.Worker, tt.registered)
				}
				workers[p.Worker] = true
			case !validID(p.ID) || ids[p.ID] || p.Name == "":
				t.Fatalf("seed %d: attendee %+v (invalid, unnamed or a duplicate ID number)", tt.seed, p)
			default:
				ids[p.ID] = true
			}
		}
	}
}

func sessionsByDay(ss []PrevSession) []PrevSession {
	out := append([]PrevSession(nil), ss...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Day.Before(out[j-1].Day); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func validID(s string) bool {
	_, err := registry.ParseIDNumber("id_number", s, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	return err == nil
}
