package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * How a data set is cut into shards, small enough to travel in a workflow payload whatever the data
 * set's size: tables are cut into equal id ranges computed from three numbers; folders into ranges
 * between listed names (the planner keeps their number bounded).
 *
 * @param kind id ranges or name ranges
 * @param shardCount how many shards there are
 * @param firstKey for id ranges: the lowest id when planned
 * @param width for id ranges: ids per shard
 * @param boundaries for name ranges: the first name of every shard but the first, in order
 */
public record ShardLayout(
    Kind kind, int shardCount, long firstKey, long width, List<String> boundaries) {

  /** The two ways to cut a data set. */
  public enum Kind {
    /** {@code [firstKey + i*width, firstKey + (i+1)*width)} for shard i. */
    KEY_RANGE,
    /** {@code [boundaries[i-1], boundaries[i])} for shard i. */
    NAME_RANGE
  }

  /** Id ranges of {@code width} from {@code firstKey}. */
  public static ShardLayout keyRanges(int shardCount, long firstKey, long width) {
    return new ShardLayout(Kind.KEY_RANGE, shardCount, firstKey, width, List.of());
  }

  /** Name ranges between {@code boundaries}. */
  public static ShardLayout nameRanges(List<String> boundaries) {
    return new ShardLayout(Kind.NAME_RANGE, boundaries.size() + 1, 0, 0, List.copyOf(boundaries));
  }

  /**
   * Shard {@code index}. The first shard is open below and the last open above, so together they
   * cover every key, including keys added after planning.
   */
  public ShardRange shard(int index) {
    if (index < 0 || index >= shardCount) {
      throw new IndexOutOfBoundsException("shard " + index + " of " + shardCount);
    }
    boolean first = index == 0;
    boolean last = index == shardCount - 1;
    return switch (kind) {
      case KEY_RANGE ->
          new ShardRange(
              index,
              first ? null : Long.toString(firstKey + index * width),
              last ? null : Long.toString(firstKey + (index + 1) * width));
      case NAME_RANGE ->
          new ShardRange(
              index, first ? null : boundaries.get(index - 1), last ? null : boundaries.get(index));
    };
  }
}
