package io.breakglass.activities.config;

import io.breakglass.activities.logscan.RawIdentifiers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The log scan of METRIC_WATCH: which files, how many of their last lines, and the raw-identifier
 * patterns that must not appear. Patterns replace the default of the same name ({@code MRN}, {@code
 * SSN}, {@code DOB}, {@code NAME}; see {@link RawIdentifiers}) or add new names; every pattern must
 * compile.
 *
 * @param files log files of the protected service
 * @param maxLines how many of each file's last lines are read (default 10,000)
 * @param patterns regular expressions by name, added to or replacing the defaults
 * @param deployments KUBERNETES deployments whose pods' logs are scanned too (the last {@code
 *     maxLines} of each container)
 */
public record LogScanConfig(
    List<Path> files, int maxLines, Map<String, String> patterns, List<String> deployments) {

  public LogScanConfig {
    files = files == null ? List.of() : List.copyOf(files);
    maxLines = maxLines == 0 ? 10_000 : maxLines;
    patterns = patterns == null ? Map.of() : Map.copyOf(patterns);
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    if (maxLines < 1) {
      throw new IllegalArgumentException("logScan: maxLines must be at least 1");
    }
    RawIdentifiers.compile(patterns);
  }

  /** A scan of files only. */
  public LogScanConfig(List<Path> files, int maxLines, Map<String, String> patterns) {
    this(files, maxLines, patterns, null);
  }

  /** The defaults with this configuration's patterns applied, compiled. */
  public Map<String, Pattern> compiledPatterns() {
    return RawIdentifiers.compile(patterns);
  }
}
