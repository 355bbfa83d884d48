package io.breakglass.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dropwizard.jersey.errors.ErrorMessage;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error as one JSON shape, {@code {"code": <status>, "message": "..."}}, and never a stack
 * trace: malformed JSON and unknown fields are 400, a field of the wrong JSON type (see {@link
 * StrictJson}) and failed validation 422, refusals keep their status and message, and anything
 * unexpected is 500 "internal error" with an id that the server log shows next to the stack trace.
 * Replaces Dropwizard's default mappers.
 */
public final class ApiExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionMapper.class);
  private static final SecureRandom IDS = new SecureRandom();

  /** Messages for JAX-RS's own exceptions, which only say "HTTP 404 Not Found". */
  private static final Map<Integer, String> PLAIN =
      Map.of(
          403, "your roles do not allow this",
          404, "not found",
          405, "method not allowed",
          406, "cannot produce the requested media type",
          415, "unsupported media type");

  @Override
  public Response toResponse(Throwable failure) {
    MismatchedInputException mismatch = cause(failure, MismatchedInputException.class);
    if (mismatch != null
        && !(mismatch instanceof UnrecognizedPropertyException)
        && !mismatch.getPath().isEmpty()) {
      return error(422, field(mismatch) + " must be " + expected(mismatch.getTargetType()));
    }
    JsonProcessingException json = cause(failure, JsonProcessingException.class);
    if (json != null) {
      return error(400, "malformed JSON: " + describe(json));
    }
    if (cause(failure, EofException.class) != null) {
      return error(400, "the request body ended early");
    }
    if (failure instanceof JerseyViolationException violations) {
      return error(422, describe(violations));
    }
    if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      int status = web.getResponse().getStatus();
      String message = web.getMessage();
      boolean plain = message == null || message.startsWith("HTTP " + status);
      // Keeps the refusal's headers (WWW-Authenticate on 401, Allow on 405).
      return Response.fromResponse(web.getResponse())
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(
              new ErrorMessage(
                  status, plain ? PLAIN.getOrDefault(status, "request refused") : message))
          .build();
    }
    if (failure instanceof WebApplicationException web
        && web.getMessage() != null
        && !web.getMessage().startsWith("HTTP ")) {
      // A 5xx a resource raised on purpose (e.g. Temporal unreachable): its message is for
      // operators.
      log.warn("{}", web.getMessage());
      return error(web.getResponse().getStatus(), web.getMessage());
    }
    String id = HexFormat.of().formatHex(randomId());
    log.error("internal error {}", id, failure);
    return error(500, "internal error (id " + id + ")");
  }

  /**
   * Failed validation, mapped here because Jersey's own ValidationException mapper (400 without a
   * body) is closer to the exception type than a mapper of Throwable.
   */
  public static final class Violations implements ExceptionMapper<JerseyViolationException> {
    @Override
    public Response toResponse(JerseyViolationException violations) {
      return error(422, describe(violations));
    }
  }

  private static byte[] randomId() {
    byte[] id = new byte[8];
    IDS.nextBytes(id);
    return id;
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, message))
        .build();
  }

  private static String describe(JsonProcessingException json) {
    if (json instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + unknown.getPropertyName() + "'";
    }
    String message = json.getOriginalMessage();
    int end = message == null ? -1 : message.indexOf('\n');
    return message == null
        ? json.getClass().getSimpleName()
        : end < 0 ? message : message.substring(0, end);
  }

  /** {@code requiredApprovals}, {@code secrets[1]}. */
  private static String field(MismatchedInputException mismatch) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference step : mismatch.getPath()) {
      if (step.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
      } else if (step.getIndex() >= 0) {
        path.append('[').append(step.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another JSON type";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class) {
      return "an integer (a JSON number without a fraction, not a string)";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    if (type == Duration.class) {
      return "an ISO-8601 duration such as PT4H";
    }
    return type.isRecord() ? "a JSON object" : "of another JSON type";
  }

  private static String describe(ConstraintViolationException violations) {
    return violations.getConstraintViolations().stream()
        .map(ApiExceptionMapper::describe)
        .sorted()
        .collect(Collectors.joining("; "));
  }

  private static String describe(ConstraintViolation<?> violation) {
    String path = violation.getPropertyPath().toString();
    String field = path.substring(path.lastIndexOf('.') + 1);
    return field.startsWith("arg") || field.isEmpty()
        ? "the request body " + violation.getMessage()
        : field + " " + violation.getMessage();
  }

  private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
