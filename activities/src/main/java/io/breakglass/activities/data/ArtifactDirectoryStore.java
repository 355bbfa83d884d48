package io.breakglass.activities.data;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.workflows.messages.values.ShardLayout;
import io.breakglass.workflows.messages.values.ShardRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A folder of chart artifacts, each file one binary envelope. Keys are paths relative to the root
 * with '/' separators, ordered as strings. Names starting with '.' (temporary files, ours and the
 * application's) are not items.
 */
public final class ArtifactDirectoryStore implements ItemStore {

  /** Folder shards are listed by name in the plan: this many at most. */
  static final int MAX_SHARDS = 2_000;

  private final String dataSet;
  private final Path root;
  private final AssociatedDataMode associatedData;
  private final String associatedDataConstant;

  private ArtifactDirectoryStore(
      String dataSet, Path root, AssociatedDataMode associatedData, String associatedDataConstant) {
    this.dataSet = dataSet;
    this.root = root;
    this.associatedData = associatedData;
    this.associatedDataConstant = associatedDataConstant;
  }

  /**
   * A store for {@code config}'s directory.
   *
   * @throws IllegalArgumentException when the directory does not exist or the binding is for rows
   */
  public static ArtifactDirectoryStore create(DataSetConfig config) {
    String where = "data set " + config.name() + " (" + config.directory() + ")";
    if (config.directory() == null || !Files.isDirectory(config.directory())) {
      throw new IllegalArgumentException(where + ": directory not found");
    }
    if (config.associatedData() == AssociatedDataMode.ROW_ID) {
      throw new IllegalArgumentException(where + ": associatedData ROW_ID is for table columns");
    }
    return new ArtifactDirectoryStore(
        config.name(),
        config.directory(),
        config.associatedData(),
        config.profile().associatedDataConstant());
  }

  @Override
  public long count() {
    return keys().size();
  }

  /**
   * Ranges between sorted names, every {@code shardSize} names; the shard size grows where needed
   * so that at most {@value #MAX_SHARDS} boundaries travel in the plan.
   */
  @Override
  public ShardLayout split(int shardSize) {
    List<String> keys = keys();
    int size = Math.max(shardSize, (keys.size() + MAX_SHARDS - 1) / MAX_SHARDS);
    List<String> boundaries = new ArrayList<>();
    for (int i = size; i < keys.size(); i += size) {
      boundaries.add(keys.get(i));
    }
    return ShardLayout.nameRanges(boundaries);
  }

  /** Lists only the folders that can hold keys of the shard, so a shard costs its own size. */
  @Override
  public ItemSession open(ShardRange shard, String afterKey) {
    List<String> keys =
        keys(shard.fromKey(), shard.toKey()).stream()
            .filter(k -> afterKey == null || k.compareTo(afterKey) > 0)
            .toList();
    return new DirectoryItemSession(this, keys);
  }

  @Override
  public List<StoredItem> newest(int n) {
    List<String> keys = keys();
    List<StoredItem> items = new ArrayList<>();
    for (int i = keys.size() - 1; i >= 0 && items.size() < n; i--) {
      read(keys.get(i)).ifPresent(items::add);
    }
    return items;
  }

  @Override
  public byte[] associatedData(String key) {
    return switch (associatedData) {
      case OBJECT_PATH -> key.getBytes(StandardCharsets.UTF_8);
      case CONSTANT -> associatedDataConstant.getBytes(StandardCharsets.UTF_8);
      case ROW_ID, NONE -> null;
    };
  }

  /** The item under {@code key}, or empty when the file is gone. */
  Optional<StoredItem> read(String key) {
    try {
      return Optional.of(new StoredItem(key, Files.readAllBytes(path(key))));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("cannot read " + key, e);
    }
  }

  /** The file of {@code key}; refuses keys that would leave the root. */
  Path path(String key) {
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root.normalize())) {
      throw new IllegalArgumentException("data set " + dataSet + ": key outside the root: " + key);
    }
    return path;
  }

  DataStoreException failure(String what, IOException cause) {
    return new DataStoreException("data set " + dataSet + ": " + what, cause);
  }

  /** Every item key, sorted. */
  private List<String> keys() {
    return keys(null, null);
  }

  /**
   * The item keys from {@code from} (inclusive) to {@code to} (exclusive), sorted; a null bound is
   * open. Every key under folder {@code d} lies in {@code [d + "/", d + "0")} ('0' follows '/'), so
   * a folder outside the range is not listed at all. Files may vanish while the folder is walked
   * (our own temporary files, the application's renames): a vanished file is simply not an item.
   */
  private List<String> keys(String from, String to) {
    List<String> keys = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
              }
              String folder = key(dir);
              boolean below = from != null && (folder + "0").compareTo(from) <= 0;
              boolean above = to != null && (folder + "/").compareTo(to) >= 0;
              return below || above ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (attributes.isRegularFile() && visible(root.relativize(file))) {
                String key = key(file);
                if ((from == null || key.compareTo(from) >= 0)
                    && (to == null || key.compareTo(to) < 0)) {
                  keys.add(key);
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw failure("cannot list " + root, e);
    }
    keys.sort(null);
    return keys;
  }

  /** The key of a file (or the key prefix of a folder): its path from the root, '/'-separated. */
  private String key(Path path) {
    return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
  }

  private static boolean visible(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    return true;
  }
}
