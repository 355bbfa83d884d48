package io.breakglass.activities.config;

import java.nio.file.Path;

/**
 * The whole-database backup BACKUP takes beside each table data set's own: {@code pg_dump} in
 * custom format of the database the data set lives in, encrypted under the backup key as it
 * streams, checksummed, and verified by {@code pg_restore} into a scratch database.
 *
 * @param binDirectory where {@code pg_dump} and {@code pg_restore} are; null: the worker's {@code
 *     PATH}
 * @param passwordEnv the environment variable holding the database user's password, passed to
 *     {@code pg_dump} and {@code pg_restore} as {@code PGPASSWORD}; null when the server needs none
 */
public record DatabaseDumpConfig(Path binDirectory, String passwordEnv) {}
