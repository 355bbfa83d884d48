package io.breakglass.worker.rotation;

import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Failure injection: wraps a real activity implementation so that one method fails with a
 * non-retryable {@value #TYPE}, before or after the real call (after: the side effect happened,
 * which is what a compensation must undo).
 */
final class Faults {

  static final String TYPE = "INJECTED_FAULT";

  enum When {
    BEFORE,
    AFTER
  }

  private Faults() {}

  /** {@code impl}, whose {@code method} fails every time. */
  static <T> T failing(Class<T> type, T impl, String method, When when) {
    return failing(type, impl, method, when, args -> true, Integer.MAX_VALUE);
  }

  /**
   * {@code impl}, whose {@code method} fails for calls whose arguments match, at most {@code times}
   * times; later matching calls go through.
   */
  static <T> T failing(
      Class<T> type, T impl, String method, When when, Predicate<Object[]> matches, int times) {
    return failing(
        type,
        impl,
        method,
        when,
        matches,
        times,
        "injected " + when.name().toLowerCase(java.util.Locale.ROOT) + " " + method);
  }

  /**
   * {@code impl}, whose {@code method} fails every time before the real call, with {@code message}.
   */
  static <T> T failing(Class<T> type, T impl, String method, String message) {
    return failing(type, impl, method, When.BEFORE, args -> true, Integer.MAX_VALUE, message);
  }

  private static <T> T failing(
      Class<T> type,
      T impl,
      String method,
      When when,
      Predicate<Object[]> matches,
      int times,
      String message) {
    AtomicInteger failures = new AtomicInteger();
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, called, args) -> {
              boolean fail =
                  called.getName().equals(method)
                      && matches.test(args)
                      && failures.getAndIncrement() < times;
              if (fail && when == When.BEFORE) {
                throw ApplicationFailure.newNonRetryableFailure(message, TYPE);
              }
              Object result;
              try {
                result = called.invoke(impl, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (fail) {
                throw ApplicationFailure.newNonRetryableFailure(message, TYPE);
              }
              return result;
            });
    return type.cast(proxy);
  }

  /** How many calls of a slowed method started, and how many are under way. */
  static final class Calls {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
  }

  /** {@code impl}, whose {@code method} first waits {@code millis} (to catch a phase mid-way). */
  static <T> T slowed(Class<T> type, T impl, String method, long millis) {
    return slowed(type, impl, method, millis, new Calls());
  }

  /**
   * {@link #slowed(Class, Object, String, long)}, counting the calls of {@code method} in {@code
   * calls}.
   */
  static <T> T slowed(Class<T> type, T impl, String method, long millis, Calls calls) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, called, args) -> {
              boolean counted = called.getName().equals(method);
              if (counted) {
                calls.started.incrementAndGet();
                calls.running.incrementAndGet();
              }
              try {
                if (counted) {
                  // The stand-in for work that takes time; it is what the tests catch mid-way.
                  Thread.sleep(millis);
                }
                return called.invoke(impl, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if (counted) {
                  calls.running.decrementAndGet();
                }
              }
            });
    return type.cast(proxy);
  }
}
