// workerpool: a fixed pool of worker goroutines takes jobs from one channel and puts results on
// another. A feeder goroutine sends the jobs and closes the jobs channel; a closer goroutine waits
// for the workers (a WaitGroup) and closes the results channel; main collects the results by job
// number, so the summary it prints does not depend on which worker ran which job, or when.
//
// A job is the length of the Collatz sequence from 1000000+job down to 1 (a few hundred steps of
// integer arithmetic at most).
//
// Usage: workerpool [JOBS [WORKERS]]   (WORKERS defaults to 8)
// Test size: JOBS=2000 (the default). Benchmark size: JOBS=2000000.
// Kind: channel/scheduler-heavy (two channel operations per job, eight workers contending).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const base = 1000000

type result struct {
	job   int
	steps int
}

// collatz returns the number of steps from n down to 1.
func collatz(n int64) int {
	steps := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		steps++
	}
	return steps
}

func worker(jobs <-chan int, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- result{j, collatz(int64(base + j))}
	}
}

func arg(i, def int, name string) int {
	if len(os.Args) <= i {
		return def
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "workerpool: %s must be a positive integer\n", name)
		os.Exit(2)
	}
	return v
}

func main() {
	njobs := arg(1, 2000, "JOBS")
	nworkers := arg(2, 8, "WORKERS")

	jobs := make(chan int, 16)
	results := make(chan result, 16)
	var wg sync.WaitGroup
	for w := 0; w < nworkers; w++ {
		wg.Add(1)
		go worker(jobs, results, &wg)
	}
	go func() {
		for j := 0; j < njobs; j++ {
			jobs <- j
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	// Every figure below is an order-independent fold of the results (sums, counts, and a
	// maximum whose ties go to the smaller job), so the order they arrive in does not matter.
	var total int64
	received, longest, longestSteps := 0, -1, -1
	first := make([]int, 8)
	buckets := make([]int, 20) // step counts in buckets of 50, the last one also holding any above
	for r := range results {
		received++
		total += int64(r.steps)
		if r.steps > longestSteps || (r.steps == longestSteps && r.job < longest) {
			longest, longestSteps = r.job, r.steps
		}
		if r.job < len(first) {
			first[r.job] = r.steps
		}
		b := r.steps / 50
		if b >= len(buckets) {
			b = len(buckets) - 1
		}
		buckets[b]++
	}

	fmt.Printf("%d jobs, %d workers, %d results\n", njobs, nworkers, received)
	fmt.Printf("total steps: %d\n", total)
	fmt.Printf("longest: %d takes %d steps\n", base+longest, longestSteps)
	fmt.Print("first jobs:")
	for j := 0; j < njobs && j < len(first); j++ {
		fmt.Printf(" %d", first[j])
	}
	fmt.Println()
	for b, c := range buckets {
		if c > 0 && b < len(buckets)-1 {
			fmt.Printf("steps %3d-%3d: %d jobs\n", b*50, b*50+49, c)
		} else if c > 0 {
			fmt.Printf("steps %3d and more: %d jobs\n", b*50, c)
		}
	}
}
