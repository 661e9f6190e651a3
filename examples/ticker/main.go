// ticker: a producer paced by a time.Ticker. Each tick lets the producer send one item on an
// unbuffered channel; a consumer counts the items and adds them up. After N items the producer
// stops the ticker and closes the channel; the consumer reports when the channel is closed.
// A ticker drops ticks its reader is not ready for, so the producer counts items, not ticks:
// the output (counts and a sum, never times) is the same however late a tick is.
//
// Usage: ticker [N [PERIOD_US]]   (PERIOD_US: the tick period in microseconds, default 1000)
// Test size: N=50 (the default, about 50 ms). Benchmark size: N=1000 (about one second).
// Kind: timers (the run time is N periods; what it measures is how closely ticks keep time and
// what each tick costs).
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

type item struct {
	seq, value int
}

// produce sends n items, one per tick, then stops the ticker and closes out.
func produce(n int, period time.Duration, out chan<- item, stopped chan<- bool) {
	t := time.NewTicker(period)
	for i := 1; i <= n; i++ {
		<-t.C
		out <- item{i, i * i}
	}
	t.Stop()
	close(out)
	// A tick may still arrive: one that came while the last item was being sent waits in the
	// ticker's channel (it holds one), and one whose sending had begun when Stop was called
	// lands just after it. Give that 20 ms, take it, and then the stopped ticker must send
	// nothing more: watch for three periods.
	time.Sleep(20 * time.Millisecond)
	select {
	case <-t.C:
	default:
	}
	select {
	case <-t.C:
		stopped <- false
	case <-time.After(3 * period):
		stopped <- true
	}
}

func arg(i, def int, name string) int {
	if len(os.Args) <= i {
		return def
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "ticker: %s must be a positive integer\n", name)
		os.Exit(2)
	}
	return v
}

func main() {
	n := arg(1, 50, "N")
	period := time.Duration(arg(2, 1000, "PERIOD_US")) * time.Microsecond

	items := make(chan item)
	stopped := make(chan bool)
	go produce(n, period, items, stopped)

	count, inOrder := 0, 0
	var sum int64
	for it := range items {
		count++
		if it.seq == count {
			inOrder++
		}
		sum += int64(it.value)
	}
	fmt.Printf("items received: %d of %d\n", count, n)
	fmt.Printf("in order: %d\n", inOrder)
	fmt.Printf("sum of squares: %d\n", sum)
	if <-stopped {
		fmt.Println("ticker stopped: no tick after Stop")
	} else {
		fmt.Println("ticker stopped: a tick came after Stop")
	}
}
