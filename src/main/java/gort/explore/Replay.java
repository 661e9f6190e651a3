package gort.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failing schedule as text that {@code gort explore --replay FILE} reads back: the scenario,
 * its GODEBUG settings, the seed, the failure seen, and the decision list, run-length encoded
 * ({@code 3*5} is thread 3 chosen five times in a row). Lines:
 * <pre>
 * gort explore replay
 * scenario markterm
 * godebug gcwakeup=park
 * seed 16
 * failure HANG: the GC cycle did not end ...
 * decisions 0 1*3 2 0 ...
 * </pre>
 * Invariant: {@link #parse} of {@link #format} gives back the scenario, settings, seed and
 * decisions (the failure line is for the reader; a replay checks its own oracles).
 */
public record Replay(String scenario, Map<String, String> godebug, long seed, String failure, int[] decisions) {
    static final String HEADER = "gort explore replay";

    public static Replay of(Explorer e, Outcome o) {
        return new Replay(e.scenario().name(), e.godebug(), o.seed(),
                o.failure() == null ? "none" : o.failure().oracle() + ": " + o.failure().headline(), o.decisions());
    }

    public String format() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("scenario ").append(scenario).append('\n');
        StringBuilder gd = new StringBuilder();
        for (var en : godebug.entrySet()) {
            gd.append(gd.isEmpty() ? "" : ",").append(en.getKey()).append('=').append(en.getValue());
        }
        sb.append("godebug ").append(gd).append('\n');
        sb.append("seed ").append(seed).append('\n');
        sb.append("failure ").append(failure.replace('\n', ' ')).append('\n');
        sb.append("decisions ").append(encode(decisions)).append('\n');
        return sb.toString();
    }

    /** Thread ids, a run of k equal ids written {@code id*k}. */
    public static String encode(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length;) {
            int j = i;
            while (j < d.length && d[j] == d[i]) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(d[i]);
            if (j - i > 1) {
                sb.append('*').append(j - i);
            }
            i = j;
        }
        return sb.toString();
    }

    public static int[] decode(String s) {
        List<Integer> out = new ArrayList<>();
        for (String tok : s.trim().split("\\s+")) {
            if (tok.isEmpty()) {
                continue;
            }
            int star = tok.indexOf('*');
            int id = Integer.parseInt(star < 0 ? tok : tok.substring(0, star));
            int k = star < 0 ? 1 : Integer.parseInt(tok.substring(star + 1));
            if (id < 0 || k < 1) {
                throw new NumberFormatException(tok);
            }
            for (int i = 0; i < k; i++) {
                out.add(id);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads a replay's text; the error names the line that is wrong. */
    public static Replay parse(String text) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().equals(HEADER)) {
            throw new IllegalArgumentException("not a replay: its first line is not \"" + HEADER + "\"");
        }
        String scenario = null;
        Map<String, String> godebug = new LinkedHashMap<>();
        Long seed = null;
        String failure = "";
        int[] decisions = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String val = sp < 0 ? "" : line.substring(sp + 1).trim();
            try {
                switch (key) {
                    case "scenario" -> scenario = val;
                    case "godebug" -> godebug = val.isEmpty() ? Map.of() : gort.api.Config.parseGodebug(val);
                    case "seed" -> seed = Long.parseLong(val);
                    case "failure" -> failure = val;
                    case "decisions" -> decisions = decode(val);
                    default -> throw new IllegalArgumentException("unknown field \"" + key + "\"");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("replay line " + (i + 1) + " (" + key + ") is invalid: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("replay line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (scenario == null || seed == null || decisions == null) {
            throw new IllegalArgumentException("replay lacks its " + (scenario == null ? "scenario" : seed == null ? "seed" : "decisions") + " line");
        }
        return new Replay(scenario, godebug, seed, failure, decisions);
    }
}
