package gort.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code ./gort} process, as a user starts it: the launcher, on the test suite's class path
 * ({@code GORT_CLASSPATH}), in a working directory and with a temporary directory of the test's
 * own, so that what it leaves behind can be listed. Its stderr is read line by line as it comes, so
 * a test can wait for what gort says (its progress line) instead of sleeping.
 */
final class LaunchedGort {
    private final Process process;
    private final List<String> errLines = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private final Thread errReader;
    private final Thread outReader;

    private LaunchedGort(Process p, boolean readOut) {
        this.process = p;
        errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    synchronized (errLines) {
                        errLines.add(l);
                        errLines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            synchronized (errLines) {
                errLines.notifyAll();
            }
        }, "gort-stderr");
        errReader.setDaemon(true);
        errReader.start();
        outReader = new Thread(() -> {
            if (!readOut) {
                return;
            }
            try {
                String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (out) {
                    out.append(s);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "gort-stdout");
        outReader.setDaemon(true);
        outReader.start();
    }

    /** Starts ./gort args in workDir with java.io.tmpdir = tmpDir; its stdout is read unless stdout redirects it. */
    static LaunchedGort start(Path workDir, Path tmpDir, ProcessBuilder.Redirect stdout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of("gort").toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("GORT_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("GORT_JAVA_OPTS", "-Djava.io.tmpdir=" + tmpDir);
        if (stdout != null) {
            pb.redirectOutput(stdout);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        return new LaunchedGort(p, stdout == null);
    }

    static LaunchedGort start(Path workDir, Path tmpDir, String... args) throws IOException {
        return start(workDir, tmpDir, null, args);
    }

    Process process() {
        return process;
    }

    /** Waits until a line of stderr matches (true), or the stream ends or the time is up (false). */
    boolean awaitErr(Predicate<String> line, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (errLines) {
            for (int seen = 0;; ) {
                for (; seen < errLines.size(); seen++) {
                    if (line.test(errLines.get(seen))) {
                        return true;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!errReader.isAlive() && seen == errLines.size())) {
                    return false;
                }
                errLines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Waits for the process to end (false: it did not within the time) and for its streams to be read. */
    boolean await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return false;
        }
        errReader.join(TimeUnit.SECONDS.toMillis(30));
        outReader.join(TimeUnit.SECONDS.toMillis(30));
        return true;
    }

    /** Ends the process if it is still running (a failed test must not leave it behind). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    List<String> errLines() {
        synchronized (errLines) {
            return List.copyOf(errLines);
        }
    }

    String err() {
        return String.join("\n", errLines());
    }

    String out() {
        synchronized (out) {
            return out.toString();
        }
    }
}
