package io.breakglass.api.auth;

import io.dropwizard.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured bearer tokens. Only their SHA-256 hashes are held; a presented token is hashed and
 * compared with every configured hash in constant time, so neither the timing nor the order of the
 * configuration tells which token nearly matched.
 */
public final class StaticTokens implements Authenticator<String, Caller> {

  private record Entry(byte[] hash, Caller caller) {}

  private final List<Entry> entries;

  public StaticTokens(List<TokenConfig> tokens) {
    this.entries =
        tokens.stream()
            .map(
                t ->
                    new Entry(HexFormat.of().parseHex(t.sha256()), new Caller(t.name(), t.roles())))
            .toList();
  }

  @Override
  public Optional<Caller> authenticate(String token) {
    byte[] presented = sha256(token);
    Caller match = null;
    for (Entry entry : entries) {
      // Every entry is compared, whatever matched before.
      if (MessageDigest.isEqual(presented, entry.hash()) && match == null) {
        match = entry.caller();
      }
    }
    return Optional.ofNullable(match);
  }

  /** The lower-case hex SHA-256 of a token, as configuration stores it. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
