// bintrees: binary-trees, the allocation benchmark. First a "stretch" tree one level deeper than
// the deepest, built, checked and dropped; then a long-lived tree of the maximum depth that stays
// reachable to the end; then, for each depth d from 4 up to the maximum in steps of 2, one
// goroutine builds 2^(max-d+4) trees of depth d one after another, checking and dropping each.
// The goroutines run at once; main prints their lines in depth order once all are done.
//
// A tree's check is its number of nodes, 2^(depth+1)-1, counted by walking it.
//
// Usage: bintrees [MAXDEPTH]   (at least 6)
// Test size: MAXDEPTH=10 (the default). Benchmark size: MAXDEPTH=16.
// Kind: allocation-heavy (nearly all the work is allocating 16-byte nodes that die young).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const minDepth = 4

type node struct {
	left, right *node
}

// build returns a complete tree of the given depth (a single node has depth 0).
func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{build(depth - 1), build(depth - 1)}
}

// check counts the tree's nodes.
func (n *node) check() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

func main() {
	maxDepth := 10
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < minDepth+2 || v > 30 {
			fmt.Fprintf(os.Stderr, "bintrees: MAXDEPTH must be an integer from %d to 30\n", minDepth+2)
			os.Exit(2)
		}
		maxDepth = v
	}

	stretch := maxDepth + 1
	fmt.Printf("stretch tree, depth %d: check %d\n", stretch, build(stretch).check())

	longLived := build(maxDepth)

	lines := make([]string, (maxDepth-minDepth)/2+1)
	var wg sync.WaitGroup
	for d := minDepth; d <= maxDepth; d += 2 {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			iterations := 1 << uint(maxDepth-d+minDepth)
			sum := 0
			for i := 0; i < iterations; i++ {
				sum += build(d).check()
			}
			lines[(d-minDepth)/2] = fmt.Sprintf("%d trees, depth %d: check %d", iterations, d, sum)
		}(d)
	}
	wg.Wait()
	for _, l := range lines {
		fmt.Println(l)
	}

	fmt.Printf("long-lived tree, depth %d: check %d\n", maxDepth, longLived.check())
}
