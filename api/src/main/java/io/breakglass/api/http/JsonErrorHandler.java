package io.breakglass.api.http;

import io.breakglass.api.logging.LogText;
import jakarta.servlet.RequestDispatcher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refusals Jetty makes before the API sees a request (a malformed header, an encoded slash or
 * NUL in the path, an over-long URI, TRACE and other methods the server does not allow, an unknown
 * admin path) in the API's error shape: {@code {"code": <status>, "message": "..."}} as {@code
 * application/json}, never an HTML page or an empty body. A 5xx carries an id that the server log
 * shows with the cause. Set on the server and on the application and admin contexts.
 */
public final class JsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);
  private static final SecureRandom IDS = new SecureRandom();

  /**
   * Jetty's reasons are its own words about the request, never the request's bytes; kept when
   * plain.
   */
  private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 .,:=_-]{1,80}");

  private static final Map<Integer, String> MESSAGES =
      Map.of(
          400, "bad request",
          404, "not found",
          405, "method not allowed",
          408, "the request took too long to arrive",
          413, "the request body is too large",
          414, "the request URI is too long",
          431, "the request headers are too large",
          505, "HTTP version not supported");

  /**
   * Installs this handler on the server as it starts (Dropwizard builds the server after the
   * application ran).
   */
  public static LifeCycle.Listener onServerStart() {
    return new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server) {
          server.setErrorHandler(new JsonErrorHandler());
        }
      }
    };
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
    Object reason =
        first(
            request.getAttribute(ERROR_MESSAGE),
            request.getAttribute(RequestDispatcher.ERROR_MESSAGE));
    Object cause =
        first(
            request.getAttribute(ERROR_EXCEPTION),
            request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
    String message = message(status, reason, cause);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      response.write(true, null, callback);
    } else {
      response.write(true, ByteBuffer.wrap(json(status, message)), callback);
    }
    return true;
  }

  /** A refusal while parsing, written by the connection itself. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(ERROR_CACHE_CONTROL);
    return ByteBuffer.wrap(json(status, message(status, reason, null)));
  }

  private static String message(int status, Object reason, Object cause) {
    String known = MESSAGES.get(status);
    if (known == null && status >= 500) {
      String id = HexFormat.of().formatHex(randomId());
      log.error(
          "error {}: status {} ({})",
          id,
          status,
          LogText.oneLine(String.valueOf(reason)),
          cause instanceof Throwable t ? t : null);
      return (status == 500 ? "internal error" : lowerCase(HttpStatus.getMessage(status)))
          + " (id "
          + id
          + ")";
    }
    known = known == null ? lowerCase(HttpStatus.getMessage(status)) : known;
    if (status == 400
        && reason instanceof String text
        && PLAIN_REASON.matcher(text).matches()
        && !text.equalsIgnoreCase("Bad Request")) {
      return known + ": " + text;
    }
    return known;
  }

  /** Jetty's attribute, or the servlet container's when the refusal came from a servlet context. */
  private static Object first(Object core, Object servlet) {
    return core != null ? core : servlet;
  }

  private static String lowerCase(String message) {
    return message == null ? "request refused" : message.toLowerCase(Locale.ROOT);
  }

  private static byte[] json(int status, String message) {
    // The message is plain text from the table above or Jetty's own plain words: no JSON escaping
    // needed.
    return ("{\"code\":" + status + ",\"message\":\"" + message + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomId() {
    byte[] id = new byte[8];
    IDS.nextBytes(id);
    return id;
  }
}
