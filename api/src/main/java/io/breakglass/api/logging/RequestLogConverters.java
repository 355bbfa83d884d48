package io.breakglass.api.logging;

import ch.qos.logback.access.common.pattern.AccessConverter;
import ch.qos.logback.access.common.pattern.RequestHeaderConverter;
import ch.qos.logback.access.common.spi.IAccessEvent;
import io.dropwizard.request.logging.layout.SafeRequestParameterConverter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request log's conversion words that could write a credential, a body or a line break,
 * replaced (see {@link SafeLogLines}): the request line and query string with the values of
 * credential parameters ({@code access_token} and the like) written as {@value #REDACTED}; request
 * parameters of those names redacted the same way; {@code Authorization}, {@code
 * Proxy-Authorization} and {@code Cookie} headers redacted; bodies never written. Everything is
 * written on one line ({@link LogText#oneLine}).
 */
final class RequestLogConverters {

  static final String REDACTED = "***";

  /** Parameter names whose values are credentials: they are never written. */
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          ".*(token|secret|password|passwd|key|auth|session|code|credential|signature).*");

  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie");

  private RequestLogConverters() {}

  static boolean credential(String parameter) {
    return CREDENTIAL.matcher(parameter.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * {@code ?a=1&access_token=***}: the query string (with its question mark) with credentials
   * redacted.
   */
  static String redactedQuery(String query) {
    if (query == null || query.isEmpty() || query.equals("?")) {
      return query;
    }
    boolean mark = query.startsWith("?");
    StringBuilder safe = new StringBuilder(mark ? "?" : "");
    String[] pairs = (mark ? query.substring(1) : query).split("&", -1);
    for (int i = 0; i < pairs.length; i++) {
      String pair = pairs[i];
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      safe.append(i > 0 ? "&" : "")
          .append(credential(decoded(name)) && equals >= 0 ? name + "=" + REDACTED : pair);
    }
    return safe.toString();
  }

  private static String decoded(String name) {
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }

  /** {@code %r}, {@code %requestURL}: method, path, redacted query, protocol. */
  static final class RequestLine extends AccessConverter {
    @Override
    public String convert(IAccessEvent event) {
      return LogText.oneLine(
          event.getMethod()
              + " "
              + event.getRequestURI()
              + redactedQuery(event.getQueryString())
              + " "
              + event.getProtocol());
    }
  }

  /** {@code %q}, {@code %queryString}. */
  static final class QueryString extends AccessConverter {
    @Override
    public String convert(IAccessEvent event) {
      return LogText.oneLine(redactedQuery(event.getQueryString()));
    }
  }

  /** {@code %reqParameter{name}}, {@code %requestParameter{name}}. */
  static final class RequestParameter extends SafeRequestParameterConverter {
    @Override
    public String convert(IAccessEvent event) {
      String name = getFirstOption();
      return name != null && credential(name) ? REDACTED : LogText.oneLine(super.convert(event));
    }
  }

  /** {@code %i{name}}, {@code %header{name}}: credential headers redacted. */
  static final class RequestHeader extends RequestHeaderConverter {
    @Override
    public String convert(IAccessEvent event) {
      String name = getFirstOption();
      if (name == null) {
        // Every header at once would include Authorization.
        return IAccessEvent.NA;
      }
      return CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))
          ? REDACTED
          : LogText.oneLine(super.convert(event));
    }
  }

  /**
   * {@code %requestContent}, {@code %responseContent}, {@code %fullRequest}, {@code %fullResponse}.
   */
  static final class NoBody extends AccessConverter {
    @Override
    public String convert(IAccessEvent event) {
      return IAccessEvent.NA;
    }
  }
}
