package io.breakglass.api.codec;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code codecServer.loopbackTokenFile}: a codec request from a loopback address that carries no
 * {@code Authorization} header goes on to the bearer authentication with the token of the file, so
 * the Web UI of {@code temporal server start-dev}, which has no sign-in, can decode and encode. Any
 * other request is left as it came: other paths, other addresses, and requests with their own
 * credentials (a wrong token is still refused).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
final class LoopbackCodecToken implements ContainerRequestFilter {

  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final String authorization;

  @Context private HttpServletRequest servletRequest;

  private LoopbackCodecToken(String token) {
    this.authorization = "Bearer " + token;
  }

  /** Reads the token; the file must be readable by its owner only. */
  static LoopbackCodecToken read(Path file) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_READ_WRITE.containsAll(mode)) {
        throw new IllegalArgumentException(
            "codecServer.loopbackTokenFile " + file + " is readable by others; chmod 600 it");
      }
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("codecServer.loopbackTokenFile " + file + " is empty");
      }
      return new LoopbackCodecToken(token);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read codecServer.loopbackTokenFile " + file, e);
    }
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    boolean codec = path.startsWith("codec/") || path.startsWith("/codec/");
    if (codec && request.getHeaderString(HttpHeaders.AUTHORIZATION) == null && fromLoopback()) {
      request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, authorization);
    }
  }

  private boolean fromLoopback() {
    try {
      return servletRequest != null
          && InetAddress.getByName(servletRequest.getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException | RuntimeException e) {
      return false;
    }
  }
}
