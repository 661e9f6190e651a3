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

    @Test
    void accessWordAgreesWithTheDescriptor() {
        Type wide = Type.builder("acc.wide").scalars(31).ptr().build();
        Type tooWide = Type.builder("acc.toowide").scalars(32).ptr().build();
        Type pair = Type.struct("acc.pair", "ptr,scalar");
        Type[] types = {Type.PTR, Type.SCALAR, Type.struct("acc.empty", ""), wide, tooWide, pair,
                Type.arrayOf(Type.PTR), Type.arrayOf(Type.SCALAR), Type.arrayOf(pair), Type.BYTES};
        for (Type t : types) {
            long acc = Type.accessWord(t.id());
            int shape = (int) (acc >>> 62);
            assertThat(Type.isNoscan(t.id())).as(t.name()).isEqualTo(!t.hasPointers());
            switch (shape) {
                case Type.ACCESS_STRUCT -> {
                    assertThat(t.kind()).as(t.name()).isEqualTo(Type.Kind.STRUCT);
                    assertThat((acc >>> 32) & 0xFFFF).as(t.name()).isEqualTo(t.sizeWords());
                    for (int i = 0; i < t.sizeWords(); i++) {
                        assertThat(((acc >>> i) & 1) != 0).as(t.name() + " word " + i).isEqualTo(t.isPointer(i));
                    }
                }
                case Type.ACCESS_WORD_ARRAY -> {
                    assertThat(t.isArray() && t.sizeWords() == 1).as(t.name()).isTrue();
                    assertThat((acc & 1) != 0).as(t.name()).isEqualTo(t.hasPointers());
                }
                case Type.ACCESS_BYTES -> assertThat(t).isSameAs(Type.BYTES);
                default -> assertThat(t.sizeWords() > 32 || t.isArray() && t.sizeWords() > 1).as(t.name()).isTrue();
            }
        }
        assertThat((int) (Type.accessWord(wide.id()) >>> 62)).isEqualTo(Type.ACCESS_STRUCT);
        assertThat((int) (Type.accessWord(tooWide.id()) >>> 62)).isEqualTo(Type.ACCESS_SLOW);
        assertThat((int) (Type.accessWord(Type.arrayOf(pair).id()) >>> 62)).isEqualTo(Type.ACCESS_SLOW);
        assertThatThrownBy(() -> Type.accessWord(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Type.accessWord(1 << 30)).isInstanceOf(IllegalArgumentException.class);
    }
}
