package gort.workloads;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registry of workloads by name. Invariant: names are unique and listed in help texts. */
public final class Workloads {
    private static final Map<String, Workload> ALL = new LinkedHashMap<>();

    static {
        register(new PingPong());
        register(new Alloc());
        register(new BinTree());
        register(new gort.workloads.json.JsonWorkload());
    }

    private Workloads() {}

    private static void register(Workload w) {
        ALL.put(w.name(), w);
    }

    public static Workload lookup(String name) {
        Workload w = ALL.get(name);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload \"" + name + "\": one of " + String.join(", ", ALL.keySet()));
        }
        return w;
    }

    /** Whether name is a built-in workload's (such a name always means the workload, never a file of that name). */
    public static boolean isName(String name) {
        return ALL.containsKey(name);
    }

    /** The built-in workloads' names, in registry order. */
    public static java.util.List<String> names() {
        return java.util.List.copyOf(ALL.keySet());
    }

    /** Names of the workloads that read an input document, comma-separated. */
    public static String takingInput() {
        return taking(Workload::takesInput);
    }

    /** Names of the workloads with a property, comma-separated. */
    public static String taking(java.util.function.Predicate<Workload> p) {
        return String.join(", ", ALL.values().stream().filter(p).map(Workload::name).toList());
    }

    public static long checkOps(long n) {
        if (n < 1 || n > 1_000_000_000_000L) {
            throw new IllegalArgumentException("--ops=" + n + " is invalid: must be from 1 to 10^12");
        }
        return n;
    }

    /** For picocli's completion candidates and help. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ALL.keySet().iterator();
        }
    }
}
