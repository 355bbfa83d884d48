package io.breakglass.api.cli.ops;

import io.breakglass.api.cli.CommandExit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * An approver's Ed25519 private key in a PKCS#8 PEM file, as {@code openssl genpkey -algorithm
 * ed25519} writes it. The file must be readable by its owner only (as ssh insists for its keys):
 * a key others can read proves nothing about who signed. Every refusal is {@link
 * ExitCodes#USAGE} with what to do; the key's bytes never appear in a message.
 */
public final class SigningKeyFile {

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private SigningKeyFile() {}

  /** The private key in {@code file}, once its permissions are owner-only. */
  public static PrivateKey read(Path file) throws CommandExit {
    ownerOnly(file);
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CommandExit(ExitCodes.USAGE, "cannot read the key file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (pem.contains("ENCRYPTED PRIVATE KEY")) {
      throw new CommandExit(
          ExitCodes.USAGE, "the key file " + file + " is encrypted; give an unencrypted PKCS#8 key (kept owner-only)");
    }
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new CommandExit(
          ExitCodes.USAGE, "the key file " + file + " holds no PKCS#8 PEM private key (" + BEGIN + ")");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new CommandExit(ExitCodes.USAGE, "the key file " + file + " holds no Ed25519 private key");
    }
  }

  private static void ownerOnly(Path file) throws CommandExit {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw new CommandExit(ExitCodes.USAGE, "no key file " + file);
    } catch (UnsupportedOperationException e) {
      throw new CommandExit(
          ExitCodes.USAGE, "cannot tell who may read the key file " + file + " (its file system has no POSIX permissions)");
    } catch (IOException e) {
      throw new CommandExit(ExitCodes.USAGE, "cannot read the key file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (permissions.stream().anyMatch(OTHERS::contains)) {
      throw new CommandExit(
          ExitCodes.USAGE,
          "the key file " + file + " is open to others (" + PosixFilePermissions.toString(permissions)
              + "); make it readable by its owner only: chmod 600 " + file);
    }
  }
}
