package hissim

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stats summarise a Drive run.
type Stats struct {
	Flows       int           // flows completed
	Errors      int           // flows that failed
	FirstErr    error         // the first failure, if any
	Elapsed     time.Duration // wall time of the run
	FlowsPerSec float64       // completed flows per second
	// Latency per infno of FlowSteps (9001 only when a client signed in).
	Latency map[string]Percentiles
}

// Percentiles of one transaction's latency (nearest rank).
type Percentiles struct {
	N        int
	P50, P99 time.Duration
	Max      time.Duration
}

// DriveLines is the number of fee lines of each flow Drive runs.
const DriveLines = 10

// Drive runs flows complete flows of DriveLines lines each; see DriveN.
func Drive(ctx context.Context, clients []*Client, persons []FixturePerson, catalog []FixtureItem, concurrency, flows int) (Stats, error) {
	return DriveN(ctx, clients, persons, catalog, concurrency, flows, DriveLines)
}

// DriveN runs flows complete flows with concurrency goroutines, each one
// hospital: goroutine i uses clients[i%len(clients)]. A person is never in
// two flows at once (a worker waits for a free one), so the effective
// concurrency is at most len(persons). Each flow uploads lines covered
// catalogue items. Failed flows are counted, not fatal; Drive returns an
// error only for bad arguments or a cancelled ctx.
func DriveN(ctx context.Context, clients []*Client, persons []FixturePerson, catalog []FixtureItem, concurrency, flows, lines int) (Stats, error) {
	if len(clients) == 0 || len(persons) == 0 || concurrency < 1 || flows < 0 || lines < 1 {
		return Stats{}, errors.New("hissim: Drive needs clients, persons, concurrency ≥ 1 and lines ≥ 1")
	}
	free := make(chan int, len(persons))
	for i := range persons {
		free <- i
	}
	var next atomic.Int64
	workers := make([]worker, concurrency)
	per := flows/concurrency + 1
	var wg sync.WaitGroup
	start := time.Now()
	for i := range workers {
		w := &workers[i]
		for s := range w.lat {
			w.lat[s] = make([]time.Duration, 0, per)
		}
		wg.Add(1)
		go func(c *Client) {
			defer wg.Done()
			for next.Add(1) <= int64(flows) && ctx.Err() == nil {
				w.run(ctx, c, persons, catalog, lines, free)
			}
		}(clients[i%len(clients)])
	}
	wg.Wait()
	st := merge(workers)
	st.Elapsed = time.Since(start)
	if st.Elapsed > 0 {
		st.FlowsPerSec = float64(st.Flows) / st.Elapsed.Seconds()
	}
	return st, ctx.Err()
}

// worker keeps one goroutine's results, merged at the end.
type worker struct {
	flows, errors int
	firstErr      error
	lat           [numSteps][]time.Duration
}

func (w *worker) run(ctx context.Context, c *Client, persons []FixturePerson, catalog []FixtureItem, lines int, free chan int) {
	var p int
	select {
	case p = <-free:
	case <-ctx.Done():
		return
	}
	res, err := c.Flow(ctx, persons[p], lines, catalog)
	free <- p
	for s, d := range res.Latency {
		if d > 0 {
			w.lat[s] = append(w.lat[s], d)
		}
	}
	if err != nil {
		w.errors++
		if w.firstErr == nil {
			w.firstErr = err
		}
		return
	}
	w.flows++
}

func merge(workers []worker) Stats {
	st := Stats{Latency: make(map[string]Percentiles, numSteps)}
	var all [numSteps][]time.Duration
	for i := range workers {
		w := &workers[i]
		st.Flows += w.flows
		st.Errors += w.errors
		if st.FirstErr == nil {
			st.FirstErr = w.firstErr
		}
		for s := range w.lat {
			all[s] = append(all[s], w.lat[s]...)
		}
	}
	for s, ds := range all {
		if len(ds) > 0 {
			st.Latency[FlowSteps[s]] = percentiles(ds)
		}
	}
	return st
}

func percentiles(ds []time.Duration) Percentiles {
	slices.Sort(ds)
	rank := func(p int) time.Duration { return ds[(len(ds)*p+99)/100-1] }
	return Percentiles{N: len(ds), P50: rank(50), P99: rank(99), Max: ds[len(ds)-1]}
}
