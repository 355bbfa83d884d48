package io.breakglass.api.http;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller rate limits on the methods annotated {@link RateLimited}: past the limit a caller gets
 * 429 with {@code Retry-After}. Runs after authorization, so refused calls cost nothing.
 */
public final class RateLimits implements DynamicFeature {

  private final Map<RateLimited.Kind, Integer> perMinute = new EnumMap<>(RateLimited.Kind.class);
  private final Map<RateLimited.Kind, Map<String, TokenBucket>> buckets =
      new EnumMap<>(RateLimited.Kind.class);

  public RateLimits(LimitsConfig limits) {
    perMinute.put(RateLimited.Kind.START, limits.startsPerMinute());
    perMinute.put(RateLimited.Kind.DECISION, limits.decisionsPerMinute());
    for (RateLimited.Kind kind : RateLimited.Kind.values()) {
      buckets.put(kind, new ConcurrentHashMap<>());
    }
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    RateLimited limited = resource.getResourceMethod().getAnnotation(RateLimited.class);
    if (limited != null) {
      context.register(new Limit(limited.value()));
    }
  }

  @Priority(Priorities.AUTHORIZATION + 10)
  private final class Limit implements ContainerRequestFilter {

    private final RateLimited.Kind kind;

    Limit(RateLimited.Kind kind) {
      this.kind = kind;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      Principal caller = request.getSecurityContext().getUserPrincipal();
      if (caller == null) {
        return;
      }
      Duration wait =
          buckets
              .get(kind)
              .computeIfAbsent(
                  caller.getName(),
                  name ->
                      new TokenBucket(perMinute.get(kind), Duration.ofMinutes(1), System::nanoTime))
              .take();
      if (wait.isZero()) {
        return;
      }
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      request.abortWith(
          Response.status(429)
              .header(HttpHeaders.RETRY_AFTER, seconds)
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(
                  new ErrorMessage(
                      429,
                      "rate limit: at most "
                          + perMinute.get(kind)
                          + " "
                          + kind.name().toLowerCase(Locale.ROOT)
                          + " calls per minute per caller; retry in "
                          + seconds
                          + " s"))
              .build());
    }
  }
}
