package io.breakglass.api.http;

import io.breakglass.activities.audit.AuditLog;
import io.breakglass.api.logging.LogText;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code breakglass.audit_log} row per API call, refused ones included: who (the caller, or
 * {@code anonymous} without valid credentials), what (the endpoint), which rotation or secret, when
 * (the database's clock) and the result (the HTTP status). A resource adds one line of detail with
 * {@link #detail}. Bodies are never recorded; text from the request is stored on one line ({@link
 * LogText#oneLine}).
 *
 * <p>No call succeeds unaudited. A call that can change something (any method but GET, HEAD and
 * OPTIONS) that passed authentication, roles and rate limits opens its row before the resource
 * runs; when that row cannot be written the call is refused with 503 and nothing is done. Its
 * result is written once it answered; when that fails (it took effect, its row says {@value
 * AuditLog#PENDING}) the caller gets 500 with an error id instead of the answer. Any other call is
 * recorded after it answered and gets 503 instead of its answer when its row cannot be written.
 */
@Priority(Priorities.USER)
public final class AuditTrail implements ContainerRequestFilter, ContainerResponseFilter {

  /** The caller name recorded when no valid credentials came with the request. */
  public static final String ANONYMOUS = "anonymous";

  private static final String DETAIL = AuditTrail.class.getName() + ".detail";
  private static final String OPENED = AuditTrail.class.getName() + ".opened";
  private static final String UNWRITABLE = AuditTrail.class.getName() + ".unwritable";
  private static final List<String> TARGET_PARAMETERS = List.of("id", "name");
  private static final Set<String> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  private static final SecureRandom IDS = new SecureRandom();

  private final AuditLog audit;

  public AuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  /** Sets the audit row's detail for this request: ids and reasons, never secret material. */
  public static void detail(ContainerRequestContext request, String detail) {
    request.setProperty(DETAIL, detail);
  }

  /**
   * Runs after authentication, roles and rate limits: opens the row of a call that can change
   * something.
   */
  @Override
  public void filter(ContainerRequestContext request) {
    if (READS.contains(request.getMethod())) {
      return;
    }
    try {
      request.setProperty(OPENED, audit.begin(actor(request), action(request), target(request)));
    } catch (RuntimeException e) {
      String id = failure("cannot open the audit row of", request, "not done", e);
      request.setProperty(UNWRITABLE, id);
      request.abortWith(
          error(
              503,
              "the audit log cannot be written, so nothing was done; try again later (error id "
                  + id
                  + ")"));
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(UNWRITABLE) != null) {
      return;
    }
    String result = String.valueOf(response.getStatus());
    String detail = LogText.oneLine((String) request.getProperty(DETAIL));
    Object opened = request.getProperty(OPENED);
    try {
      if (opened instanceof Long row) {
        audit.complete(row, result, detail);
      } else {
        audit.record(actor(request), action(request), target(request), result, detail);
      }
    } catch (RuntimeException e) {
      String id = failure("cannot write the audit row of", request, result, e);
      if (opened instanceof Long) {
        replace(
            response,
            500,
            "internal error (id "
                + id
                + "): the call was made but its audit row could not be completed;"
                + " check the outcome before repeating it");
      } else {
        replace(
            response,
            503,
            "the audit log cannot be written; try again later (error id " + id + ")");
      }
    }
  }

  private static String failure(
      String what, ContainerRequestContext request, String result, RuntimeException e) {
    String id = HexFormat.of().formatHex(randomId());
    log.error(
        "{} {} {} by {} on {} ({})",
        id,
        what,
        action(request),
        actor(request),
        target(request),
        result,
        e);
    return id;
  }

  private static void replace(ContainerResponseContext response, int status, String message) {
    response.setStatus(status);
    response.getHeaders().remove(HttpHeaders.LOCATION);
    response.setEntity(new ErrorMessage(status, message), null, MediaType.APPLICATION_JSON_TYPE);
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, message))
        .build();
  }

  private static String actor(ContainerRequestContext request) {
    Principal caller = request.getSecurityContext().getUserPrincipal();
    return caller == null ? ANONYMOUS : caller.getName();
  }

  private static String action(ContainerRequestContext request) {
    return LogText.oneLine(Route.of(request));
  }

  private static String target(ContainerRequestContext request) {
    var parameters = request.getUriInfo().getPathParameters();
    return TARGET_PARAMETERS.stream()
        .map(parameters::getFirst)
        .filter(value -> value != null)
        .map(LogText::oneLine)
        .findFirst()
        .orElse(null);
  }

  private static byte[] randomId() {
    byte[] id = new byte[8];
    IDS.nextBytes(id);
    return id;
  }
}
