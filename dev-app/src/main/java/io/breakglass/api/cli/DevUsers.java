package io.breakglass.api.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.breakglass.api.auth.Role;
import io.breakglass.api.auth.StaticTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The demo users {@code dev} gives its API: one viewer, one operator, two approvers (the two-person
 * rule needs two) and one admin, each with a fresh random bearer token per run. The tokens go to
 * {@code <data>/dev-users.json} (0600); the configuration holds their hashes only.
 */
final class DevUsers {

  /** One user: name, roles and bearer token. */
  record DevUser(String name, List<String> roles, String token) {}

  /** The name the local Temporal Web UI's codec requests are recorded under. */
  static final String WEB_UI_USER = "temporal-web-ui";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<DevUser> users;

  private DevUsers(List<DevUser> users) {
    this.users = users;
  }

  static DevUsers create() {
    SecureRandom random = new SecureRandom();
    return new DevUsers(
        List.of(
            user("dev-viewer", Role.VIEWER, random),
            user("dev-operator", Role.OPERATOR, random),
            user("dev-approver-1", Role.APPROVER, random),
            user("dev-approver-2", Role.APPROVER, random),
            user("dev-admin", Role.ADMIN, random)));
  }

  List<DevUser> users() {
    return users;
  }

  /** Writes {@code {"users": [{"name", "roles", "token"}, ...]}}, readable by its owner only. */
  void write(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(
        file, JSON.writeValueAsBytes(Map.of("users", users)), StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * The user the local Temporal Web UI decodes and encodes payloads as, with a fresh token written
   * to {@code file} (0600) for {@code codecServer.loopbackTokenFile}; its {@code api.auth.tokens}
   * entry (name, hash, role operator).
   */
  static Map<String, Object> webUiUser(Path file) throws IOException {
    DevUser user = user(WEB_UI_USER, Role.OPERATOR, new SecureRandom());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, user.token(), StandardOpenOption.TRUNCATE_EXISTING);
    return Map.of(
        "name", user.name(), "sha256", StaticTokens.hash(user.token()), "roles", user.roles());
  }

  /** The {@code api.auth.tokens} entries: names, hashes and roles, no token. */
  List<Map<String, Object>> tokenConfigs() {
    return users.stream()
        .map(
            u ->
                Map.<String, Object>of(
                    "name", u.name(), "sha256", StaticTokens.hash(u.token()), "roles", u.roles()))
        .toList();
  }

  private static DevUser user(String name, String role, SecureRandom random) {
    byte[] token = new byte[32];
    random.nextBytes(token);
    return new DevUser(
        name, List.of(role), Base64.getUrlEncoder().withoutPadding().encodeToString(token));
  }
}
