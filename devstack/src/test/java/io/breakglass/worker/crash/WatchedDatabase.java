package io.breakglass.worker.crash;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that tells {@link BatchEvents} where the shards that use it are, seen from the
 * database: before each conditional write and when the connection that wrote moves on. The
 * conditional writes are the {@code UPDATE} statements: a rotation sends no other {@code UPDATE} to
 * a protected table. Every call still reaches the real data source unchanged; this wraps
 * Breakglass's stores from outside, so production code carries no test hook.
 */
final class WatchedDatabase {

  private final BatchEvents events;
  private final AtomicInteger writes = new AtomicInteger();

  private WatchedDatabase(BatchEvents events) {
    this.events = events;
  }

  /** {@code database}, watched by {@code events}. */
  static DataSource wrap(DataSource database, BatchEvents events) {
    WatchedDatabase watch = new WatchedDatabase(events);
    return proxy(
        DataSource.class,
        database,
        (method, args, result) ->
            method.getName().equals("getConnection")
                ? watch.connection((Connection) result)
                : result);
  }

  private Connection connection(Connection connection) {
    // The conditional write this connection ran last, until its next statement reports it.
    int[] unreported = {0};
    return proxy(
        Connection.class,
        connection,
        (method, args, result) ->
            method.getName().equals("prepareStatement")
                ? statement((PreparedStatement) result, (String) args[0], unreported)
                : result);
  }

  private PreparedStatement statement(PreparedStatement statement, String sql, int[] unreported) {
    boolean conditionalWrite = sql.stripLeading().regionMatches(true, 0, "UPDATE", 0, 6);
    Object[] rows = {new Long[0]};
    InvocationHandler handler =
        (self, method, args) -> {
          String name = method.getName();
          if (conditionalWrite && name.equals("setArray") && (int) args[0] == 1) {
            rows[0] = ((Array) args[1]).getArray();
          }
          if (!name.startsWith("execute")) {
            return invoke(statement, method, args);
          }
          if (unreported[0] > 0) {
            int wrote = unreported[0];
            unreported[0] = 0;
            events.betweenBatches(wrote);
          }
          if (!conditionalWrite) {
            return invoke(statement, method, args);
          }
          int n = writes.incrementAndGet();
          events.beforeConditionalWrite(n, ids((Object[]) rows[0]));
          Object result = invoke(statement, method, args);
          unreported[0] = n;
          return result;
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            handler);
  }

  private static List<Long> ids(Object[] array) {
    return Arrays.stream(array).map(id -> ((Number) id).longValue()).toList();
  }

  /** What a proxy does with the real call's result. */
  private interface AfterCall {
    Object apply(Method method, Object[] args, Object result) throws Exception;
  }

  private static <T> T proxy(Class<T> type, T target, AfterCall after) {
    InvocationHandler handler =
        (self, method, args) -> after.apply(method, args, invoke(target, method, args));
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
