// json-alloc: what one op of the json benchmark allocates under Go 1.5.1 (json.Unmarshal of the
// document into a fresh Response, json.Marshal of a shared one), read from runtime.MemStats around
// N ops on one goroutine with the collector off: bytes, objects, and objects per size class, for
// the decode and the encode apart. Built with Go 1.5.1 by bench/json-alloc.sh, which sets gort's
// figures beside these. Go 1.5 dialect (no sort.Slice, no strings.Builder).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"runtime"
	"runtime/debug"
)

// The x/benchmarks json types, as the anchor's.
type Response struct {
	Tree     *Node  `json:"tree"`
	Username string `json:"username"`
}

type Node struct {
	Name     string  `json:"name"`
	Kids     []*Node `json:"kids"`
	CLWeight float64 `json:"cl_weight"`
	Touches  int     `json:"touches"`
	MinT     int64   `json:"min_t"`
	MaxT     int64   `json:"max_t"`
	MeanT    int64   `json:"mean_t"`
}

// counts: bytes and objects allocated, and objects per size class, between two MemStats.
type counts struct {
	bytes, objects uint64
	bySize         [61]uint64
}

func diff(a, b *runtime.MemStats) counts {
	var c counts
	c.bytes = b.TotalAlloc - a.TotalAlloc
	c.objects = b.Mallocs - a.Mallocs
	for i := range b.BySize {
		c.bySize[i] = b.BySize[i].Mallocs - a.BySize[i].Mallocs
	}
	return c
}

func main() {
	n := flag.Int("n", 5, "ops to average over")
	in := flag.String("input", "", "the json document")
	flag.Parse()
	data, err := ioutil.ReadFile(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "json-alloc:", err)
		os.Exit(2)
	}
	var shared Response
	if err := json.Unmarshal(data, &shared); err != nil {
		fmt.Fprintln(os.Stderr, "json-alloc:", err)
		os.Exit(2)
	}
	debug.SetGCPercent(-1)
	var size [61]uint32
	var m0, m1, m2 runtime.MemStats
	var dec, enc counts
	for i := 0; i <= *n; i++ { // the first op warms the caches of types and is not counted
		runtime.ReadMemStats(&m0)
		var r Response
		if err := json.Unmarshal(data, &r); err != nil {
			panic(err)
		}
		runtime.ReadMemStats(&m1)
		if _, err := json.Marshal(&shared); err != nil {
			panic(err)
		}
		runtime.ReadMemStats(&m2)
		if i == 0 {
			continue
		}
		d, e := diff(&m0, &m1), diff(&m1, &m2)
		dec.bytes += d.bytes
		dec.objects += d.objects
		enc.bytes += e.bytes
		enc.objects += e.objects
		for k := range d.bySize {
			dec.bySize[k] += d.bySize[k]
			enc.bySize[k] += e.bySize[k]
		}
	}
	for k := range m2.BySize {
		size[k] = m2.BySize[k].Size
	}
	fmt.Printf("go1.5.1 decode bytes=%d objects=%d\n", dec.bytes/uint64(*n), dec.objects/uint64(*n))
	fmt.Printf("go1.5.1 encode bytes=%d objects=%d\n", enc.bytes/uint64(*n), enc.objects/uint64(*n))
	for k := range size {
		if dec.bySize[k]+enc.bySize[k] > 0 {
			fmt.Printf("go1.5.1 class size=%d decode=%d encode=%d\n", size[k], dec.bySize[k]/uint64(*n), enc.bySize[k]/uint64(*n))
		}
	}
}
