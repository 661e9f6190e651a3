// bank: accounts that many goroutines move money between at once. Each account has its own
// sync.Mutex; a transfer locks the two accounts it touches, the lower-numbered first, so that two
// transfers in opposite directions cannot deadlock. An auditor locks every account (in the same
// order) about once a millisecond and checks that no money was made or lost.
//
// Every teller draws its transfers from its own xorshift generator, seeded by its number, so the
// set of transfers is fixed. A transfer may overdraw an account, so none is ever refused: the
// final balances are the opening balances plus the sum of the transfers, whatever order they ran
// in, and the program prints only those and the invariant.
//
// Usage: bank [TRANSFERS [TELLERS]]   (TRANSFERS per teller; TELLERS defaults to 8)
// Test size: TRANSFERS=5000 (the default). Benchmark size: TRANSFERS=2000000.
// Kind: channel/scheduler-heavy (mutexes: two locks and unlocks per transfer, tellers contending).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

const (
	accounts = 16
	opening  = 1000
)

type account struct {
	mu      sync.Mutex
	balance int64
}

type bank struct {
	acct [accounts]account
}

// transfer moves amount from one account to another (from != to).
func (b *bank) transfer(from, to int, amount int64) {
	first, second := from, to
	if second < first {
		first, second = second, first
	}
	b.acct[first].mu.Lock()
	b.acct[second].mu.Lock()
	b.acct[from].balance -= amount
	b.acct[to].balance += amount
	b.acct[second].mu.Unlock()
	b.acct[first].mu.Unlock()
}

// audit locks every account and returns the sum of the balances.
func (b *bank) audit() int64 {
	for i := range b.acct {
		b.acct[i].mu.Lock()
	}
	var total int64
	for i := range b.acct {
		total += b.acct[i].balance
	}
	for i := len(b.acct) - 1; i >= 0; i-- {
		b.acct[i].mu.Unlock()
	}
	return total
}

// xorshift is Marsaglia's 64-bit xorshift generator (shifts 13, 7, 17).
type xorshift struct {
	s uint64
}

func (x *xorshift) next() uint64 {
	v := x.s
	v ^= v << 13
	v ^= v >> 7
	v ^= v << 17
	x.s = v
	return v
}

// teller makes n transfers drawn from its own generator and returns the sum it moved.
func teller(b *bank, id, n int, moved *int64, wg *sync.WaitGroup) {
	defer wg.Done()
	r := xorshift{uint64(id+1) * 0x9E3779B97F4A7C15}
	var sum int64
	for i := 0; i < n; i++ {
		from := int(r.next() % accounts)
		to := int(r.next() % (accounts - 1))
		if to >= from {
			to++
		}
		amount := int64(1 + r.next()%100)
		b.transfer(from, to, amount)
		sum += amount
	}
	*moved = sum
}

func arg(i, def int, name string) int {
	if len(os.Args) <= i {
		return def
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "bank: %s must be a positive integer\n", name)
		os.Exit(2)
	}
	return v
}

func main() {
	n := arg(1, 5000, "TRANSFERS")
	tellers := arg(2, 8, "TELLERS")

	b := new(bank)
	for i := range b.acct {
		b.acct[i].balance = opening
	}
	const want = accounts * opening

	done := make(chan struct{})
	unbalanced := make(chan int)
	go func() {
		bad := 0
		for {
			select {
			case <-done:
				unbalanced <- bad
				return
			case <-time.After(time.Millisecond):
				if b.audit() != want {
					bad++
				}
			}
		}
	}()

	moved := make([]int64, tellers)
	var wg sync.WaitGroup
	for t := 0; t < tellers; t++ {
		wg.Add(1)
		go teller(b, t, n, &moved[t], &wg)
	}
	wg.Wait()
	close(done)
	bad := <-unbalanced

	var all int64
	for _, m := range moved {
		all += m
	}
	fmt.Printf("%d accounts, %d tellers, %d transfers each, %d moved in all\n", accounts, tellers, n, all)
	fmt.Printf("total: %d (opened with %d)\n", b.audit(), want)
	fmt.Printf("unbalanced audits: %d\n", bad)
	for i := range b.acct {
		fmt.Printf("account %2d: %d\n", i, b.acct[i].balance)
	}
}
