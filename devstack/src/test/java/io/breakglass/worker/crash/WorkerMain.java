package io.breakglass.worker.crash;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.workflows.activities.ReencryptActivities;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A Breakglass worker in a JVM of its own, built as production builds it ({@link
 * BreakglassActivities#create}, {@link BreakglassWorker#start}) with sticky execution off, from
 * {@code --option value} pairs:
 *
 * <ul>
 *   <li>{@value #TEMPORAL} host:port, {@value #TASK_QUEUE} name, {@value #IDENTITY} the name shard
 *       results report;
 *   <li>{@value #SETTINGS} a {@link SettingsFile} (which names the secret store, its master key
 *       file, the artifact folder and the backups folder);
 *   <li>{@value #DATABASE} {@code name=jdbc-url} of the application database the data sets name,
 *       and {@value #BREAKGLASS_DATABASE} {@code jdbc-url} of Breakglass's own;
 *   <li>optional {@value #MAX_ACTIVITIES} n, activities run at once (default the SDK's);
 *   <li>optional {@value #STOP} {@link StopPoint} and {@value #MARKER} file: the worker halts there
 *       after creating the marker, for the test to kill it.
 * </ul>
 *
 * It prints {@value #READY} and its identity once it polls, then runs until its input ends.
 */
public final class WorkerMain {

  static final String TEMPORAL = "--temporal";
  static final String TASK_QUEUE = "--task-queue";
  static final String IDENTITY = "--identity";
  static final String SETTINGS = "--settings";
  static final String DATABASE = "--database";
  static final String BREAKGLASS_DATABASE = "--breakglass-database";
  static final String MAX_ACTIVITIES = "--max-activities";
  static final String STOP = "--stop";
  static final String MARKER = "--marker";
  static final String READY = "WORKER READY ";

  private WorkerMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = options(argv);
    RotationSettings settings = SettingsFile.read(Path.of(required(args, SETTINGS)));
    String identity = required(args, IDENTITY);
    String[] database = required(args, DATABASE).split("=", 2);
    DataSource app = dataSource(database[1]);
    BatchEvents events = BatchEvents.NONE;
    if (args.containsKey(STOP)) {
      events = StopPoint.parse(args.get(STOP)).haltingAt(Path.of(required(args, MARKER)));
      app = WatchedDatabase.wrap(app, events);
    }
    // The file, never the environment: the test's own environment must not choose the key.
    SecretStore store =
        new LocalSecretStore(
            settings.secretStore().path(),
            MasterKey.load(settings.secretStore(), variable -> null));
    BreakglassActivities activities =
        BreakglassActivities.create(
            settings,
            store,
            Map.of(database[0], app),
            Jdbi.create(dataSource(required(args, BREAKGLASS_DATABASE))),
            identity);
    BatchEvents shardEvents = events;
    List<Object> implementations =
        activities.activities().stream()
            .map(
                a ->
                    a instanceof ReencryptActivities shards
                        ? new WatchedShards(shards, shardEvents)
                        : a)
            .toList();
    TemporalConfig config =
        new TemporalConfig(
            required(args, TEMPORAL),
            null,
            null,
            null,
            true,
            required(args, TASK_QUEUE),
            Integer.parseInt(args.getOrDefault(MAX_ACTIVITIES, "0")),
            null);
    try (TemporalConnection connection = TemporalConnection.open(config);
        BreakglassWorker worker =
            BreakglassWorker.start(connection.client(), config, implementations)) {
      System.out.println(READY + identity);
      System.out.flush();
      while (System.in.read() != -1) {
        // work until the test closes our input (or dies, which closes it too)
      }
    }
    System.exit(0); // a shard held at a stop point would keep the JVM alive
  }

  private static DataSource dataSource(String url) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    return dataSource;
  }

  private static Map<String, String> options(String[] argv) {
    if (argv.length % 2 != 0) {
      throw new IllegalArgumentException("expected --option value pairs, got " + List.of(argv));
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < argv.length; i += 2) {
      options.put(argv[i], argv[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> args, String option) {
    String value = args.get(option);
    if (value == null) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }
}
