package gort.workloads.json;

import gort.api.Raw;
import gort.api.Go;
import gort.heap.Type;

/**
 * The managed-heap shapes of the json benchmark's Go types (golang.org/x/benchmarks/json):
 *
 * <pre>
 * type Response struct { Tree *Node; Username string }
 * type Node struct {
 *     Name string; Kids []*Node
 *     CLWeight float64; Touches int; MinT, MaxT, MeanT int64
 * }
 * </pre>
 *
 * <p>Layouts, one word per field:
 * <ul>
 *   <li>{@link #RESPONSE}: {@code tree} (→ Node), {@code username} (→ string object).
 *   <li>{@link #NODE}: {@code name} (→ string), {@code kids} (→ a {@link #KIDS} array, the slice's
 *       backing array), {@code kids_len} and {@code kids_cap} (the slice's length and capacity,
 *       the capacity also the array's own length), then {@code cl_weight} (the raw IEEE 754 bits
 *       of the float64), {@code touches}, {@code min_t}, {@code max_t}, {@code mean_t}: nine
 *       words, as Go's Node with its three-word slice header (72 bytes, the 80-byte size class;
 *       Go's string header's length word is the string object's own length here, which keeps the
 *       count at nine).
 *   <li>{@link #KIDS}: {@code []*Node}, an array of one-pointer elements.
 *   <li>strings: {@link Type#BYTES} objects holding UTF-8; nil (0) is the empty string, which Go
 *       does not allocate either.
 * </ul>
 *
 * <p>Invariants of a decoded Node: {@code kids == 0} is Go's nil slice (JSON {@code null}), and
 * then {@code kids_len == 0};
 * otherwise {@code 0 <= kids_len <= len(kids)} and elements {@code [0, kids_len)} are non-nil
 * Nodes, while elements past {@code kids_len} (spare capacity left by the 1.5× growth) are nil. An
 * empty non-nil slice ({@code []}) points at the runtime's shared zero-length array, the way Go
 * points every zero-size allocation at {@code runtime.zerobase}: see {@link #newZerobase()}.
 */
public final class Schema {
    private Schema() {}

    public static final Type RESPONSE = Type.struct("json.Response", "ptr,ptr");
    public static final int TREE = 0;
    public static final int USERNAME = 1;

    public static final Type NODE = Type.struct("json.Node", "ptr,ptr,scalar,scalar,scalar,scalar,scalar,scalar,scalar");
    public static final int NAME = 0;
    public static final int KIDS = 1;
    public static final int KIDS_LEN = 2;
    public static final int KIDS_CAP = 3;
    public static final int CL_WEIGHT = 4;
    public static final int TOUCHES = 5;
    public static final int MIN_T = 6;
    public static final int MAX_T = 7;
    public static final int MEAN_T = 8;

    /** The element of a kids array: one pointer to a Node. */
    public static final Type NODE_PTR = Type.struct("*json.Node", "ptr");
    /** {@code []*Node}. */
    public static final Type KIDS_ARRAY = Type.arrayOf(NODE_PTR);

    /** JSON keys of a Node in struct order (the order Go's Marshal writes them). */
    static final String[] NODE_KEYS = {"name", "kids", "cl_weight", "touches", "min_t", "max_t", "mean_t"};
    /** JSON keys of a Response in struct order. */
    static final String[] RESPONSE_KEYS = {"tree", "username"};

    /**
     * Allocates this runtime's zero-length kids array and a global slot that keeps it alive;
     * returns the slot. Call once per runtime, from a goroutine; pass the slot to every
     * {@link Decoder} of that runtime.
     */
    public static int newZerobase() {
        int g = Raw.newGlobal();
        Raw.setGlobal(g, Raw.heap().allocArray(NODE_PTR, 0));
        return g;
    }
}
