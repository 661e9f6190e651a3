package gort.workloads.json;

import gort.api.Heap;

/**
 * Structural comparison of two managed Response trees, for the workload's self-check: the same
 * strings, the same nil-ness and length of every kid slice, the same scalars (cl_weight by its
 * bits). Allocates nothing, so it is no safepoint: both trees must be rooted by the caller and
 * stay unchanged meanwhile. Stateless.
 */
public final class Trees {
    private Trees() {}

    /** null if the two Responses are equal, else the JSON path of the first difference. */
    public static String diff(Heap h, long a, long b) {
        if (!sameString(h, h.loadPtr(a, Schema.USERNAME), h.loadPtr(b, Schema.USERNAME))) {
            return "$.username";
        }
        long ta = h.loadPtr(a, Schema.TREE);
        long tb = h.loadPtr(b, Schema.TREE);
        if ((ta == 0) != (tb == 0)) {
            return "$.tree";
        }
        if (ta == 0) {
            return null;
        }
        String d = diffNode(h, ta, tb);
        return d == null ? null : "$.tree" + d;
    }

    /** null, or the path of the first difference relative to the Node (".kids[2].name"). */
    private static String diffNode(Heap h, long a, long b) {
        if (!sameString(h, h.loadPtr(a, Schema.NAME), h.loadPtr(b, Schema.NAME))) {
            return ".name";
        }
        for (int w = Schema.CL_WEIGHT; w <= Schema.MEAN_T; w++) {
            if (h.loadInt(a, w) != h.loadInt(b, w)) {
                return "." + Schema.NODE_KEYS[w - Schema.CL_WEIGHT + 2]; // after name and kids
            }
        }
        long ka = h.loadPtr(a, Schema.KIDS);
        long kb = h.loadPtr(b, Schema.KIDS);
        long n = h.loadInt(a, Schema.KIDS_LEN);
        if ((ka == 0) != (kb == 0) || n != h.loadInt(b, Schema.KIDS_LEN)) {
            return ".kids";
        }
        for (int i = 0; i < n; i++) {
            String d = diffNode(h, h.loadPtr(ka, i), h.loadPtr(kb, i));
            if (d != null) { // the path is built only on a difference
                return ".kids[" + i + "]" + d;
            }
        }
        return null;
    }

    /** Equal bytes; nil is the empty string. */
    static boolean sameString(Heap h, long a, long b) {
        int na = a == 0 ? 0 : h.len(a);
        int nb = b == 0 ? 0 : h.len(b);
        if (na != nb) {
            return false;
        }
        for (int w = 0, words = (na + 7) >>> 3; w < words; w++) {
            if (h.loadInt(a, w) != h.loadInt(b, w)) {
                return false;
            }
        }
        return true;
    }
}
