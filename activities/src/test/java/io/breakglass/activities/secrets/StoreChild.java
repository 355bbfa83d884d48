package io.breakglass.activities.secrets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;

/**
 * The main class of the child JVMs the crash and multi-process tests start. Usage: {@code <mode>
 * <store> <keyFile> <marker> [<secret> <versionId>|<count>]}.
 *
 * <ul>
 *   <li>{@code pause-before-rename}: creates a version, and once the temp file is fsynced writes
 *       the marker and sleeps before the rename (the test kills it there);
 *   <li>{@code pause-after-write}: creates a version, then writes the marker and sleeps;
 *   <li>{@code create-many} / {@code create-many-unlocked}: writes the marker, waits for {@code
 *       <marker>.go}, then creates and promotes {@code count} versions of the secret, through the
 *       store or through {@link UnlockedWriter}.
 * </ul>
 */
public final class StoreChild {

  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path store = Path.of(args[1]);
    MasterKey key = TestMasterKeys.fromFile(Path.of(args[2]));
    Path marker = Path.of(args[3]);
    String secret = args[4];
    switch (mode) {
      case "pause-before-rename" -> {
        Runnable markAndHang =
            () -> {
              touch(marker);
              sleepForever();
            };
        new LocalSecretStore(store, key, Clock.systemUTC(), markAndHang)
            .createPending(secret, args[5], value(secret, args[5]), Map.of());
      }
      case "pause-after-write" -> {
        new LocalSecretStore(store, key)
            .createPending(secret, args[5], value(secret, args[5]), Map.of());
        touch(marker);
        sleepForever();
      }
      case "create-many" -> {
        // The pause widens the window between read and rename, as the unlocked writer's does.
        LocalSecretStore locked =
            new LocalSecretStore(store, key, Clock.systemUTC(), StoreChild::pause);
        createMany(
            marker,
            secret,
            Integer.parseInt(args[5]),
            (id, value) -> {
              locked.createPending(secret, id, value, Map.of());
              locked.moveCurrent(secret, id);
            });
      }
      case "create-many-unlocked" -> {
        UnlockedWriter unlocked = new UnlockedWriter(store, key);
        createMany(
            marker,
            secret,
            Integer.parseInt(args[5]),
            (id, value) -> unlocked.createAndPromote(secret, id, value, StoreChild::pause));
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  /** The material the child gives version {@code versionId} of {@code secret}. */
  static byte[] value(String secret, String versionId) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest((secret + "/" + versionId).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file a create-many child waits for before it starts writing. */
  static Path go(Path marker) {
    return marker.resolveSibling(marker.getFileName() + ".go");
  }

  interface Create {
    void create(String versionId, byte[] value) throws Exception;
  }

  private static void createMany(Path marker, String secret, int count, Create create)
      throws Exception {
    touch(marker);
    while (!Files.exists(go(marker))) {
      Thread.sleep(1);
    }
    for (int i = 0; i < count; i++) {
      String id = "v" + i;
      create.create(id, value(secret, id));
    }
    System.out.println("created " + count + " versions of " + secret);
  }

  private static void touch(Path marker) {
    try {
      Files.writeString(marker, "reached");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepForever() {
    try {
      Thread.sleep(120_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("the test did not kill this child");
  }
}
