package io.breakglass.activities.reencrypt;

import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardLayout;
import io.breakglass.workflows.messages.values.ShardRange;
import java.util.List;

/** An {@link ItemStore} that forwards everything; tests override what they interfere with. */
class DelegatingStore implements ItemStore {

  private final ItemStore store;

  DelegatingStore(ItemStore store) {
    this.store = store;
  }

  @Override
  public long count() {
    return store.count();
  }

  @Override
  public ShardLayout split(int shardSize) {
    return store.split(shardSize);
  }

  @Override
  public ItemSession open(ShardRange shard, String afterKey) {
    return store.open(shard, afterKey);
  }

  @Override
  public List<StoredItem> newest(int n) {
    return store.newest(n);
  }

  @Override
  public byte[] associatedData(String key) {
    return store.associatedData(key);
  }
}
