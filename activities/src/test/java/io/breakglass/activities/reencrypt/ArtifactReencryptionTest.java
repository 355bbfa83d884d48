package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ArtifactDirectoryStore;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.activities.testing.ArtifactFolder;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.Shards;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactReencryptionTest {

  private static final int FILES = 50;

  @TempDir Path root;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private final KeyId v2 = keyring.add("artifact-encryption-key", "v2");
  private ArtifactFolder folder;
  private ArtifactDirectoryStore store;

  @BeforeEach
  void seed() {
    folder = new ArtifactFolder(root, keyring);
    folder.seed(FILES, v1);
    store = ArtifactDirectoryStore.create(folder.config(v1.secret(), 20, 8));
  }

  @Test
  void everyArtifact_endsUnderTheNewKeyWithItsContentUnchanged_andNoTemporaryFileLeft()
      throws Exception {
    Map<String, String> before = folder.plaintexts();

    long reencrypted = 0;
    List<ShardRange> shards = Shards.of(store.split(20));
    for (ShardRange shard : shards) {
      reencrypted +=
          reencryptor(store)
              .run(shard, v2, Set.of(), ShardCheckpoint.start(), c -> {})
              .reencrypted();
    }

    assertThat(shards).hasSize(3);
    assertThat(reencrypted).isEqualTo(FILES);
    assertThat(folder.keyIds().values()).hasSize(FILES).containsOnly(v2.toString());
    assertThat(folder.plaintexts()).isEqualTo(before);
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(p -> p.getFileName().toString().startsWith(".breakglass-"))).isEmpty();
    }
  }

  @Test
  void aShard_listsExactlyTheArtifactsInItsRange_whereverItsBoundsFallAmongNestedFolders()
      throws Exception {
    Path nested = Files.createDirectories(root.resolve("nested"));
    List<String> names =
        List.of(
            "a/x.pdf",
            "a/b/c.pdf",
            "a-b/x.pdf",
            "a.pdf",
            "a0.pdf",
            "a/.hidden",
            "b/y/z.pdf",
            "c.pdf");
    for (String name : names) {
      Path file = nested.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, name);
    }
    ArtifactDirectoryStore nestedStore =
        ArtifactDirectoryStore.create(
            new ArtifactFolder(nested, keyring).config(v1.secret(), 20, 8));
    List<String> visible = names.stream().filter(n -> !n.contains("/.")).sorted().toList();
    List<String> bounds =
        new ArrayList<>(List.of("a", "a/", "a0", "a-", "a/b", "a/b/", "b", "b/y", "d"));
    bounds.addAll(visible);
    bounds.add(null);

    for (String from : bounds) {
      for (String to : bounds) {
        List<String> expected =
            visible.stream()
                .filter(k -> from == null || k.compareTo(from) >= 0)
                .filter(k -> to == null || k.compareTo(to) < 0)
                .toList();
        try (ItemSession session = nestedStore.open(new ShardRange(0, from, to), null)) {
          assertThat(session.next(100))
              .extracting(StoredItem::key)
              .as("[%s, %s)", from, to)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void hiddenFiles_areNotItems() throws Exception {
    Files.writeString(root.resolve(".upload-in-progress.tmp"), "half a file");

    assertThat(store.count()).isEqualTo(FILES);
  }

  @Test
  void listingWhileTemporaryFilesComeAndGo_neverFails() throws Exception {
    Path folder = root.resolve("patient-00");
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread churn =
        new Thread(
            () -> {
              for (int i = 0; !stop.get(); i++) {
                Path temporary = folder.resolve(".breakglass-churn-" + i + ".tmp");
                try {
                  Files.writeString(temporary, "x");
                  Files.delete(temporary);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            });
    churn.start();
    try {
      for (int i = 0; i < 300; i++) {
        assertThat(store.count()).isEqualTo(FILES);
      }
    } finally {
      stop.set(true);
      churn.join();
    }
  }

  @Test
  void anArtifactReplacedBetweenReadAndWrite_keepsTheApplicationsVersion() {
    String raced = "patient-00/chart-0000.pdf";
    ItemStore racing =
        new DelegatingStore(store) {
          @Override
          public ItemSession open(ShardRange shard, String afterKey) {
            return new DelegatingSession(super.open(shard, afterKey)) {
              boolean once;

              @Override
              public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
                if (!once) {
                  once = true;
                  folder.write(raced, ArtifactFolder.content(0, 9), v2);
                }
                return super.writeIfUnchanged(rewrites);
              }
            };
          }
        };

    ShardCheckpoint result =
        reencryptor(racing)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(folder.plaintexts().get(raced)).isEqualTo(ArtifactFolder.content(0, 9));
  }

  @Test
  void anArtifactCopiedToAnotherPath_doesNotDecryptThere() throws Exception {
    Files.copy(
        root.resolve("patient-00/chart-0000.pdf"),
        root.resolve("patient-00/chart-0002.pdf"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(
            () ->
                reencryptor(store)
                    .run(
                        new ShardRange(0, null, null),
                        v2,
                        Set.of(),
                        ShardCheckpoint.start(),
                        c -> {}))
        .isInstanceOfSatisfying(
            UndecryptableItemException.class,
            e -> assertThat(e.key()).isEqualTo("patient-00/chart-0002.pdf"));
  }

  private ShardReencryptor reencryptor(ItemStore target) {
    return new ShardReencryptor(target, new BinaryEnvelopeCodec(), keyring, 8);
  }
}
