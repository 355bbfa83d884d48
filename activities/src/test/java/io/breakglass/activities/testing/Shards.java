package io.breakglass.activities.testing;

import io.breakglass.workflows.messages.values.ShardLayout;
import io.breakglass.workflows.messages.values.ShardRange;
import java.util.ArrayList;
import java.util.List;

/** Every shard of a (small) layout, for tests that walk them all. */
public final class Shards {

  private Shards() {}

  public static List<ShardRange> of(ShardLayout layout) {
    List<ShardRange> shards = new ArrayList<>();
    for (int i = 0; i < layout.shardCount(); i++) {
      shards.add(layout.shard(i));
    }
    return shards;
  }
}
