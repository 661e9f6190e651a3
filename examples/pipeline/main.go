// pipeline: a fan-out/fan-in pipeline that the consumer stops early. A generator sends 1, 2, 3, ...
// without end; several squaring stages take numbers from it (fan-out) and send each number with
// its square; a merge stage forwards every squarer's output onto one channel (fan-in, one
// forwarding goroutine per squarer, a WaitGroup closing the merged channel when they are all done).
// The consumer reads until it holds the squares of 1..M (numbers above M that arrive meanwhile
// are dropped), then closes the done channel. Every stage selects on done at each send and
// receive, so all of them return: each says so as it returns, on a channel main counts from.
//
// Which numbers beyond M the consumer reads before it stops depends on the schedule, so it prints
// only what does not: the sum of the squares of 1..M and which stages ended.
//
// Usage: pipeline [M [SQUARERS]]   (SQUARERS defaults to 4; M at most 3000000, so that the sum
// of squares fits in 64 bits)
// Test size: M=2000 (the default). Benchmark size: M=1000000.
// Kind: channel/scheduler-heavy (three channel operations under select per number).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

type square struct {
	n, sq int64
}

// generate sends 1, 2, 3, ... until done is closed.
func generate(done <-chan struct{}, ended chan<- string) <-chan int64 {
	out := make(chan int64)
	go func() {
		defer func() { ended <- "generator" }()
		for n := int64(1); ; n++ {
			select {
			case out <- n:
			case <-done:
				return
			}
		}
	}()
	return out
}

// squarer sends every number it takes from in together with its square, until done is closed.
func squarer(done <-chan struct{}, in <-chan int64, ended chan<- string) <-chan square {
	out := make(chan square)
	go func() {
		defer func() { ended <- "squarer" }()
		defer close(out)
		for {
			var n int64
			var ok bool
			select {
			case n, ok = <-in:
				if !ok {
					return
				}
			case <-done:
				return
			}
			select {
			case out <- square{n, n * n}:
			case <-done:
				return
			}
		}
	}()
	return out
}

// merge forwards everything from the inputs onto one channel, which it closes when every
// forwarder has returned (its inputs closed, or done closed).
func merge(done <-chan struct{}, inputs []<-chan square, ended chan<- string) <-chan square {
	out := make(chan square)
	var forwarders sync.WaitGroup
	forward := func(in <-chan square) {
		defer func() { ended <- "forwarder" }()
		defer forwarders.Done()
		for {
			select {
			case s, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- s:
				case <-done:
					return
				}
			case <-done:
				return
			}
		}
	}
	for _, in := range inputs {
		forwarders.Add(1)
		go forward(in)
	}
	go func() {
		defer func() { ended <- "closer" }()
		forwarders.Wait()
		close(out)
	}()
	return out
}

func arg(i, def, max int, name string) int {
	if len(os.Args) <= i {
		return def
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 1 || v > max {
		fmt.Fprintf(os.Stderr, "pipeline: %s must be an integer from 1 to %d\n", name, max)
		os.Exit(2)
	}
	return v
}

func main() {
	m := arg(1, 2000, 3000000, "M")
	nsq := arg(2, 4, 1000, "SQUARERS")

	done := make(chan struct{})
	stages := 1 + nsq + nsq + 1 // the generator, the squarers, the forwarders, the closer
	ended := make(chan string, stages)

	numbers := generate(done, ended)
	squares := make([]<-chan square, nsq)
	for i := range squares {
		squares[i] = squarer(done, numbers, ended)
	}
	merged := merge(done, squares, ended)

	have := make([]bool, m+1)
	missing := m
	var sum int64
	bad := 0
	for missing > 0 {
		s, ok := <-merged
		if !ok {
			fmt.Println("the merged channel closed early")
			os.Exit(1)
		}
		if s.sq != s.n*s.n {
			bad++
		}
		if s.n <= int64(m) && !have[s.n] {
			have[s.n] = true
			sum += s.sq
			missing--
		}
	}
	close(done)
	count := map[string]int{}
	for i := 0; i < stages; i++ {
		count[<-ended]++
	}

	// 1² + ... + m² = m(m+1)(2m+1)/6, divided early enough not to overflow at the largest m.
	mm := int64(m)
	t := mm * (mm + 1) / 2
	var want int64
	if t%3 == 0 {
		want = t / 3 * (2*mm + 1)
	} else {
		want = t * ((2*mm + 1) / 3)
	}
	fmt.Printf("squarers: %d, consumed the squares of 1..%d\n", nsq, m)
	fmt.Printf("sum of squares: %d (expected %d)\n", sum, want)
	fmt.Printf("wrong squares: %d\n", bad)
	fmt.Printf("stages ended: generator %d, squarers %d, forwarders %d, closer %d\n",
		count["generator"], count["squarer"], count["forwarder"], count["closer"])
}
