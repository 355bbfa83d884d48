package io.breakglass.api.cli.approval;

import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.ops.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * An approver's Ed25519 private key in a PKCS#8 PEM file that only its owner can read (mode 0600
 * or stricter): read to sign a statement, written by {@code approval keygen}. A file others can
 * read is refused, as a key anyone on the machine could copy proves nothing about its holder.
 */
final class SigningKeyFile {

  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final Set<PosixFilePermission> OTHERS =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SigningKeyFile() {}

  /** The key in {@code file}, or exit 2 naming what is wrong (never its content). */
  static PrivateKey read(Path file) throws CommandExit {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException noPosix) {
      throw usage(file + ": cannot check who may read the key file on this file system");
    } catch (IOException unreadable) {
      throw usage(file + ": cannot read the key file (" + unreadable.getClass().getSimpleName() + ")");
    }
    if (permissions.stream().anyMatch(OTHERS::contains)) {
      throw usage(
          file + " can be read or written by others (" + PosixFilePermissions.toString(permissions)
              + "): chmod 600 it, or make a new key with `breakglass approval keygen`");
    }
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException unreadable) {
      throw usage(file + ": cannot read the key file (" + unreadable.getClass().getSimpleName() + ")");
    }
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw usage(file + " is not a PKCS#8 PEM private key (" + BEGIN + ")");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
      PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      if (!(key instanceof EdECPrivateKey)) {
        throw usage(file + " does not hold an Ed25519 key");
      }
      return key;
    } catch (IllegalArgumentException | GeneralSecurityException notEd25519) {
      throw usage(file + " does not hold an Ed25519 private key in PKCS#8");
    }
  }

  /** Writes {@code keys}'s private key to a new file {@code file}, mode 0600 from the start. */
  static void write(Path file, KeyPair keys) throws CommandExit {
    String pem =
        BEGIN + "\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n" + END + "\n";
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException exists) {
      throw usage(file + " exists already; keygen never overwrites a key");
    } catch (UnsupportedOperationException | IOException unwritable) {
      throw usage(file + ": cannot write the key file (" + unwritable.getClass().getSimpleName() + ")");
    }
  }

  /** The raw 32-byte Ed25519 public key, base64: what {@code rotation.approvals.keys} registers. */
  static String registered(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  private static CommandExit usage(String reason) {
    return new CommandExit(ExitCodes.USAGE, reason);
  }
}
