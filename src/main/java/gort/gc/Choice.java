package gort.gc;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One value of a switchable mechanism's registry (the wakeup strategy, the pacer, the write
 * barrier): its name as flags and GODEBUG spell it, and a sentence on what it is. The registries
 * are enums implementing this, so the CLI, GODEBUG parsing, compare and the reports all take the
 * names and words from one place.
 */
public interface Choice {
    /** The name used by flags and GODEBUG. */
    String flag();

    /** What this choice is, in a sentence (and whether it is Go, and which Go). */
    String description();

    /** The choice of {@code type} named {@code s}; the error names the axis and every allowed name. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String axis, String s) {
        for (E e : type.getEnumConstants()) {
            if (e.flag().equals(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException(axis + " \"" + s + "\" is invalid: must be " + names(type));
    }

    /** "a, b or c": the names of type's choices, for messages and help. */
    static <E extends Enum<E> & Choice> String names(Class<E> type) {
        String[] n = Arrays.stream(type.getEnumConstants()).map(Choice::flag).toArray(String[]::new);
        return n.length == 1 ? n[0] : String.join(", ", Arrays.copyOf(n, n.length - 1)) + " or " + n[n.length - 1];
    }

    /** "a|b|c": the names for a parameter label. */
    static <E extends Enum<E> & Choice> String bar(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::flag).collect(Collectors.joining("|"));
    }
}
