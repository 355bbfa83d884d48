package io.breakglass.worker;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import io.breakglass.workflows.codec.CodecKeyring;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the codec keys a {@link CodecConfig} points at, and creates the key file of {@code dev}.
 * Mistakes are {@link IllegalArgumentException}s that name the key id and where it was looked for,
 * never the key.
 */
public final class CodecKeys {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private CodecKeys() {}

  /** The keyring {@code config} describes; its first key is the primary. */
  public static CodecKeyring load(CodecConfig config, UnaryOperator<String> environment) {
    Map<String, byte[]> material = new LinkedHashMap<>();
    try {
      for (CodecConfig.Key key : config.keys()) {
        material.put(key.id(), read(key, environment));
      }
      return CodecKeyring.of(config.keys().get(0).id(), material);
    } finally {
      material.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
    }
  }

  /**
   * Creates {@code file} holding a new random codec key, readable and writable by its owner only
   * from the moment it exists.
   *
   * @throws IllegalArgumentException when the file exists: a codec key is never overwritten (the
   *     histories it encrypted would become unreadable)
   */
  public static void createFile(Path file) {
    byte[] key = new byte[CodecKeyring.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text = Base64.getEncoder().encode(key);
    Arrays.fill(key, (byte) 0);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel channel =
          FileChannel.open(
              file,
              EnumSet.of(CREATE_NEW, WRITE),
              PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
        ByteBuffer buffer = ByteBuffer.wrap(text);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(
          "codec key file " + file + " exists already; refusing to overwrite it");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create codec key file " + file, e);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  private static byte[] read(CodecConfig.Key key, UnaryOperator<String> environment) {
    if (key.env() != null) {
      String value = environment.apply(key.env());
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "temporal.codec.keys["
                + key.id()
                + "]: environment variable "
                + key.env()
                + " is not set or empty");
      }
      return decode(value, key.id(), "environment variable " + key.env());
    }
    Path file = key.file();
    byte[] text;
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(mode)) {
        throw new IllegalArgumentException(
            "temporal.codec.keys["
                + key.id()
                + "]: file "
                + file
                + " is open to others (mode "
                + PosixFilePermissions.toString(mode)
                + "); chmod 600 "
                + file);
      }
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("temporal.codec.keys[" + key.id() + "]: no file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read codec key file " + file, e);
    }
    try {
      return decode(new String(text, StandardCharsets.US_ASCII), key.id(), "file " + file);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  private static byte[] decode(String base64, String id, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // Not chained: the decoder's message can quote the key text.
      throw new IllegalArgumentException(
          "temporal.codec.keys[" + id + "]: " + source + " does not hold base64");
    }
    if (key.length != CodecKeyring.KEY_BYTES) {
      int length = key.length;
      Arrays.fill(key, (byte) 0);
      throw new IllegalArgumentException(
          "temporal.codec.keys["
              + id
              + "]: "
              + source
              + " holds "
              + length
              + " bytes; a codec key is "
              + CodecKeyring.KEY_BYTES
              + " bytes");
    }
    return key;
  }
}
