package io.breakglass.worker.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The table's id span cut into one contiguous range per thread, as every hand-written row loop
 * splits its work: range {@code i} is {@code (after, upTo]}, the ranges cover every id once.
 */
final class IdRanges {

  /** The work of one thread on one range; returns the rows it rewrote. */
  interface RangeWork {
    long rewrite(long after, long upTo);
  }

  private IdRanges() {}

  /** Runs {@code work} on each range, each on its own thread; returns the sum. */
  static long run(DataSource database, int threads, RangeWork work) {
    long[] bounds = bounds(database);
    long min = bounds[0] - 1;
    long width = Math.max(1, (bounds[1] - min + threads - 1) / threads);
    List<LongSupplier> ranges = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long after = min + i * width;
      long upTo = i == threads - 1 ? bounds[1] : after + width;
      ranges.add(() -> work.rewrite(after, upTo));
    }
    return Parallel.sum(threads, ranges);
  }

  private static long[] bounds(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement query = connection.createStatement();
        ResultSet row = query.executeQuery("SELECT min(id), max(id) FROM " + SnapshotRows.TABLE)) {
      row.next();
      return new long[] {row.getLong(1), row.getLong(2)};
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the id range: " + e.getMessage(), e);
    }
  }
}
