package io.breakglass.api.cli.approval;

import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.ops.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.EnumSet;
import java.util.Set;

/**
 * An approver's Ed25519 private key in a PKCS#8 PEM file, as {@code openssl genpkey -algorithm
 * ed25519} and {@code approval keygen} write it, readable by its owner only (mode 0600 or stricter,
 * as ssh insists for its keys): a key others can read proves nothing about who signed. Read by
 * {@code approval sign} and by the commands that sign with {@code --key-file}. Every refusal is
 * {@link ExitCodes#USAGE} saying what to do; the key's bytes never appear in a message.
 */
public final class SigningKeyFile {

  /** The PEM label of an unencrypted PKCS#8 key (RFC 7468), not key material. */
  private static final String LABEL = "PRIVATE KEY";

  private static final String BEGIN = "-----BEGIN " + LABEL + "-----";
  private static final String END = "-----END " + LABEL + "-----";
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SigningKeyFile() {}

  /** The private key in {@code file}, once its permissions are owner-only. */
  public static PrivateKey read(Path file) throws CommandExit {
    ownerOnly(file);
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException unreadable) {
      throw usage(
          "cannot read the key file " + file + " (" + unreadable.getClass().getSimpleName() + ")");
    }
    if (pem.contains("ENCRYPTED " + LABEL)) {
      throw usage(
          "the key file "
              + file
              + " is encrypted; give an unencrypted PKCS#8 key (kept owner-only)");
    }
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw usage("the key file " + file + " holds no PKCS#8 PEM private key (" + BEGIN + ")");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
      PrivateKey key =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      if (key instanceof EdECPrivateKey) {
        return key;
      }
    } catch (IllegalArgumentException | GeneralSecurityException notEd25519) {
      // Refused below, without the parser's message: it may quote the file's bytes.
    }
    throw usage("the key file " + file + " holds no Ed25519 private key");
  }

  /** Writes {@code keys}'s private key to a new file {@code file}, mode 0600 from the start. */
  static void write(Path file, KeyPair keys) throws CommandExit {
    String pem = pem(keys.getPrivate().getEncoded());
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException exists) {
      throw usage(file + " exists already; keygen never overwrites a key");
    } catch (UnsupportedOperationException | IOException unwritable) {
      throw usage(
          file + ": cannot write the key file (" + unwritable.getClass().getSimpleName() + ")");
    }
  }

  /** {@code pkcs8} as PEM, as {@code openssl genpkey -algorithm ed25519} writes a private key. */
  public static String pem(byte[] pkcs8) {
    return BEGIN
        + "\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
        + "\n"
        + END
        + "\n";
  }

  /** The raw 32-byte Ed25519 public key, base64: what {@code rotation.approvals.keys} registers. */
  static String registered(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Base64.getEncoder()
        .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  private static void ownerOnly(Path file) throws CommandExit {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException missing) {
      throw usage("no key file " + file);
    } catch (UnsupportedOperationException noPosix) {
      throw usage(
          "cannot tell who may read the key file "
              + file
              + " (its file system has no POSIX permissions)");
    } catch (IOException unreadable) {
      throw usage(
          "cannot read the key file " + file + " (" + unreadable.getClass().getSimpleName() + ")");
    }
    if (permissions.stream().anyMatch(OTHERS::contains)) {
      throw usage(
          "the key file "
              + file
              + " is open to others ("
              + PosixFilePermissions.toString(permissions)
              + "); make it readable by its owner only: chmod 600 "
              + file
              + ", or make a new key with `breakglass approval keygen`");
    }
  }

  private static CommandExit usage(String reason) {
    return new CommandExit(ExitCodes.USAGE, reason);
  }
}
