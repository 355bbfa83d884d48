package io.breakglass.activities.secrets;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 32-byte AES-256 key that encrypts the local secret store. It comes from an environment
 * variable holding base64, else from a file holding base64 that only its owner can read (mode 600
 * or 400). {@link #toString()} names where it came from, never the key.
 */
public final class MasterKey {

  private static final int BYTES = 32;

  private final SecretKey key;
  private final String source;

  private MasterKey(byte[] material, String source) {
    this.key = new SecretKeySpec(material, "AES");
    this.source = source;
    Arrays.fill(material, (byte) 0);
  }

  /** Loads the key the configuration names, from the real environment. */
  public static MasterKey load(LocalSecretStoreConfig config) {
    return load(config, System::getenv);
  }

  /**
   * Loads the key from {@code environment.apply(config.masterKeyEnv())} when set, else from {@code
   * config.masterKeyFile()}.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when neither holds a key, the value
   *     is not base64 of 32 bytes, or the file is open to anyone but its owner
   */
  public static MasterKey load(
      LocalSecretStoreConfig config, Function<String, String> environment) {
    String variable = config.masterKeyEnv();
    String value = environment.apply(variable);
    if (value != null && !value.isBlank()) {
      String source = "environment variable " + variable;
      return new MasterKey(decode(value, source), source);
    }
    Path file = config.masterKeyFile();
    if (file == null) {
      throw invalid(
          "no master key: set environment variable "
              + variable
              + " or configure a master key file");
    }
    return fromFile(file, variable);
  }

  /**
   * Creates {@code file} holding a new random key, readable and writable by its owner only from the
   * moment it exists. For the first run of a development setup.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when the file exists already (a key
   *     is never overwritten: the store it opens would be lost)
   */
  public static MasterKey createFile(Path file) {
    byte[] material = new byte[BYTES];
    new SecureRandom().nextBytes(material);
    byte[] text = Base64.getEncoder().encode(material);
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      try (FileChannel channel =
          FileChannel.open(
              file,
              EnumSet.of(CREATE_NEW, WRITE),
              PosixFilePermissions.asFileAttribute(AtomicFile.OWNER_ONLY))) {
        ByteBuffer buffer = ByteBuffer.wrap(text);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw invalid("master key file " + file + " exists already; refusing to overwrite it");
    } catch (IOException e) {
      throw new SecretStoreException(
          RotationErrors.INVALID_CONFIGURATION, "cannot create master key file " + file, e);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
    return new MasterKey(material, "file " + file);
  }

  /** The AES-256 key; stays inside the store. */
  SecretKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "MasterKey(from " + source + ")";
  }

  private static MasterKey fromFile(Path file, String variable) {
    byte[] text;
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!AtomicFile.OWNER_ONLY.containsAll(mode)
          || !mode.contains(PosixFilePermission.OWNER_READ)) {
        throw invalid(
            "master key file "
                + file
                + " "
                + problem(mode)
                + " (mode "
                + PosixFilePermissions.toString(mode)
                + "); chmod 600 "
                + file);
      }
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw invalid("no master key: set environment variable " + variable + " or create " + file);
    } catch (IOException | UnsupportedOperationException e) {
      throw new SecretStoreException(
          RotationErrors.INVALID_CONFIGURATION, "cannot read master key file " + file, e);
    }
    String source = "file " + file;
    try {
      return new MasterKey(decode(new String(text, StandardCharsets.US_ASCII), source), source);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  private static String problem(Set<PosixFilePermission> mode) {
    if (mode.contains(PosixFilePermission.GROUP_READ)
        || mode.contains(PosixFilePermission.OTHERS_READ)) {
      return "is readable by others";
    }
    Set<PosixFilePermission> owner =
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);
    return owner.containsAll(mode) ? "is not mode 600 or 400" : "is open to others";
  }

  private static byte[] decode(String base64, String source) {
    byte[] material;
    try {
      material = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // Not chained: the decoder's message can quote the key text.
      throw invalid(source + " does not hold base64");
    }
    if (material.length != BYTES) {
      int length = material.length;
      Arrays.fill(material, (byte) 0);
      throw invalid(source + " holds " + length + " bytes; a master key is " + BYTES + " bytes");
    }
    return material;
  }

  private static SecretStoreException invalid(String message) {
    return new SecretStoreException(RotationErrors.INVALID_CONFIGURATION, message);
  }
}
