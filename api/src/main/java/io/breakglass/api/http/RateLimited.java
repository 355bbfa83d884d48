package io.breakglass.api.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A resource method whose calls count against the caller's rate limit of this kind. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RateLimited {

  Kind value();

  /** The limits {@link LimitsConfig} sets. */
  enum Kind {
    /** Rotation starts. */
    START,
    /** Gate approvals and rejections. */
    DECISION
  }
}
