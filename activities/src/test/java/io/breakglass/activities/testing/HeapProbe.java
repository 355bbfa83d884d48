package io.breakglass.activities.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory test's probe: a test-scope {@code main} run to its end in a JVM of its own, with a small
 * heap and {@code -XX:+ExitOnOutOfMemoryError}, so running out of heap is a failed exit.
 *
 * @param exit its exit status
 * @param output what it printed
 */
public record HeapProbe(int exit, String output) {

  /** Runs {@code main} with {@code args} and a heap of {@code heap} (e.g. {@code -Xmx48m}). */
  public static HeapProbe run(String heap, Class<?> main, Path log, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the probe did not finish in 5 minutes: " + Files.readString(log));
    }
    return new HeapProbe(process.exitValue(), Files.readString(log));
  }

  /** The number printed as {@code name=<digits>} on the last line. */
  public long number(String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(lastLine());
    if (!m.find()) {
      throw new AssertionError("no " + name + "= on the last line: " + output);
    }
    return Long.parseLong(m.group(1));
  }

  /** Whether the probe ended by running out of heap before printing {@code collected=}. */
  public boolean ranOutOfHeap() {
    return exit != 0 && output.contains("OutOfMemoryError") && !output.contains("collected=");
  }

  public String lastLine() {
    List<String> lines = output.lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
