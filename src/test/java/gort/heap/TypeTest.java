package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TypeTest {
    @Test
    void structFromLayoutString() {
        Type node = Type.struct("node", "ptr, ptr, scalar");
        assertThat(node.kind()).isEqualTo(Type.Kind.STRUCT);
        assertThat(node.sizeWords()).isEqualTo(3);
        assertThat(node.isPointer(0)).isTrue();
        assertThat(node.isPointer(1)).isTrue();
        assertThat(node.isPointer(2)).isFalse();
        assertThat(node.hasPointers()).isTrue();
        assertThat(node.layout()).isEqualTo("ptr,ptr,scalar");
        assertThat(node.dataWords(0)).isEqualTo(3);
        assertThat(node.objectWords(0)).as("no header: data words only").isEqualTo(3);
        assertThat(Type.byId(node.id())).isSameAs(node);
    }

    @Test
    void builderAndBooleansAgree() {
        Type a = Type.builder("a").scalar().ptrs(2).scalars(70).ptr().build();
        Type b = Type.struct("b", false, true, true);
        assertThat(a.sizeWords()).isEqualTo(74);
        assertThat(a.isPointer(73)).isTrue();
        assertThat(a.isPointer(72)).isFalse();
        assertThat(b.layout()).isEqualTo("scalar,ptr,ptr");
        assertThat(Type.struct("empty", "").sizeWords()).isZero();
        assertThat(Type.struct("empty2", "").objectWords(0)).as("a zero-size object still takes a word").isEqualTo(1);
        assertThat(Type.struct("nums", "s,int,scalar").hasPointers()).isFalse();
    }

    @Test
    void badLayoutNamesTheFieldAndAllowedKinds() {
        assertThatThrownBy(() -> Type.struct("bad", "ptr,float"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad")
                .hasMessageContaining("field 1")
                .hasMessageContaining("float")
                .hasMessageContaining("allowed kinds are ptr");
    }

    @Test
    void arraysAndStrings() {
        assertThat(Type.PTR_ARRAY.isArray()).isTrue();
        assertThat(Type.PTR_ARRAY.dataWords(10)).isEqualTo(10);
        assertThat(Type.PTR_ARRAY.isPointer(7)).isTrue();
        assertThat(Type.SCALAR_ARRAY.isPointer(7)).isFalse();
        assertThat(Type.arrayOf(Type.PTR)).isSameAs(Type.PTR_ARRAY);
        Type pair = Type.struct("pair", "ptr,scalar");
        Type pairs = Type.arrayOf(pair);
        assertThat(pairs.name()).isEqualTo("[]pair");
        assertThat(pairs.dataWords(5)).isEqualTo(10);
        assertThat(pairs.isPointer(4)).isTrue();
        assertThat(pairs.isPointer(5)).isFalse();
        assertThat(Type.BYTES.dataWords(0)).isZero();
        assertThat(Type.BYTES.dataWords(1)).isEqualTo(1);
        assertThat(Type.BYTES.dataWords(8)).isEqualTo(1);
        assertThat(Type.BYTES.dataWords(9)).isEqualTo(2);
        assertThat(Type.BYTES.objectWords(0)).isEqualTo(1);
        assertThat(Type.BYTES.objectWords(16)).isEqualTo(2);
        assertThat(Type.PTR_ARRAY.objectWords(0)).isEqualTo(1);
        assertThat(pairs.objectWords(5)).isEqualTo(10);
        assertThat(Type.BYTES.hasPointers()).isFalse();
        assertThatThrownBy(() -> pair.dataWords(3)).hasMessageContaining("pair is a struct");
        assertThatThrownBy(() -> pairs.dataWords(-1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Type.arrayOf(pairs)).hasMessageContaining("must be a struct");
    }

    @Test
    void typeIdsArePositiveSoZeroMeansNoObject() {
        Type t = Type.struct("h", "ptr");
        assertThat(t.id()).isPositive();
        assertThat(Type.PTR_ARRAY.id()).isPositive();
        assertThat(Type.BYTES.id()).isPositive();
        assertThat(Type.byId(t.id())).isSameAs(t);
        assertThatThrownBy(() -> Type.byId(0)).hasMessageContaining("no type with id 0");
        assertThatThrownBy(() -> Type.byId((int) (MHeap.POISON >>> 32))).hasMessageContaining("no type with id");
    }

    @Test
    void concurrentRegistrationGivesDistinctResolvableIds() throws InterruptedException {
        int per = 300;
        Type[][] made = new Type[4][per];
        ConcurrencyStressTest.runThreads(4, t -> {
            for (int i = 0; i < per; i++) {
                made[t][i] = Type.struct("t" + t + "_" + i, i % 2 == 0 ? "ptr" : "scalar");
            }
        });
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (Type[] row : made) {
            for (Type t : row) {
                assertThat(ids.add(t.id())).isTrue();
                assertThat(Type.byId(t.id())).isSameAs(t);
            }
        }
    }
}
