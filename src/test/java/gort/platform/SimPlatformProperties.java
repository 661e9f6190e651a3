package gort.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random small programs of threads doing futex operations on the simulated platform: every one
 * ends (each sleep has a timeout, so none can deadlock), a seed repeats the whole run — decisions,
 * end time and what each thread saw — and virtual time never runs backwards for a thread.
 */
class SimPlatformProperties {

    /** One operation: 0 store+wake, 1 sleep with a timeout, 2 yield, 3 usleep, 4 read the clock; on futex {@code f}. */
    record Op(int kind, int f, int arg) {}

    @Provide
    Arbitrary<List<List<Op>>> programs() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 50)).as(Op::new);
        return op.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(4);
    }

    record Run(int[] decisions, long end, List<String> log) {}

    static Run run(long seed, List<List<Op>> program) {
        SimPlatform p = new SimPlatform(seed, 4);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Futex[] fs = {new Futex(), new Futex()};
        SimPlatformTest.simulate(p, sim -> SimPlatformTest.forkJoin(sim, program.size(), i -> {
            for (Op o : program.get(i)) {
                Futex f = fs[o.f()];
                switch (o.kind()) {
                    case 0 -> {
                        f.xadd(1);
                        sim.futexwakeup(f, 1 + o.arg() % 2);
                    }
                    case 1 -> sim.futexsleep(f, f.load(), 1_000L * (1 + o.arg()));
                    case 2 -> sim.osyield();
                    case 3 -> sim.usleep(o.arg());
                    default -> log.add(i + "@" + sim.nanotime());
                }
            }
            log.add(i + " end@" + sim.now());
        }));
        assertThat(p.failure()).isNull();
        assertThat(p.liveThreads()).as("every thread ended").isZero();
        return new Run(p.decisions(), p.now(), List.copyOf(log));
    }

    @Property(tries = 60)
    void aSeedRepeatsTheRunAndEveryThreadEnds(@ForAll("programs") List<List<Op>> program, @ForAll long seed) {
        Run a = run(seed, program);
        Run b = run(seed, program);
        assertThat(b.decisions()).isEqualTo(a.decisions());
        assertThat(b.end()).isEqualTo(a.end());
        assertThat(b.log()).isEqualTo(a.log());
        // per thread, the clock readings in the log never go down
        for (int i = 0; i < program.size(); i++) {
            long last = -1;
            for (String l : a.log()) {
                if (l.startsWith(i + "@") || l.startsWith(i + " end@")) {
                    long t = Long.parseLong(l.substring(l.indexOf('@') + 1));
                    assertThat(t).isGreaterThanOrEqualTo(last);
                    last = t;
                }
            }
        }
    }
}
