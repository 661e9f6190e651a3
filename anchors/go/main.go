// The benchmark program gort is measured against: the same four workloads as gort's own
// (pingpong, alloc, bintree, json), run by the real Go runtime. bench/anchors.sh builds it with
// Go 1.19 (the modern runtime, for speed); anchors/go15/build.sh builds it with Go 1.5.1, patched
// (the runtime gort implements, for gort fidelity). It is written in Go 1.5's dialect so that
// both toolchains take it unchanged.
//
// Usage: anchors <pingpong|alloc|bintree|json> [-n N] [-window W] [-depth D] [-input FILE] [-trace FILE]
//
// Each workload prints one line, "<workload> key=value ...", which the scripts read by key.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"runtime"
	"runtime/trace"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	iterations = flag.Int("n", 1000000, "iterations (json: ops per goroutine)")
	window     = flag.Int("window", 100000, "alloc: objects kept live in the ring (rounded up to a power of two)")
	depth      = flag.Int("depth", 18, "bintree: depth of the long-lived tree")
	input      = flag.String("input", "", "json: the document ({tree, username} schema; .gz accepted)")
	traceTo    = flag.String("trace", "", "write an execution trace (go tool trace) to this file")
)

var workloads = map[string]func(){
	"pingpong": pingpong,
	"alloc":    alloc,
	"bintree":  bintree,
	"json":     jsonOps,
}

func main() {
	if len(os.Args) < 2 || workloads[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: anchors pingpong|alloc|bintree|json [-n N] [-window W] [-depth D] [-input FILE] [-trace FILE]")
		os.Exit(2)
	}
	flag.CommandLine.Parse(os.Args[2:])
	if *traceTo != "" {
		f, err := os.Create(*traceTo)
		check(err)
		check(trace.Start(f))
		defer func() {
			trace.Stop()
			f.Close()
		}()
	}
	workloads[os.Args[1]]()
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// gcFigures is the "numgc=... pause_total_ms=..." tail of a line.
func gcFigures() string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return fmt.Sprintf("numgc=%d pause_total_ms=%.3f", ms.NumGC, float64(ms.PauseTotalNs)/1e6)
}

// pingpong: one value goes back and forth between two goroutines over unbuffered channels.
func pingpong() {
	n := *iterations
	there, back := make(chan int), make(chan int)
	go func() {
		for v := range there {
			back <- v
		}
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		there <- i
		<-back
	}
	elapsed := time.Since(t0)
	fmt.Printf("pingpong gomaxprocs=%d roundtrips=%d ns_per_roundtrip=%.1f\n",
		runtime.GOMAXPROCS(0), n, float64(elapsed.Nanoseconds())/float64(n))
}

// cell is a 24-byte object: two pointers and a word.
type cell struct {
	prev, other *cell
	val         int64
}

// ring keeps every 64th cell alive until the ring comes round again.
var ring []*cell

// alloc: n cells, each linked to the one before it in chains of 64; the first of each chain
// goes into the ring, so the live heap is about window chains.
func alloc() {
	n := *iterations
	size := 1
	for size < *window {
		size *= 2
	}
	ring = make([]*cell, size)
	var last *cell
	t0 := time.Now()
	for i := 0; i < n; i++ {
		c := &cell{prev: last, val: int64(i)}
		last = c
		if i%64 == 0 {
			ring[(i/64)%size] = c
			last = nil
		}
	}
	elapsed := time.Since(t0)
	fmt.Printf("alloc objects=%d window=%d ns_per_alloc=%.2f %s\n", n, size,
		float64(elapsed.Nanoseconds())/float64(n), gcFigures())
}

type tree struct{ left, right *tree }

func build(d int) *tree {
	if d == 0 {
		return &tree{}
	}
	return &tree{build(d - 1), build(d - 1)}
}

func (t *tree) count() int {
	if t.left == nil {
		return 1
	}
	return 1 + t.left.count() + t.right.count()
}

// bintree: binary-trees. A long-lived tree of the given depth, and for each even depth from 4
// up one goroutine that builds and counts 2^(depth-d+4) trees of depth d.
func bintree() {
	max := *depth
	t0 := time.Now()
	long := build(max)
	var wg sync.WaitGroup
	counts := make([]int, max+1)
	for d := 4; d <= max; d += 2 {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			c := 0
			for i := 0; i < 1<<uint(max-d+4); i++ {
				c += build(d).count()
			}
			counts[d] = c
		}(d)
	}
	wg.Wait()
	elapsed := time.Since(t0)
	total := 0
	for _, c := range counts {
		total += c
	}
	fmt.Printf("bintree depth=%d checks=%d long=%d seconds=%.3f %s\n", max, total, long.count(),
		elapsed.Seconds(), gcFigures())
}

// The json workload's schema (x/benchmarks json).
type document struct {
	Tree     *node  `json:"tree"`
	Username string `json:"username"`
}

type node struct {
	Name     string  `json:"name"`
	Kids     []*node `json:"kids"`
	CLWeight float64 `json:"cl_weight"`
	Touches  int     `json:"touches"`
	MinT     int64   `json:"min_t"`
	MaxT     int64   `json:"max_t"`
	MeanT    int64   `json:"mean_t"`
}

type byLength []time.Duration

func (b byLength) Len() int           { return len(b) }
func (b byLength) Less(i, j int) bool { return b[i] < b[j] }
func (b byLength) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// readInput reads the json document, gunzipping a .gz file.
func readInput(path string) []byte {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		r, err = gzip.NewReader(f)
		check(err)
	}
	data, err := ioutil.ReadAll(r)
	check(err)
	return data
}

// jsonOps: x/benchmarks json. 4 x GOMAXPROCS goroutines each do n ops; an op decodes the
// document into a fresh value and encodes the one decoded at the start.
func jsonOps() {
	data := readInput(*input)
	var decoded document
	check(json.Unmarshal(data, &decoded))
	workers := 4 * runtime.GOMAXPROCS(0)
	ops := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < *iterations; i++ {
				start := time.Now()
				var fresh document
				check(json.Unmarshal(data, &fresh))
				_, err := json.Marshal(&decoded)
				check(err)
				ops[w] = append(ops[w], time.Since(start))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(t0)
	var all []time.Duration
	for _, o := range ops {
		all = append(all, o...)
	}
	sort.Sort(byLength(all))
	median := all[len(all)/2]
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("json bytes=%d goroutines=%d ops=%d seconds=%.3f ms_per_op=%.3f p50_op_ms=%.3f %s heap_sys_mb=%.1f\n",
		len(data), workers, len(all), elapsed.Seconds(), elapsed.Seconds()*1000/float64(len(all)),
		float64(median/time.Microsecond)/1000, gcFigures(), float64(ms.HeapSys)/1e6)
}
