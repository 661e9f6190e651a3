package gort.workloads.json;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.gc.Stack;
import gort.heap.SizeClasses;
import gort.testing.Rt;
import org.junit.jupiter.api.Test;

/**
 * What one op allocates, object by object, as Go 1.5.1's encoding/json allocates it for the
 * anchor: a Node in Go's 80-byte size class, a string per number literal, and Marshal's buffer
 * returned without a copy (bench/json-alloc.sh measures the totals beside Go's).
 */
class AllocationShapeTest {
    @Test
    void aNodeTakesGosEightyByteSizeClass() {
        int bytes = (int) Schema.NODE.objectWords(0) * 8;
        assertThat(bytes).as("Go's Node: name (2 words), kids (3), five 8-byte numbers").isEqualTo(72);
        assertThat(SizeClasses.classToSize(SizeClasses.sizeToClass(bytes))).isEqualTo(80);
    }

    /** Counts a decoded tree's objects: each Node, its name, its five number literals and its kid arrays' growth. */
    static long expectedObjects(Heap h, long node) {
        long n = 1 + (h.loadPtr(node, Schema.NAME) != 0 ? 1 : 0) + 5;
        int kids = (int) h.loadInt(node, Schema.KIDS_LEN);
        for (int cap = 0; cap < kids; cap = Math.max(4, cap + cap / 2)) {
            n++; // one array per growth: 4, 6, 9, 13, ...
        }
        for (int i = 0; i < kids; i++) {
            n += expectedObjects(h, h.loadPtr(h.loadPtr(node, Schema.KIDS), i));
        }
        return n;
    }

    @Test
    void decodingAllocatesANodeItsNameItsNumbersStringsAndItsKidArrays() {
        Rt.run(1, () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            Decoder dec = new Decoder(Schema.newZerobase());
            long before = Go.readMemStats().mallocs();
            st.set(f, 0, dec.decode(JsonWorkloadTest.SMALL));
            long objects = Go.readMemStats().mallocs() - before;
            long r = st.get(f, 0);
            long expected = 1 + (h.loadPtr(r, Schema.USERNAME) != 0 ? 1 : 0) + expectedObjects(h, h.loadPtr(r, Schema.TREE));
            assertThat(objects).isEqualTo(expected);
            assertThat(h.loadInt(h.loadPtr(r, Schema.TREE), Schema.KIDS_CAP)).as("the slice's capacity, as Go's header holds it")
                    .isEqualTo(h.len(h.loadPtr(h.loadPtr(r, Schema.TREE), Schema.KIDS)));
            st.pop(f);
        });
    }

    @Test
    void marshalReturnsItsBufferWithoutACopy() {
        Rt.run(1, () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, new Decoder(Schema.newZerobase()).decode(JsonWorkloadTest.SMALL));
            Encoder enc = new Encoder();
            long before = Go.readMemStats().mallocs();
            long out = enc.encode(st.get(f, 0));
            long objects = Go.readMemStats().mallocs() - before;
            // the buffers of bytes.Buffer's growth: 64 bytes, then 2*cap + n each time a write does not fit
            long grown = 1;
            for (long cap = 64; cap < enc.length(); cap = 2 * cap) {
                grown++;
            }
            assertThat(objects).as("buffers (at most one per doubling), no exact-size copy").isBetween(2L, grown);
            assertThat(h.len(out)).as("the last buffer, its spare capacity included").isGreaterThan(enc.length());
            st.pop(f);
        });
    }
}
