// timeouts: waiting for an answer with select and a timer. A service answers on a channel after
// some delay, or never; the caller takes whichever comes first, the answer or its timer.
//
// First a few calls side by side, each printed in a fixed order once all have finished:
// answers that come at once or after 1 ms against timeouts of 100-200 ms, an answer that never
// comes, one that comes 200 ms after its timeout, the first of three replicas' identical answers,
// and a gather that takes what arrives before one overall deadline (time.After in a loop).
// Then a load: CLIENTS goroutines make N calls between them with time.NewTimer and Stop; one
// call in 64 goes to a service that never answers (a 2 ms timeout), one in 64 is answered after
// a 1 ms sleep, the rest at once (against 500 ms timeouts).
//
// Every outcome is decided by a margin of about 100 ms or more, so the output is the same on any
// schedule. The first part takes about 200 ms of waiting whatever N is.
//
// Usage: timeouts [N [CLIENTS]]   (CLIENTS defaults to 32)
// Test size: N=2000 (the default). Benchmark size: N=300000.
// Kind: channel/scheduler-heavy, with timers (a goroutine, a channel and a timer per call).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// serve starts a service that sends answer on the returned channel after delay, or never when
// delay is negative. The channel has room for the answer, so a service answering after its
// caller gave up still returns.
func serve(answer int, delay time.Duration) <-chan int {
	reply := make(chan int, 1)
	if delay < 0 {
		return reply
	}
	go func() {
		if delay > 0 {
			time.Sleep(delay)
		}
		reply <- answer
	}()
	return reply
}

// call waits for the service's answer or for timeout, whichever comes first.
func call(reply <-chan int, timeout time.Duration) (int, bool) {
	select {
	case v := <-reply:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}

type demo struct {
	name    string
	answer  int
	delay   time.Duration // negative: never answers
	timeout time.Duration
}

// firstOf asks three replicas that give the same answer, one of which never answers, and takes
// the first answer that arrives.
func firstOf(answer int, timeout time.Duration) (int, bool) {
	replies := make(chan int, 3)
	delays := []time.Duration{-1, 0, time.Millisecond}
	for _, d := range delays {
		go func(d time.Duration) {
			if v, ok := call(serve(answer, d), time.Hour); ok {
				replies <- v
			}
		}(d)
	}
	return call(replies, timeout)
}

// gather asks n services (the last one never answers) and collects what arrives before the
// deadline; it returns how many answered and the sum of their answers.
func gather(n int, deadline time.Duration) (int, int) {
	replies := make(chan int, n)
	for i := 0; i < n; i++ {
		d := time.Millisecond
		if i == n-1 {
			d = -1
		}
		go func(i int, d time.Duration) {
			if v, ok := call(serve(10*(i+1), d), time.Hour); ok {
				replies <- v
			}
		}(i, d)
	}
	got, sum := 0, 0
	timeout := time.After(deadline)
	for got < n {
		select {
		case v := <-replies:
			got++
			sum += v
		case <-timeout:
			return got, sum
		}
	}
	return got, sum
}

func demos() {
	calls := []demo{
		{"at once", 1, 0, 200 * time.Millisecond},
		{"after 1ms", 2, time.Millisecond, 200 * time.Millisecond},
		{"after 1ms, short timeout", 3, time.Millisecond, 100 * time.Millisecond},
		{"never", 4, -1, 200 * time.Millisecond},
		{"after 300ms", 5, 300 * time.Millisecond, 100 * time.Millisecond},
	}
	lines := make([]string, len(calls)+2)
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func(i int, c demo) {
			defer wg.Done()
			if v, ok := call(serve(c.answer, c.delay), c.timeout); ok {
				lines[i] = fmt.Sprintf("%s: answer %d", c.name, v)
			} else {
				lines[i] = fmt.Sprintf("%s: timed out after %v", c.name, c.timeout)
			}
		}(i, c)
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		if v, ok := firstOf(6, 200*time.Millisecond); ok {
			lines[len(calls)] = fmt.Sprintf("first of three replicas: answer %d", v)
		} else {
			lines[len(calls)] = "first of three replicas: timed out"
		}
	}()
	go func() {
		defer wg.Done()
		got, sum := gather(4, 200*time.Millisecond)
		lines[len(calls)+1] = fmt.Sprintf("gather from 4 before a 200ms deadline: %d answers, sum %d", got, sum)
	}()
	wg.Wait()
	for _, l := range lines {
		fmt.Println(l)
	}
}

type tally struct {
	answered, timedOut int
	sum                int64
}

// client makes the calls i = first, first+step, ... below n, with a timer it stops when the
// answer wins.
func client(first, step, n int, out chan<- tally) {
	var t tally
	k := first // the kind of call goes by the client's own count, so every client gets each kind
	for i := first; i < n; i += step {
		delay, timeout := time.Duration(0), 500*time.Millisecond
		switch k % 64 {
		case 31:
			delay = time.Millisecond
		case 63:
			delay, timeout = -1, 2*time.Millisecond
		}
		k++
		reply := serve(i%1000, delay)
		timer := time.NewTimer(timeout)
		select {
		case v := <-reply:
			timer.Stop()
			t.answered++
			t.sum += int64(v)
		case <-timer.C:
			t.timedOut++
		}
	}
	out <- t
}

func arg(i, def int, name string) int {
	if len(os.Args) <= i {
		return def
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "timeouts: %s must be a positive integer\n", name)
		os.Exit(2)
	}
	return v
}

func main() {
	n := arg(1, 2000, "N")
	clients := arg(2, 32, "CLIENTS")

	demos()

	out := make(chan tally)
	for c := 0; c < clients; c++ {
		go client(c, clients, n, out)
	}
	var total tally
	for c := 0; c < clients; c++ {
		t := <-out
		total.answered += t.answered
		total.timedOut += t.timedOut
		total.sum += t.sum
	}
	fmt.Printf("load: %d calls from %d clients: %d answered, %d timed out, answers sum to %d\n",
		n, clients, total.answered, total.timedOut, total.sum)
}
