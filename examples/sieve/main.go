// sieve: the concurrent prime sieve. One goroutine counts up from 2; every prime found adds a
// filter goroutine to a chain of unbuffered channels, which passes on only the numbers its prime
// does not divide. The number that reaches the end of the chain is the next prime.
//
// Usage: sieve [N]    prints the first N primes, ten to a line.
// Test size: N=100 (the default). Benchmark size: N=3000.
// Kind: channel/scheduler-heavy (every number crosses one channel per filter it passes).
package main

import (
	"fmt"
	"os"
	"strconv"
)

// count sends 2, 3, 4, ... on out, forever.
func count(out chan<- int) {
	for n := 2; ; n++ {
		out <- n
	}
}

// filter passes on from in to out every number that prime does not divide.
func filter(prime int, in <-chan int, out chan<- int) {
	for {
		n := <-in
		if n%prime != 0 {
			out <- n
		}
	}
}

func main() {
	n := 100
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < 1 {
			fmt.Fprintln(os.Stderr, "sieve: N must be a positive integer")
			os.Exit(2)
		}
		n = v
	}

	head := make(chan int)
	go count(head)
	line, last := "", 0
	for i := 1; i <= n; i++ {
		p := <-head
		last = p
		line += " " + strconv.Itoa(p)
		if i%10 == 0 || i == n {
			fmt.Println(line[1:])
			line = ""
		}
		next := make(chan int)
		go filter(p, head, next)
		head = next
	}
	fmt.Printf("%d primes, the last %d\n", n, last)
}
