// treepass: trees handed from goroutine to goroutine, for the garbage collector. Producers build
// small binary trees and send pointers to their roots, alternately over a buffered and an
// unbuffered channel; consumers take them from either channel with select, walk and check each
// one, keep the last few they received (so some trees live a while) and drop the rest. When every
// producer is done a closer goroutine closes both channels; a consumer sets a closed channel to
// nil in its select and returns when both are closed.
//
// Node i of tree t (heap order: the root is 1, the children of i are 2i and 2i+1) holds
// (31t + i) mod 1000, the root holds t itself, so a consumer can tell from the root what every
// other node must hold. The output is the number of trees and nodes checked, how many nodes held
// something else (0), and the sum of every node's value: the same whichever consumer took which
// tree.
//
// Usage: treepass [TREES [DEPTH]]   (TREES per producer; DEPTH defaults to 6: 127 nodes a tree)
// Test size: TREES=2000 (the default). Benchmark size: TREES=40000.
// Kind: allocation-heavy (24-byte nodes, most dying young, about a hundred trees live at a time).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const (
	producers = 4
	consumers = 3
	keep      = 32 // trees each consumer keeps alive, the newest ones
)

type node struct {
	left, right *node
	val         int64
}

// build returns tree t's subtree rooted at heap position pos, depth levels below it.
func build(t int64, pos int64, depth int) *node {
	n := &node{val: (31*t + pos) % 1000}
	if depth > 0 {
		n.left = build(t, 2*pos, depth-1)
		n.right = build(t, 2*pos+1, depth-1)
	}
	return n
}

// walk returns the number of nodes below n (n included), how many of them do not hold what
// tree t's node at their position must hold, and the sum of their values.
func walk(n *node, t int64, pos int64) (count, bad, sum int64) {
	count, sum = 1, n.val
	if n.val != (31*t+pos)%1000 {
		bad = 1
	}
	if n.left != nil {
		c, b, s := walk(n.left, t, 2*pos)
		count, bad, sum = count+c, bad+b, sum+s
	}
	if n.right != nil {
		c, b, s := walk(n.right, t, 2*pos+1)
		count, bad, sum = count+c, bad+b, sum+s
	}
	return
}

type tally struct {
	trees, nodes, bad, sum int64
}

func producer(p, trees, depth int, buffered, unbuffered chan<- *node, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < trees; i++ {
		t := int64(p*trees + i)
		root := build(t, 1, depth)
		root.val = t
		if i%2 == 0 {
			buffered <- root
		} else {
			unbuffered <- root
		}
	}
}

func consumer(buffered, unbuffered <-chan *node, out chan<- tally) {
	var tl tally
	kept := make([]*node, keep)
	for k := 0; buffered != nil || unbuffered != nil; k++ {
		var root *node
		var ok bool
		select {
		case root, ok = <-buffered:
			if !ok {
				buffered = nil
				continue
			}
		case root, ok = <-unbuffered:
			if !ok {
				unbuffered = nil
				continue
			}
		}
		t := root.val
		var c, b, s int64 = 1, 0, t // the root holds the tree's number
		if root.left != nil {
			c1, b1, s1 := walk(root.left, t, 2)
			c2, b2, s2 := walk(root.right, t, 3)
			c, b, s = c+c1+c2, b+b1+b2, s+s1+s2
		}
		tl.trees++
		tl.nodes += c
		tl.bad += b
		tl.sum += s
		kept[k%keep] = root
	}
	out <- tl
}

func arg(i, def, max int, name string) int {
	if len(os.Args) <= i {
		return def
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 1 || v > max {
		fmt.Fprintf(os.Stderr, "treepass: %s must be an integer from 1 to %d\n", name, max)
		os.Exit(2)
	}
	return v
}

func main() {
	trees := arg(1, 2000, 1<<30, "TREES")
	depth := arg(2, 6, 20, "DEPTH")

	buffered := make(chan *node, 16)
	unbuffered := make(chan *node)
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go producer(p, trees, depth, buffered, unbuffered, &wg)
	}
	go func() {
		wg.Wait()
		close(buffered)
		close(unbuffered)
	}()

	out := make(chan tally)
	for c := 0; c < consumers; c++ {
		go consumer(buffered, unbuffered, out)
	}
	var all tally
	for c := 0; c < consumers; c++ {
		tl := <-out
		all.trees += tl.trees
		all.nodes += tl.nodes
		all.bad += tl.bad
		all.sum += tl.sum
	}
	fmt.Printf("%d producers, %d consumers, %d trees each of depth %d\n", producers, consumers, trees, depth)
	fmt.Printf("trees checked: %d\n", all.trees)
	fmt.Printf("nodes checked: %d\n", all.nodes)
	fmt.Printf("nodes holding the wrong value: %d\n", all.bad)
	fmt.Printf("checksum: %d\n", all.sum)
}
